/**
 * Snapshots as served at resource version 2023-01-01, keys in alphabetical order (every recording):
 *
 * `DiskBackupReplicaSet` (GET one, list, PATCH; the on-demand POST of a replica set) — fields per status as in
 * the recordings of one on-demand snapshot (`recorded-workflow/TestSnapshots/Watch_creation`,
 * `TestExportJobs/Watch_snapshot_creation`, `recorded/snapshot-get-200-*.http`):
 * - queued: no `cloudProvider`, `createdAt`, `mongodVersion`; `storageSizeBytes` 0 [R];
 * - inProgress: `mongodVersion` 10 s after the request, `cloudProvider` once taken, still no `createdAt` [R];
 * - completed: all of them, `createdAt` the time it was taken, `cloudProvider` / `mongodVersion` the cluster's [R];
 * - `copyRegions` `[]` [R]; `policyItems` the items of a scheduled snapshot, `[]` otherwise [R for on-demand];
 *   `links` self + cluster, absolute on the request's host [R]; `description` only when there is one [I];
 * - sharded clusters: `type: shardedCluster` and no `replicaSetName` (spec: "when type is replicaSet") [I].
 *
 * `DiskBackupShardedClusterSnapshot` (the `shardedCluster` operations; the POST of a sharded cluster [S]):
 * the same fields without `cloudProvider` / `copyRegions` / `replicaSetName`, plus `members` — one per shard,
 * `{cloudProvider, id, replicaSetName}` with ids following the snapshot's — and `snapshotIds` (those ids) [S; I
 * for the ids and for leaving the config server out]. A replica set's snapshot in this form has no members
 * and `type: replicaSet` [C: the Terraform provider reads it so; I for the type].
 */
import { isoSeconds } from '../core/dates.js';
import { objectIdPlus } from '../core/objectid.js';
import type { Cluster, Snapshot, SnapshotStatus } from '../store/model.js';
import type { Link } from '../http/pagination.js';
import { snapshotExpiresAt, type SnapshotState } from './lifecycle.js';

export interface SnapshotView {
  cloudProvider?: string;
  copyRegions: string[];
  createdAt?: string;
  description?: string;
  expiresAt: string;
  frequencyType: string;
  id: string;
  links: Link[];
  mongodVersion?: string;
  policyItems: string[];
  replicaSetName?: string;
  snapshotType: string;
  status: SnapshotStatus;
  storageSizeBytes: number;
  type: 'replicaSet' | 'shardedCluster';
}

export interface ShardedSnapshotView {
  createdAt?: string;
  description?: string;
  expiresAt: string;
  frequencyType: string;
  id: string;
  links: Link[];
  members: { cloudProvider: string; id: string; replicaSetName: string }[];
  mongodVersion?: string;
  policyItems: string[];
  snapshotIds: string[];
  snapshotType: string;
  status: SnapshotStatus;
  storageSizeBytes: number;
  type: 'replicaSet' | 'shardedCluster';
}

const clusterHref = (origin: string, s: Snapshot) => `${origin}/api/atlas/v2/groups/${s.groupId}/clusters/${s.clusterName}`;

export function snapshotView2023(s: Snapshot, st: SnapshotState, cluster: Cluster, origin: string): SnapshotView {
  const completed = st.status === 'completed';
  const href = clusterHref(origin, s);
  const view = {} as SnapshotView;
  if (st.providerKnown) view.cloudProvider = cluster.cloudProvider;
  view.copyRegions = [];
  if (completed) view.createdAt = isoSeconds(st.takenAt);
  if (s.description) view.description = s.description;
  view.expiresAt = isoSeconds(snapshotExpiresAt(s, st));
  view.frequencyType = s.frequencyType;
  view.id = s.id;
  view.links = [
    { href: `${href}/backup/snapshots/${s.id}`, rel: 'self' },
    { href, rel: 'https://cloud.mongodb.com/cluster' },
  ];
  if (st.mongodKnown) view.mongodVersion = cluster.mongodVersion;
  view.policyItems = s.policyItems ?? [];
  if (cluster.type !== 'SHARDED') view.replicaSetName = cluster.name;
  view.snapshotType = s.snapshotType;
  view.status = st.status;
  view.storageSizeBytes = completed ? s.storageSizeBytes : 0;
  view.type = cluster.type === 'SHARDED' ? 'shardedCluster' : 'replicaSet';
  return view;
}

/** The ids of a sharded snapshot's members: one per shard, following the snapshot's id. */
export const memberIds = (s: Snapshot, cluster: Cluster): string[] => cluster.shards.map((_, i) => objectIdPlus(s.id, i + 1));

export function shardedSnapshotView2023(s: Snapshot, st: SnapshotState, cluster: Cluster, origin: string): ShardedSnapshotView {
  const completed = st.status === 'completed';
  const href = clusterHref(origin, s);
  const ids = memberIds(s, cluster);
  const view = {} as ShardedSnapshotView;
  if (completed) view.createdAt = isoSeconds(st.takenAt);
  if (s.description) view.description = s.description;
  view.expiresAt = isoSeconds(snapshotExpiresAt(s, st));
  view.frequencyType = s.frequencyType;
  view.id = s.id;
  view.links = [
    { href: `${href}/backup/snapshots/shardedCluster/${s.id}`, rel: 'self' },
    { href, rel: 'https://cloud.mongodb.com/cluster' },
  ];
  view.members = cluster.shards.map((sh, i) => ({ cloudProvider: cluster.cloudProvider, id: ids[i]!, replicaSetName: sh.name }));
  if (st.mongodKnown) view.mongodVersion = cluster.mongodVersion;
  view.policyItems = s.policyItems ?? [];
  view.snapshotIds = ids;
  view.snapshotType = s.snapshotType;
  view.status = st.status;
  view.storageSizeBytes = completed ? s.storageSizeBytes : 0;
  view.type = cluster.type === 'SHARDED' ? 'shardedCluster' : 'replicaSet';
  return view;
}

/**
 * Views built once per snapshot object, cluster, request origin and phase (status, mongodVersion and
 * cloudProvider known): a completed snapshot's view does not change until it is gone, and the store
 * replaces a snapshot object when it changes. A page of a year of scheduled snapshots then costs lookups,
 * not 100 views and their JSON (the year scenario of the bench).
 */
const replicaViews = new WeakMap<Snapshot, { cluster: Cluster; origin: string; phase: string; view: SnapshotView }>();

export function cachedSnapshotView(s: Snapshot, st: SnapshotState, cluster: Cluster, origin: string): SnapshotView {
  const phase = `${st.status}|${st.mongodKnown ? 1 : 0}|${st.providerKnown ? 1 : 0}`;
  const hit = replicaViews.get(s);
  if (hit && hit.cluster === cluster && hit.origin === origin && hit.phase === phase) return hit.view;
  const view = snapshotView2023(s, st, cluster, origin);
  replicaViews.set(s, { cluster, origin, phase, view });
  return view;
}

/** JSON of a view, kept with the view object (views are reused, never edited): exactly JSON.stringify's. */
const viewJson = new WeakMap<object, string>();

export function serializeSnapshotView(v: SnapshotView): string {
  let json = viewJson.get(v);
  if (json === undefined) viewJson.set(v, (json = JSON.stringify(v)));
  return json;
}

/** JSON of a page of snapshot views, keys as `pageOf` writes them: links, results, totalCount. */
export function serializeSnapshotPage(p: { links: Link[]; results: SnapshotView[]; totalCount?: number }): string {
  let out = `{"links":${JSON.stringify(p.links)},"results":[`;
  for (let i = 0; i < p.results.length; i++) out += (i > 0 ? ',' : '') + serializeSnapshotView(p.results[i]!);
  return out + (p.totalCount === undefined ? ']}' : `],"totalCount":${p.totalCount}}`);
}
