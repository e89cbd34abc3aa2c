/**
 * `npm run bench` (issue 7): the built mock (production mode, default logging) against a bare node:http
 * server serving the same body for the same path, side by side in one run, several interleaved rounds at
 * 50 connections with autocannon (and wrk when installed). Reports req/s, p50/p99 and the ratio to the
 * baseline per round, start-up time to the first 200, RSS after load, and the store-scale figures.
 *
 *   npm run bench -- [--rounds 3] [--duration 8] [--only bearer,digest] [--out bench/RESULTS.md]
 *
 * Loopback only; every loop is bounded by --duration and --rounds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestSigner, parseChallenge } from './lib/digest.js';
import { runAutocannon, runWrk, wrkAvailable, type LoadResult, type LoadSpec } from './lib/load.js';
import { startServer, type Server } from './lib/procs.js';
import { fmt, median } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const GROUP = '6650a0c1f1d2e3a4b5c6d7e1';
const JOB = '6650a0c1f1d2e3a4b5c6d822';
const JOB_PATH = `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/exports/${JOB}`;
const ACCEPT = 'application/vnd.atlas.2023-01-01+json';
const SA = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', secret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' };
const KEY = { user: 'mockownr', password: '11111111-2222-4333-8444-555555555555' };

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : process.argv[i + 1]!;
};
const ROUNDS = Number(arg('rounds', '3'));
const DURATION = Number(arg('duration', '8'));
const ONLY = arg('only', '');
const OUT = arg('out', join(ROOT, 'bench', 'RESULTS.md'));
const CONNECTIONS = 50;

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${SA.id}:${SA.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function bearerHeaders(url: string): Promise<Record<string, string>> {
  return { accept: ACCEPT, authorization: `Bearer ${await token(url)}` };
}

interface Scenario {
  name: string;
  /** Extra CLI flags of the mock. */
  mockArgs: string[];
  /** Path the baseline serves (and the mock is asked for). */
  path: string;
  /** The load on the mock, once it runs. */
  load(url: string): Promise<Omit<LoadSpec, 'connections' | 'durationS'>>;
  /** Run wrk too (not for per-request signed headers or request sequences). */
  wrk: boolean;
}

const getJob = (path = JOB_PATH): Scenario['load'] => async (url) => ({ url: url + path, headers: await bearerHeaders(url) });

const SCENARIOS: Scenario[] = [
  { name: 'bearer', mockArgs: [], path: JOB_PATH, load: getJob(), wrk: true },
  {
    name: 'digest',
    mockArgs: [],
    path: JOB_PATH,
    wrk: false,
    load: async (url) => {
      const first = await fetch(url + JOB_PATH, { headers: { accept: ACCEPT } });
      await first.arrayBuffer();
      const challenge = parseChallenge(first.headers.get('www-authenticate') ?? '');
      return {
        url: url + JOB_PATH,
        headers: { accept: ACCEPT },
        setupRequest: (req, context) => {
          const ctx = context as { sign?: ReturnType<typeof digestSigner> };
          const sign = (ctx.sign ??= digestSigner(KEY.user, KEY.password, challenge));
          return { ...req, headers: { ...req.headers, accept: ACCEPT, authorization: sign('GET', JOB_PATH) } };
        },
      };
    },
  },
  { name: 'envelope', mockArgs: [], path: `${JOB_PATH}?envelope=true`, load: getJob(`${JOB_PATH}?envelope=true`), wrk: true },
  { name: 'error-404', mockArgs: [], path: JOB_PATH.replace(JOB, '6650a0c1f1d2e3a4b5c6d8ff'), load: getJob(JOB_PATH.replace(JOB, '6650a0c1f1d2e3a4b5c6d8ff')), wrk: true },
  {
    name: 'create+poll',
    mockArgs: ['--queued', '0', '--running', '0'],
    path: JOB_PATH,
    wrk: false,
    load: async (url) => {
      const headers = await bearerHeaders(url);
      const exportsPath = `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/exports`;
      const poll = { method: 'GET' as const, path: JOB_PATH, headers };
      return {
        url: url + JOB_PATH,
        headers,
        requests: [
          { method: 'POST', path: exportsPath, headers: { ...headers, 'content-type': ACCEPT }, body: JSON.stringify({ snapshotId: '6650a0c1f1d2e3a4b5c6d804', exportBucketId: '6650a0c1f1d2e3a4b5c6d810' }) },
          ...Array.from({ length: 9 }, () => poll),
        ],
      };
    },
  },
  { name: 'store-10k', mockArgs: ['--generate', '10000'], path: JOB_PATH, load: getJob(), wrk: false },
  { name: 'store-1M', mockArgs: ['--generate', '1000000'], path: JOB_PATH, load: getJob(), wrk: false },
];

interface Row {
  scenario: string;
  round: number;
  tool: string;
  base: LoadResult;
  mock: LoadResult;
}

async function withServer<T>(start: () => Promise<Server>, use: (s: Server) => Promise<T>): Promise<T> {
  const s = await start();
  try {
    return await use(s);
  } finally {
    await s.stop();
  }
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-'));
  const scenarios = SCENARIOS.filter((s) => !ONLY || ONLY.split(',').includes(s.name));
  const rows: Row[] = [];
  const startups: { scenario: string; ms: number }[] = [];
  const rss: { scenario: string; mib: number }[] = [];
  const useWrk = wrkAvailable();

  for (const sc of scenarios) {
    for (let round = 1; round <= ROUNDS; round++) {
      const mock = await startServer(process.execPath, [CLI, '--port', '0', ...sc.mockArgs], '/openapi.json', {}, { NODE_ENV: 'production' });
      let mockLoad: LoadSpec;
      let body: Buffer;
      let contentType: string;
      try {
        const spec = await sc.load(mock.url);
        mockLoad = { ...spec, connections: CONNECTIONS, durationS: DURATION };
        const sample = await fetch(mock.url + sc.path, { headers: spec.headers ?? {} });
        body = Buffer.from(await sample.arrayBuffer());
        contentType = sample.headers.get('content-type') ?? 'application/json';
        startups.push({ scenario: sc.name, ms: mock.startupMs });
      } catch (e) {
        await mock.stop();
        throw e;
      }
      const bodyFile = join(tmp, `${sc.name}.body`);
      writeFileSync(bodyFile, body);
      const tools: ('autocannon' | 'wrk')[] = useWrk && sc.wrk ? ['autocannon', 'wrk'] : ['autocannon'];
      try {
        for (const tool of tools) {
          const run = (spec: LoadSpec) => (tool === 'wrk' ? Promise.resolve(runWrk(spec)) : runAutocannon(spec));
          // Interleaved: baseline, mock, alternating first by round so neither always runs on a warmer machine.
          const base = await withServer(
            () => startServer(process.execPath, [join(ROOT, 'bench', 'baseline.mjs'), '0', sc.path, bodyFile, contentType], sc.path, {}),
            (b) => run({ url: b.url + sc.path, connections: CONNECTIONS, durationS: DURATION, headers: { accept: ACCEPT } }),
          );
          const m = await run({ ...mockLoad, url: mockLoad.url });
          rows.push({ scenario: sc.name, round, tool, base, mock: m });
          process.stdout.write(`${sc.name} r${round} ${tool}: mock ${fmt(m.rps)} req/s (p50 ${m.p50} ms, p99 ${m.p99} ms, non2xx ${m.non2xx}) vs baseline ${fmt(base.rps)} → ${fmt(m.rps / base.rps, 2)}×\n`);
        }
        rss.push({ scenario: sc.name, mib: mock.rssMiB() });
      } finally {
        await mock.stop();
      }
    }
  }
  writeFileSync(OUT, report(rows, startups, rss));
  process.stdout.write(`\nwritten ${OUT}\n`);
}

function report(rows: Row[], startups: { scenario: string; ms: number }[], rss: { scenario: string; mib: number }[]): string {
  const lines = [
    '# Benchmark results',
    '',
    `Produced by \`npm run bench -- --rounds ${ROUNDS} --duration ${DURATION}\` on this machine (${process.platform}, Node ${process.version}), ` +
      `${CONNECTIONS} connections, loopback. Baseline: a bare node:http server answering the same body on the same path (bench/baseline.mjs).`,
    '',
    '## Per round',
    '',
    '| scenario | round | tool | mock req/s | baseline req/s | ratio | mock p50/p99 ms | baseline p50/p99 ms | mock non-2xx |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.scenario} | ${r.round} | ${r.tool} | ${fmt(r.mock.rps)} | ${fmt(r.base.rps)} | ${fmt(r.mock.rps / r.base.rps, 2)} | ${r.mock.p50}/${r.mock.p99} | ${r.base.p50}/${r.base.p99} | ${r.mock.non2xx} |`),
    '',
    '## Medians',
    '',
    '| scenario | tool | ratio (median) | p99 ratio (median) | start-up to first 200 ms (median) | RSS after load MiB (median) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const keys = [...new Set(rows.map((r) => `${r.scenario}|${r.tool}`))];
  for (const k of keys) {
    const [sc, tool] = k.split('|') as [string, string];
    const rs = rows.filter((r) => r.scenario === sc && r.tool === tool);
    lines.push(
      `| ${sc} | ${tool} | ${fmt(median(rs.map((r) => r.mock.rps / r.base.rps)), 2)} | ${fmt(median(rs.map((r) => r.mock.p99 / r.base.p99)), 2)} | ${fmt(median(startups.filter((s) => s.scenario === sc).map((s) => s.ms)))} | ${fmt(median(rss.filter((s) => s.scenario === sc).map((s) => s.mib)), 1)} |`,
    );
  }
  return lines.join('\n') + '\n';
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
