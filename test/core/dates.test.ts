/**
 * The date formatters compute calendar fields with integer arithmetic instead of going through Date.
 * They must write exactly what the Date-based definitions write, for every instant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoSeconds, prefixDate } from '../../src/core/dates.js';

/** The definitions the fast formatters replace, verbatim. */
const viaDate = {
  isoSeconds: (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
  prefixDate: (ms: number) => {
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, 13)}${iso.slice(14, 16)}`;
  },
};

const same = (ms: number) => {
  expect(isoSeconds(ms)).toBe(viaDate.isoSeconds(ms));
  expect(prefixDate(ms)).toBe(viaDate.prefixDate(ms));
};

describe('isoSeconds and prefixDate', () => {
  it('match the Date-based formats on calendar edges', () => {
    const edges = [
      0, -1, 1, 999, 1000, -999, -1000, -1001, -60_000.5, -59_999.5, 0.5, -0.5,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28, 23, 59, 59), Date.UTC(2100, 2, 1), Date.UTC(2000, 1, 29),
      Date.UTC(1900, 1, 28, 12), Date.UTC(1600, 1, 29), Date.UTC(1969, 11, 31, 23, 59, 59), Date.UTC(1970, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1),
      // 0000-01-01T00:00:00Z and the instant before it, 9999-12-31T23:59:59.999Z and the one after, the ends of Date.
      -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15,
      new Date(0).setUTCFullYear(999, 5, 15), new Date(0).setUTCFullYear(12, 1, 29), 1716560065000, 1716560935000,
    ];
    for (const ms of edges) same(ms);
  });

  it('match the Date-based formats for any instant from year -271821 to +275760', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        same(ms);
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }), (ms) => {
        same(ms);
      }),
      { numRuns: 5_000 },
    );
    // The years of real data: 1970–2100, every second equally likely.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (s) => {
        same(s * 1000 + (s % 1000));
      }),
      { numRuns: 20_000 },
    );
  });

  it('throw like Date for instants it cannot represent', () => {
    const outcome = (f: (ms: number) => string, ms: number) => {
      try {
        return f(ms);
      } catch (e) {
        return e instanceof RangeError ? 'RangeError' : 'other error';
      }
    };
    for (const ms of [NaN, Infinity, -Infinity, 8.64e15 + 1, 8.64e15 + 1000, -8.64e15 - 1]) {
      expect(outcome(isoSeconds, ms)).toBe(outcome(viaDate.isoSeconds, ms));
      expect(outcome(prefixDate, ms)).toBe(outcome(viaDate.prefixDate, ms));
    }
    expect(outcome(isoSeconds, NaN)).toBe('RangeError');
  });
});
