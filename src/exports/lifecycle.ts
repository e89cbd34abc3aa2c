/**
 * An export job's state is derived when read, from its plan and the clock (`stateAt(job, now)`), never
 * kept up to date by timers: deterministic, free for a million idle jobs, identical across replicas.
 *
 * Timed plan (contract §7, real timing about 2–3 min queued and 12 min in progress):
 *   [createdAt, +queued)            Queued      exported 0
 *   [+queued, +queued+running)      InProgress  exported rises linearly towards the total, at most total − 1
 *   [+queued+running, …)            outcome     Successful: all exported; Failed / Cancelled: half
 *                                               (finishedAt set, stateReason only when Failed)
 *   outcome `Never`                 InProgress for ever: exported rises as above during the running time,
 *                                   then holds at total − 1 (never the total: that would read as done)
 */
import type { ExportJob, ExportState, JobPlan, StateReason, TimedPlan } from '../store/model.js';
import { TERMINAL_STATES } from '../store/model.js';

export interface JobStatus {
  state: ExportState;
  exportedCollections: number;
  totalCollections: number;
  /** Epoch ms, only in a terminal state. */
  finishedAt?: number;
  /** Only when Failed. */
  stateReason?: StateReason;
}

/** Used when a Failed plan gives no reason of its own [I: Atlas's codes for failed exports are not public]. */
export const DEFAULT_FAILURE: StateReason = {
  errorCode: 'EXPORT_FAILED',
  message: 'The export job failed: the snapshot could not be written to the export bucket.',
};

/** A pinned terminal job without `finishedAt` finished this long after it was created (the real ~14.5 min). */
const PINNED_DURATION_MS = 870_000;

export function defaultTimedPlan(): TimedPlan {
  return { kind: 'timed', queuedMs: 150_000, runningMs: 720_000, outcome: 'Successful' };
}

export function stateAt(job: ExportJob, now: number, totalCollections: number): JobStatus {
  const plan = job.plan;
  if (plan.kind === 'pinned') {
    const terminal = TERMINAL_STATES.has(plan.state);
    const exported =
      plan.exportedCollections ?? (plan.state === 'Successful' ? totalCollections : plan.state === 'Queued' ? 0 : Math.floor(totalCollections / 2));
    const status: JobStatus = { state: plan.state, exportedCollections: Math.min(exported, totalCollections), totalCollections };
    if (terminal) status.finishedAt = plan.finishedAt ?? job.createdAt + PINNED_DURATION_MS;
    if (plan.state === 'Failed') status.stateReason = plan.stateReason ?? DEFAULT_FAILURE;
    return status;
  }
  const elapsed = now - job.createdAt;
  if (elapsed < plan.queuedMs) return { state: 'Queued', exportedCollections: 0, totalCollections };
  const running = elapsed - plan.queuedMs;
  if (plan.outcome === 'Never' || running < plan.runningMs) {
    const fraction = plan.runningMs > 0 ? running / plan.runningMs : 1;
    const exported = Math.floor(totalCollections * fraction);
    // Never reaches the total while in progress: "all collections exported" would read as done.
    return { state: 'InProgress', exportedCollections: Math.max(0, Math.min(exported, totalCollections - 1)), totalCollections };
  }
  const finishedAt = job.createdAt + plan.queuedMs + plan.runningMs;
  if (plan.outcome === 'Successful') return { state: 'Successful', exportedCollections: totalCollections, totalCollections, finishedAt };
  const status: JobStatus = { state: plan.outcome, exportedCollections: Math.floor(totalCollections / 2), totalCollections, finishedAt };
  if (plan.outcome === 'Failed') status.stateReason = plan.stateReason ?? DEFAULT_FAILURE;
  return status;
}

export interface TimelineEntry {
  state: ExportState;
  /** Epoch ms when the job enters (entered) the state; undefined for a pinned job's only state. */
  at?: number;
}

/** Each state of the job with when it was or will be entered (control API `…/timeline`). */
export function timeline(job: ExportJob, plan: JobPlan = job.plan): TimelineEntry[] {
  if (plan.kind === 'pinned') {
    return [{ state: plan.state, ...(TERMINAL_STATES.has(plan.state) && { at: plan.finishedAt ?? job.createdAt + PINNED_DURATION_MS }) }];
  }
  const entries: TimelineEntry[] = [
    { state: 'Queued', at: job.createdAt },
    { state: 'InProgress', at: job.createdAt + plan.queuedMs },
  ];
  if (plan.outcome !== 'Never') entries.push({ state: plan.outcome, at: job.createdAt + plan.queuedMs + plan.runningMs });
  return entries;
}

export function isActive(job: ExportJob, now: number): boolean {
  return !TERMINAL_STATES.has(stateAt(job, now, 0).state);
}

/**
 * Until when (epoch ms, excluded) the job is Queued or InProgress: `isActive(job, now)` is exactly
 * `now < activeUntil(job)` — a timed job is active while less than queued + running time has passed since
 * its creation (also before it, with the clock set back), a pinned one always or never, `Never` always.
 */
export function activeUntil(job: ExportJob): number {
  const plan = job.plan;
  if (plan.kind === 'pinned') return TERMINAL_STATES.has(plan.state) ? -Infinity : Infinity;
  if (plan.outcome === 'Never') return Infinity;
  return job.createdAt + plan.queuedMs + plan.runningMs;
}

/**
 * Whether the job is Queued or InProgress at some time in [from, to], or finishes in it (what a writer of
 * export files needs to look at for that period): timed, its span [createdAt, end] meets [from, to]; pinned
 * active, it exists by `to`; pinned terminal, it finished within [from, to].
 */
export function touches(job: ExportJob, from: number, to: number): boolean {
  const plan = job.plan;
  if (plan.kind === 'pinned') {
    if (!TERMINAL_STATES.has(plan.state)) return job.createdAt <= to;
    const finishedAt = plan.finishedAt ?? job.createdAt + PINNED_DURATION_MS;
    return finishedAt >= from && finishedAt <= to;
  }
  return job.createdAt <= to && (plan.outcome === 'Never' ? Infinity : job.createdAt + plan.queuedMs + plan.runningMs) >= from;
}
