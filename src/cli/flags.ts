/**
 * Every command-line flag, with its environment variable (`ATLAS_MOCK_*`; `PORT` and `HOST` too), in one
 * table: `--help` prints it, the parser reads it. Flags win over environment variables.
 */
import { parseDuration } from '../core/dates.js';
import { MAX_MOCK_TIME, MIN_MOCK_TIME, type ClockMode } from '../core/clock.js';
import type { AppOptions } from '../options.js';
import { OUTCOMES, type Outcome } from '../store/model.js';
import { MAX_CHUNK_BYTES, parseStorageSpec } from '../export-files/options.js';

export interface CliConfig {
  port: number;
  host: string;
  seed: number;
  clock: { mode: ClockMode; speed: number; start?: number };
  logLevel: string;
  app: AppOptions;
  help: boolean;
  version: boolean;
}

export interface Flag {
  name: string;
  env: string[];
  /** Placeholder of the value; absent for switches. */
  arg?: string;
  description: string;
  apply(config: CliConfig, value: string): void;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const int = (name: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} needs an integer from ${min} to ${max}, got '${value}'`);
  return n;
};
const duration = (name: string, value: string): number => {
  const ms = parseDuration(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} needs a duration (ms, PT2M30S, 150s, 12m), got '${value}'`);
  return ms;
};
const positiveDuration = (name: string, value: string): number => {
  const ms = duration(name, value);
  if (ms < 1) throw new UsageError(`--${name} needs a positive duration, got '${value}'`);
  return ms;
};
const nonEmpty = (name: string, value: string): string => {
  if (value.trim() === '') throw new UsageError(`--${name} needs a value`);
  return value;
};
const url = (name: string, value: string): string => {
  if (!/^https?:\/\/[^/\s]+/i.test(value)) throw new UsageError(`--${name} needs an http(s) URL, got '${value}'`);
  return value;
};
const onOff = (name: string, value: string): boolean => {
  if (/^(on|true|1|yes)$/i.test(value)) return true;
  if (/^(off|false|0|no)$/i.test(value)) return false;
  throw new UsageError(`--${name} needs on or off, got '${value}'`);
};

export const FLAGS: Flag[] = [
  { name: 'port', env: ['ATLAS_MOCK_PORT', 'PORT'], arg: 'N', description: 'TCP port to listen on (0: any free port). Default 8080.', apply: (c, v) => void (c.port = int('port', v, 0, 65535)) },
  { name: 'host', env: ['ATLAS_MOCK_HOST', 'HOST'], arg: 'ADDR', description: 'Address to bind. Default 127.0.0.1 (the Docker image uses 0.0.0.0).', apply: (c, v) => void (c.host = v) },
  { name: 'fixtures', env: ['ATLAS_MOCK_FIXTURES'], arg: 'DIR', description: 'Fixture folder (every *.json in it). Default: the bundled fixtures/default.', apply: (c, v) => void (c.app.fixtures = v) },
  { name: 'seed', env: ['ATLAS_MOCK_SEED'], arg: 'N', description: 'Seed of the random source (ids, nonces, generated data, probabilistic faults). Default 1.', apply: (c, v) => void (c.seed = int('seed', v, 0, Number.MAX_SAFE_INTEGER)) },
  { name: 'generate', env: ['ATLAS_MOCK_GENERATE'], arg: 'N', description: 'Add N faker-made export jobs (reproducible for a seed). Default 0.', apply: (c, v) => void (c.app.generate = int('generate', v, 0, 5_000_000)) },
  {
    name: 'clock',
    env: ['ATLAS_MOCK_CLOCK'],
    arg: 'MODE',
    description: 'system (real time, optionally --speed N) or manual (only the control API moves time). Default system.',
    apply: (c, v) => {
      if (v !== 'system' && v !== 'manual') throw new UsageError(`--clock needs system or manual, got '${v}'`);
      c.clock.mode = v;
    },
  },
  {
    name: 'speed',
    env: ['ATLAS_MOCK_SPEED'],
    arg: 'N',
    description: 'With --clock system: mock time runs N times faster (60: a 15-minute export in 15 s). Default 1.',
    apply: (c, v) => {
      const n = Number(v);
      if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--speed needs a positive number, got '${v}'`);
      c.clock.speed = n;
    },
  },
  {
    name: 'start-time',
    env: ['ATLAS_MOCK_START_TIME'],
    arg: 'ISO',
    description: 'Mock time at start (default: now).',
    apply: (c, v) => {
      const ms = Date.parse(v);
      if (Number.isNaN(ms)) throw new UsageError(`--start-time needs an ISO date, got '${v}'`);
      if (ms < MIN_MOCK_TIME || ms > MAX_MOCK_TIME) throw new UsageError(`--start-time needs a date from 1970-01-01 to 2106-02-07 (ObjectId timestamps), got '${v}'`);
      c.clock.start = ms;
    },
  },
  { name: 'queued', env: ['ATLAS_MOCK_QUEUED'], arg: 'DURATION', description: 'Time a created export job stays Queued. Default PT2M30S.', apply: (c, v) => void ((c.app.plan ??= {}).queuedMs = duration('queued', v)) },
  { name: 'running', env: ['ATLAS_MOCK_RUNNING'], arg: 'DURATION', description: 'Time a created export job stays InProgress. Default PT12M.', apply: (c, v) => void ((c.app.plan ??= {}).runningMs = duration('running', v)) },
  {
    name: 'outcome',
    env: ['ATLAS_MOCK_OUTCOME'],
    arg: 'STATE',
    description: `How created export jobs end: ${OUTCOMES.join(', ')}. Default Successful.`,
    apply: (c, v) => {
      if (!(OUTCOMES as readonly string[]).includes(v)) throw new UsageError(`--outcome needs one of ${OUTCOMES.join(', ')}, got '${v}'`);
      (c.app.plan ??= {}).outcome = v as Outcome;
    },
  },
  {
    name: 'auth',
    env: ['ATLAS_MOCK_AUTH'],
    arg: 'on|off',
    description: 'Authentication (Digest API keys, service-account Bearer tokens), roles and IP access lists. off: every request is accepted as the first Owner principal. Default on.',
    apply: (c, v) => void ((c.app.auth ??= {}).enabled = onOff('auth', v)),
  },
  { name: 'nonce-ttl', env: ['ATLAS_MOCK_NONCE_TTL'], arg: 'DURATION', description: 'Lifetime of a Digest nonce (mock time); then clients get stale=true. Default 5m.', apply: (c, v) => void ((c.app.auth ??= {}).nonceTtlMs = positiveDuration('nonce-ttl', v)) },
  { name: 'rate-limit', env: ['ATLAS_MOCK_RATE_LIMIT'], arg: 'on|off', description: 'Per-project rate limits (RateLimit-* headers, 429). Default on.', apply: (c, v) => void ((c.app.rateLimit ??= {}).enabled = onOff('rate-limit', v)) },
  { name: 'rate-limit-capacity', env: ['ATLAS_MOCK_RATE_LIMIT_CAPACITY'], arg: 'N', description: 'Requests a project bucket holds. Default 1200.', apply: (c, v) => void ((c.app.rateLimit ??= {}).capacity = int('rate-limit-capacity', v, 1, 1_000_000_000)) },
  { name: 'rate-limit-refill', env: ['ATLAS_MOCK_RATE_LIMIT_REFILL'], arg: 'N', description: 'Requests added back per --rate-limit-period. Default 500.', apply: (c, v) => void ((c.app.rateLimit ??= {}).refill = int('rate-limit-refill', v, 1, 1_000_000_000)) },
  { name: 'rate-limit-period', env: ['ATLAS_MOCK_RATE_LIMIT_PERIOD'], arg: 'DURATION', description: 'Refill period (mock time). Default 60s.', apply: (c, v) => void ((c.app.rateLimit ??= {}).periodMs = positiveDuration('rate-limit-period', v)) },
  { name: 'body-limit', env: ['ATLAS_MOCK_BODY_LIMIT'], arg: 'BYTES', description: 'Largest request body accepted (413 above). Default 1048576.', apply: (c, v) => void (c.app.bodyLimit = int('body-limit', v, 1024, 1 << 30)) },
  // Limits of the mock itself (docs/reliability.md): they keep a runaway client from exhausting it.
  { name: 'max-jobs-per-project', env: ['ATLAS_MOCK_MAX_JOBS_PER_PROJECT'], arg: 'N', description: 'Export jobs one project may hold; one more answers 409 RESOURCE_LIMIT_EXCEEDED. Default 100000.', apply: (c, v) => void (c.app.maxJobsPerProject = int('max-jobs-per-project', v, 1, 100_000_000)) },
  { name: 'max-buckets-per-project', env: ['ATLAS_MOCK_MAX_BUCKETS_PER_PROJECT'], arg: 'N', description: 'Export buckets one project may hold; one more answers 409 RESOURCE_LIMIT_EXCEEDED. Default 1000.', apply: (c, v) => void (c.app.maxBucketsPerProject = int('max-buckets-per-project', v, 1, 10_000_000)) },
  { name: 'state-file', env: ['ATLAS_MOCK_STATE_FILE'], arg: 'PATH', description: 'Keep jobs, buckets, fixtures added at run time, clock, plans and tokens in this file across restarts (saved atomically within 250 ms of a change and on exit; restored at start; an unusable file stops the start and is kept). Default none.', apply: (c, v) => void (c.app.stateFile = v) },
  { name: 'max-fault-rules', env: ['ATLAS_MOCK_MAX_FAULT_RULES'], arg: 'N', description: 'Fault rules (POST /__mock/faults) held at once; one more answers 409 CONTROL_LIMIT_EXCEEDED. Default 1000.', apply: (c, v) => void (c.app.maxFaultRules = int('max-fault-rules', v, 1, 1_000_000)) },
  { name: 'max-url-length', env: ['ATLAS_MOCK_MAX_URL_LENGTH'], arg: 'N', description: 'Longest request target (path and query) in characters; longer: 414 URI_TOO_LONG. Default 8192.', apply: (c, v) => void (c.app.maxUrlLength = int('max-url-length', v, 256, 1_000_000)) },
  { name: 'max-header-size', env: ['ATLAS_MOCK_MAX_HEADER_SIZE'], arg: 'BYTES', description: 'Largest request head (request line and headers); larger: 431 REQUEST_HEADER_FIELDS_TOO_LARGE. Default 16384.', apply: (c, v) => void (c.app.maxHeaderSize = int('max-header-size', v, 1024, 1 << 24)) },
  { name: 'headers-timeout', env: ['ATLAS_MOCK_HEADERS_TIMEOUT'], arg: 'DURATION', description: 'Time a client has to send the request head (real time); then 408 REQUEST_TIMEOUT and the connection closes. Default 10s.', apply: (c, v) => void (c.app.headersTimeoutMs = positiveDuration('headers-timeout', v)) },
  { name: 'request-timeout', env: ['ATLAS_MOCK_REQUEST_TIMEOUT'], arg: 'DURATION', description: 'Time a client has to send the whole request, body included (real time). Default 30s.', apply: (c, v) => void (c.app.requestTimeoutMs = positiveDuration('request-timeout', v)) },
  { name: 'keep-alive-timeout', env: ['ATLAS_MOCK_KEEP_ALIVE_TIMEOUT'], arg: 'DURATION', description: 'Idle keep-alive connections are closed after this long (real time). Default 72s.', apply: (c, v) => void (c.app.keepAliveTimeoutMs = positiveDuration('keep-alive-timeout', v)) },
  {
    name: 'admin-token',
    env: ['ATLAS_MOCK_ADMIN_TOKEN'],
    arg: 'TOKEN',
    description: 'Token the control API (/__mock) requires: Authorization: Bearer TOKEN or X-Mock-Admin-Token. Default none (loopback clients only).',
    apply: (c, v) => {
      if (v.trim() === '') throw new UsageError('--admin-token needs a non-empty token');
      c.app.adminToken = v;
    },
  },
  {
    name: 'allow-remote-control',
    env: ['ATLAS_MOCK_ALLOW_REMOTE_CONTROL'],
    description: 'Without --admin-token, let non-loopback clients use the control API (otherwise 403). Env: on/off.',
    apply: (c, v) => void (c.app.allowRemoteControl = v === '' ? true : onOff('allow-remote-control', v)),
  },
  {
    name: 'store',
    env: ['ATLAS_MOCK_STORE'],
    arg: 'URL',
    description: 'Where the state lives: memory (default, this process only) or redis://[user:password@]host:port/db (rediss:// for TLS): every replica started with the same URL and --store-prefix is one mock (docs/shared-service.md). Not with --state-file.',
    apply: (c, v) => {
      if (v === 'memory') return void delete c.app.store;
      if (!/^rediss?:\/\/[^\s]+$/i.test(v)) throw new UsageError(`--store needs memory or a redis:// / rediss:// URL, got '${v.replace(/\/\/[^@/]*@/, '//***@')}'`);
      c.app.store = v;
    },
  },
  {
    name: 'store-prefix',
    env: ['ATLAS_MOCK_STORE_PREFIX'],
    arg: 'NAME',
    description: 'With --store redis://…: the name of this mock world in Redis (several independent worlds on one Redis). Default atlas-mock.',
    apply: (c, v) => {
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(v)) throw new UsageError(`--store-prefix needs 1 to 100 letters, digits, '.', '_' or '-', got '${v}'`);
      c.app.storePrefix = v;
    },
  },
  { name: 'journal-size', env: ['ATLAS_MOCK_JOURNAL_SIZE'], arg: 'N', description: 'Requests the journal (GET /__mock/requests) keeps; 0 turns it off. Default 1000.', apply: (c, v) => void (c.app.journalSize = int('journal-size', v, 0, 1_000_000)) },
  // Export files (docs/export-files.md): what export jobs write to their buckets, and where.
  { name: 'export-files', env: ['ATLAS_MOCK_EXPORT_FILES'], arg: 'on|off', description: 'Write the files of export jobs (.permissioncheck, .json.gz, metadata.json, .complete) to their buckets as jobs progress. Default on.', apply: (c, v) => void ((c.app.exportFiles ??= {}).enabled = onOff('export-files', v)) },
  { name: 'export-dir', env: ['ATLAS_MOCK_EXPORT_DIR'], arg: 'DIR', description: 'Folder storage of export buckets: objects at DIR/<bucketName>/<key>. Default <temp>/atlas-export-mock/exports.', apply: (c, v) => void ((c.app.exportFiles ??= {}).dir = nonEmpty('export-dir', v)) },
  {
    name: 'export-storage',
    env: ['ATLAS_MOCK_EXPORT_STORAGE'],
    arg: 'SPEC',
    description: 'Storage of export buckets: folder (default), or PROVIDER=KIND and bucket:NAME=KIND pairs, e.g. aws=s3,azure=azure,gcp=gcs (kinds: folder, s3, azure, gcs).',
    apply: (c, v) => {
      try {
        (c.app.exportFiles ??= {}).storage = parseStorageSpec(v);
      } catch (e) {
        throw new UsageError(`--export-storage: ${(e as Error).message}`);
      }
    },
  },
  { name: 'export-s3-endpoint', env: ['ATLAS_MOCK_EXPORT_S3_ENDPOINT'], arg: 'URL', description: 'S3-compatible endpoint of s3 buckets (moto, MinIO); default AWS. Credentials: the AWS SDK chain (AWS_ACCESS_KEY_ID, profiles, roles).', apply: (c, v) => void (((c.app.exportFiles ??= {}).s3 ??= {}).endpoint = url('export-s3-endpoint', v)) },
  { name: 'export-s3-region', env: ['ATLAS_MOCK_EXPORT_S3_REGION'], arg: 'REGION', description: "Region of S3 requests. Default: the bucket's region.", apply: (c, v) => void (((c.app.exportFiles ??= {}).s3 ??= {}).region = nonEmpty('export-s3-region', v)) },
  { name: 'export-s3-path-style', env: ['ATLAS_MOCK_EXPORT_S3_PATH_STYLE'], arg: 'on|off', description: 'Path-style S3 URLs. Default on with --export-s3-endpoint, else off.', apply: (c, v) => void (((c.app.exportFiles ??= {}).s3 ??= {}).forcePathStyle = onOff('export-s3-path-style', v)) },
  { name: 'export-azure-url', env: ['ATLAS_MOCK_EXPORT_AZURE_URL'], arg: 'URL', description: "Blob service URL of azure buckets (Azurite: http://127.0.0.1:10000/devstoreaccount1). Default: the bucket's serviceUrl. Credentials: AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY.", apply: (c, v) => void (((c.app.exportFiles ??= {}).azure ??= {}).serviceUrl = url('export-azure-url', v)) },
  { name: 'export-gcs-endpoint', env: ['ATLAS_MOCK_EXPORT_GCS_ENDPOINT'], arg: 'URL', description: 'Cloud Storage endpoint of gcs buckets (fake-gcs-server), sent no credentials. Default Google, with Application Default Credentials.', apply: (c, v) => void (((c.app.exportFiles ??= {}).gcs ??= {}).endpoint = url('export-gcs-endpoint', v)) },
  { name: 'export-gcs-project', env: ['ATLAS_MOCK_EXPORT_GCS_PROJECT'], arg: 'ID', description: 'Project of the Cloud Storage client. Default: from the credentials.', apply: (c, v) => void (((c.app.exportFiles ??= {}).gcs ??= {}).projectId = nonEmpty('export-gcs-project', v)) },
  { name: 'export-chunk-size', env: ['ATLAS_MOCK_EXPORT_CHUNK_SIZE'], arg: 'BYTES', description: 'Uncompressed Extended JSON per .json.gz file before the next increment. Default 16777216 (16 MiB).', apply: (c, v) => void ((c.app.exportFiles ??= {}).chunkBytes = int('export-chunk-size', v, 1024, MAX_CHUNK_BYTES)) },
  { name: 'export-documents', env: ['ATLAS_MOCK_EXPORT_DOCUMENTS'], arg: 'N', description: 'Documents generated per collection when its fixture gives no count. Default 100.', apply: (c, v) => void ((c.app.exportFiles ??= {}).documentsPerCollection = int('export-documents', v, 0, 1_000_000_000)) },
  { name: 'log-level', env: ['ATLAS_MOCK_LOG_LEVEL'], arg: 'LEVEL', description: 'fatal, error, warn, info (default) or debug (debug also logs every request).', apply: (c, v) => void (c.logLevel = v) },
  { name: 'help', env: [], description: 'Print this help and exit.', apply: (c) => void (c.help = true) },
  { name: 'version', env: [], description: 'Print the version and exit.', apply: (c) => void (c.version = true) },
];

export function defaultConfig(): CliConfig {
  return { port: 8080, host: '127.0.0.1', seed: 1, clock: { mode: 'system', speed: 1 }, logLevel: 'info', app: {}, help: false, version: false };
}

/** Combinations of flags that cannot work together. */
function checkCombinations(config: CliConfig): void {
  if (config.app.store && config.app.stateFile)
    throw new UsageError(
      '--state-file keeps the state of one process in memory mode; with --store redis://… the world lives in Redis, which keeps it across restarts with its own persistence (appendonly yes; docs/shared-service.md): drop one of the two',
    );
  if (config.app.storePrefix && !config.app.store) throw new UsageError('--store-prefix names a world in Redis: it needs --store redis://…');
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, flags: readonly Flag[] = FLAGS): CliConfig {
  const config = defaultConfig();
  const byName = new Map(flags.map((f) => [f.name, f]));
  // Environment first, flags after: a flag overrides its variable.
  for (const f of flags) {
    const name = f.env.find((e) => env[e] !== undefined && env[e] !== '');
    if (name) f.apply(config, env[name]!);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' (see --help)`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = byName.get(name);
    if (!flag) throw new UsageError(`unknown flag --${name} (see --help)`);
    let value = '';
    if (flag.arg) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`--${name} needs a value (${flag.arg})`);
    }
    flag.apply(config, value);
  }
  if (!config.help && !config.version) checkCombinations(config);
  return config;
}

export function helpText(flags: readonly Flag[] = FLAGS): string {
  const rows = flags.map((f) => [`--${f.name}${f.arg ? ` ${f.arg}` : ''}`, f.env.join(', '), f.description] as const);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return [
    'atlas-export-mock: a stateful test double of the MongoDB Atlas Admin API v2 Cloud Backup export endpoints',
    '',
    'Usage: atlas-export-mock [flags]',
    '',
    `  ${'flag'.padEnd(w0)}  ${'environment'.padEnd(w1)}  meaning`,
    ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`),
    '',
    'Flags override environment variables. Durations: milliseconds, ISO-8601 (PT2M30S) or 150s / 12m / 2h.',
  ].join('\n');
}
