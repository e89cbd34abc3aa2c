/**
 * The seed every property of the suite runs with unless FUZZ_SEED says otherwise: the same cases on every run
 * and every machine, so a failure in CI is reproduced by running the suite again. A module of its own, without
 * imports: the vitest setup file reads it before each test file, and importing the app there would load
 * modules (node:crypto's users) before a test file's vi.mock could replace them.
 */
export const DEFAULT_FUZZ_SEED = 18;
