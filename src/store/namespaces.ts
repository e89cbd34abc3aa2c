/**
 * A cluster's databases and collections (its namespaces), as its snapshots list them and its exports count
 * and write them. A fixture may list them (`databases`) or give only a count (`collections`, or the shards'
 * counts of a sharded cluster); then the mock names them itself, the same way on every load:
 * `db0.collection0` … `db0.collection9`, `db1.collection0`, … (ten collections per database [I]: enough for
 * pagination and per-database folders to show, few enough to read).
 */
import type { Cluster, Database } from './model.js';

export const SYNTHESIZED_PER_DATABASE = 10;

export interface Namespace {
  db: string;
  collection: string;
}

/** Computed once per cluster object (the store replaces a cluster rather than editing it). */
const databasesCache = new WeakMap<Cluster, readonly Database[]>();
const namespacesCache = new WeakMap<Cluster, readonly Namespace[]>();

/** The names a count of collections gets: `db<i>` holding `collection0` … `collection9`. */
export function synthesizeDatabases(collections: number): Database[] {
  const out: Database[] = [];
  for (let i = 0; i * SYNTHESIZED_PER_DATABASE < collections; i++) {
    const n = Math.min(SYNTHESIZED_PER_DATABASE, collections - i * SYNTHESIZED_PER_DATABASE);
    out.push({ name: `db${i}`, collections: Array.from({ length: n }, (_, j) => `collection${j}`) });
  }
  return out;
}

/** The cluster's databases in fixture order, each with its collections in fixture order. */
export function databasesOf(cluster: Cluster): readonly Database[] {
  if (cluster.databases) return cluster.databases;
  let dbs = databasesCache.get(cluster);
  if (!dbs) databasesCache.set(cluster, (dbs = synthesizeDatabases(cluster.collections)));
  return dbs;
}

/** Every collection of the cluster, database by database. */
export function namespacesOf(cluster: Cluster): readonly Namespace[] {
  let list = namespacesCache.get(cluster);
  if (!list) {
    list = databasesOf(cluster).flatMap((d) => d.collections.map((collection) => ({ db: d.name, collection })));
    namespacesCache.set(cluster, list);
  }
  return list;
}
