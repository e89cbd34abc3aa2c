/**
 * What each control operation does, on plain values (the handlers only unpack requests):
 * health, reset, fixtures, clock, plans (default, next per cluster, one job; the same for on-demand
 * snapshots and one snapshot), timelines, faults, journal.
 *
 * Reset [I]: a full reset puts back the loaded fixtures and also drops every fault rule, queued next-plan
 * and journal entry and restores the start-up default plan — a test's `beforeEach(reset)` starts clean. A
 * reset scoped to a project does the same for that project only (its data, the faults and next-plans scoped
 * to it, its journal entries) and leaves other projects, global faults and the default plan alone. Neither
 * moves the clock: time belongs to the test.
 */
import { parseDuration } from '../core/dates.js';
import { DATASET_KEYS, type Dataset } from '../fixtures/schema.js';
import { datasetForProject, fixtureOfPlan, fixtureOfTimedPlan } from '../fixtures/apply.js';
import { resolveDocumentFiles } from '../fixtures/load.js';
import { stateAt, timeline } from '../exports/lifecycle.js';
import type { ClockState } from '../core/clock.js';
import type { ControlPlane } from './plane.js';
import { controlNotFound, invalidControlRequest } from './errors.js';
import type { FaultView } from './faults.js';
import { Journal, type JournalEntry, type JournalQuery } from './journal.js';
import { finishPlan, pinnedPlan, snapshotFinishPlan, snapshotPlanView, snapshotTimedPlan, timedPlan, type PlanView } from './plan-input.js';
import type { ClockChange, FaultInput, JobPlanInput, NextPlanInput, NextSnapshotPlanInput, SnapshotPlanInput, SnapshotTimedPlanInput, TimedPlanInput } from './schemas.js';
import { snapshotStateAt, snapshotTimeline } from '../snapshots/lifecycle.js';
import type { ExportJob, SnapshotPlan, SnapshotTimedPlan } from '../store/model.js';
import type { NextPlans } from '../core/next-plans.js';

export type ControlService = ReturnType<typeof createControlService>;

export function createControlService(plane: ControlPlane) {
  const { ctx, faults, journal } = plane;
  const { store, clock } = ctx;

  /** A stored job or an auto-export job (derived from a backup schedule). */
  const requireJob = (exportId: string): ExportJob => {
    const job = ctx.exports.find(exportId);
    if (!job) throw controlNotFound(`export job ${exportId}`);
    return job;
  };

  const requireSnapshot = (snapshotId: string) => {
    const found = ctx.snapshots.findAnywhere(snapshotId);
    if (!found) throw controlNotFound(`snapshot ${snapshotId}`);
    return found;
  };

  const snapshotTimelineOf = (snapshotId: string) => {
    const { snapshot: s } = requireSnapshot(snapshotId);
    const now = clock.now();
    return {
      snapshotId: s.id,
      groupId: s.groupId,
      clusterName: s.clusterName,
      now: new Date(now).toISOString(),
      status: snapshotStateAt(s, now).status,
      scheduled: s.scheduled === true,
      plan: snapshotPlanView(s.plan),
      timeline: snapshotTimeline(s).map((e) => ({ status: e.status, at: e.at === undefined ? null : new Date(e.at).toISOString(), reached: e.at === undefined ? true : e.at <= now })),
    };
  };

  const defaultSnapshotPlanView = (p: SnapshotTimedPlan) => ({ queued: p.queuedMs, running: p.runningMs, outcome: p.outcome });

  const projectKnown = (groupId: string) => store.project(groupId) !== undefined || ctx.baseline.some((ds) => ds.projects.some((p) => p.id === groupId));

  const timelineOf = (exportId: string) => {
    const job = requireJob(exportId);
    const now = clock.now();
    const collections = store.cluster(job.groupId, job.clusterName)?.collections ?? 0;
    const status = stateAt(job, now, collections);
    return {
      exportId: job.id,
      groupId: job.groupId,
      clusterName: job.clusterName,
      now: new Date(now).toISOString(),
      state: status.state,
      exportStatus: { exportedCollections: status.exportedCollections, totalCollections: status.totalCollections },
      plan: fixtureOfPlan(job.plan),
      timeline: timeline(job).map((e) => ({
        state: e.state,
        at: e.at === undefined ? null : new Date(e.at).toISOString(),
        reached: e.at === undefined ? true : e.at <= now,
      })),
    };
  };

  /** The next-plan queue of one kind of resource (export jobs, on-demand snapshots): list, push, clear. */
  const queueOf = <P, I extends { groupId: string; clusterName: string; times: number }>(queues: NextPlans<P>, planOf: (input: I) => P, viewOf: (plan: P) => object) => {
    const list = () => ({
      queues: queues.list().map((q) => ({ groupId: q.groupId, clusterName: q.clusterName, plans: q.plans.map((p) => ({ ...viewOf(p.plan), remaining: p.remaining })) })),
    });
    return {
      list,
      push(input: I) {
        if (!store.project(input.groupId)) throw controlNotFound(`project ${input.groupId}`);
        if (!store.cluster(input.groupId, input.clusterName)) throw controlNotFound(`cluster ${input.clusterName} in project ${input.groupId}`);
        queues.push(input.groupId, input.clusterName, planOf(input), input.times);
        store.changed();
        return list();
      },
      clear(groupId?: string, clusterName?: string) {
        const deleted = queues.clear(groupId, clusterName);
        store.changed();
        return { deleted };
      },
    };
  };
  const jobQueue = queueOf(ctx.nextPlans, (input: NextPlanInput) => (input.pin ? pinnedPlan(input.pin, clock.now()) : timedPlan(input.plan ?? {}, ctx.defaultPlan)), fixtureOfPlan);
  const snapshotQueue = queueOf(
    ctx.nextSnapshotPlans,
    (input: NextSnapshotPlanInput): SnapshotPlan => (input.pin ? { kind: 'pinned', status: input.pin.status } : snapshotTimedPlan(input.plan ?? {}, ctx.defaultSnapshotPlan)),
    snapshotPlanView,
  );

  const journalSize = async (): Promise<number> => (journal === null ? 0 : journal instanceof Journal ? journal.size : journal.size());

  return {
    /** `healthy` false (a shared mock whose Redis does not answer): the handler answers 503. */
    async health() {
      const engine = await plane.engine.health();
      return {
        status: engine.healthy ? ('ok' as const) : ('unavailable' as const),
        version: plane.version,
        clock: clock.state(),
        counts: store.counts() as unknown as Record<string, number>,
        faults: faults.size,
        nextPlans: ctx.nextPlans.size,
        journal: { size: engine.healthy ? await journalSize().catch(() => 0) : 0, capacity: journal?.capacity ?? 0 },
        store: engine,
      };
    },

    reset(groupId?: string) {
      if (groupId !== undefined && !projectKnown(groupId)) throw controlNotFound(`project ${groupId}`);
      ctx.reset(groupId);
      ctx.nextPlans.clear(groupId);
      ctx.nextSnapshotPlans.clear(groupId);
      faults.clear(groupId);
      journal?.clear(groupId === undefined ? {} : { groupId });
      if (groupId === undefined) {
        ctx.defaultPlan = plane.initialDefaultPlan;
        ctx.defaultSnapshotPlan = plane.initialDefaultSnapshotPlan;
      }
      store.changed();
      return { reset: groupId ?? 'all', counts: store.counts() as unknown as Record<string, number> };
    },

    loadFixtures(ds: Dataset, opts: { groupId?: string | undefined; transient?: boolean | undefined }) {
      if (opts.groupId !== undefined) checkScope(ds, opts.groupId);
      const unreadable = resolveDocumentFiles(ds);
      if (unreadable.length > 0) throw invalidControlRequest(unreadable.map((p) => ({ path: p.path, message: p.message })));
      ctx.load(ds, { transient: opts.transient ?? false });
      const loaded = Object.fromEntries(DATASET_KEYS.map((k) => [k, ds[k].length]));
      return { loaded, groupId: opts.groupId ?? null, transient: opts.transient ?? false };
    },

    clock(): ClockState {
      return clock.state();
    },

    /** Answers once the export files the new time implies are written: a test reads them right after. */
    async changeClock(change: ClockChange): Promise<ClockState> {
      // Mode first (it re-anchors at the current time), then an absolute time, then a step.
      if (change.mode !== undefined || change.speed !== undefined) clock.setMode(change.mode ?? clock.mode(), change.speed);
      if (change.setTo !== undefined) clock.setTo(Date.parse(change.setTo));
      if (change.advanceBy !== undefined) clock.advanceBy(parseDuration(change.advanceBy));
      const state = clock.state();
      await ctx.exportFiles?.settled();
      return state;
    },

    async exportFiles(exportId: string) {
      const job = requireJob(exportId);
      if (!ctx.exportFiles) throw controlNotFound('export files (the mock writes none: --export-files off)');
      return ctx.exportFiles.files(job);
    },

    defaultPlan() {
      return fixtureOfTimedPlan(ctx.defaultPlan);
    },

    setDefaultPlan(input: TimedPlanInput) {
      // A new object: jobs loaded without a plan share the old one and must not move.
      ctx.defaultPlan = timedPlan(input, ctx.defaultPlan);
      store.changed();
      return fixtureOfTimedPlan(ctx.defaultPlan);
    },

    pushNextPlan: jobQueue.push,
    nextPlans: jobQueue.list,
    clearNextPlans: jobQueue.clear,

    setJobPlan(exportId: string, input: JobPlanInput) {
      const job = requireJob(exportId);
      const now = clock.now();
      const plan = input.finish ? finishPlan(job, input.finish, now) : input.pin ? pinnedPlan(input.pin, now) : timedPlan(input.plan ?? {}, ctx.defaultPlan);
      // An auto-export job is derived: its plan is kept as a change of it.
      ctx.exports.setPlan(job, plan);
      store.changed();
      return timelineOf(exportId);
    },

    timeline: timelineOf,

    defaultSnapshotPlan() {
      return defaultSnapshotPlanView(ctx.defaultSnapshotPlan);
    },

    setDefaultSnapshotPlan(input: SnapshotTimedPlanInput) {
      ctx.defaultSnapshotPlan = snapshotTimedPlan(input, ctx.defaultSnapshotPlan);
      store.changed();
      return defaultSnapshotPlanView(ctx.defaultSnapshotPlan);
    },

    pushNextSnapshotPlan: snapshotQueue.push,
    nextSnapshotPlans: snapshotQueue.list,
    clearNextSnapshotPlans: snapshotQueue.clear,

    setSnapshotPlan(snapshotId: string, input: SnapshotPlanInput) {
      const { snapshot } = requireSnapshot(snapshotId);
      const plan: SnapshotPlan = input.finish
        ? snapshotFinishPlan(snapshot, input.finish, clock.now())
        : input.pin
          ? { kind: 'pinned', status: input.pin.status }
          : snapshotTimedPlan(input.plan ?? {}, ctx.defaultSnapshotPlan);
      ctx.snapshots.setPlan(snapshot, plan);
      return snapshotTimelineOf(snapshotId);
    },

    snapshotTimeline: snapshotTimelineOf,

    async faults(): Promise<{ faults: FaultView[] }> {
      return { faults: plane.shared ? await plane.shared.faults.list(faults) : faults.list() };
    },

    addFault(input: FaultInput): FaultView {
      return faults.add(input);
    },

    deleteFault(id: string) {
      if (!faults.remove(id)) throw controlNotFound(`fault ${id}`);
    },

    clearFaults(groupId?: string) {
      return { deleted: faults.clear(groupId) };
    },

    async requests(query: JournalQuery): Promise<{ requests: JournalEntry[]; size: number; capacity: number }> {
      return { requests: (await journal?.list(query)) ?? [], size: await journalSize(), capacity: journal?.capacity ?? 0 };
    },

    async clearRequests(groupId?: string) {
      return { deleted: (await journal?.clear(groupId === undefined ? {} : { groupId })) ?? 0 };
    },
  };
}

/**
 * A load scoped to a project may only hold that project's things: a scoped reset can take them back
 * without touching anyone else. Organizations and principals are global: not allowed in a scoped load [I].
 */
function checkScope(ds: Dataset, groupId: string): void {
  const problems: { path: string; message: string }[] = [];
  const scoped = datasetForProject(ds, groupId);
  for (const key of DATASET_KEYS) {
    const all = ds[key] as readonly unknown[];
    const mine = new Set(scoped[key] as readonly unknown[]);
    all.forEach((item, i) => {
      if (mine.has(item)) return;
      const global = key === 'organizations' || key === 'apiKeys' || key === 'serviceAccounts';
      problems.push({ path: `$.${key}[${i}]`, message: global ? `${key} are global: not allowed in a load scoped to project ${groupId}` : `belongs to another project than ${groupId}` });
    });
  }
  if (problems.length > 0) throw invalidControlRequest(problems);
}

export type { PlanView };
