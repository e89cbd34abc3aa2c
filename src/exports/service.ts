/**
 * The rules of export jobs (contract §7): lookups scoped to the project and cluster, the view at the clock's
 * now, and creation. Create checks, in this order:
 *   project (404 GROUP_NOT_FOUND) → cluster (404 CLUSTER_NOT_FOUND) → body (400 MALFORMED_JSON / INVALID_JSON /
 *   MISSING_ATTRIBUTE / INVALID_ATTRIBUTE) → bucket of this project (404 EXPORT_BUCKET_NOT_FOUND) → snapshot of
 *   this cluster (404 SNAPSHOT_NOT_FOUND) → snapshot `completed` by the mock clock (409
 *   CANNOT_EXPORT_INCOMPLETE_SNAPSHOT) → no active export of the snapshot (409 EXPORT_ALREADY_IN_PROGRESS) →
 *   the per-project job limit of the mock (409 RESOURCE_LIMIT_EXCEEDED).
 * [I] the order: path before body, then the order in which contract §7 lists the rules.
 */
import { atlasError } from '../errors/atlas-error.js';
import { parseBody } from '../http/validation.js';
import { paginate, type Page, type PageQuery } from '../http/pagination.js';
import { requireCluster } from '../store/lookup.js';
import type { BackupLabel, Cluster, ExportJob, Project } from '../store/model.js';
import { DEFAULT_MAX_JOBS_PER_PROJECT } from '../options.js';
import { snapshotStatusAt } from '../snapshots/status.js';
import type { MockContext } from '../context.js';
import { activeUntil, stateAt } from './lifecycle.js';
import { planFor } from './plans.js';
import { exportJobRequestSchema } from './schemas.js';
import { exportJobView2023, type ExportJobView } from './view.js';

export interface ExportService {
  get(groupId: string, clusterName: string, exportId: string): ExportJobView;
  /** `base`: origin and path of the request, for the page links. */
  list(groupId: string, clusterName: string, page: PageQuery, base: string): Page<ExportJobView>;
  create(groupId: string, clusterName: string, body: unknown): ExportJobView;
  view(job: ExportJob, cluster?: Cluster, project?: Project): ExportJobView;
}

/** A label as stored and served: the fields given, in the spec's order; a `null` one is absent. */
function label(l: { key?: string | null; value?: string | null }): BackupLabel {
  const out: BackupLabel = {};
  if (typeof l.key === 'string') out.key = l.key;
  if (typeof l.value === 'string') out.value = l.value;
  return out;
}

/**
 * The latest `activeUntil` of a snapshot's jobs, known for its job list as it was at a store revision
 * (issue 7: finding no active export scanned every job of the snapshot, so creates slowed down as jobs
 * piled up). Valid while the store has not changed since and the list has not grown; a create that adds
 * a job to it keeps it valid; anything else (a plan changed through the control API, a reset, fixtures)
 * moves the revision and costs one scan.
 */
interface ActiveBound {
  until: number;
  revision: number;
  length: number;
}

export function createExportService(ctx: MockContext): ExportService {
  const { store, clock } = ctx;
  const bounds = new WeakMap<readonly ExportJob[], ActiveBound>();
  /** Whether one of these jobs (of one snapshot) is Queued or InProgress at `now`. */
  const anyActive = (jobs: readonly ExportJob[], now: number): boolean => {
    const known = bounds.get(jobs);
    if (known !== undefined && known.revision === store.revision && known.length === jobs.length) return now < known.until;
    let until = -Infinity;
    for (const job of jobs) until = Math.max(until, activeUntil(job));
    bounds.set(jobs, { until, revision: store.revision, length: jobs.length });
    return now < until;
  };
  const view = (job: ExportJob, cluster?: Cluster, project?: Project): ExportJobView => {
    const c = cluster ?? store.cluster(job.groupId, job.clusterName);
    if (!c) throw atlasError('CLUSTER_NOT_FOUND', job.clusterName, job.groupId);
    const status = stateAt(job, clock.now(), c.collections);
    return exportJobView2023(job, status, c, project ?? store.project(job.groupId), store.snapshot(job.snapshotId));
  };
  return {
    get(groupId, clusterName, exportId) {
      const { project, cluster } = requireCluster(store, groupId, clusterName);
      const job = store.job(exportId);
      // A job of another cluster or project is as unknown as a missing one.
      if (!job || job.groupId !== groupId || job.clusterName !== clusterName) throw atlasError('RESOURCE_NOT_FOUND', exportId);
      return view(job, cluster, project);
    },
    list(groupId, clusterName, page, base) {
      const { project, cluster } = requireCluster(store, groupId, clusterName);
      // Creation order, oldest first [I: the recordings hold one job each].
      return paginate(store.jobsOf(groupId, clusterName), page, base, (job) => view(job, cluster, project));
    },
    create(groupId, clusterName, body) {
      const { project, cluster } = requireCluster(store, groupId, clusterName);
      const req = parseBody(exportJobRequestSchema, body);
      const bucket = store.bucket(req.exportBucketId);
      if (!bucket || bucket.groupId !== groupId) throw atlasError('EXPORT_BUCKET_NOT_FOUND', req.exportBucketId);
      const snapshot = ctx.snapshots.require(groupId, clusterName, req.snapshotId);
      const now = clock.now();
      if (snapshotStatusAt(snapshot, now) !== 'completed') throw atlasError('CANNOT_EXPORT_INCOMPLETE_SNAPSHOT', snapshot.id);
      if (anyActive(store.jobsOfSnapshot(snapshot.id), now)) throw atlasError('EXPORT_ALREADY_IN_PROGRESS', snapshot.id);
      const max = ctx.options.maxJobsPerProject ?? DEFAULT_MAX_JOBS_PER_PROJECT;
      if (store.jobCount(groupId) >= max) throw atlasError('RESOURCE_LIMIT_EXCEEDED', max, 'export jobs');

      // The id is an ObjectId of the clock's now and `createdAt` its whole second (contract §7).
      const createdAt = Math.floor(now / 1000) * 1000;
      const job: ExportJob = {
        id: ctx.ids.next(createdAt),
        groupId,
        clusterName,
        snapshotId: snapshot.id,
        exportBucketId: bucket.id,
        createdAt,
        customData: (req.customData ?? []).map(label),
        plan: planFor(ctx, cluster),
      };
      const before = bounds.get(store.jobsOfSnapshot(snapshot.id));
      store.addJob(job);
      store.changed();
      const jobs = store.jobsOfSnapshot(snapshot.id);
      bounds.set(jobs, { until: Math.max(before?.until ?? -Infinity, activeUntil(job)), revision: store.revision, length: jobs.length });
      return view(job, cluster, project);
    },
    view,
  };
}
