/**
 * One page of a list whose items come from a derived sequence of times (scheduled snapshots, auto-export
 * jobs: counted and walked without materializing them) and from a few stored items (snapshots taken on
 * demand, export jobs created by clients, derived items a client changed), merged in time order.
 *
 * Order: by time, then id (descending: newest first; ascending: oldest first). Items of the derived sequence
 * that a stored item replaces are `removed` (times that must be members of the sequence). Page 1 walks from
 * the newest (or oldest) end; a later page finds the time of its first item by a binary search on the counts
 * (about 32 counts of a few arithmetic steps each), so its cost does not grow with the list's length.
 */

export interface TimeSource {
  /** How many times the source holds in [a, b]. */
  count(a: number, b: number): number;
  /** Its times from `from` on (≥ from ascending, ≤ from descending). */
  times(from: number, desc: boolean): Iterator<number>;
}

export interface Keyed<T> {
  time: number;
  id: string;
  value: T;
}

export interface MergeSpec<T> {
  derived: TimeSource;
  derivedId(time: number): string;
  makeDerived(time: number): T;
  /** Derived times not to list (a stored item stands for them, or they are gone). */
  removed: ReadonlySet<number>;
  stored: readonly Keyed<T>[];
  desc: boolean;
}

export function mergedTotal<T>(spec: MergeSpec<T>): number {
  return spec.derived.count(-Infinity, Infinity) - spec.removed.size + spec.stored.length;
}

/** How many items lie at `t` or before it in the list's order (time ≥ t descending, ≤ t ascending). */
function reachedBy<T>(spec: MergeSpec<T>, stored: readonly Keyed<T>[], removed: readonly number[], t: number): number {
  const inRange = (x: number) => (spec.desc ? x >= t : x <= t);
  let n = spec.desc ? spec.derived.count(t, Infinity) : spec.derived.count(-Infinity, t);
  for (const x of removed) if (inRange(x)) n--;
  // `stored` is in list order: the items in range are a prefix of it (binary search).
  let lo = 0;
  let hi = stored.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inRange(stored[mid]!.time)) lo = mid + 1;
    else hi = mid;
  }
  return n + lo;
}

export function mergedPage<T>(spec: MergeSpec<T>, start: number, size: number): { total: number; items: T[] } {
  const total = mergedTotal(spec);
  if (start >= total || size <= 0) return { total, items: [] };
  const { desc } = spec;
  const cmp = (a: { time: number; id: string }, b: { time: number; id: string }) => (desc ? b.time - a.time || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0) : a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const stored = [...spec.stored].sort(cmp);
  const removed = [...spec.removed];

  // The time of the item at rank `start`: page 1 starts at the end; later pages search for it (seconds).
  let from = desc ? Infinity : -Infinity;
  let skip = start;
  if (start > 0) {
    const edge = (d: boolean) => {
      const first = spec.derived.times(d ? Infinity : -Infinity, d).next();
      const ends = [...(first.done ? [] : [first.value]), ...stored.map((s) => s.time)];
      return d ? Math.max(...ends) : Math.min(...ends);
    };
    // Over the seconds from the earliest item to the latest.
    let lo = Math.floor(edge(false) / 1000);
    let hi = Math.ceil(edge(true) / 1000);
    // Descending: the largest second t with reachedBy(t) ≥ start + 1; ascending: the smallest.
    while (lo < hi) {
      const mid = desc ? Math.ceil((lo + hi) / 2) : Math.floor((lo + hi) / 2);
      const enough = reachedBy(spec, stored, removed, mid * 1000) >= start + 1;
      if (desc) {
        if (enough) lo = mid;
        else hi = mid - 1;
      } else if (enough) hi = mid;
      else lo = mid + 1;
    }
    const t = lo * 1000;
    from = t;
    // Items strictly before t in the list's order are not walked: skip the rest of the rank inside t.
    skip = start - (desc ? reachedBy(spec, stored, removed, t + 1000) : reachedBy(spec, stored, removed, t - 1000));
  }

  const items: T[] = [];
  const it = spec.derived.times(from, desc);
  let next = it.next();
  let j = stored.findIndex((s) => (desc ? s.time <= from : s.time >= from));
  if (j < 0) j = stored.length;
  // Whether the derived item at `t` comes before the stored one: its id (a string built from the time) is
  // only needed when the two times tie.
  const derivedFirst = (t: number, s: Keyed<T>) => (t !== s.time ? (desc ? t > s.time : t < s.time) : cmp({ time: t, id: spec.derivedId(t) }, s) <= 0);
  while (items.length < size) {
    while (!next.done && spec.removed.has(next.value)) next = it.next();
    const d = next.done ? undefined : next.value;
    const s = stored[j];
    if (d === undefined && !s) break;
    if (d !== undefined && (!s || derivedFirst(d, s))) {
      next = it.next();
      if (skip > 0) skip--;
      else items.push(spec.makeDerived(d));
    } else {
      j++;
      if (skip > 0) skip--;
      else items.push(s!.value);
    }
  }
  return { total, items };
}
