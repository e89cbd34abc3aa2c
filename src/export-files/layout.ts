/**
 * What an export job writes to its bucket, and where (Atlas docs "Export Cloud Backup Snapshot", Files Atlas
 * Uploads and Exported Data Format; FIDELITY.md "Export files"):
 *
 *   exported_snapshots/.permissioncheck                         empty; when a bucket is added, when an export starts
 *   <prefix>/<db>/<collection>/<replicaSet>.<increment>.json.gz  gzip of canonical Extended JSON, one document a line
 *   <prefix>/<db>/<collection>/metadata.json                    when the export is done, one per collection
 *   <prefix>/.complete                                          last, when the export is done
 *
 * `prefix` is the job's as the API shows it (no leading slash: keys are what S3 shows, `s3://bucket/<key>`).
 */
import { createHash } from 'node:crypto';
import type { BackupLabel, Cluster } from '../store/model.js';

export const PERMISSION_CHECK_KEY = 'exported_snapshots/.permissioncheck';

export const dataKey = (prefix: string, db: string, collection: string, replicaSet: string, increment: number): string =>
  `${prefix}/${db}/${collection}/${replicaSet}.${increment}.json.gz`;
export const metadataKey = (prefix: string, db: string, collection: string): string => `${prefix}/${db}/${collection}/metadata.json`;
export const completeKey = (prefix: string): string => `${prefix}/.complete`;

const md5 = (text: string): Buffer => createHash('md5').update(text).digest();

/**
 * The replica sets whose names the data files carry: a sharded cluster's shards (each writes its part of
 * every collection, all at once), or a replica set's one. Atlas names a replica set `atlas-<6 letters and
 * digits>-shard-0` (third-party listings of real exports: `atlas-98ztan-shard-0.0.json.gz`; the recorded
 * connection strings: `replicaSet=atlas-2mr53v-shard-0`); the mock derives the six characters from the
 * cluster's id, the same on every load [I].
 */
export function replicaSetNames(cluster: Pick<Cluster, 'id' | 'type' | 'shards'>): string[] {
  if (cluster.type === 'SHARDED' && cluster.shards.length > 0) return cluster.shards.map((s) => s.name);
  const h = md5(`replica-set/${cluster.id}`);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let tag = '';
  for (let i = 0; i < 6; i++) tag += alphabet[h[i]! % alphabet.length];
  return [`atlas-${tag}-shard-0`];
}

/** A collection's UUID as `metadata.json` writes it (32 hex digits, no dashes: docs example), derived [I]. */
export function collectionUuid(clusterId: string, db: string, collection: string): string {
  const h = md5(`collection/${clusterId}/${db}.${collection}`);
  h[6] = (h[6]! & 0x0f) | 0x40; // version 4
  h[8] = (h[8]! & 0x3f) | 0x80; // variant
  return h.toString('hex');
}

/**
 * `metadata.json` of a collection: the docs' example for a plain collection — `indexes` as
 * `db.collection.getIndexes()` returns them, in canonical Extended JSON, then `uuid` and `collectionName`;
 * no `options` (none are set), no `type` (time series only). The index list is the `_id` index every
 * collection has [I: the fixtures describe no other indexes].
 */
export function metadataJson(bson: typeof import('bson'), collection: string, uuid: string): string {
  const { EJSON, Int32 } = bson;
  return EJSON.stringify({ indexes: [{ v: new Int32(2), key: { _id: new Int32(1) }, name: '_id_' }], uuid, collectionName: collection }, { relaxed: false });
}

export interface CompleteFacts {
  orgId: string;
  orgName: string;
  groupId: string;
  groupName: string;
  clusterUniqueId: string;
  clusterName: string;
  /** Epoch ms of the snapshot's creation. */
  snapshotInitiationDate: number;
  /** Every object the export wrote under its prefix before `.complete`: data files and `metadata.json` files [I]. */
  totalFiles: number;
  /** The cluster's labels (the mock's clusters have none). */
  labels: BackupLabel[];
  customData: BackupLabel[];
}

/**
 * `.complete`: the docs' fields in the docs' order; `snapshotInitiationDate` ISO-8601 with milliseconds as
 * in its example; `labels` and `customData` always present, `[]` when empty [I]; compact JSON [I].
 */
export function completeJson(f: CompleteFacts): string {
  return JSON.stringify({
    orgId: f.orgId,
    orgName: f.orgName,
    groupId: f.groupId,
    groupName: f.groupName,
    clusterUniqueId: f.clusterUniqueId,
    clusterName: f.clusterName,
    snapshotInitiationDate: new Date(f.snapshotInitiationDate).toISOString(),
    totalFiles: f.totalFiles,
    labels: f.labels.map((l) => ({ key: l.key, value: l.value })),
    customData: f.customData.map((l) => ({ key: l.key, value: l.value })),
  });
}
