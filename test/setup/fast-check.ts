// Every fast-check property of the suite runs with one fixed seed (FUZZ_SEED overrides it, as for the fuzz
// suites of test/helpers/fuzz.ts): the same cases on every run, every Node version and every machine, so CI
// never passes or fails by the luck of a random seed, and a failure is replayed by running the suite again.
// A property that sets its own seed keeps it. Imports nothing of the mock (test/helpers/fuzz-seed.ts says why).
import fc from 'fast-check';
import { DEFAULT_FUZZ_SEED } from '../helpers/fuzz-seed.js';

const text = process.env.FUZZ_SEED;
const seed = text === undefined || text === '' ? DEFAULT_FUZZ_SEED : Number(text);
if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not '${text}'`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
