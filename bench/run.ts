/**
 * `npm run bench`: the built mock (`dist/cli.js`, NODE_ENV=production, default logging) against a
 * bare node:http server serving the same body for the same path (bench/baseline.mjs), side by side in one
 * run: interleaved rounds at 50 connections with wrk (when installed) and autocannon. Reports req/s, p50/p99
 * and the ratio to the baseline per round, server CPU time per request, start-up time to the first 200 with
 * the default dataset, RSS after load, and the store-scale figures (1 vs 10 000 vs 1 000 000 jobs).
 *
 *   npm run bench -- [--rounds 5] [--duration 5] [--warmup 2] [--only bearer,digest] [--tools wrk,autocannon]
 *                    [--startups 5] [--scale-rounds 9] [--scale-duration 3] [--scale-sets 3] [--no-pin] [--out bench/RESULTS.md]
 *                    [--mock-node-args '--trace-gc'] [--mock-log <folder>]
 *
 * `--mock-node-args` starts every mock with these Node flags (`node <flags> dist/cli.js`), `--mock-log` keeps each
 * mock's output in `<folder>/mock-<n>.log`: e.g. the mocks' GC trace during the run.
 *
 * Scenarios: startup, bearer, digest, envelope, error-404, error-401, error-429, create+poll, scale, year,
 * in-process and vitest-isolation (bench/in-process.ts: `startAtlasMock()`, `close()` and `reset()` in a test's
 * process; a vitest file of 500 tests with a fresh mock per test against one sharing a mock), export-files
 * (bench/export-files.ts: export throughput to the folder and to S3 in moto, peak RSS of a 1 GiB export), redis.
 * Loopback only; every loop is bounded by --rounds, --duration, --startups and --vitest-tests.
 *
 *   [--in-process-rounds 5] [--vitest-rounds 3] [--vitest-tests 500]
 *
 * `redis` (needs redis-server; docs/shared-service.md) compares the shared store with the memory store rather
 * than with the bare baseline: its rows' "baseline" is a mock in memory mode. GET of one job on a replica
 * on Redis vs the same GET in memory mode (target ≥ 0.8×), and create + poll through a round-robin proxy over
 * two replicas vs one memory mock; the CPU of the shared side counts the replicas, the proxy and Redis.
 * Redis runs pinned with the mock, on the servers' CPU: the shared side (replicas, proxy and Redis) has the one
 * core memory mode has, and the load generator keeps its own (docs/shared-service.md "Measured": on this VM a
 * replica and Redis on two cores wake each other across cores, which cost more CPU on both sides than sharing one).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestSigner, parseChallenge } from './lib/digest.js';
import { send } from './lib/http.js';
import { runLoad, WRK_INSTALL_HINT, wrkAvailable, type LoadMode, type LoadResult, type Tool } from './lib/load.js';
import { placement, readCpuMs, readMachineTicks, startServer, type Server } from './lib/procs.js';
import { report, type InProcessRow, type LoadRow, type ScaleRow, type StartupRow, type RunInfo, type VitestRow } from './lib/report.js';
import { median } from './lib/stats.js';
import { startRedis } from '../test/redis/harness.js';
import { exportFilesSection, runExportFiles } from './export-files.js';
import { runInProcess, runVitestIsolation } from './in-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const BASELINE = join(ROOT, 'bench', 'baseline.mjs');
const GROUP = '6650a0c1f1d2e3a4b5c6d7e1';
const JOB = '6650a0c1f1d2e3a4b5c6d822';
const EXPORTS_PATH = `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/exports`;
const JOB_PATH = `${EXPORTS_PATH}/${JOB}`;
const ACCEPT = 'application/vnd.atlas.2023-01-01+json';
const SA = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', secret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' };
const KEY = { user: 'mockownr', password: '11111111-2222-4333-8444-555555555555' };
const CONNECTIONS = 50;
/**
 * Rate limits stay on (every request takes a token and gets RateLimit-* headers) with a bucket no load of
 * this machine can empty: otherwise the run would measure 429s after the first 1200 requests.
 */
const BIG_BUCKET = ['--rate-limit-capacity', '1000000000', '--rate-limit-refill', '1000000000'];

const SCENARIO_NAMES = ['startup', 'bearer', 'digest', 'envelope', 'error-404', 'error-401', 'error-429', 'create+poll', 'scale', 'year', 'in-process', 'vitest-isolation', 'export-files', 'redis'];

const argv = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? def : argv[i + 1]!;
};
// Five: per-round ratios move by ±10 % with the host here (e.g. 0.56×, 0.49×, 0.54×), and a median of
// three is one slow round away from a different verdict.
const ROUNDS = Number(arg('rounds', '5'));
const DURATION = Number(arg('duration', '5'));
// The store-scale comparison sets three mocks against each other, not against the baseline: many short
// rounds, so that the host's drift (req/s moves by ±30 % within a minute here) averages out of the median.
const SCALE_ROUNDS = Number(arg('scale-rounds', '9'));
const SCALE_DURATION = Number(arg('scale-duration', String(Math.max(1, Math.ceil(DURATION / 2)))));
// …split over this many sets of fresh processes (runScale says why).
const SCALE_SETS = Number(arg('scale-sets', '3'));
const WARMUP = Number(arg('warmup', '2'));
const STARTUPS = Number(arg('startups', '5'));
// One fresh process per round (the first `startAtlasMock()` of each is the cold one).
const IN_PROCESS_ROUNDS = Number(arg('in-process-rounds', '5'));
const VITEST_ROUNDS = Number(arg('vitest-rounds', '3'));
const VITEST_TESTS = Number(arg('vitest-tests', '500'));
const ONLY = arg('only', '').split(',').filter(Boolean);
const OUT = arg('out', join(ROOT, 'bench', 'RESULTS.md'));
const PIN = !argv.includes('--no-pin');
for (const s of ONLY) if (!SCENARIO_NAMES.includes(s)) throw new Error(`unknown scenario ${s}; known: ${SCENARIO_NAMES.join(', ')}`);
if (!(ROUNDS >= 1 && DURATION >= 1 && WARMUP >= 0 && STARTUPS >= 1 && SCALE_ROUNDS >= 1 && SCALE_DURATION >= 1 && SCALE_SETS >= 1 && IN_PROCESS_ROUNDS >= 1 && VITEST_ROUNDS >= 1 && VITEST_TESTS >= 1))
  throw new Error('--rounds, --duration, --startups, --scale-rounds, --scale-duration, --scale-sets, --in-process-rounds, --vitest-rounds, --vitest-tests must be ≥ 1, --warmup ≥ 0');

const HAS_WRK = wrkAvailable();
const TOOLS = (arg('tools', 'wrk,autocannon').split(',') as Tool[]).filter((t) => t !== 'wrk' || HAS_WRK);
const PLACE = placement(PIN);
const wanted = (name: string) => ONLY.length === 0 || ONLY.includes(name);
const log = (line: string) => process.stdout.write(line + '\n');

// ---- the mock and the baseline -------------------------------------------------------------------------

/**
 * The temp folder of every mock of this run: the CLI keeps V8's code cache there (src/cli.ts), so the
 * first start of the run is the cold one (no cache), the others start from the cache it left.
 */
const MOCK_TMP = mkdtempSync(join(tmpdir(), 'bench-mock-tmp-'));
const MOCK_NODE_ARGS = arg('mock-node-args', '').split(' ').filter(Boolean);
const MOCK_ENV = { NODE_ENV: 'production', TMPDIR: MOCK_TMP };
const MOCK_LOG = arg('mock-log', '');
if (MOCK_LOG) mkdirSync(MOCK_LOG, { recursive: true });
let mocksStarted = 0;

const startMock = (args: string[]) =>
  startServer(process.execPath, [...MOCK_NODE_ARGS, CLI, '--port', '0', ...args], { env: MOCK_ENV, cpus: PLACE.server, ...(MOCK_LOG && { logFile: join(MOCK_LOG, `mock-${++mocksStarted}.log`) }) });

async function startBaseline(path: string, body: Buffer, contentType: string): Promise<Server> {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-')), 'body');
  writeFileSync(file, body);
  return startServer(process.execPath, [BASELINE, '0', path, file, contentType], { cpus: PLACE.server });
}

function bearerToken(url: string): Promise<string> {
  return bearerTokenOf(url, SA);
}

/** A Digest GET as a client makes it: the first request must get the challenge, the signed one a 200. */
async function digestGet(url: string, path: string): Promise<{ challengeAt: number; body: Buffer; contentType: string }> {
  const first = await send('GET', url + path, { accept: ACCEPT });
  const challengeAt = performance.now();
  const header = first.headers['www-authenticate'];
  if (first.status !== 401 || typeof header !== 'string' || !header.startsWith('Digest ')) throw new Error(`the first Digest request got ${first.status} (${String(header)}), not the challenge`);
  const sign = digestSigner(KEY.user, KEY.password, parseChallenge(header));
  const second = await send('GET', url + path, { accept: ACCEPT, authorization: sign('GET', path) });
  if (second.status !== 200) throw new Error(`the signed Digest request got ${second.status}: ${second.body.toString()}`);
  return { challengeAt, body: second.body, contentType: String(second.headers['content-type']) };
}

// ---- load scenarios ------------------------------------------------------------------------------------

interface Prepared {
  /** Headers of every request (the mock's and the baseline's alike). */
  headers: Record<string, string>;
  mode: LoadMode;
  /** The body the baseline serves and its Content-Type (a real answer of the mock). */
  body: Buffer;
  contentType: string;
}

interface LoadScenario {
  name: string;
  /** Flags of the mock, after the big bucket (`BIG_BUCKET`) unless `ownBucket`. */
  mockArgs: string[];
  /** The scenario's flags set the rate limits themselves (no big bucket). */
  ownBucket?: boolean;
  /** Path of the load (and of the baseline's answer; ending in `*`: a prefix). */
  path: string;
  basePath: string;
  tools: Tool[];
  prepare(mockUrl: string): Promise<Prepared>;
  note: string;
}

const bearerPrepared = (path: string) => async (url: string): Promise<Prepared> => {
  const headers = { accept: ACCEPT, authorization: `Bearer ${await bearerToken(url)}` };
  const sample = await send('GET', url + path, headers);
  return { headers, mode: { kind: 'plain' }, body: sample.body, contentType: String(sample.headers['content-type']) };
};

const UNKNOWN_JOB_PATH = `${EXPORTS_PATH}/6650a0c1f1d2e3a4b5c6d8ff`;

const LOAD_SCENARIOS: LoadScenario[] = [
  {
    name: 'bearer',
    mockArgs: [],
    path: JOB_PATH,
    basePath: JOB_PATH,
    tools: ['wrk', 'autocannon'],
    prepare: bearerPrepared(JOB_PATH),
    note: 'GET one export job, Bearer token, rate limits and journal on',
  },
  {
    name: 'digest',
    mockArgs: [],
    path: JOB_PATH,
    basePath: JOB_PATH,
    // wrk's Lua API has no per-connection state, so it cannot keep a nonce count per connection.
    tools: ['autocannon'],
    prepare: async (url) => {
      const sample = await digestGet(url, JOB_PATH);
      return { headers: { accept: ACCEPT }, mode: { kind: 'digest', ...KEY }, body: sample.body, contentType: sample.contentType };
    },
    note: 'GET one export job, HTTP Digest: per connection one challenge (again after every 2000 requests), then its nonce reused with nc increasing; the challenges are the non-2xx',
  },
  {
    name: 'envelope',
    mockArgs: [],
    path: `${JOB_PATH}?envelope=true`,
    basePath: `${JOB_PATH}?envelope=true`,
    tools: ['wrk', 'autocannon'],
    prepare: bearerPrepared(`${JOB_PATH}?envelope=true`),
    note: 'GET one export job with envelope=true, Bearer',
  },
  {
    name: 'error-404',
    mockArgs: [],
    path: UNKNOWN_JOB_PATH,
    basePath: UNKNOWN_JOB_PATH,
    tools: ['wrk', 'autocannon'],
    prepare: bearerPrepared(UNKNOWN_JOB_PATH),
    note: 'GET an unknown export job: 404 RESOURCE_NOT_FOUND, Bearer (every answer of the mock is a 404; the baseline sends the same bytes with 200)',
  },
  {
    name: 'error-401',
    mockArgs: [],
    path: JOB_PATH,
    basePath: JOB_PATH,
    tools: ['wrk', 'autocannon'],
    prepare: async (url) => {
      const headers = { accept: ACCEPT };
      const sample = await send('GET', url + JOB_PATH, headers);
      if (sample.status !== 401 || !String(sample.headers['www-authenticate']).startsWith('Digest ')) throw new Error(`a GET without credentials got ${sample.status}, not the Digest challenge`);
      return { headers, mode: { kind: 'plain' }, body: sample.body, contentType: String(sample.headers['content-type']) };
    },
    note: 'GET one export job without credentials: 401 with the Digest challenge, a new nonce in every answer (every answer of the mock is a 401; the baseline sends the same body with 200)',
  },
  {
    name: 'error-429',
    // A bucket of one token refilled once a day: the first request takes it, every later one is refused.
    mockArgs: ['--rate-limit-capacity', '1', '--rate-limit-refill', '1', '--rate-limit-period', '1d'],
    ownBucket: true,
    path: JOB_PATH,
    basePath: JOB_PATH,
    tools: ['wrk', 'autocannon'],
    prepare: async (url) => {
      const headers = { accept: ACCEPT, authorization: `Bearer ${await bearerToken(url)}` };
      const first = await send('GET', url + JOB_PATH, headers);
      const sample = await send('GET', url + JOB_PATH, headers);
      if (first.status !== 200 || sample.status !== 429) throw new Error(`the bucket of one token answered ${first.status} then ${sample.status}, not 200 then 429`);
      return { headers, mode: { kind: 'plain' }, body: sample.body, contentType: String(sample.headers['content-type']) };
    },
    note: 'GET one export job past the rate limit: 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After and RateLimit-* headers, Bearer (a bucket of 1 token refilled once a day; every answer of the mock is a 429; the baseline sends the same body with 200)',
  },
  {
    name: 'create+poll',
    // Export files off: every 0-second job would otherwise be written whole (scenario export-files measures that).
    mockArgs: ['--queued', '0', '--running', '0', '--export-files', 'off'],
    path: JOB_PATH,
    basePath: `${EXPORTS_PATH}*`,
    tools: ['autocannon'],
    prepare: async (url) => {
      const p = await bearerPrepared(JOB_PATH)(url);
      return {
        ...p,
        mode: { kind: 'create-poll', createPath: EXPORTS_PATH, body: JSON.stringify({ snapshotId: '6650a0c1f1d2e3a4b5c6d804', exportBucketId: '6650a0c1f1d2e3a4b5c6d810' }), contentType: 'application/json', pollPrefix: EXPORTS_PATH, polls: 9 },
      };
    },
    note: 'per connection: POST a new export job (plan 0 s queued, 0 s running, so the snapshot is free again), then 9 GETs of it; Bearer',
  },
];

interface Measured {
  result: LoadResult;
  /** Server CPU time per request, µs. */
  cpuUs: number;
  /** Server CPU time / wall time of the run. */
  busy: number;
}

async function measure(server: Server, tool: Tool, url: string, prepared: Prepared, durationS: number): Promise<Measured> {
  const cpu0 = server.cpuMs();
  const result = await runLoad(tool, { url, headers: prepared.headers, connections: CONNECTIONS, durationS, mode: prepared.mode }, PLACE);
  const cpuMs = server.cpuMs() - cpu0;
  return { result, cpuUs: (cpuMs * 1000) / result.requests, busy: cpuMs / (durationS * 1000) };
}

async function runLoadScenario(sc: LoadScenario, rows: LoadRow[], rss: Record<string, number>): Promise<void> {
  const mock = await startMock(sc.ownBucket ? sc.mockArgs : [...BIG_BUCKET, ...sc.mockArgs]);
  let base: Server | undefined;
  try {
    const prepared = await sc.prepare(mock.url);
    base = await startBaseline(sc.basePath, prepared.body, prepared.contentType);
    const servers = { mock, base };
    for (const tool of sc.tools.filter((t) => TOOLS.includes(t))) {
      for (const s of [base, mock]) if (WARMUP > 0) await measure(s, tool, s.url + sc.path, prepared, WARMUP);
      for (let round = 1; round <= ROUNDS; round++) {
        // Interleaved, the first one alternating by round: neither always runs on a warmer (or busier) machine.
        const order: ('mock' | 'base')[] = round % 2 ? ['base', 'mock'] : ['mock', 'base'];
        const got: Partial<Record<'mock' | 'base', Measured>> = {};
        for (const who of order) got[who] = await measure(servers[who], tool, servers[who].url + sc.path, prepared, DURATION);
        const row: LoadRow = { scenario: sc.name, round, tool, mock: got.mock!, base: got.base! };
        rows.push(row);
        log(`${sc.name} r${round} ${tool}: mock ${row.mock.result.rps.toFixed(0)} req/s (p50 ${row.mock.result.p50} ms, p99 ${row.mock.result.p99} ms, ${row.mock.cpuUs.toFixed(1)} µs CPU/req, non-2xx ${row.mock.result.non2xx}) vs baseline ${row.base.result.rps.toFixed(0)} (${row.base.cpuUs.toFixed(1)} µs/req) → ${(row.mock.result.rps / row.base.result.rps).toFixed(2)}×`);
      }
    }
    rss[sc.name] = mock.rssMiB();
  } finally {
    await mock.stop();
    await base?.stop();
  }
}

// ---- start-up ------------------------------------------------------------------------------------------

async function runStartups(out: StartupRow[]): Promise<void> {
  // Run 0: the cold start (no code cache yet in this run's temp folder), reported apart; then STARTUPS runs.
  for (let i = 0; i <= STARTUPS; i++) {
    // The mock with the default dataset (no flag at all): spawn → the first 200 of an authenticated GET of a
    // job, as a test's client gets it (its Digest handshake included).
    const mock = await startMock([]);
    try {
      const got = await digestGet(mock.url, JOB_PATH);
      const firstOkMs = performance.now() - mock.spawnedAt;
      out.push({ who: 'mock', run: i, listeningMs: mock.listeningMs, challengeMs: got.challengeAt - mock.spawnedAt, firstOkMs, rssMiB: mock.rssMiB() });
      log(`startup ${i}: mock listening ${mock.listeningMs.toFixed(0)} ms, first 200 ${firstOkMs.toFixed(0)} ms, RSS ${mock.rssMiB().toFixed(1)} MiB`);
      const base = await startBaseline(JOB_PATH, got.body, got.contentType);
      try {
        const res = await send('GET', base.url + JOB_PATH);
        if (res.status !== 200) throw new Error(`baseline answered ${res.status}`);
        out.push({ who: 'baseline', run: i, listeningMs: base.listeningMs, challengeMs: NaN, firstOkMs: performance.now() - base.spawnedAt, rssMiB: base.rssMiB() });
      } finally {
        await base.stop();
      }
    } finally {
      await mock.stop();
    }
  }
}

// ---- store scale ---------------------------------------------------------------------------------------

const STORES: { label: string; generate: number }[] = [
  { label: 'default dataset (6 jobs)', generate: 0 },
  { label: '+10 000 jobs', generate: 10_000 },
  { label: '+1 000 000 jobs', generate: 1_000_000 },
];

/**
 * Runs `fn` with every server of `servers` but `server` paused. The servers share CPU 0; an idle one is not
 * idle for V8: a million-job heap gets marked by the memory reducer once the process turns idle (~0.8 s of
 * CPU, `--mock-node-args --trace-gc`), and that landed in whichever server's round came next, making the
 * others look slower than the 1M store. Paused, a server's own collections fall in its own rounds.
 */
async function alone<T>(servers: Server[], server: Server, fn: () => Promise<T>): Promise<T> {
  const others = servers.filter((s) => s !== server);
  for (const s of others) s.pause();
  try {
    return await fn();
  } finally {
    for (const s of others) s.resume();
  }
}

async function runScale(rows: LoadRow[], scale: ScaleRow[]): Promise<void> {
  // Fresh processes for every set: two processes of the same code and store differ by up to 15-20 % in
  // CPU per request here, for as long as they run (measured: four default mocks side by side, one of them
  // 31-45 µs per request, the others 25-28). With one process per store, that luck would be the verdict.
  const perSet = new Map<string, ScaleRow[]>();
  const roundsPerSet = Math.ceil(SCALE_ROUNDS / SCALE_SETS);
  for (let set = 0; set < SCALE_SETS; set++) {
    const started: { label: string; generate: number; server: Server; prepared: Prepared; firstOkMs: number; rssIdle: number }[] = [];
    let base: Server | undefined;
    try {
      // One after the other, so that no start-up (the 1M generation is CPU-bound) slows another one.
      for (const st of STORES) {
        const server = await startMock([...BIG_BUCKET, ...(st.generate ? ['--generate', String(st.generate)] : [])]);
        const prepared = await bearerPrepared(JOB_PATH)(server.url);
        const firstOkMs = performance.now() - server.spawnedAt;
        // Let the start-up garbage go before reading the idle RSS.
        await new Promise((r) => setTimeout(r, 1000));
        started.push({ ...st, server, prepared, firstOkMs, rssIdle: server.rssMiB() });
        log(`scale set ${set + 1}: ${st.label}: listening ${server.listeningMs.toFixed(0)} ms, first 200 ${firstOkMs.toFixed(0)} ms, idle RSS ${server.rssMiB().toFixed(1)} MiB`);
      }
      base = await startBaseline(JOB_PATH, started[0]!.prepared.body, started[0]!.prepared.contentType);
      const all = [{ label: 'baseline', server: base, prepared: { ...started[0]!.prepared, headers: { accept: ACCEPT } } }, ...started];
      const servers = all.map((x) => x.server);
      for (const tool of TOOLS) {
        for (const s of all) if (WARMUP > 0) await alone(servers, s.server, () => measure(s.server, tool, s.server.url + JOB_PATH, s.prepared, WARMUP));
        for (let k = 1; k <= roundsPerSet; k++) {
          const round = set * roundsPerSet + k;
          // Rotate the order by round.
          const order = all.map((_, i) => all[(i + round - 1) % all.length]!);
          const got = new Map<string, Measured>();
          for (const s of order) got.set(s.label, await alone(servers, s.server, () => measure(s.server, tool, s.server.url + JOB_PATH, s.prepared, SCALE_DURATION)));
          const b = got.get('baseline')!;
          for (const s of started) {
            const m = got.get(s.label)!;
            rows.push({ scenario: `scale: ${s.label}`, round, tool, mock: m, base: b });
            log(`scale ${s.label} r${round} ${tool}: ${m.result.rps.toFixed(0)} req/s (${m.cpuUs.toFixed(1)} µs CPU/req) vs baseline ${b.result.rps.toFixed(0)} → ${(m.result.rps / b.result.rps).toFixed(2)}×`);
          }
        }
      }
      for (const s of started) {
        const list = perSet.get(s.label) ?? [];
        list.push({ label: s.label, generate: s.generate, sets: 1, listeningMs: s.server.listeningMs, firstOkMs: s.firstOkMs, rssIdleMiB: s.rssIdle, rssAfterMiB: s.server.rssMiB() });
        perSet.set(s.label, list);
      }
    } finally {
      for (const s of started) await s.server.stop();
      await base?.stop();
    }
  }
  // Start-up and RSS: the median over the sets' processes.
  for (const [label, list] of perSet) {
    const m = (f: (r: ScaleRow) => number) => median(list.map(f));
    scale.push({ label, generate: list[0]!.generate, sets: list.length, listeningMs: m((r) => r.listeningMs), firstOkMs: m((r) => r.firstOkMs), rssIdleMiB: m((r) => r.rssIdleMiB), rssAfterMiB: m((r) => r.rssAfterMiB) });
  }
}

// ---- shared store (Redis) ------------------------------------------------------------------------------

/** Several processes measured as one server (the replicas, the proxy and Redis of a shared mock). */
function composite(url: string, parts: Server[], extraPids: number[]): Server {
  return {
    child: parts[0]!.child,
    url,
    spawnedAt: parts[0]!.spawnedAt,
    listeningMs: parts[0]!.listeningMs,
    rssMiB: () => parts.reduce((n, p) => n + p.rssMiB(), 0),
    cpuMs: () => parts.reduce((n, p) => n + p.cpuMs(), 0) + extraPids.reduce((n, pid) => n + readCpuMs(pid), 0),
    pause: () => parts.forEach((p) => p.pause()),
    resume: () => parts.forEach((p) => p.resume()),
    stop: async () => void (await Promise.all(parts.map((p) => p.stop()))),
  };
}

async function runRedis(rows: LoadRow[], notes: Record<string, string>): Promise<void> {
  const redis = await startRedis({ cpus: PLACE.server });
  const redisPid = redis.child.pid!;
  const started: Server[] = [];
  try {
    const sets: { name: string; note: string; memory: () => Promise<Server>; shared: () => Promise<Server>; prepare: (url: string) => Promise<Prepared>; path: string }[] = [
      {
        name: 'redis: GET job',
        note: 'GET one export job, Bearer: a replica on Redis (the mock) vs the same GET in memory mode (the "baseline" column); target ≥ 0.8×',
        memory: () => startMock([...BIG_BUCKET]),
        shared: async () => {
          const m = await startMock([...BIG_BUCKET, '--store', redis.url, '--store-prefix', 'bench-get']);
          return composite(m.url, [m], [redisPid]);
        },
        prepare: bearerPrepared(JOB_PATH),
        path: JOB_PATH,
      },
      {
        name: 'redis: create+poll, 2 replicas',
        note: 'per connection: POST an export job then 9 GETs of it, through a round-robin proxy over two replicas on Redis (the mock: replicas + proxy + Redis CPU) vs one memory mock (the "baseline" column)',
        memory: () => startMock([...BIG_BUCKET, '--queued', '0', '--running', '0']),
        shared: async () => {
          const a = await startMock([...BIG_BUCKET, '--queued', '0', '--running', '0', '--store', redis.url, '--store-prefix', 'bench-cp']);
          const b = await startMock([...BIG_BUCKET, '--queued', '0', '--running', '0', '--store', redis.url, '--store-prefix', 'bench-cp']);
          const proxy = await startServer(process.execPath, [join(ROOT, 'scripts', 'rr-proxy.mjs'), a.url, b.url], { cpus: PLACE.server });
          return composite(proxy.url, [a, b, proxy], [redisPid]);
        },
        prepare: async (url) => {
          const p = await bearerPrepared(JOB_PATH)(url);
          return { ...p, mode: { kind: 'create-poll', createPath: EXPORTS_PATH, body: JSON.stringify({ snapshotId: '6650a0c1f1d2e3a4b5c6d804', exportBucketId: '6650a0c1f1d2e3a4b5c6d810' }), contentType: 'application/json', pollPrefix: EXPORTS_PATH, polls: 9 } };
        },
        path: JOB_PATH,
      },
    ];
    for (const set of sets) {
      notes[set.name] = set.note;
      const memory = await set.memory();
      const shared = await set.shared();
      started.push(memory, shared);
      const prepared = { memory: await set.prepare(memory.url), shared: await set.prepare(shared.url) };
      const servers = { mock: shared, base: memory };
      const tool: Tool = 'autocannon';
      for (const who of ['base', 'mock'] as const) if (WARMUP > 0) await measure(servers[who], tool, servers[who].url + set.path, who === 'mock' ? prepared.shared : prepared.memory, WARMUP);
      for (let round = 1; round <= ROUNDS; round++) {
        const order: ('mock' | 'base')[] = round % 2 ? ['base', 'mock'] : ['mock', 'base'];
        const got: Partial<Record<'mock' | 'base', Measured>> = {};
        for (const who of order) got[who] = await measure(servers[who], tool, servers[who].url + set.path, who === 'mock' ? prepared.shared : prepared.memory, DURATION);
        const row: LoadRow = { scenario: set.name, round, tool, mock: got.mock!, base: got.base! };
        rows.push(row);
        log(`${set.name} r${round}: shared ${row.mock.result.rps.toFixed(0)} req/s (p50 ${row.mock.result.p50} ms, p99 ${row.mock.result.p99} ms, ${row.mock.cpuUs.toFixed(1)} µs CPU/req, non-2xx ${row.mock.result.non2xx}) vs memory ${row.base.result.rps.toFixed(0)} (${row.base.cpuUs.toFixed(1)} µs/req, non-2xx ${row.base.result.non2xx}) → ${(row.mock.result.rps / row.base.result.rps).toFixed(2)}×`);
      }
      await memory.stop();
      await shared.stop();
    }
  } finally {
    for (const s of started) await s.stop().catch(() => undefined);
    await redis.stop();
  }
}

// ---- a year of scheduled snapshots ---------------------------------------------------------------------

const SA2 = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d831', secret: 'mdb_sa_sk_othrothrothrothrothrothrothrothr' };
const GROUP2 = '6650a0c1f1d2e3a4b5c6d7f1';
const SNAPSHOTS_PATH = `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/snapshots`;

/** The snapshot requests measured after a year of hourly snapshots, each against the job GET of the same round. */
const YEAR_OPS: { name: string; path: (snapshotId: string) => string }[] = [
  { name: 'year: list snapshots, page 1 of 100', path: () => `${SNAPSHOTS_PATH}?includeCount=true&itemsPerPage=100&pageNum=1` },
  { name: 'year: list snapshots, page 60 of 100', path: () => `${SNAPSHOTS_PATH}?includeCount=true&itemsPerPage=100&pageNum=60` },
  { name: 'year: list snapshots, page 1 of 10', path: () => `${SNAPSHOTS_PATH}?includeCount=true&itemsPerPage=10&pageNum=1` },
  { name: 'year: GET one scheduled snapshot', path: (id) => `${SNAPSHOTS_PATH}/${id}` },
];

/**
 * A year of mock time with an hourly policy (kept a year) on every cluster of the default dataset, then the
 * snapshot list (the CLI's page 1 of 100, a deep page, a small page) and the GET of one scheduled snapshot,
 * each measured in the same process and round as the export-job GET, which is the `baseline` of these rows:
 * the ratio is the snapshot request's req/s ÷ the job GET's (target: within 2×, ≥ 0.5).
 */
async function runYear(rows: LoadRow[]): Promise<void> {
  const mock = await startMock([...BIG_BUCKET]);
  try {
    const json = { 'content-type': 'application/json' };
    const control = async (method: string, path: string, body: unknown) => {
      const res = await send(method, `${mock.url}/__mock${path}`, json, JSON.stringify(body));
      if (res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.body.toString()}`);
    };
    await control('POST', '/clock', { mode: 'manual' });
    const hourly = JSON.stringify({ policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 1, retentionUnit: 'years', retentionValue: 1 }] }] });
    for (const [sa, group, cluster] of [[SA, GROUP, 'Cluster0'], [SA, GROUP, 'Sharded0'], [SA2, GROUP2, 'Cluster0']] as const) {
      const token = await bearerTokenOf(mock.url, sa);
      const res = await send('PATCH', `${mock.url}/api/atlas/v2/groups/${group}/clusters/${cluster}/backup/schedule`, { accept: 'application/vnd.atlas.2024-08-05+json', authorization: `Bearer ${token}`, ...json }, hourly);
      if (res.status !== 200) throw new Error(`PATCH schedule of ${cluster}: ${res.status} ${res.body.toString()}`);
    }
    await control('POST', '/clock', { advanceBy: 'P365D' });
    // Tokens live an hour of mock time: mint them after the year.
    const job = await bearerPrepared(JOB_PATH)(mock.url);
    const deep = JSON.parse((await send('GET', mock.url + YEAR_OPS[1]!.path(''), job.headers)).body.toString()) as { totalCount: number; results: { id: string }[] };
    if (!(deep.totalCount >= 8760) || deep.results.length !== 100) throw new Error(`a year of hourly snapshots: totalCount ${deep.totalCount}, page 60 holds ${deep.results.length}`);
    const snapshotId = deep.results[40]!.id;
    log(`year: ${deep.totalCount} snapshots listed for Cluster0; measuring against the job GET`);
    for (const tool of TOOLS) {
      const paths = [JOB_PATH, ...YEAR_OPS.map((op) => op.path(snapshotId))];
      if (WARMUP > 0) for (const path of paths) await measure(mock, tool, mock.url + path, job, WARMUP);
      for (let round = 1; round <= ROUNDS; round++) {
        const base = await measure(mock, tool, mock.url + JOB_PATH, job, DURATION);
        for (const op of YEAR_OPS) {
          const got = await measure(mock, tool, mock.url + op.path(snapshotId), job, DURATION);
          if (got.result.non2xx > 0) throw new Error(`${op.name}: ${got.result.non2xx} answers were not 2xx`);
          rows.push({ scenario: op.name, round, tool, mock: got, base });
          log(`${op.name} r${round} ${tool}: ${got.result.rps.toFixed(0)} req/s (${got.cpuUs.toFixed(1)} µs CPU/req) vs job GET ${base.result.rps.toFixed(0)} (${base.cpuUs.toFixed(1)} µs/req) → ${(got.result.rps / base.result.rps).toFixed(2)}×`);
        }
      }
    }
  } finally {
    await mock.stop();
  }
}

async function bearerTokenOf(url: string, sa: { id: string; secret: string }): Promise<string> {
  const res = await send('POST', `${url}/api/oauth/token`, {
    authorization: `Basic ${Buffer.from(`${sa.id}:${sa.secret}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }, 'grant_type=client_credentials');
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${res.body.toString()}`);
  return (JSON.parse(res.body.toString()) as { access_token: string }).access_token;
}

// ---- main ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!HAS_WRK) log(WRK_INSTALL_HINT);
  const info: RunInfo = {
    command: `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`,
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
    memGiB: totalmem() / 2 ** 30,
    loadBefore: loadavg(),
    loadAfter: [],
    place: PLACE,
    tools: TOOLS,
    wrk: HAS_WRK,
    rounds: ROUNDS,
    durationS: DURATION,
    scaleRounds: SCALE_ROUNDS,
    scaleDurationS: SCALE_DURATION,
    scaleSets: SCALE_SETS,
    warmupS: WARMUP,
    connections: CONNECTIONS,
  };
  const rows: LoadRow[] = [];
  const startups: StartupRow[] = [];
  const scale: ScaleRow[] = [];
  const rss: Record<string, number> = {};
  let inProcess: InProcessRow[] = [];
  let vitest: VitestRow[] = [];
  const t0 = performance.now();
  const ticks0 = readMachineTicks();
  // A scenario that fails (a server that exits, a tool that errs) is reported and the run goes on: a full run
  // takes ~26 min, and one failure late in it used to leave no RESULTS.md at all. The rounds it measured
  // before failing stay in the tables; the run still exits 1.
  const failed: string[] = [];
  const step = async (name: string, run: () => Promise<void>): Promise<void> => {
    if (!wanted(name)) return;
    try {
      await run();
    } catch (e) {
      failed.push(`- **${name}**: ${((e as Error).stack ?? String(e)).split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ')}`);
      log(`\n${name} FAILED: ${(e as Error).stack ?? String(e)}\n`);
    }
  };
  await step('startup', () => runStartups(startups));
  for (const sc of LOAD_SCENARIOS) await step(sc.name, () => runLoadScenario(sc, rows, rss));
  await step('scale', () => runScale(rows, scale));
  await step('year', () => runYear(rows));
  const inProcessCtx = { root: ROOT, cpus: PLACE.server, env: { TMPDIR: MOCK_TMP }, log };
  await step('in-process', async () => void (inProcess = await runInProcess(inProcessCtx, IN_PROCESS_ROUNDS)));
  await step('vitest-isolation', async () => void (vitest = await runVitestIsolation(inProcessCtx, VITEST_ROUNDS, VITEST_TESTS)));
  let files: Awaited<ReturnType<typeof runExportFiles>> = { rows: [], notes: [] };
  await step('export-files', async () => void (files = await runExportFiles({ cli: CLI, root: ROOT, env: MOCK_ENV, cpus: PLACE.server, log })));
  const notes: Record<string, string> = Object.fromEntries(LOAD_SCENARIOS.map((s) => [s.name, s.note]));
  await step('redis', () => runRedis(rows, notes));
  info.loadAfter = loadavg();
  const ticks1 = readMachineTicks();
  info.stealShare = (ticks1.steal - ticks0.steal) / (ticks1.total - ticks0.total);
  info.elapsedS = (performance.now() - t0) / 1000;
  for (const op of YEAR_OPS) notes[op.name] = `${op.name.slice(6)} of Cluster0 after a year of mock time with an hourly policy kept a year on every cluster of the default dataset (~8 800 snapshots a cluster), Bearer; "baseline" is the export-job GET measured in the same process and round (target: ratio ≥ 0.5, within 2×)`;
  const failures = failed.length ? `\n## Scenarios that failed\n\nThe run went on without them; their targets above are missing or rest on the rounds measured before the failure.\n\n${failed.join('\n')}\n` : '';
  writeFileSync(OUT, report(info, rows, startups, scale, rss, notes, { inProcess, vitest }) + exportFilesSection(files.rows, files.notes) + failures);
  log(`\nwritten ${relative(process.cwd(), OUT)} in ${(info.elapsedS).toFixed(0)} s; median bearer ratio ${median(rows.filter((r) => r.scenario === 'bearer').map((r) => r.mock.result.rps / r.base.result.rps)).toFixed(2)}`);
  if (failed.length) {
    log(`failed: ${failed.length} scenario(s), see the end of ${relative(process.cwd(), OUT)}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
