/**
 * Options of one mock instance (`buildApp(options, deps)`), with their defaults. The CLI maps flags and
 * `ATLAS_MOCK_*` environment variables onto these (see `cli/flags.ts`).
 */
import type { FastifyServerOptions } from 'fastify';
import type { Dataset } from './fixtures/schema.js';
import type { Outcome, StateReason } from './store/model.js';
import type { ExportFilesOptions } from './export-files/options.js';

export interface PlanOptions {
  /** Time queued, ms (default 150 000: the real ~2.5 min). */
  queuedMs?: number;
  /** Time in progress, ms (default 720 000: the real ~12 min). */
  runningMs?: number;
  outcome?: Outcome;
  stateReason?: StateReason;
}

export interface AuthOptions {
  /** false (`--auth off`): any request is accepted as the dataset's first Owner principal. Default true. */
  enabled?: boolean;
  /** Lifetime of a Digest nonce in mock-time ms; after it a client gets `stale=true`. Default 300 000 (5 min). */
  nonceTtlMs?: number;
}

/** Token buckets of the Atlas operations per endpoint set and project (contract §6). */
export interface RateLimitOptions {
  /** Default true. */
  enabled?: boolean;
  /** Bucket size. Default 1200. */
  capacity?: number;
  /** Tokens added per `periodMs`. Default 500. */
  refill?: number;
  /** Default 60 000. */
  periodMs?: number;
  /**
   * Limits of the other endpoint sets (contract §6, `auth/rate-categories.ts`) by name, e.g.
   * `{ Clusters: { capacity: 5 } }`; unset values keep Atlas's numbers. The ones above are Cloud Backups'.
   */
  categories?: Record<string, { capacity?: number; refill?: number; periodMs?: number }>;
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
  /** Authentication (Digest, service-account tokens) and authorization (contract §5). */
  auth?: AuthOptions;
  /** Rate limits per project (contract §6). */
  rateLimit?: RateLimitOptions;
  /** Version reported by /__mock/health and the CLI (default: package.json's). */
  version?: string;
  /** Longest request target (path and query), characters; longer: 414 URI_TOO_LONG (default 8192). */
  maxUrlLength?: number;
  /** Largest request head (request line and headers), bytes; larger: 431 (default 16384, Node's). */
  maxHeaderSize?: number;
  /** Time a client has to send the request head, ms; then 408 and the connection is closed (default 10 000). */
  headersTimeoutMs?: number;
  /** Time a client has to send the whole request, ms (default 30 000). */
  requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this long, ms (default 72 000). */
  keepAliveTimeoutMs?: number;
  /**
   * Keep the state (store, clock, plans, tokens) in this file across restarts: restored at start, saved
   * atomically after changes (within ~250 ms) and on close (src/state/). A file that cannot be used stops the start.
   */
  stateFile?: string;
  /** Fault rules held at once; one more answers 409 CONTROL_LIMIT_EXCEEDED (default 1000). */
  maxFaultRules?: number;
  /** Export jobs one project may hold; creating one more answers 409 RESOURCE_LIMIT_EXCEEDED (default 100 000). */
  maxJobsPerProject?: number;
  /** Export buckets one project may hold; creating one more answers 409 RESOURCE_LIMIT_EXCEEDED (default 1 000). */
  maxBucketsPerProject?: number;
  /**
   * Token the control API (`/__mock`) requires, as `Authorization: Bearer <token>` or `X-Mock-Admin-Token`
   * (default: none — then only loopback clients may use it, unless `allowRemoteControl`).
   */
  adminToken?: string;
  /** Without an admin token, let non-loopback clients use the control API (default false: 403). */
  allowRemoteControl?: boolean;
  /** Entries the request journal keeps (default 1000; 0 turns the journal off). */
  journalSize?: number;
  /**
   * Where the world lives: undefined (default) in this process's memory; `redis://[user:password@]host:port/db`
   * (`rediss://` for TLS): shared by every replica started with the same URL and prefix, which then behave as
   * one mock (docs/shared-service.md). Not with `stateFile` (Redis persistence keeps the world instead).
   */
  store?: string;
  /** Name of the world in Redis: several independent mocks on one Redis (default `atlas-mock`). */
  storePrefix?: string;
  /**
   * The files export jobs write to their buckets (src/export-files/, docs/export-files.md): given (and not
   * `enabled: false`), a writer brings each bucket up to date as jobs progress. Default for `buildApp`:
   * none; the CLI and `startAtlasMock` turn it on.
   */
  exportFiles?: ExportFilesOptions;
}

export const DEFAULT_BODY_LIMIT = 1_048_576;
/**
 * Limits of the mock itself, not of Atlas: they keep a runaway client from filling the memory of
 * a long-lived mock. They apply to API creates only; fixtures and `--generate` are trusted.
 */
export const DEFAULT_MAX_JOBS_PER_PROJECT = 100_000;
export const DEFAULT_MAX_BUCKETS_PER_PROJECT = 1_000;
