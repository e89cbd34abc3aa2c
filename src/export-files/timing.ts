/**
 * When an export job's files are due, read from its plan and the clock like its state (`stateAt`): the
 * collections the API counts at a time, when each was counted, when the job next moves. No timer per job:
 * the writer asks these for every live job and keeps one timer for the earliest.
 */
import { activeUntil, stateAt } from '../exports/lifecycle.js';
import type { ExportJob } from '../store/model.js';
import { TERMINAL_STATES } from '../store/model.js';

/** A year of mock time: how far ahead a job that never ends is looked at. */
const FAR = 366 * 86_400_000;

/**
 * How many collections the writer may have written at `now`: what the API counts, but never more than the
 * job ends with — a plan ending Failed or Cancelled keeps half of them (lifecycle.ts) though its count rose
 * further while in progress, and files once written stay (Atlas does not remove partial data).
 */
export function collectionsDueAt(job: ExportJob, now: number, total: number): number {
  const counted = stateAt(job, now, total).exportedCollections;
  const end = activeUntil(job);
  const final = Number.isFinite(end) ? stateAt(job, end, total).exportedCollections : total;
  return Math.min(counted, final);
}

/** The smallest t in [lo, hi] with `ok(t)`, for a predicate false then true over the range (hi when none). */
function firstTime(lo: number, hi: number, ok: (t: number) => boolean): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/**
 * When the `k`-th collection (1-based) was counted, at or before `now`: the time a failed write to it
 * fails the job at. A pinned job has no timeline: `now`.
 */
export function countedAt(job: ExportJob, k: number, total: number, now: number): number {
  if (job.plan.kind === 'pinned' || now <= job.createdAt) return now;
  return firstTime(job.createdAt, now, (t) => stateAt(job, t, total).exportedCollections >= k || TERMINAL_STATES.has(stateAt(job, t, total).state));
}

/**
 * The next time after `now` at which the job's files change — it starts, a collection is counted, it
 * ends — or Infinity when they never will (finished, or pinned).
 */
export function nextChange(job: ExportJob, now: number, total: number): number {
  if (now < job.createdAt) return job.createdAt;
  const at = stateAt(job, now, total);
  if (TERMINAL_STATES.has(at.state) || job.plan.kind === 'pinned') return Infinity;
  const end = activeUntil(job);
  const hi = Number.isFinite(end) ? end : now + FAR;
  if (hi <= now) return Infinity;
  return firstTime(now + 1, hi, (t) => {
    const s = stateAt(job, t, total);
    return s.exportedCollections > at.exportedCollections || s.state !== at.state;
  });
}
