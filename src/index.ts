/** Public API of the package. */
export { buildApp, type AppDeps } from './app.js';
export type { AppOptions, PlanOptions } from './options.js';
export { createClock, type Clock, type ClockMode, type ClockState } from './core/clock.js';
export { createRandom, type RandomSource } from './core/random.js';
export { loadFixtureDir, parseDataset, DEFAULT_FIXTURES_DIR } from './fixtures/load.js';
export type { Dataset, DatasetInput } from './fixtures/schema.js';
export { stateAt, timeline } from './exports/lifecycle.js';
export type { MockContext } from './context.js';
export { startAtlasMock, credentialsOf, type AtlasMock, type StartOptions, type MockCredentials, type ApiKeyCredential, type ServiceAccountCredential } from './testing/start.js';
export { connectAtlasMock, MockControlError, type MockControl, type ConnectOptions, type Health, type Timeline, type JobPlanSpec, type TimedPlanSpec, type PinSpec, type Duration, type SnapshotPlanSpec, type OneSnapshotPlanSpec, type SnapshotTimeline } from './testing/client.js';
export type { FaultRuleInput, FaultView, FaultErrorSpec } from './control/faults.js';
export type { JournalEntry, JournalQuery } from './control/journal.js';
export { planFor, NextPlans } from './exports/plans.js';
export type { ErrorCode } from './errors/catalogue.js';
export type { ExportFilesOptions, StorageKind, S3Options, AzureOptions, GcsOptions } from './export-files/options.js';
export type { ExportFilesView, ExportFileView } from './export-files/writer.js';
