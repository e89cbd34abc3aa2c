/**
 * Auto-export jobs: with an export policy in force, every scheduled snapshot one of whose policy items has the
 * policy's frequency is exported by itself once it completes [D: "How Atlas Exports Snapshots": "When a backup
 * policy item with the same frequency type creates a snapshot, Atlas exports that snapshot"]. Like scheduled
 * snapshots, the jobs are derived from the schedule's epochs and the clock, never stored: a job's id is its
 * creation time plus bytes derived from the cluster (`schedules/defaults.ts`), its plan the one the epoch
 * took when auto export was turned on (the default plan then), unless the control API set one for it.
 *
 * A job is created when its snapshot completes (`SCHEDULED_RUN_MS` after it was taken) and goes to the
 * policy's bucket with no custom data. A snapshot deleted before it completed gets none; one deleted while its
 * export runs ends that export Cancelled at the deletion [I, as for exports created by clients].
 * Export jobs stay listed for ever, as job history does [I].
 */
import { objectIdTime } from '../core/objectid.js';
import type { Keyed, TimeSource } from '../core/merged-pages.js';
import { autoExportJobId, clusterOfDerivedId, isAutoExportJobId, scheduledSnapshotId } from '../schedules/defaults.js';
import { epochAt, epochRef, epochStart, everExports, exportWindows, SCHEDULED_RUN_MS, scheduleOf } from '../schedules/epochs.js';
import { inWindow, itemAt, windowsSource, windowTimes } from '../schedules/grid.js';
import { scheduledSnapshotAt } from '../snapshots/scheduled.js';
import { snapshotStateAt } from '../snapshots/lifecycle.js';
import { finishPlan } from '../control/plan-input.js';
import type { BackupSchedule, Cluster, ExportJob, Snapshot } from '../store/model.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../core/clock.js';
import { activeUntil, touches } from './lifecycle.js';

export interface AutoExportSpec {
  derived: TimeSource;
  derivedId(time: number): string;
  makeDerived(time: number): ExportJob;
  removed: Set<number>;
  stored: Keyed<ExportJob>[];
}

export interface AutoExports {
  /** The cluster's auto-export job with this id, if the schedule made it by now. */
  job(cluster: Cluster, id: string): ExportJob | undefined;
  findAnywhere(id: string): { job: ExportJob; cluster: Cluster } | undefined;
  /** The auto-export job of one of the cluster's snapshots, if any. */
  jobOfSnapshot(cluster: Cluster, snapshotId: string): ExportJob | undefined;
  /** The cluster's export-job list as derived and stored parts; undefined when it never auto-exported. */
  listSpec(cluster: Cluster): AutoExportSpec | undefined;
  /** Auto-export jobs Queued / InProgress at some time in [from, to], or finished in it. */
  activeIn(from: number, to: number): Iterable<ExportJob>;
}

/** Built once per job id for the same schedule, snapshot and plan change (views cache by job identity). */
const built = new Map<string, { schedule: BackupSchedule; snapshot: Snapshot; change: unknown; job: ExportJob }>();
const BUILT_MAX = 8192;

export function createAutoExports(store: Store, clock: Clock): AutoExports {
  /** A scheduled snapshot as it is: the change a client stored, or the derived one. */
  const snapshotAt = (cluster: Cluster, schedule: BackupSchedule, t: number): Snapshot | null => {
    const changed = store.snapshot(scheduledSnapshotId(cluster.id, t));
    return changed && changed.groupId === cluster.groupId && changed.clusterName === cluster.name ? changed : scheduledSnapshotAt(cluster, schedule, t);
  };

  /** The auto-export job of the scheduled snapshot taken at `t`, if the schedule exports it and it exists by now. */
  const jobAt = (cluster: Cluster, schedule: BackupSchedule, t: number, now: number): ExportJob | undefined => {
    const i = epochAt(schedule, t);
    const e = i < 0 ? undefined : schedule.epochs[i]!;
    const policy = e?.autoExport;
    if (!e || !policy || t < epochStart(e)) return undefined;
    const ref = epochRef(schedule, e);
    if (!e.items.some((it) => it.frequencyType === policy.frequencyType && itemAt(it, ref, t))) return undefined;
    const snapshot = snapshotAt(cluster, schedule, t);
    if (!snapshot) return undefined;
    const st = snapshotStateAt(snapshot, Infinity);
    if (st.status !== 'completed' || st.endedAt === undefined) return undefined;
    const createdAt = Math.floor(st.endedAt / 1000) * 1000;
    if (createdAt > now || (snapshot.deletedAt !== undefined && snapshot.deletedAt < createdAt)) return undefined;
    const id = autoExportJobId(cluster.id, createdAt);
    const change = store.autoExportJobChange(id);
    const hit = built.get(id);
    if (hit && hit.schedule === schedule && hit.snapshot === snapshot && hit.change === change) return hit.job;
    const job: ExportJob = { id, groupId: cluster.groupId, clusterName: cluster.name, snapshotId: snapshot.id, exportBucketId: policy.exportBucketId, createdAt, customData: [], plan: change?.plan ?? policy.plan };
    if (snapshot.deletedAt !== undefined && snapshot.deletedAt < activeUntil(job)) job.plan = finishPlan(job, { outcome: 'Cancelled', after: 0 }, snapshot.deletedAt);
    if (built.size >= BUILT_MAX) built.delete(built.keys().next().value!);
    built.set(id, { schedule, snapshot, change, job });
    return job;
  };

  /** Scheduled snapshots of the cluster a client changed (they may move or drop their job). */
  const changedOf = (cluster: Cluster): Snapshot[] => [...store.snapshotsOf(cluster.groupId, cluster.name)].filter((s) => s.scheduled);

  const job = (cluster: Cluster, id: string): ExportJob | undefined => {
    if (!isAutoExportJobId(cluster.id, id)) return undefined;
    const now = clock.now();
    const schedule = scheduleOf(store, cluster);
    const natural = jobAt(cluster, schedule, objectIdTime(id) - SCHEDULED_RUN_MS, now);
    if (natural?.id === id) return natural;
    for (const s of changedOf(cluster)) {
      const j = jobAt(cluster, schedule, objectIdTime(s.id), now);
      if (j?.id === id) return j;
    }
    return undefined;
  };

  return {
    job,
    findAnywhere(id) {
      const c = clusterOfDerivedId(store, id, 'auto-export');
      const j = c && job(c, id);
      return j ? { job: j, cluster: c } : undefined;
    },
    jobOfSnapshot(cluster, snapshotId) {
      const schedule = scheduleOf(store, cluster);
      if (!everExports(schedule) || scheduledSnapshotId(cluster.id, objectIdTime(snapshotId)) !== snapshotId) return undefined;
      return jobAt(cluster, schedule, objectIdTime(snapshotId), clock.now());
    },
    listSpec(cluster) {
      const schedule = scheduleOf(store, cluster);
      if (!everExports(schedule)) return undefined;
      const now = clock.now();
      const windows = exportWindows(schedule, now).map((w) => w.window);
      const occurrences = windowsSource(windows);
      const removed = new Set<number>();
      const stored: Keyed<ExportJob>[] = store.jobsOf(cluster.groupId, cluster.name).map((j) => ({ time: j.createdAt, id: j.id, value: j }));
      for (const s of changedOf(cluster)) {
        const t = objectIdTime(s.id);
        if (windows.some((w) => inWindow(w, t))) removed.add(t + SCHEDULED_RUN_MS);
        const j = jobAt(cluster, schedule, t, now);
        if (j) stored.push({ time: j.createdAt, id: j.id, value: j });
      }
      return {
        // Job times are the snapshot times shifted by the time a scheduled snapshot takes to complete.
        derived: {
          count: (a, b) => occurrences.count(a - SCHEDULED_RUN_MS, b - SCHEDULED_RUN_MS),
          times: function* (from, desc) {
            const it = occurrences.times(from - SCHEDULED_RUN_MS, desc);
            for (let r = it.next(); !r.done; r = it.next()) yield r.value + SCHEDULED_RUN_MS;
          },
        },
        derivedId: (time) => autoExportJobId(cluster.id, time),
        makeDerived: (time) => jobAt(cluster, schedule, time - SCHEDULED_RUN_MS, now)!,
        removed,
        stored,
      };
    },
    *activeIn(from, to) {
      const now = clock.now();
      for (const schedule of store.allSchedules()) {
        if (!everExports(schedule)) continue;
        const cluster = store.cluster(schedule.groupId, schedule.clusterName);
        if (!cluster) continue;
        const seen = new Set<string>();
        for (const { epoch, window } of exportWindows(schedule, Math.min(now, to))) {
          const plan = schedule.epochs[epoch]!.autoExport!.plan;
          // A job touching [from, to] was created at most its plan's duration before `from`.
          const lasts = plan.outcome === 'Never' ? Infinity : plan.queuedMs + plan.runningMs;
          for (const t of windowTimes(window, from - lasts - SCHEDULED_RUN_MS, to, false)) {
            const j = jobAt(cluster, schedule, t, now);
            if (j && touches(j, from, to)) {
              seen.add(j.id);
              yield j;
            }
          }
        }
        // Jobs whose plan a client set, or whose snapshot a client changed, may last longer.
        for (const s of changedOf(cluster)) {
          const j = jobAt(cluster, schedule, objectIdTime(s.id), now);
          if (j && !seen.has(j.id) && touches(j, from, to)) {
            seen.add(j.id);
            yield j;
          }
        }
        for (const c of store.autoExportJobChanges.values()) {
          if (c.groupId !== cluster.groupId || c.clusterName !== cluster.name || seen.has(c.id)) continue;
          const j = job(cluster, c.id);
          if (j && touches(j, from, to)) yield j;
        }
      }
    },
  };
}

