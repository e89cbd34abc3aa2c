/**
 * The times a backup policy takes snapshots at, counted and listed without materializing them: a year of
 * hourly snapshots costs a few arithmetic steps per policy item, not 8 760 objects.
 *
 * Every item takes its snapshots at the schedule's reference time of day (hour, minute, and the second of the
 * schedule, `BackupSchedule.second`) [R: TestSchedule, reference 03:16, next snapshot 09:16:07]:
 * - hourly, every n hours (n divides 24): the times ≡ reference (mod n h), every day;
 * - daily: the reference time each day; weekly: on ISO weekday n (1 Monday … 7 Sunday); monthly: on day n of
 *   the month, or its last day for 40; yearly: on the first day of month n [D: Terraform provider docs,
 *   cloud_backup_schedule; Atlas CLI docs].
 * A time that several items share is one snapshot (the export docs' example: a weekly and a monthly
 * snapshot on the same day are one snapshot "treated as" both) [D].
 *
 * A `Window` is a set of items, each restricted to times in [lo, hi] (its own lo: retention; one hi: now, or
 * the end of a schedule epoch). The union of their times is counted by segments between the items' lo:
 * inside a segment the active items are fixed, their union is periodic by day — hourly offsets of the day
 * (which always include the reference time, so day-level items add nothing), or, with no hourly item, one
 * time on the days a day-level item matches.
 */
import type { PolicyItem } from '../store/model.js';
import { civil, DAY, daysInMonth, HOUR, dayStart, isoWeekday, mod } from './calendar.js';

/** Items that take snapshots (an `ondemand` policy item takes none). */
export const SCHEDULED_FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

/** Allowed `frequencyInterval` per frequency [D: Terraform provider docs; the CLI's checks]. */
export const VALID_INTERVALS: Readonly<Record<string, readonly number[]>> = {
  hourly: [1, 2, 4, 6, 8, 12],
  daily: [1],
  weekly: [1, 2, 3, 4, 5, 6, 7],
  monthly: [...Array.from({ length: 28 }, (_, i) => i + 1), 40],
  yearly: Array.from({ length: 12 }, (_, i) => i + 1),
};

export const isScheduled = (item: Pick<PolicyItem, 'frequencyType'>): boolean => (SCHEDULED_FREQUENCIES as readonly string[]).includes(item.frequencyType);

/** Whether a day-level item (daily … yearly) takes a snapshot on the day starting at `day`. */
export function matchesDay(item: Pick<PolicyItem, 'frequencyType' | 'frequencyInterval'>, day: number): boolean {
  const n = item.frequencyInterval;
  switch (item.frequencyType) {
    case 'daily':
      return true;
    case 'weekly':
      return isoWeekday(day) === n;
    case 'monthly': {
      const c = civil(day);
      return n === 40 ? c % 100 === daysInMonth(Math.floor(c / 10_000), Math.floor(c / 100) % 100) : c % 100 === n;
    }
    case 'yearly': {
      const c = civil(day);
      return c % 100 === 1 && Math.floor(c / 100) % 100 === n;
    }
    default:
      return false;
  }
}

/** The first day (its start) at or after `day` on which a day-level item takes a snapshot, by calendar arithmetic. */
function nextDay(item: Pick<PolicyItem, 'frequencyType' | 'frequencyInterval'>, day: number): number {
  const n = item.frequencyInterval;
  switch (item.frequencyType) {
    case 'daily':
      return day;
    case 'weekly':
      return day + mod(n - isoWeekday(day), 7) * DAY;
    case 'monthly':
    case 'yearly': {
      const c = civil(day);
      let y = Math.floor(c / 10_000);
      let m = Math.floor(c / 100) % 100;
      const d = c % 100;
      const target = (yy: number, mm: number) => (item.frequencyType === 'yearly' ? 1 : n === 40 ? daysInMonth(yy, mm) : n);
      if (item.frequencyType === 'yearly') {
        if (m > n || (m === n && d > 1)) y++;
        m = n;
      } else if (d > target(y, m)) {
        m++;
        if (m > 12) {
          m = 1;
          y++;
        }
      }
      return Date.UTC(y, m - 1, target(y, m));
    }
    default:
      return Infinity;
  }
}

/** Whether the item takes a snapshot at `t`, `ref` being the reference time's offset in the day (ms). */
export function itemAt(item: Pick<PolicyItem, 'frequencyType' | 'frequencyInterval'>, ref: number, t: number): boolean {
  if (item.frequencyType === 'hourly') return mod(t - ref, item.frequencyInterval * HOUR) === 0;
  if (!isScheduled(item)) return false;
  const day = dayStart(t);
  return t - day === ref && matchesDay(item, day);
}

/** The first time ≥ x at which the item takes a snapshot. */
export function nextAt(item: Pick<PolicyItem, 'frequencyType' | 'frequencyInterval'>, ref: number, x: number): number {
  if (item.frequencyType === 'hourly') return x + mod(ref - x, item.frequencyInterval * HOUR);
  if (!isScheduled(item)) return Infinity;
  const first = dayStart(x - ref);
  const day = nextDay(item, first + ref >= x ? first : first + DAY);
  return day === Infinity ? Infinity : day + ref;
}

export interface WindowItem {
  item: Pick<PolicyItem, 'frequencyType' | 'frequencyInterval'>;
  /** First time the item counts from (inclusive). */
  lo: number;
}

/** Items, each restricted to [lo, hi], around one reference time of day. */
export interface Window {
  ref: number;
  items: readonly WindowItem[];
  hi: number;
}

interface Segment {
  from: number;
  to: number;
  /** Offsets in the day of the union of the active hourly items, ascending; empty: day-level items only. */
  offsets: readonly number[];
  days: readonly WindowItem['item'][];
}

const offsetsMemo = new Map<string, readonly number[]>();

function hourlyOffsets(ref: number, intervals: readonly number[]): readonly number[] {
  const key = `${ref}:${intervals.join(',')}`;
  let out = offsetsMemo.get(key);
  if (!out) {
    const set = new Set<number>();
    for (const n of intervals) for (let o = mod(ref, n * HOUR); o < DAY; o += n * HOUR) set.add(o);
    out = [...set].sort((a, b) => a - b);
    if (offsetsMemo.size < 10_000) offsetsMemo.set(key, out);
  }
  return out;
}

/** The window cut into segments of fixed active items (computed once per window object). */
const segmentsMemo = new WeakMap<Window, readonly Segment[]>();

function allSegments(w: Window): readonly Segment[] {
  let out = segmentsMemo.get(w);
  if (out) return out;
  const hi = w.hi;
  const live = w.items.filter((x) => isScheduled(x.item) && x.lo <= hi);
  if (live.length === 0) out = [];
  else {
    const cuts = [...new Set(live.map((x) => x.lo))].sort((x, y) => x - y);
    out = cuts.map((from, i) => {
      const active = live.filter((x) => x.lo <= from).map((x) => x.item);
      const hourly = active.filter((it) => it.frequencyType === 'hourly').map((it) => it.frequencyInterval);
      return {
        from,
        to: i + 1 < cuts.length ? cuts[i + 1]! - 1 : hi,
        offsets: hourly.length > 0 ? hourlyOffsets(w.ref, hourly) : [],
        days: hourly.length > 0 ? [] : active,
      };
    });
  }
  segmentsMemo.set(w, out);
  return out;
}

/**
 * Whether the segment has a moment in [a, b]. An empty range (a > b) has none: clipped to it, a segment would
 * end before it begins, and listing its days would never reach the last one.
 */
const meets = (s: Segment, a: number, b: number): boolean => Math.max(s.from, a) <= Math.min(s.to, b);

/** The window's segments within [a, b] (clipped). */
function segments(w: Window, a: number, b: number): Segment[] {
  const out: Segment[] = [];
  for (const s of allSegments(w)) {
    if (!meets(s, a, b)) continue;
    out.push(s.from >= a && s.to <= b ? s : { ...s, from: Math.max(s.from, a), to: Math.min(s.to, b) });
  }
  return out;
}

/** How many k give a ≤ k·DAY + offset ≤ b. */
function countAt(a: number, b: number, offset: number): number {
  const n = Math.floor((b - offset) / DAY) - Math.ceil((a - offset) / DAY) + 1;
  return n > 0 ? n : 0;
}

function dayMatches(days: readonly WindowItem['item'][], day: number): boolean {
  for (const it of days) if (matchesDay(it, day)) return true;
  return false;
}

/** How many of the ascending `offsets` lie in [lo, hi]. */
function offsetsIn(offsets: readonly number[], lo: number, hi: number): number {
  let n = 0;
  for (const o of offsets) if (o >= lo && o <= hi) n++;
  return n;
}

function segmentCount(s: Segment, ref: number): number {
  if (s.offsets.length > 0) {
    if (s.from > s.to) return 0;
    // The first and last day by their offsets, the whole days between at every offset (the page search
    // counts some 60 ranges a page).
    const first = dayStart(s.from);
    const last = dayStart(s.to);
    if (first === last) return offsetsIn(s.offsets, s.from - first, s.to - first);
    return offsetsIn(s.offsets, s.from - first, DAY) + ((last - first) / DAY - 1) * s.offsets.length + offsetsIn(s.offsets, 0, s.to - last);
  }
  if (s.days.some((it) => it.frequencyType === 'daily')) return countAt(s.from, s.to, ref);
  let n = 0;
  for (let day = dayStart(s.from - ref); day + ref <= s.to; day += DAY) if (day + ref >= s.from && dayMatches(s.days, day)) n++;
  return n;
}

const fullCounts = new WeakMap<Segment, number>();

/** How many distinct snapshot times the window holds in [a, b]. */
export function countWindow(w: Window, a = -Infinity, b = Infinity): number {
  let n = 0;
  for (const s of allSegments(w)) {
    if (!meets(s, a, b)) continue;
    if (s.from >= a && s.to <= b) {
      let c = fullCounts.get(s);
      if (c === undefined) fullCounts.set(s, (c = segmentCount(s, w.ref)));
      n += c;
    } else n += segmentCount({ ...s, from: Math.max(s.from, a), to: Math.min(s.to, b) }, w.ref);
  }
  return n;
}

/** Pushes the segment's times, ascending or descending, after skipping `skip` of them, onto `out` until it holds `max`. */
function fillSegment(s: Segment, ref: number, desc: boolean, skip: number, out: number[], max: number): void {
  if (s.offsets.length > 0) {
    const per = s.offsets.length;
    const offs = desc ? [...s.offsets].reverse() : s.offsets;
    const first = dayStart(desc ? s.to : s.from);
    const last = dayStart(desc ? s.from : s.to);
    const step = desc ? -DAY : DAY;
    let day = first;
    // Whole days in between hold `per` times each: jump over them.
    const inner = (d: number) => (desc ? d > last : d < last);
    const partial = (d: number) => d === first || d === last;
    while (true) {
      if (skip >= per && !partial(day) && inner(day)) {
        const whole = Math.min(Math.floor(skip / per), Math.abs(last - day) / DAY - 1);
        if (whole > 0) {
          day += whole * step;
          skip -= whole * per;
          continue;
        }
      }
      for (const o of offs) {
        const t = day + o;
        if (t < s.from || t > s.to) continue;
        if (skip > 0) skip--;
        else if (out.push(t) >= max) return;
      }
      if (day === last) return;
      day += step;
    }
  }
  const daily = s.days.some((it) => it.frequencyType === 'daily');
  const step = desc ? -DAY : DAY;
  const end = dayStart((desc ? s.from : s.to) - ref);
  for (let day = dayStart((desc ? s.to : s.from) - ref); desc ? day >= end : day <= end; day += step) {
    const t = day + ref;
    if (t < s.from || t > s.to) continue;
    if (!daily && !dayMatches(s.days, day)) continue;
    if (daily && skip > 0) {
      // A daily item: one time a day, jump.
      const room = Math.floor(Math.abs(end - day) / DAY);
      const jump = Math.min(skip, room);
      if (jump > 0) {
        day += (jump - 1) * step;
        skip -= jump;
        continue;
      }
    }
    if (skip > 0) skip--;
    else if (out.push(t) >= max) return;
  }
}

/** Pushes the window's times in [a, b] (ascending or descending, after skipping `skip`) onto `out` until it holds `max`. */
function fillWindow(w: Window, a: number, b: number, desc: boolean, skip: number, out: number[], max: number): void {
  const segs = segments(w, a, b);
  if (desc) segs.reverse();
  for (const s of segs) {
    if (out.length >= max) return;
    if (skip > 0) {
      const n = countWindow(w, s.from, s.to);
      if (skip >= n) {
        skip -= n;
        continue;
      }
    }
    fillSegment(s, w.ref, desc, skip, out, max);
    skip = 0;
  }
}

/**
 * The times of windows, one window after the other, in [a, b], read in chunks that double from 16: a page
 * of 100 costs a few array fills rather than a generator step per time and level. Each chunk resumes by
 * skipping the times already read, which jumps over whole segments and days.
 */
class WindowsTimes implements IterableIterator<number> {
  private buf: number[] = [];
  private i = 0;
  private w = 0;
  private chunk = 16;

  constructor(
    private readonly windows: readonly Window[],
    private readonly a: number,
    private readonly b: number,
    private readonly desc: boolean,
    /** Times of window `w` read (or skipped) so far. */
    private read: number,
  ) {}

  next(): IteratorResult<number> {
    while (this.i >= this.buf.length) {
      const w = this.windows[this.w];
      if (w === undefined) return { done: true, value: undefined };
      const out: number[] = [];
      fillWindow(w, this.a, this.b, this.desc, this.read, out, this.chunk);
      this.read += out.length;
      if (out.length < this.chunk) {
        this.w++;
        this.read = 0;
      }
      this.buf = out;
      this.i = 0;
      this.chunk = Math.min(this.chunk * 2, 1024);
    }
    return { done: false, value: this.buf[this.i++]! };
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this;
  }
}

/**
 * The window's times in [a, b], ascending (or descending), after skipping `skip` of them: the skip jumps
 * over whole segments and whole days, so page 90 of a year of hourly snapshots costs what page 1 costs.
 */
export function windowTimes(w: Window, a: number, b: number, desc: boolean, skip = 0): IterableIterator<number> {
  return new WindowsTimes([w], a, b, desc, skip);
}

/** Whether `t` is one of the window's times. */
export function inWindow(w: Window, t: number): boolean {
  if (t > w.hi) return false;
  for (const x of w.items) if (t >= x.lo && itemAt(x.item, w.ref, t)) return true;
  return false;
}

/** Windows over disjoint time ranges as one source of times (`core/merged-pages.ts`). */
export function windowsSource(windows: readonly Window[]): { count(a: number, b: number): number; times(from: number, desc: boolean): Iterator<number> } {
  const byTime = [...windows].sort((x, y) => x.hi - y.hi);
  return {
    count: (a, b) => {
      let n = 0;
      for (const w of byTime) n += countWindow(w, a, b);
      return n;
    },
    times: (from, desc) => (desc ? new WindowsTimes([...byTime].reverse(), -Infinity, from, true, 0) : new WindowsTimes(byTime, from, Infinity, false, 0)),
  };
}
