/**
 * `DiskBackupExportJob` as served at resource version 2023-01-01 (the only one). Keys in alphabetical
 * order, as Atlas writes them (every recording); `links` never appear on a job (contract §7).
 */
import { isoSeconds, prefixDate } from '../core/dates.js';
import { objectIdPlus } from '../core/objectid.js';
import { jsonNumber, jsonString } from '../http/json.js';
import { EXPORT_STATES, type Cluster, type ExportJob, type Organization, type Project } from '../store/model.js';
import type { JobStatus } from './lifecycle.js';

export interface ExportJobView {
  components?: { exportId: string; replicaSetName: string }[];
  createdAt: string;
  customData: { key?: string; value?: string }[];
  exportBucketId: string;
  exportStatus?: { exportedCollections: number; totalCollections: number };
  finishedAt?: string;
  id: string;
  prefix: string;
  snapshotId: string;
  state: string;
  stateReason?: { errorCode: string; message: string };
}

/**
 * Characters Atlas drops from organization and project names in a prefix: those AWS says "might require
 * special handling" and "to avoid" in object keys, and control characters [D: export docs, which point at the
 * AWS object-key guidelines].
 */
// eslint-disable-next-line no-control-regex -- control characters are among those removed
const PREFIX_UNSAFE = /[&$@=;/:+,?\\{^}%`\]">[~<#|\u0000-\u001f\u007f-\u00ff]/g;

/** A name as Atlas writes it in an export prefix: spaces become `_`, unsafe characters go [D]. */
export function prefixName(name: string): string {
  return name.replace(/ /g, '_').replace(PREFIX_UNSAFE, '');
}

/**
 * `exported_snapshots/<orgId>/<groupId>/<clusterName>/<snapshot createdAt yyyy-MM-ddTHHmm>/<job createdAt
 * epoch seconds>`, no leading slash (contract §7, recorded). With the cluster's backup schedule's
 * `useOrgAndGroupNamesInExportPrefix` (as it was when the job was created), the organization's and project's
 * names instead of their ids [D: export docs].
 */
export function exportPrefix(job: ExportJob, project: Project | undefined, snapshotTakenAt: number | undefined, names?: { org: Organization | undefined }): string {
  const snapshotDate = prefixDate(snapshotTakenAt ?? job.createdAt);
  const org = names ? prefixName(names.org?.name ?? project?.orgId ?? '') : (project?.orgId ?? '');
  const group = names ? prefixName(project?.name ?? job.groupId) : job.groupId;
  return `exported_snapshots/${org}/${group}/${job.clusterName}/${snapshotDate}/${Math.floor(job.createdAt / 1000)}`;
}

/**
 * The parts of a job's view that do not move with the clock — components, createdAt, prefix — and the
 * JSON of the fields around them, computed once per job instead of on every GET (the dates, the
 * prefix and the escaping checks were the largest part of a view). They depend on the job and on its
 * cluster, project and snapshot, which the store replaces rather than edits (of a job, only `plan`
 * changes in place), so an entry is reused only for the very same job and cluster and the same prefix. Bounded: past
 * `STATICS_MAX` jobs the oldest entry goes.
 */
interface JobStatics {
  job: ExportJob;
  cluster: Cluster;
  components: ExportJobView['components'];
  createdAt: string;
  prefix: string;
  /** JSON of components…exportBucketId, with the `{` and a trailing comma: `{"createdAt":…,"customData":…,"exportBucketId":…,`. */
  head: string;
  /** JSON of id, prefix and snapshotId, without the trailing `}`: `"id":…,"prefix":…,"snapshotId":…`. */
  ids: string;
  /** The last finishedAt formatted for this job (it changes only with the plan): epoch ms and ISO text. */
  finishedAtMs: number;
  finishedAt: string;
  /**
   * The last JSON served for this job and the values of the fields that move with the clock it was written
   * with: a job polled while its state does not change (a finished one: always) is served the same text.
   */
  last: { exported: number | undefined; total: number | undefined; finishedAt: string | undefined; state: string; json: string } | undefined;
}

export const STATICS_MAX = 4096;
const statics = new Map<string, JobStatics>();

function staticsOf(job: ExportJob, cluster: Cluster, prefix: string): JobStatics {
  const cached = statics.get(job.id);
  if (cached !== undefined && cached.job === job && cached.cluster === cluster && cached.prefix === prefix) return cached;
  // Sharded clusters: one component per shard, ids following the job's, and no exportStatus (contract §7).
  const components = cluster.type === 'SHARDED' ? cluster.shards.map((sh, i) => ({ exportId: objectIdPlus(job.id, i + 1), replicaSetName: sh.name })) : undefined;
  const createdAt = isoSeconds(job.createdAt);
  const entry: JobStatics = {
    job,
    cluster,
    components,
    createdAt,
    prefix,
    head: `${components === undefined ? '{' : `{"components":${JSON.stringify(components)},`}"createdAt":${jsonString(createdAt)},"customData":${job.customData.length === 0 ? '[]' : JSON.stringify(job.customData)},"exportBucketId":${jsonString(job.exportBucketId)},`,
    ids: `"id":${jsonString(job.id)},"prefix":${jsonString(prefix)},"snapshotId":${jsonString(job.snapshotId)}`,
    finishedAtMs: NaN,
    finishedAt: '',
    last: undefined,
  };
  if (cached !== undefined) statics.delete(job.id);
  else if (statics.size >= STATICS_MAX) statics.delete(statics.keys().next().value!);
  statics.set(job.id, entry);
  return entry;
}

/** `prefix`: `exportPrefix` of the job (the service knows its snapshot and the schedule's prefix flag). */
export function exportJobView2023(job: ExportJob, status: JobStatus, cluster: Cluster, prefix: string): ExportJobView {
  const st = staticsOf(job, cluster, prefix);
  const view: ExportJobView = {} as ExportJobView;
  if (st.components !== undefined) view.components = st.components;
  view.createdAt = st.createdAt;
  view.customData = job.customData;
  view.exportBucketId = job.exportBucketId;
  if (cluster.type !== 'SHARDED') view.exportStatus = { exportedCollections: status.exportedCollections, totalCollections: status.totalCollections };
  if (status.finishedAt !== undefined) {
    if (status.finishedAt !== st.finishedAtMs) {
      st.finishedAt = isoSeconds(status.finishedAt);
      st.finishedAtMs = status.finishedAt;
    }
    view.finishedAt = st.finishedAt;
  }
  view.id = job.id;
  view.prefix = st.prefix;
  view.snapshotId = job.snapshotId;
  view.state = status.state;
  if (status.stateReason) view.stateReason = status.stateReason;
  return view;
}

/** JSON of the states a job can be in (the general path serves any other string). */
const STATE_JSON: ReadonlyMap<string, string> = new Map(EXPORT_STATES.map((st) => [st, JSON.stringify(st)]));

/**
 * `JSON.stringify(view)` for a view of `exportJobView2023`, compiled by hand (the generic
 * stringify was the largest single cost of a GET): the keys in the order the view writes them, the optional
 * ones only when present, strings through `jsonString`. Nested values that are rare or free-form
 * (components, labels, stateReason) go through JSON.stringify itself. When the view's unchanging fields
 * are the very values of its job's cached statics, their JSON comes from there. `test/core/serializers.test.ts`
 * checks the output byte for byte against JSON.stringify.
 */
export function serializeExportJobView2023(v: ExportJobView): string {
  const st = statics.get(v.id);
  const known =
    st !== undefined &&
    v.components === st.components &&
    v.createdAt === st.createdAt &&
    v.customData === st.job.customData &&
    v.exportBucketId === st.job.exportBucketId &&
    v.prefix === st.prefix &&
    v.snapshotId === st.job.snapshotId;
  // The same moving fields as the last answer of this job: the same text. A kept string is flat once Node
  // has measured it, where a new one is a chain of pieces that V8 copies into one on every answer (~1 µs of
  // a GET in the profile, with the concatenation).
  const exported = v.exportStatus?.exportedCollections;
  const total = v.exportStatus?.totalCollections;
  const last = known ? st.last : undefined;
  if (last !== undefined && v.stateReason === undefined && last.state === v.state && last.finishedAt === v.finishedAt && last.exported === exported && last.total === total) return last.json;
  let out = known
    ? st.head
    : `${v.components === undefined ? '{' : `{"components":${JSON.stringify(v.components)},`}"createdAt":${jsonString(v.createdAt)},"customData":${v.customData.length === 0 ? '[]' : JSON.stringify(v.customData)},"exportBucketId":${jsonString(v.exportBucketId)},`;
  if (v.exportStatus !== undefined) out += `"exportStatus":{"exportedCollections":${jsonNumber(v.exportStatus.exportedCollections)},"totalCollections":${jsonNumber(v.exportStatus.totalCollections)}},`;
  if (v.finishedAt !== undefined) out += `"finishedAt":${jsonString(v.finishedAt)},`;
  out += known ? st.ids : `"id":${jsonString(v.id)},"prefix":${jsonString(v.prefix)},"snapshotId":${jsonString(v.snapshotId)}`;
  out += `,"state":${STATE_JSON.get(v.state) ?? jsonString(v.state)}`;
  if (v.stateReason !== undefined) out += `,"stateReason":${JSON.stringify(v.stateReason)}`;
  out += '}';
  if (known && v.stateReason === undefined) st.last = { exported, total, finishedAt: v.finishedAt, state: v.state, json: out };
  return out;
}
