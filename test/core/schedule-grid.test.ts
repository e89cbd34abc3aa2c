/**
 * The arithmetic of scheduled snapshot times (src/schedules/grid.ts) against a brute force that checks every
 * minute of the range: counts, and the times listed in both directions after any skip.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE, dayStart } from '../../src/schedules/calendar.js';
import { countWindow, itemAt, nextAt, windowTimes, type Window } from '../../src/schedules/grid.js';
import { refOffset } from '../../src/schedules/defaults.js';

const T0 = Date.UTC(2026, 0, 27); // a Tuesday, near a month end

const itemArb = fc.oneof(
  fc.record({ frequencyType: fc.constant('hourly' as const), frequencyInterval: fc.constantFrom(1, 2, 4, 6, 8, 12) }),
  fc.record({ frequencyType: fc.constant('daily' as const), frequencyInterval: fc.constant(1) }),
  fc.record({ frequencyType: fc.constant('weekly' as const), frequencyInterval: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ frequencyType: fc.constant('monthly' as const), frequencyInterval: fc.constantFrom(1, 2, 15, 28, 40) }),
  fc.record({ frequencyType: fc.constant('yearly' as const), frequencyInterval: fc.integer({ min: 1, max: 12 }) }),
);

const windowArb = fc
  .record({
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    items: fc.array(fc.record({ item: itemArb, loDays: fc.integer({ min: 0, max: 35 }), loMinutes: fc.integer({ min: 0, max: 1439 }) }), { minLength: 1, maxLength: 4 }),
    hiDays: fc.integer({ min: 0, max: 40 }),
    hiMinutes: fc.integer({ min: 0, max: 1439 }),
  })
  .map(
    (r): Window => ({
      ref: refOffset(r.hour, r.minute, r.second),
      items: r.items.map((x) => ({ item: x.item, lo: T0 + x.loDays * DAY + x.loMinutes * MINUTE })),
      hi: T0 + r.hiDays * DAY + r.hiMinutes * MINUTE,
    }),
  );

/** Every time of the window, by checking each minute (at the schedule's second) from T0 to hi. */
function brute(w: Window): number[] {
  const out: number[] = [];
  const second = w.ref % MINUTE;
  for (let t = T0 - DAY + second; t <= w.hi; t += MINUTE) if (w.items.some((x) => t >= x.lo && itemAt(x.item, w.ref, t))) out.push(t);
  return out;
}

describe('scheduled snapshot times', () => {
  it('count and list like a minute-by-minute brute force, in both directions, after any skip', () => {
    fc.assert(
      fc.property(windowArb, fc.nat(200), fc.integer({ min: -3, max: 42 }), fc.integer({ min: -3, max: 42 }), (w, skip, aDays, bDays) => {
        const all = brute(w);
        expect(countWindow(w)).toBe(all.length);
        const a = T0 + aDays * DAY + 7 * MINUTE;
        const b = T0 + bDays * DAY + 11 * MINUTE;
        const ranged = all.filter((t) => t >= a && t <= b);
        expect(countWindow(w, a, b)).toBe(ranged.length);
        const asc = [...windowTimes(w, a, b, false, skip)];
        expect(asc).toEqual(ranged.slice(skip));
        const desc = [...windowTimes(w, a, b, true, skip)];
        expect(desc).toEqual([...ranged].reverse().slice(skip));
      }),
      { numRuns: 60 },
    );
  });

  it('nextAt finds the next time of an item', () => {
    fc.assert(
      fc.property(itemArb, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 60 * 24 * 40 }), (item, h, m, minutes) => {
        const ref = refOffset(h, m, 7);
        const x = T0 + minutes * MINUTE;
        const t = nextAt(item, ref, x);
        expect(t).toBeGreaterThanOrEqual(x);
        expect(itemAt(item, ref, t)).toBe(true);
        // No earlier time of the item: every candidate (each minute for hourly items, each day's reference time otherwise).
        const step = item.frequencyType === 'hourly' ? MINUTE : DAY;
        const first = item.frequencyType === 'hourly' ? x - (x % MINUTE) + (ref % MINUTE) : dayStart(x) + ref;
        for (let u = first - step; u < t; u += step) if (u >= x) expect(itemAt(item, ref, u)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('an empty range (a after b) holds no time, in both directions, and is counted as none', () => {
    // Found by the property above: a segment that straddles both ends was clipped to end before it began,
    // and listing its days never reached the last one.
    const w: Window = {
      ref: refOffset(2, 0, 31),
      items: [{ item: { frequencyType: 'hourly', frequencyInterval: 8 }, lo: T0 + 2 * DAY }],
      hi: T0 + 20 * DAY,
    };
    const a = T0 + 12 * DAY + 7 * MINUTE;
    const b = T0 + 5 * DAY + 11 * MINUTE;
    expect(countWindow(w, a, b)).toBe(0);
    expect([...windowTimes(w, a, b, false, 0)]).toEqual([]);
    expect([...windowTimes(w, a, b, true, 3)]).toEqual([]);
  });

  it('counts a year of hourly snapshots by arithmetic', () => {
    const w: Window = { ref: refOffset(3, 16, 7), items: [{ item: { frequencyType: 'hourly', frequencyInterval: 1 }, lo: T0 }], hi: T0 + 365 * DAY };
    expect(countWindow(w)).toBe(365 * 24);
    const tail = [...windowTimes(w, -Infinity, Infinity, true, 365 * 24 - 2)];
    expect(tail).toEqual([dayStart(T0) + refOffset(1, 16, 7), dayStart(T0) + refOffset(0, 16, 7)]);
  });
});
