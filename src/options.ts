/**
 * Options of one mock instance (`buildApp(options, deps)`), with their defaults. The CLI maps flags and
 * `ATLAS_MOCK_*` environment variables onto these (see `cli/flags.ts`).
 */
import type { FastifyServerOptions } from 'fastify';
import type { Dataset } from './fixtures/schema.js';
import type { Outcome, StateReason } from './store/model.js';

export interface PlanOptions {
  /** Time queued, ms (default 150 000: the real ~2.5 min). */
  queuedMs?: number;
  /** Time in progress, ms (default 720 000: the real ~12 min). */
  runningMs?: number;
  outcome?: Outcome;
  stateReason?: StateReason;
}

export interface AppOptions {
  /** A fixture folder, or a dataset already parsed. Default: the bundled `fixtures/default`. */
  fixtures?: string | Dataset;
  /** Extra faker-made export jobs added at start (reproducible for the random source's seed). */
  generate?: number;
  /** Plan of newly created export jobs. */
  plan?: PlanOptions;
  /** Fastify logger: false (default for tests), true, or pino options. Secrets are redacted. */
  logger?: FastifyServerOptions['logger'];
  /** Log one line per request (default false: they cost throughput). */
  requestLogging?: boolean;
  /** Largest accepted request body, bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Version reported by /__mock/health and the CLI (default: package.json's). */
  version?: string;
  /**
   * Token the control API (`/__mock`) requires, as `Authorization: Bearer <token>` or `X-Mock-Admin-Token`
   * (default: none — then only loopback clients may use it, unless `allowRemoteControl`).
   */
  adminToken?: string;
  /** Without an admin token, let non-loopback clients use the control API (default false: 403). */
  allowRemoteControl?: boolean;
  /** Entries the request journal keeps (default 1000; 0 turns the journal off). */
  journalSize?: number;
}

export const DEFAULT_BODY_LIMIT = 1_048_576;
