/**
 * A schedule's epochs: what scheduled snapshots and auto-exports derive from, period by period. A change of
 * the policy items, the reference time, the export policy in force or the prefix flag starts a new epoch at
 * the mock's now; snapshots taken before keep the items (and retention) they were taken under, and export
 * jobs keep the prefix of their time. Nothing is stored per snapshot: an epoch is a handful of fields.
 *
 * Within an epoch, snapshots are taken at its items' times from one minute after it began (Atlas took no
 * snapshot when the recorded cluster's policy was created: the list 13 minutes later held only the
 * on-demand one, `recorded-workflow/TestSnapshots/List`) [R], up to the next epoch or now.
 */
import type { BackupSchedule, Cluster, PolicyItem, ScheduleEpoch } from '../store/model.js';
import type { Store } from '../store/store.js';
import { addRetention, DAY, HOUR, MINUTE } from './calendar.js';
import { defaultSchedule, refOffset } from './defaults.js';
import { isScheduled, nextAt, type Window, type WindowItem } from './grid.js';

/** A scheduled snapshot: requested and taken at its time, completed this long after [I: the 73 s an on-demand one takes to complete once taken, R]. */
export const SCHEDULED_RUN_MS = 73_000;

export function scheduleOf(store: Store, cluster: Cluster): BackupSchedule {
  return store.schedule(cluster.groupId, cluster.name) ?? defaultSchedule(cluster);
}

export const currentEpoch = (s: BackupSchedule): ScheduleEpoch => s.epochs[s.epochs.length - 1]!;

/** Where epoch `i` ends (exclusive). */
export const epochEnd = (s: BackupSchedule, i: number): number => s.epochs[i + 1]?.from ?? Infinity;

export const epochRef = (s: BackupSchedule, e: ScheduleEpoch): number => refOffset(e.referenceHourOfDay, e.referenceMinuteOfHour, s.second);

/** The index of the epoch holding time `t`, or -1. */
export function epochAt(s: BackupSchedule, t: number): number {
  for (let i = s.epochs.length - 1; i >= 0; i--) if (s.epochs[i]!.from <= t) return t < epochEnd(s, i) ? i : -1;
  return -1;
}

/** The first snapshot time of an epoch (inclusive). */
export const epochStart = (e: ScheduleEpoch): number => e.from + MINUTE;

const sameItems = (a: readonly PolicyItem[], b: readonly PolicyItem[]): boolean => JSON.stringify(a) === JSON.stringify(b);

export function sameDerivation(a: ScheduleEpoch, b: Omit<ScheduleEpoch, 'from'>): boolean {
  return (
    a.referenceHourOfDay === b.referenceHourOfDay &&
    a.referenceMinuteOfHour === b.referenceMinuteOfHour &&
    a.namesInPrefix === b.namesInPrefix &&
    sameItems(a.items, b.items) &&
    JSON.stringify(a.autoExport ?? null) === JSON.stringify(b.autoExport ?? null)
  );
}

/**
 * The epochs after a change at `now`: unchanged when the derivation is the same; else a new epoch from now.
 * Epochs that begin after now (the clock was set back) are dropped: they never happened.
 */
export function epochsAfterChange(s: BackupSchedule, now: number, next: Omit<ScheduleEpoch, 'from'>): ScheduleEpoch[] {
  const kept = s.epochs.filter((e, i) => i === 0 || e.from <= now);
  const last = kept[kept.length - 1]!;
  if (sameDerivation(last, next)) return kept;
  if (last.from >= now) return [...kept.slice(0, -1), { ...next, from: last.from }];
  return [...kept, { ...next, from: now }];
}

/**
 * First time from which the item's snapshots are still kept at `now`: snapshot t expires at
 * t + run + retention. Days and weeks: arithmetic; months and years: the first of the item's times around
 * the calendar boundary whose expiry is after now (clamped month ends make it no plain subtraction).
 */
export function keptFrom(item: PolicyItem, ref: number, now: number, run = SCHEDULED_RUN_MS): number {
  if (item.retentionUnit === 'days' || item.retentionUnit === 'weeks') return now - run - addRetention(0, item.retentionUnit, item.retentionValue) + 1;
  const kept = (t: number) => addRetention(t + run, item.retentionUnit, item.retentionValue) > now;
  const around = addRetention(now, item.retentionUnit, -item.retentionValue) - run;
  if (item.frequencyType === 'hourly') {
    // The item's times around the boundary are an arithmetic sequence: a binary search over it.
    const period = item.frequencyInterval * HOUR;
    const first = nextAt(item, ref, around - 4 * DAY);
    let lo = 0;
    let hi = Math.floor((8 * DAY) / period);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept(first + mid * period)) hi = mid;
      else lo = mid + 1;
    }
    return first + lo * period;
  }
  for (let t = nextAt(item, ref, around - 4 * DAY); t <= around + 4 * DAY; t = nextAt(item, ref, t + 1)) if (kept(t)) return t;
  return around + 4 * DAY;
}

/** The last windows computed per schedule object: requests at the same mock time (a manual clock) reuse them. */
const lastWindows = new WeakMap<BackupSchedule, { now: number; windows: readonly { epoch: number; window: Window }[] }>();

/** The windows of the schedule's scheduled snapshots still kept at `now`, newest epoch first. */
export function snapshotWindows(s: BackupSchedule, now: number): readonly { epoch: number; window: Window }[] {
  const hit = lastWindows.get(s);
  if (hit && hit.now === now) return hit.windows;
  const windows = computeSnapshotWindows(s, now);
  lastWindows.set(s, { now, windows });
  return windows;
}

function computeSnapshotWindows(s: BackupSchedule, now: number): { epoch: number; window: Window }[] {
  const out: { epoch: number; window: Window }[] = [];
  for (let i = s.epochs.length - 1; i >= 0; i--) {
    const e = s.epochs[i]!;
    if (e.from > now) continue;
    const ref = epochRef(s, e);
    const items: WindowItem[] = e.items.filter(isScheduled).map((item) => ({ item, lo: Math.max(epochStart(e), keptFrom(item, ref, now)) }));
    if (items.length > 0) out.push({ epoch: i, window: { ref, items, hi: Math.min(epochEnd(s, i) - 1, now) } });
  }
  return out;
}

/**
 * The windows of the scheduled snapshots auto-exported by `now` (their jobs are created when they complete,
 * `SCHEDULED_RUN_MS` after they were taken), oldest epoch first. A snapshot is exported when one of its items
 * has the export policy's frequency [D: "How Atlas Exports Snapshots"].
 */
export function exportWindows(s: BackupSchedule, now: number): { epoch: number; window: Window }[] {
  const out: { epoch: number; window: Window }[] = [];
  s.epochs.forEach((e, i) => {
    if (!e.autoExport || e.from > now) return;
    const items = e.items.filter((it) => isScheduled(it) && it.frequencyType === e.autoExport!.frequencyType).map((item) => ({ item, lo: epochStart(e) }));
    if (items.length > 0) out.push({ epoch: i, window: { ref: epochRef(s, e), items, hi: Math.min(epochEnd(s, i) - 1, now - SCHEDULED_RUN_MS) } });
  });
  return out;
}

/** Whether any epoch of the schedule auto-exports (else a cluster's export-job list is its stored jobs only). */
export const everExports = (s: BackupSchedule): boolean => s.epochs.some((e) => e.autoExport !== undefined);
