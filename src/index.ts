/** Public API of the package. */
export { buildApp, type AppDeps } from './app.js';
export type { AppOptions, PlanOptions } from './options.js';
export { createClock, type Clock, type ClockMode, type ClockState } from './core/clock.js';
export { createRandom, type RandomSource } from './core/random.js';
export { loadFixtureDir, parseDataset, DEFAULT_FIXTURES_DIR } from './fixtures/load.js';
export type { Dataset, DatasetInput } from './fixtures/schema.js';
export { stateAt, timeline } from './exports/lifecycle.js';
export type { MockContext } from './context.js';
