/**
 * A snapshot's status is derived when read from its plan and the clock, like an export job's state: no timer
 * moves it. A timed plan counts from when the snapshot was requested (its id's time):
 *
 *   [requested, +queued)                 queued
 *   [+queued, +queued+running)           inProgress   mongodVersion once 10 s have passed since the request,
 *                                                     cloudProvider once it is taken
 *   [+queued+running, …)                 completed (createdAt, storageSizeBytes) or failed; `Never`: inProgress
 *
 * Recorded timing (`recorded-workflow/TestSnapshots/Watch_creation`, `TestExportJobs/Watch_snapshot_creation`):
 * requested 03:26:42, inProgress without mongodVersion at +7 s, with it at +15 s, cloudProvider at 03:28:11
 * after the snapshot was taken at 03:28:08, completed 03:29:21 — taken 73 s before completion in both runs
 * (03:27:08 → 03:28:21 in the other). So: mongodVersion known 10 s after the request [R: between +8 and +15 s],
 * taken 73 s before completion [R], and the default plan 5 s queued + 154 s running = the 2 min 39 s of
 * TestSnapshots [R].
 */
import { objectIdTime } from '../core/objectid.js';
import type { Snapshot, SnapshotStatus, SnapshotTimedPlan } from '../store/model.js';

export const MONGOD_KNOWN_AFTER_MS = 10_000;
export const TAKEN_BEFORE_COMPLETION_MS = 73_000;

export function defaultSnapshotPlan(): SnapshotTimedPlan {
  return { kind: 'timed', queuedMs: 5_000, runningMs: 154_000, outcome: 'completed' };
}

const DAY = 86_400_000;
/** Retention when nothing else says: on-demand 1 day [R]; the frequencies Atlas's default policy keeps [R: TestSchedule]. */
export const DEFAULT_RETENTION_MS: Readonly<Record<string, number>> = { ondemand: DAY, hourly: 7 * DAY, daily: 7 * DAY, weekly: 28 * DAY, monthly: 365 * DAY, yearly: 365 * DAY };

export interface SnapshotState {
  status: SnapshotStatus;
  /** When it was requested: its id's time. */
  requestedAt: number;
  /** When it is (was, will be) taken: `createdAt` once completed. */
  takenAt: number;
  /** When it became completed or failed; undefined while queued or in progress. */
  endedAt?: number;
  /** When it completes or fails (Infinity: never); undefined for a pinned status. */
  endsAt?: number;
  mongodKnown: boolean;
  providerKnown: boolean;
}

export function snapshotStateAt(s: Snapshot, now: number): SnapshotState {
  const requestedAt = objectIdTime(s.id);
  const plan = s.plan;
  if (plan.kind === 'pinned') {
    const takenAt = s.createdAt ?? requestedAt;
    const terminal = plan.status === 'completed' || plan.status === 'failed';
    return {
      status: plan.status,
      requestedAt,
      takenAt,
      ...(terminal && { endedAt: takenAt }),
      mongodKnown: terminal || (plan.status === 'inProgress' && now >= requestedAt + MONGOD_KNOWN_AFTER_MS),
      providerKnown: terminal,
    };
  }
  const startsAt = requestedAt + plan.queuedMs;
  const endsAt = plan.outcome === 'Never' ? Infinity : startsAt + plan.runningMs;
  const takenAt = s.createdAt ?? Math.max(startsAt, endsAt === Infinity ? startsAt : endsAt - TAKEN_BEFORE_COMPLETION_MS);
  if (now < startsAt) return { status: 'queued', requestedAt, takenAt, endsAt, mongodKnown: false, providerKnown: false };
  if (now < endsAt) return { status: 'inProgress', requestedAt, takenAt, endsAt, mongodKnown: now >= requestedAt + MONGOD_KNOWN_AFTER_MS, providerKnown: now >= takenAt };
  return { status: plan.outcome === 'failed' ? 'failed' : 'completed', requestedAt, takenAt, endsAt, endedAt: endsAt, mongodKnown: true, providerKnown: true };
}

/** The status alone (the create-job rule of contract §7 reads the very status a GET shows). */
export function snapshotStatusAt(s: Snapshot, now: number): SnapshotStatus {
  return snapshotStateAt(s, now).status;
}

/**
 * `expiresAt`: a fixed one (fixture, updated retention), else the retention counted from the request while
 * in flight and from completion once done [R: both recordings, +24 h of an on-demand snapshot of 1 day].
 */
export function snapshotExpiresAt(s: Snapshot, st: SnapshotState): number {
  if (s.expiresAt !== undefined) return s.expiresAt;
  return (st.endedAt ?? st.requestedAt) + (s.retentionMs ?? DEFAULT_RETENTION_MS[s.frequencyType] ?? DAY);
}

/**
 * Whether the snapshot is gone at `now`: deleted, or expired once done. A snapshot in flight never expires;
 * a fixture snapshot that gives neither a retention nor an expiry is kept until deleted [I: the dataset a
 * user wrote stays loadable whatever the date].
 */
export function snapshotGone(s: Snapshot, st: SnapshotState, now: number): boolean {
  if (s.deletedAt !== undefined) return true;
  if (st.endedAt === undefined) return false;
  if (s.expiresAt === undefined && s.retentionMs === undefined) return false;
  return now >= snapshotExpiresAt(s, st);
}

export interface SnapshotTimelineEntry {
  status: SnapshotStatus;
  /** When the snapshot enters (entered) the status; undefined for a pinned status. */
  at?: number;
}

/** Each status of the snapshot with when it was or will be entered (control API `…/timeline`). */
export function snapshotTimeline(s: Snapshot): SnapshotTimelineEntry[] {
  const plan = s.plan;
  if (plan.kind === 'pinned') return [{ status: plan.status }];
  const requestedAt = objectIdTime(s.id);
  const entries: SnapshotTimelineEntry[] = [
    { status: 'queued', at: requestedAt },
    { status: 'inProgress', at: requestedAt + plan.queuedMs },
  ];
  if (plan.outcome !== 'Never') entries.push({ status: plan.outcome, at: requestedAt + plan.queuedMs + plan.runningMs });
  return entries;
}
