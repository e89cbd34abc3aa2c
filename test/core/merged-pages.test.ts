/**
 * One page of a list merged from a derived sequence of times and stored items (src/core/merged-pages.ts),
 * against the whole list built and sorted by hand: every page, both orders, with removed times and ties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergedPage, type Keyed, type TimeSource } from '../../src/core/merged-pages.js';

function arraySource(times: readonly number[]): TimeSource {
  const asc = [...times].sort((a, b) => a - b);
  return {
    count: (a, b) => asc.filter((t) => t >= a && t <= b).length,
    times: function* (from, desc) {
      if (desc) for (let i = asc.length - 1; i >= 0; i--) { if (asc[i]! <= from) yield asc[i]!; }
      else for (const t of asc) if (t >= from) yield t;
    },
  };
}

const derivedId = (t: number) => `d${String(t).padStart(12, '0')}`;

describe('mergedPage', () => {
  it('pages exactly like the whole merged list, sorted by time then id, in both orders', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 60 }),
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 400 }), n: fc.nat(9) }), { maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 1, max: 13 }),
        fc.boolean(),
        (seconds, storedSpec, removeSeed, size, desc) => {
          const derived = seconds.map((s) => s * 1000);
          const removed = new Set(derived.filter((_, i) => (removeSeed >> (i % 30)) & 1 && i % 3 === 0));
          const stored: Keyed<string>[] = storedSpec.map((x, i) => ({ time: x.t * 1000, id: `s${x.n}${i}`, value: `s${x.n}${i}` }));
          const all = [...derived.filter((t) => !removed.has(t)).map((t) => ({ time: t, id: derivedId(t), value: derivedId(t) })), ...stored];
          all.sort((a, b) => (desc ? b.time - a.time || (a.id < b.id ? 1 : -1) : a.time - b.time || (a.id < b.id ? -1 : 1)));
          const spec = { derived: arraySource(derived), derivedId, makeDerived: derivedId, removed, stored, desc };
          for (let start = 0; start <= all.length + 1; start += size) {
            const page = mergedPage(spec, start, size);
            expect(page.total).toBe(all.length);
            expect(page.items).toEqual(all.slice(start, start + size).map((x) => x.value));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
