/**
 * `DiskBackupExportJob` as served at resource version 2023-01-01 (the only one). Keys in alphabetical
 * order, as Atlas writes them (every recording); `links` never appear on a job (contract §7).
 */
import { isoSeconds, prefixDate } from '../core/dates.js';
import { objectIdPlus } from '../core/objectid.js';
import { jsonNumber, jsonString } from '../http/json.js';
import type { Cluster, ExportJob, Project, Snapshot } from '../store/model.js';
import type { JobStatus } from './lifecycle.js';

export interface ExportJobView {
  components?: { exportId: string; replicaSetName: string }[];
  createdAt: string;
  customData: { key: string; value: string }[];
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
 * `exported_snapshots/<orgId>/<groupId>/<clusterName>/<snapshot createdAt yyyy-MM-ddTHHmm>/<job createdAt
 * epoch seconds>`, no leading slash (contract §7, recorded).
 */
export function exportPrefix(job: ExportJob, project: Project | undefined, snapshot: Snapshot | undefined): string {
  const snapshotDate = prefixDate(snapshot?.createdAt ?? job.createdAt);
  return `exported_snapshots/${project?.orgId ?? ''}/${job.groupId}/${job.clusterName}/${snapshotDate}/${Math.floor(job.createdAt / 1000)}`;
}

export function exportJobView2023(job: ExportJob, status: JobStatus, cluster: Cluster, project: Project | undefined, snapshot: Snapshot | undefined): ExportJobView {
  const view: ExportJobView = {} as ExportJobView;
  // Sharded clusters: one component per shard, ids following the job's, and no exportStatus (contract §7).
  if (cluster.type === 'SHARDED') view.components = cluster.shards.map((s, i) => ({ exportId: objectIdPlus(job.id, i + 1), replicaSetName: s.name }));
  view.createdAt = isoSeconds(job.createdAt);
  view.customData = job.customData;
  view.exportBucketId = job.exportBucketId;
  if (cluster.type !== 'SHARDED') view.exportStatus = { exportedCollections: status.exportedCollections, totalCollections: status.totalCollections };
  if (status.finishedAt !== undefined) view.finishedAt = isoSeconds(status.finishedAt);
  view.id = job.id;
  view.prefix = exportPrefix(job, project, snapshot);
  view.snapshotId = job.snapshotId;
  view.state = status.state;
  if (status.stateReason) view.stateReason = status.stateReason;
  return view;
}

/**
 * `JSON.stringify(view)` for a view of `exportJobView2023`, compiled by hand (issue 7: the generic
 * stringify was the largest single cost of a GET): the keys in the order the view writes them, the optional
 * ones only when present, strings through `jsonString`. Nested values that are rare or free-form
 * (components, labels, stateReason) go through JSON.stringify itself. `test/core/serializers.test.ts` checks
 * the output byte for byte against JSON.stringify.
 */
export function serializeExportJobView2023(v: ExportJobView): string {
  let out = v.components === undefined ? '{' : `{"components":${JSON.stringify(v.components)},`;
  out += `"createdAt":${jsonString(v.createdAt)},"customData":${v.customData.length === 0 ? '[]' : JSON.stringify(v.customData)},"exportBucketId":${jsonString(v.exportBucketId)},`;
  if (v.exportStatus !== undefined) out += `"exportStatus":{"exportedCollections":${jsonNumber(v.exportStatus.exportedCollections)},"totalCollections":${jsonNumber(v.exportStatus.totalCollections)}},`;
  if (v.finishedAt !== undefined) out += `"finishedAt":${jsonString(v.finishedAt)},`;
  out += `"id":${jsonString(v.id)},"prefix":${jsonString(v.prefix)},"snapshotId":${jsonString(v.snapshotId)},"state":${jsonString(v.state)}`;
  if (v.stateReason !== undefined) out += `,"stateReason":${JSON.stringify(v.stateReason)}`;
  return out + '}';
}
