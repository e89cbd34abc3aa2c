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
import { AtlasError, atlasError } from '../errors/atlas-error.js';
import { parseBody } from '../http/validation.js';
import { DEFAULT_ITEMS_PER_PAGE, pageOf, paginate, type Page, type PageQuery } from '../http/pagination.js';
import { mergedPage } from '../core/merged-pages.js';
import { clusterOrError, requireCluster } from '../store/lookup.js';
import type { BackupLabel, BackupSchedule, Cluster, ExportJob, JobPlan, Project, Snapshot } from '../store/model.js';
import { scheduleOf } from '../schedules/epochs.js';
import { DEFAULT_MAX_JOBS_PER_PROJECT } from '../options.js';
import { snapshotStateAt, snapshotStatusAt } from '../snapshots/lifecycle.js';
import type { MockContext } from '../context.js';
import { activeUntil, isActive, stateAt } from './lifecycle.js';
import { planFor } from './plans.js';
import { exportJobRequestSchema } from './schemas.js';
import { exportJobView2023, exportPrefix, type ExportJobView } from './view.js';

export interface ExportService {
  get(groupId: string, clusterName: string, exportId: string): ExportJobView;
  /** `get`, the Atlas error returned rather than thrown (the GET's handler: a client polling an unknown job). */
  lookup(groupId: string, clusterName: string, exportId: string): ExportJobView | AtlasError;
  /** `base`: origin and path of the request, for the page links. */
  list(groupId: string, clusterName: string, page: PageQuery, base: string): Page<ExportJobView>;
  create(groupId: string, clusterName: string, body: unknown): ExportJobView;
  view(job: ExportJob, cluster?: Cluster, project?: Project): ExportJobView;
  /** The job with this id, stored or derived (auto-export), in any cluster (control API). */
  find(exportId: string): ExportJob | undefined;
  /** Gives a job a new plan: a stored job's own, a derived one's kept as a change of it (`store.changed()` is the caller's). */
  setPlan(job: ExportJob, plan: JobPlan): void;
  /**
   * Every job, stored or derived (auto-exports of backup schedules), that is Queued or InProgress at some
   * time in [fromMs, toMs] or finishes in it: what a writer of export files looks at for that period.
   */
  jobsActiveIn(fromMs: number, toMs: number): Iterable<ExportJob>;
}

/** A label as stored and served: the fields given, in the spec's order; a `null` one is absent. */
function label(l: { key?: string | null; value?: string | null }): BackupLabel {
  const out: BackupLabel = {};
  if (typeof l.key === 'string') out.key = l.key;
  if (typeof l.value === 'string') out.value = l.value;
  return out;
}

/** Until when a job matters to `jobsActiveIn`: the end of its activity, or when a pinned terminal job finished. */
function relevantUntil(job: ExportJob): number {
  const until = activeUntil(job);
  return until === -Infinity ? (stateAt(job, 0, 0).finishedAt ?? -Infinity) : until;
}

/**
 * The stored jobs that may matter to windows starting at `low` or later (`relevantUntil(job) >= low`), as
 * of a store revision: a window query walks these rather than every job (a million-job store holds few
 * live ones). A create adds its job and keeps the list valid; any other change moves the revision and the
 * next query rebuilds it (one scan).
 */
interface LiveJobs {
  jobs: ExportJob[];
  low: number;
  revision: number;
}

/**
 * The latest `activeUntil` of a snapshot's jobs, known for its job list as it was at a store revision
 * (finding no active export scanned every job of the snapshot, so creates slowed down as jobs
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
  /**
   * The job's prefix: its snapshot's time, ids or (the schedule's flag when the job was created) names.
   * Kept per job for the same snapshot, schedule and project objects (the store replaces them when they
   * change), so that a GET pays two Map lookups for it.
   */
  const prefixes = new WeakMap<ExportJob, { snapshot: Snapshot | undefined; schedule: BackupSchedule; project: Project | undefined; prefix: string }>();
  const prefixOf = (job: ExportJob, cluster: Cluster, project: Project | undefined): string => {
    const snapshot = ctx.snapshots.find(cluster, job.snapshotId);
    const schedule = scheduleOf(store, cluster);
    const hit = prefixes.get(job);
    if (hit && hit.snapshot === snapshot && hit.schedule === schedule && hit.project === project) return hit.prefix;
    const takenAt = snapshot ? snapshotStateAt(snapshot, 0).takenAt : undefined;
    const names = ctx.schedules.namesInPrefixAt(cluster, job.createdAt);
    const prefix = exportPrefix(job, project, takenAt, names ? { org: project ? store.organizations.get(project.orgId) : undefined } : undefined);
    prefixes.set(job, { snapshot, schedule, project, prefix });
    return prefix;
  };
  let live: LiveJobs | undefined;
  const view = (job: ExportJob, cluster?: Cluster, project?: Project): ExportJobView => {
    const c = cluster ?? store.cluster(job.groupId, job.clusterName);
    if (!c) throw atlasError('CLUSTER_NOT_FOUND', job.clusterName, job.groupId);
    const status = stateAt(job, clock.now(), c.collections);
    return exportJobView2023(job, status, c, prefixOf(job, c, project ?? store.project(job.groupId)));
  };
  const lookup = (groupId: string, clusterName: string, exportId: string): ExportJobView | AtlasError => {
    const found = clusterOrError(store, groupId, clusterName);
    if (found instanceof AtlasError) return found;
    const { project, cluster } = found;
    const stored = store.job(exportId);
    // A job of another cluster or project is as unknown as a missing one.
    const job = stored ? (stored.groupId === groupId && stored.clusterName === clusterName ? stored : undefined) : ctx.autoExports.job(cluster, exportId);
    if (!job) return atlasError('RESOURCE_NOT_FOUND', exportId);
    return view(job, cluster, project);
  };
  return {
    get(groupId, clusterName, exportId) {
      const got = lookup(groupId, clusterName, exportId);
      if (got instanceof AtlasError) throw got;
      return got;
    },
    lookup,
    list(groupId, clusterName, page, base) {
      const { project, cluster } = requireCluster(store, groupId, clusterName);
      // Creation order, oldest first [I: the recordings hold one job each].
      const auto = ctx.autoExports.listSpec(cluster);
      if (!auto) return paginate(store.jobsOf(groupId, clusterName), page, base, (job) => view(job, cluster, project));
      // With auto-exports: stored and derived jobs merged by creation time.
      const itemsPerPage = page.itemsPerPage ?? DEFAULT_ITEMS_PER_PAGE;
      const { total, items } = mergedPage({ ...auto, desc: false }, ((page.pageNum ?? 1) - 1) * itemsPerPage, itemsPerPage);
      return pageOf(items.map((job) => view(job, cluster, project)), total, page, base);
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
      const auto = ctx.autoExports.jobOfSnapshot(cluster, snapshot.id);
      if (auto && isActive(auto, now)) throw atlasError('EXPORT_ALREADY_IN_PROGRESS', snapshot.id);
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
      if (live && live.revision === store.revision - 1) {
        live.jobs.push(job);
        live.revision = store.revision;
      }
      return view(job, cluster, project);
    },
    view,
    find(exportId) {
      return store.job(exportId) ?? ctx.autoExports.findAnywhere(exportId)?.job;
    },
    setPlan(job, plan) {
      if (!store.setJobPlan(job.id, plan)) store.setAutoExportJobChange({ id: job.id, groupId: job.groupId, clusterName: job.clusterName, plan });
    },
    jobsActiveIn(fromMs, toMs) {
      if (!live || live.revision !== store.revision || fromMs < live.low) {
        const jobs: ExportJob[] = [];
        for (const job of store.jobs.values()) if (relevantUntil(job) >= fromMs) jobs.push(job);
        live = { jobs, low: fromMs, revision: store.revision };
      } else if (fromMs > live.low) {
        live = { jobs: live.jobs.filter((j) => relevantUntil(j) >= fromMs), low: fromMs, revision: live.revision };
      }
      const out: ExportJob[] = [];
      for (const job of live.jobs) {
        // A pinned terminal job only when it finished inside the window; the others are active in it.
        if (activeUntil(job) === -Infinity && relevantUntil(job) > toMs) continue;
        out.push(job);
      }
      for (const job of ctx.autoExports.activeIn(fromMs, toMs)) out.push(job);
      return out;
    },
  };
}
