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

/**
 * JSON of a view as UTF-8 bytes, kept with the view object (views are reused, never edited): exactly the
 * bytes of JSON.stringify's text. Bytes rather than text: a page joins them by copying, where a 66 KB string
 * would be measured (Buffer.byteLength) and encoded again on every send.
 */
const viewJson = new WeakMap<object, Buffer>();

export function serializeSnapshotView(v: SnapshotView): Buffer {
  let json = viewJson.get(v);
  if (json === undefined) viewJson.set(v, (json = Buffer.from(JSON.stringify(v))));
  return json;
}

const COMMA = Buffer.from(',');

/**
 * The bodies of the last pages, found by their first view. A page whose results are the very same view
 * objects in the same order, with the same text around them (links, count), is the same body: views never
 * change, so identity is all there is to check. Else the body is joined from each view's bytes. Bounded by
 * bytes, the oldest body dropped first.
 */
interface PageBody {
  views: SnapshotView[];
  head: string;
  tail: string;
  bytes: Buffer;
}
const bodiesByFirst = new Map<SnapshotView, PageBody[]>();
/** Every kept body, oldest first. */
const bodies = new Set<PageBody>();
let bodyBytes = 0;
export const PAGE_BODIES_MAX_BYTES = 4 * 1024 * 1024;

function forget(body: PageBody): void {
  bodies.delete(body);
  bodyBytes -= body.bytes.length;
  const first = body.views[0]!;
  const rest = bodiesByFirst.get(first)!.filter((b) => b !== body);
  if (rest.length > 0) bodiesByFirst.set(first, rest);
  else bodiesByFirst.delete(first);
}

function keep(body: PageBody): void {
  if (body.views.length === 0 || body.bytes.length > PAGE_BODIES_MAX_BYTES) return;
  for (const oldest of bodies) {
    if (bodyBytes + body.bytes.length <= PAGE_BODIES_MAX_BYTES) break;
    forget(oldest);
  }
  bodies.add(body);
  bodyBytes += body.bytes.length;
  const first = body.views[0]!;
  bodiesByFirst.set(first, [...(bodiesByFirst.get(first) ?? []), body]);
}

/**
 * JSON of a page of snapshot views, keys in the page's own order (`pageOf`: links, results, totalCount; the
 * envelope adds status), the results joined from `serializeSnapshotView`'s bytes.
 */
export function serializeSnapshotPage(p: { results: SnapshotView[] } & Record<string, unknown>): Buffer {
  let bytes = pageJson.get(p);
  if (bytes === undefined) pageJson.set(p, (bytes = joinPage(p)));
  return bytes;
}

/**
 * The bytes of each page object served: the snapshot service hands the same page object out again while
 * nothing it derives from has moved (`page-memo.ts`), and a page, like a view, is never edited. An enveloped
 * page is a new object each time (`envelopeBody`), so it is joined again (its views' bytes still kept).
 */
let pageJson = new WeakMap<object, Buffer>();

function joinPage(p: { results: SnapshotView[] } & Record<string, unknown>): Buffer {
  let head = '{';
  let tail = '';
  for (const key of Object.keys(p)) {
    const value = p[key];
    if (value === undefined) continue;
    if (key === 'results') {
      head += `${head.length > 1 ? ',' : ''}"results":[`;
      tail = ']';
    } else if (tail === '') head += `${head.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}`;
    else tail += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  tail += '}';
  const views = p.results;
  const first = views[0];
  const same = first && bodiesByFirst.get(first)?.find((b) => b.head === head && b.tail === tail && b.views.length === views.length && b.views.every((v, i) => v === views[i]));
  if (same) return same.bytes;
  const parts: Buffer[] = [Buffer.from(head)];
  views.forEach((v, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(serializeSnapshotView(v));
  });
  parts.push(Buffer.from(tail));
  const bytes = Buffer.concat(parts);
  keep({ views: views.slice(), head, tail, bytes });
  return bytes;
}

/** Forgets the kept page bodies (tests). */
export function clearPageBodies(): void {
  pageJson = new WeakMap();
  bodiesByFirst.clear();
  bodies.clear();
  bodyBytes = 0;
}
