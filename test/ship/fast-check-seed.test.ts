// The suite's properties are reproducible: the setup file gives fast-check one fixed seed (FUZZ_SEED or the
// default of test/helpers/fuzz.ts), so two runs of a property draw the same cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUZZ_SEED } from '../helpers/fuzz.js';

describe('fast-check seed', () => {
  it('is fixed for every property of the suite', () => {
    const expected = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : DEFAULT_FUZZ_SEED;
    expect(fc.readConfigureGlobal().seed).toBe(expected);
  });

  it('makes a property without its own seed draw the same cases twice', () => {
    const draw = () => {
      const seen: number[] = [];
      fc.assert(fc.property(fc.integer(), (n) => void seen.push(n)), { numRuns: 20 });
      return seen;
    };
    expect(draw()).toEqual(draw());
  });
});
