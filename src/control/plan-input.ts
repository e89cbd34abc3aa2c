/**
 * Plans as the control API reads them, turned into the store's JobPlan (shown back in the fixture format,
 * `fixtureOfPlan` in src/fixtures/apply.ts, the same mapping as the state file's):
 * - `plan` (timed, from the job's creation): missing `queued` / `running` / `outcome` take the current
 *   default plan's values [I], so `{"outcome": "Failed"}` keeps the configured timing;
 * - `pin` (one state whatever the clock): a terminal pin set through the control API without `finishedAt`
 *   finished at the mock's now [I];
 * - `finish` (one job only): the job keeps what it has done so far and ends `after` from now.
 */
import { parseDuration } from '../core/dates.js';
import { planOf } from '../fixtures/apply.js';
import type { z } from 'zod';
import type { pinFixture } from '../fixtures/schema.js';
import { TERMINAL_STATES, type ExportJob, type PinnedPlan, type Snapshot, type SnapshotOutcome, type SnapshotPlan, type SnapshotStatus, type SnapshotTimedPlan, type TimedPlan } from '../store/model.js';
import { objectIdTime } from '../core/objectid.js';
import type { TimedPlanInput } from './schemas.js';

type PinFixture = z.output<typeof pinFixture>;

export function timedPlan(input: TimedPlanInput, base: TimedPlan): TimedPlan {
  const plan: TimedPlan = {
    kind: 'timed',
    queuedMs: input.queued !== undefined ? parseDuration(input.queued) : base.queuedMs,
    runningMs: input.running !== undefined ? parseDuration(input.running) : base.runningMs,
    outcome: input.outcome ?? base.outcome,
  };
  const reason = input.stateReason ?? (input.outcome === undefined ? base.stateReason : undefined);
  if (reason) plan.stateReason = reason;
  return plan;
}

export function pinnedPlan(pin: PinFixture, now: number): PinnedPlan {
  const plan = planOf({ pin }, undefined as never) as PinnedPlan;
  if (TERMINAL_STATES.has(plan.state) && plan.finishedAt === undefined) plan.finishedAt = Math.floor(now / 1000) * 1000;
  return plan;
}

/** A timed plan that keeps the job's past and ends it `afterMs` from `now` with `outcome`. */
export function finishPlan(job: ExportJob, input: { outcome: 'Successful' | 'Failed' | 'Cancelled'; after: number | string; stateReason?: { errorCode: string; message: string } | undefined }, now: number): TimedPlan {
  const elapsed = Math.max(0, now - job.createdAt);
  const queuedBefore = job.plan.kind === 'timed' ? job.plan.queuedMs : job.plan.state === 'Queued' ? Infinity : 0;
  const queuedMs = Math.min(queuedBefore, elapsed);
  const runningMs = Math.max(0, elapsed + parseDuration(input.after) - queuedMs);
  return { kind: 'timed', queuedMs, runningMs, outcome: input.outcome, ...(input.stateReason && { stateReason: input.stateReason }) };
}

/** A plan as the control API shows it: the fixture format. */
export type { PlanFixture as PlanView } from '../fixtures/apply.js';
// ---- snapshots: the same three forms (plan, pin, finish) with snapshot statuses ------------------------------

export interface SnapshotTimedPlanInput {
  queued?: number | string | undefined;
  running?: number | string | undefined;
  outcome?: SnapshotOutcome | undefined;
}

/** A timed snapshot plan; missing fields take the current default snapshot plan's values [I]. */
export function snapshotTimedPlan(input: SnapshotTimedPlanInput, base: SnapshotTimedPlan): SnapshotTimedPlan {
  return {
    kind: 'timed',
    queuedMs: input.queued !== undefined ? parseDuration(input.queued) : base.queuedMs,
    runningMs: input.running !== undefined ? parseDuration(input.running) : base.runningMs,
    outcome: input.outcome ?? base.outcome,
  };
}

/** A timed plan that keeps the snapshot's past and ends it `afterMs` from `now` with `outcome`. */
export function snapshotFinishPlan(s: Snapshot, input: { outcome: 'completed' | 'failed'; after: number | string }, now: number): SnapshotTimedPlan {
  const elapsed = Math.max(0, now - objectIdTime(s.id));
  const queuedBefore = s.plan.kind === 'timed' ? s.plan.queuedMs : s.plan.status === 'queued' ? Infinity : 0;
  const queuedMs = Math.min(queuedBefore, elapsed);
  return { kind: 'timed', queuedMs, runningMs: Math.max(0, elapsed + parseDuration(input.after) - queuedMs), outcome: input.outcome };
}

export interface SnapshotPlanView {
  plan?: { queued: number; running: number; outcome: SnapshotOutcome };
  pin?: { status: SnapshotStatus };
}

export function snapshotPlanView(p: SnapshotPlan): SnapshotPlanView {
  return p.kind === 'timed' ? { plan: { queued: p.queuedMs, running: p.runningMs, outcome: p.outcome } } : { pin: { status: p.status } };
}
