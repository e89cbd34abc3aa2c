/**
 * `DiskBackupReplicaSet` as served at resource version 2023-01-01. Keys in alphabetical order, fields as in
 * the two recordings of one on-demand snapshot (contract §1, `snapshot-get-200-inprogress.http` and
 * `…-completed.http`):
 * - while not completed: no `cloudProvider`, `createdAt` or `mongodVersion`, `storageSizeBytes` 0 [R];
 * - completed: all of them, `cloudProvider` and `mongodVersion` being the cluster's [R];
 * - `copyRegions` and `policyItems` `[]` [R]; `links` self + cluster, absolute on the request's host [R];
 * - `expiresAt`: the fixture's when given, else retention after the snapshot was requested (the id's time)
 *   while in flight and after it completed once completed [R: both recordings are exactly +24 h for an
 *   on-demand snapshot]; other frequencies use Atlas's default policy retention [I];
 * - sharded clusters: `type: shardedCluster` and no `replicaSetName` (spec: "when type is replicaSet") [I];
 * - `description` only when the snapshot has one [I].
 */
import { isoSeconds } from '../core/dates.js';
import { objectIdTime } from '../core/objectid.js';
import type { Cluster, Snapshot, SnapshotStatus } from '../store/model.js';
import type { Link } from '../http/pagination.js';

const DAY = 86_400_000;
/** Retention by frequency: on-demand 1 day [R]; the rest Atlas's default backup policy [I]. */
const RETENTION_MS: Readonly<Record<string, number>> = { ondemand: DAY, hourly: 2 * DAY, daily: 7 * DAY, weekly: 28 * DAY, monthly: 365 * DAY, yearly: 365 * DAY };

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

export function snapshotExpiresAt(s: Snapshot, status: SnapshotStatus): number {
  if (s.expiresAt !== undefined) return s.expiresAt;
  const from = status === 'completed' ? (s.completesAt ?? s.createdAt) : objectIdTime(s.id);
  return from + (RETENTION_MS[s.frequencyType] ?? DAY);
}

export function snapshotView2023(s: Snapshot, status: SnapshotStatus, cluster: Cluster, origin: string): SnapshotView {
  const completed = status === 'completed';
  const clusterHref = `${origin}/api/atlas/v2/groups/${s.groupId}/clusters/${s.clusterName}`;
  const view = {} as SnapshotView;
  if (completed) view.cloudProvider = cluster.cloudProvider;
  view.copyRegions = [];
  if (completed) view.createdAt = isoSeconds(s.createdAt);
  if (s.description) view.description = s.description;
  view.expiresAt = isoSeconds(snapshotExpiresAt(s, status));
  view.frequencyType = s.frequencyType;
  view.id = s.id;
  view.links = [
    { href: `${clusterHref}/backup/snapshots/${s.id}`, rel: 'self' },
    { href: clusterHref, rel: 'https://cloud.mongodb.com/cluster' },
  ];
  if (completed) view.mongodVersion = cluster.mongodVersion;
  view.policyItems = [];
  if (cluster.type !== 'SHARDED') view.replicaSetName = cluster.name;
  view.snapshotType = s.snapshotType;
  view.status = status;
  view.storageSizeBytes = completed ? s.storageSizeBytes : 0;
  view.type = cluster.type === 'SHARDED' ? 'shardedCluster' : 'replicaSet';
  return view;
}
