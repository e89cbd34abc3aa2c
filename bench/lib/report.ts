/** bench/RESULTS.md: how it was measured, the targets with their verdicts, then every figure. */
import type { LoadResult, Tool } from './load.js';
import type { Placement } from './procs.js';
import { fmt, median, pct } from './stats.js';

export interface RunInfo {
  command: string;
  date: string;
  node: string;
  cpu: string;
  memGiB: number;
  loadBefore: number[];
  loadAfter: number[];
  /** Share of the machine's CPU time the hypervisor gave to others during the run (steal, /proc/stat). */
  stealShare?: number;
  place: Placement;
  tools: Tool[];
  wrk: boolean;
  rounds: number;
  durationS: number;
  scaleRounds: number;
  scaleDurationS: number;
  scaleSets: number;
  warmupS: number;
  connections: number;
  elapsedS?: number;
}

export interface Side {
  result: LoadResult;
  cpuUs: number;
  busy: number;
}

export interface LoadRow {
  scenario: string;
  round: number;
  tool: Tool;
  mock: Side;
  base: Side;
}

export interface StartupRow {
  who: 'mock' | 'baseline';
  run: number;
  listeningMs: number;
  /** ms from spawn to the Digest challenge (the server answers). */
  challengeMs: number;
  firstOkMs: number;
  rssMiB: number;
}

export interface ScaleRow {
  label: string;
  generate: number;
  /** How many processes (one per set) the figures are the median of. */
  sets: number;
  listeningMs: number;
  firstOkMs: number;
  rssIdleMiB: number;
  rssAfterMiB: number;
}

/** One round of scenario `in-process` (one fresh process): medians of its calls, ms. */
export interface InProcessRow {
  round: number;
  /** `import()` of dist/index.js. */
  importMs: number;
  /** The first `startAtlasMock()` of the process. */
  firstStartMs: number;
  /** `startAtlasMock()` after the first (each closed before the next): median of `starts`. */
  startMs: number;
  closeMs: number;
  /** `mock.reset()` of the default dataset: median of `resets`. */
  resetMs: number;
  /** Bare Node in the same process: `http.createServer()` listening on port 0, and its close. */
  bareListenMs: number;
  bareCloseMs: number;
  starts: number;
  resets: number;
}

export type VitestVariant = 'shared' | 'shared+reset' | 'fresh';

/** One run of the vitest file of scenario `vitest-isolation`. */
export interface VitestRow {
  round: number;
  variant: VitestVariant;
  tests: number;
  /** The file's tests, first start to last end (vitest's JSON report; per-test hooks included). */
  fileMs: number;
  /** The whole `vitest run` process. */
  wallMs: number;
}

export interface InProcessResults {
  inProcess?: InProcessRow[];
  vitest?: VitestRow[];
}

/** Targets of the in-process figures and of the error answers (bench/RESULTS.md's verdicts). */
export const TARGETS = {
  /** GET one job, Bearer: mock req/s ÷ baseline req/s. */
  bearer: 0.62,
  /** Error answers (404, 401, 429): mock req/s ÷ baseline req/s. */
  errors: 0.55,
  startupMs: 300,
  /** Spawn → first 200, the mock's ÷ the baseline's. */
  startupRatio: 1.4,
  startAtlasMockMs: 5,
  resetMs: 0.5,
  /** The vitest file with a fresh mock per test ÷ the same file sharing one mock. */
  freshPerTest: 2,
} as const;

/** The error scenarios and what their targets say. */
const ERROR_SCENARIOS: { name: string; what: string }[] = [
  { name: 'error-404', what: 'GET unknown job → 404 RESOURCE_NOT_FOUND, Bearer' },
  { name: 'error-401', what: 'GET without credentials → 401 Digest challenge' },
  { name: 'error-429', what: 'GET past the rate limit → 429 RATE_LIMITED_TOKEN_BUCKET, Bearer' },
];

interface Verdict {
  target: string;
  measured: string;
  ok: boolean | undefined;
}

const verdict = (v: boolean | undefined) => (v === undefined ? 'not measured' : v ? '**met**' : '**missed**');

/**
 * A store against the default one, round by round: the two ran back to back in the same round, so their
 * ratio is free of what drifts between rounds (this machine's load moves req/s by ±30 % from one round to the
 * next; see "Every round"). Medians over rounds of the req/s ratio and of the CPU-per-request ratio.
 */
function pairedScale(rows: LoadRow[], tool: Tool, label: string, refLabel: string): { rps: number; cpu: number; rounds: string } {
  const ratios: number[] = [];
  const cpu: number[] = [];
  for (const r of rows) {
    if (r.tool !== tool || r.scenario !== `scale: ${label}`) continue;
    const ref = rows.find((x) => x.tool === tool && x.round === r.round && x.scenario === `scale: ${refLabel}`);
    if (!ref) continue;
    ratios.push(r.mock.result.rps / ref.mock.result.rps);
    cpu.push(r.mock.cpuUs / ref.mock.cpuUs);
  }
  return { rps: median(ratios), cpu: median(cpu), rounds: ratios.map((x) => `${fmt(x, 2)}×`).join(', ') };
}

/** Per-round ratios of the fresh-mock file to the shared-mock file (the two ran in the same round). */
export function freshRatios(rows: readonly VitestRow[]): number[] {
  const out: number[] = [];
  for (const r of rows) {
    if (r.variant !== 'fresh') continue;
    const shared = rows.find((x) => x.round === r.round && x.variant === 'shared');
    if (shared) out.push(r.fileMs / shared.fileMs);
  }
  return out;
}

/** Per-run ratios of the mock's spawn → first 200 to the baseline's of the same run (warm runs only). */
export function startupRatios(startups: readonly StartupRow[]): number[] {
  const out: number[] = [];
  for (const m of startups) {
    if (m.who !== 'mock' || m.run === 0) continue;
    const b = startups.find((x) => x.who === 'baseline' && x.run === m.run);
    if (b) out.push(m.firstOkMs / b.firstOkMs);
  }
  return out;
}

export function report(info: RunInfo, rows: LoadRow[], startups: StartupRow[], scale: ScaleRow[], rss: Record<string, number>, notes: Record<string, string>, extra: InProcessResults = {}): string {
  const of = (scenario: string, tool: Tool) => rows.filter((r) => r.scenario === scenario && r.tool === tool);
  const ratio = (rs: LoadRow[]) => median(rs.map((r) => r.mock.result.rps / r.base.result.rps));
  const p99Ratio = (rs: LoadRow[]) => median(rs.map((r) => r.mock.result.p99 / r.base.result.p99));
  const cpuRatio = (rs: LoadRow[]) => median(rs.map((r) => r.base.cpuUs / r.mock.cpuUs));
  const v: Verdict[] = [];

  for (const tool of info.tools) {
    const b = of('bearer', tool);
    if (b.length) {
      const r = ratio(b);
      const t = TARGETS.bearer;
      v.push({ target: `GET one job, Bearer, rate limits + journal on: ≥ ${t}× baseline (${tool})`, measured: `${fmt(r, 2)}× (${r >= t ? 'above' : 'below'} by ${fmt(Math.abs(r - t), 2)}); CPU per request ${fmt(cpuRatio(b), 2)}× of the baseline's`, ok: r >= t });
      const p = p99Ratio(b);
      v.push({ target: `same, p99 ≤ 2.5× the baseline's (${tool})`, measured: `${fmt(p, 2)}× (${fmt(median(b.map((x) => x.mock.result.p99)), 2)} ms vs ${fmt(median(b.map((x) => x.base.result.p99)), 2)} ms)`, ok: p <= 2.5 });
    }
  }
  for (const { name, what } of ERROR_SCENARIOS) {
    for (const tool of info.tools) {
      const e = of(name, tool);
      if (!e.length) continue;
      const r = ratio(e);
      const t = TARGETS.errors;
      v.push({ target: `${what}: ≥ ${t}× baseline (${tool})`, measured: `${fmt(r, 2)}× (${r >= t ? 'above' : 'below'} by ${fmt(Math.abs(r - t), 2)}); CPU per request ${fmt(cpuRatio(e), 2)}× of the baseline's`, ok: r >= t });
    }
  }
  for (const tool of info.tools) {
    for (const name of [...new Set(rows.filter((r) => r.tool === tool && r.scenario.startsWith('year: ')).map((r) => r.scenario))]) {
      const r = ratio(of(name, tool));
      v.push({ target: `${name.slice(6)} after a year of hourly snapshots: ≥ 0.5× the export-job GET (${tool})`, measured: `${fmt(r, 2)}× (CPU per request ${fmt(cpuRatio(of(name, tool)), 2)}× of the job GET's)`, ok: r >= 0.5 });
    }
  }
  const d = of('digest', 'autocannon');
  if (d.length) {
    const r = ratio(d);
    v.push({ target: 'Digest auth: ≥ 0.45× baseline (autocannon)', measured: `${fmt(r, 2)}× (${r >= 0.45 ? 'above' : 'below'} by ${fmt(Math.abs(r - 0.45), 2)}); CPU per request ${fmt(cpuRatio(d), 2)}× of the baseline's`, ok: r >= 0.45 });
  }
  const shared = of('redis: GET job', 'autocannon');
  if (shared.length) {
    const r = ratio(shared);
    const rounds = shared.map((x) => `${fmt(x.mock.result.rps / x.base.result.rps, 2)}×`).join(', ');
    v.push({ target: 'GET one job on a replica on Redis: ≥ 0.8× the same GET in memory mode (autocannon)', measured: `${fmt(r, 2)}× (${r >= 0.8 ? 'above' : 'below'} by ${fmt(Math.abs(r - 0.8), 2)}; rounds ${rounds}); CPU per request, replica + Redis: ${fmt(cpuRatio(shared), 2)}× of memory mode's`, ok: r >= 0.8 });
  }
  const mockStarts = startups.filter((s) => s.who === 'mock' && s.run > 0);
  if (mockStarts.length) {
    const s = median(mockStarts.map((x) => x.firstOkMs));
    v.push({ target: `Start-up to first 200, default dataset: ≤ ${TARGETS.startupMs} ms`, measured: `${fmt(s)} ms (median of ${mockStarts.length}; ${s <= TARGETS.startupMs ? 'under' : 'over'} by ${fmt(Math.abs(s - TARGETS.startupMs))} ms)`, ok: s <= TARGETS.startupMs });
    const pairs = startupRatios(startups);
    if (pairs.length) {
      const r = median(pairs);
      const base = median(startups.filter((x) => x.who === 'baseline' && x.run > 0).map((x) => x.firstOkMs));
      v.push({
        target: `Spawn → first 200, default dataset, warm: ≤ ${TARGETS.startupRatio}× the baseline's`,
        measured: `${fmt(r, 2)}× (median over runs of mock ÷ baseline of the same run: ${pairs.map((x) => `${fmt(x, 2)}×`).join(', ')}; medians ${fmt(s)} ms vs ${fmt(base)} ms)`,
        ok: r <= TARGETS.startupRatio,
      });
    }
  }
  if (rss.bearer !== undefined) v.push({ target: 'RSS after load (bearer scenario): ≤ 120 MiB', measured: `${fmt(rss.bearer, 1)} MiB`, ok: rss.bearer <= 120 });
  const one = scale.find((s) => s.generate === 0);
  const million = scale.find((s) => s.generate === 1_000_000);
  if (million) {
    v.push({ target: '1 000 000 jobs generated (spawn → first 200): ≤ 30 s', measured: `${fmt(million.firstOkMs / 1000, 1)} s (listening after ${fmt(million.listeningMs / 1000, 1)} s)`, ok: million.firstOkMs <= 30_000 });
    if (one) {
      const perJobIdle = ((million.rssIdleMiB - one.rssIdleMiB) * 1024 * 1024) / 1_000_000;
      const perJobAfter = ((million.rssAfterMiB - one.rssAfterMiB) * 1024 * 1024) / 1_000_000;
      v.push({ target: '≤ 1 KiB RSS per job ((RSS 1M − RSS default) / 1M)', measured: `${fmt(perJobIdle)} B idle after start, ${fmt(perJobAfter)} B after load`, ok: Math.max(perJobIdle, perJobAfter) <= 1024 });
      for (const tool of info.tools) {
        const r = pairedScale(rows, tool, million.label, one.label);
        if (Number.isFinite(r.rps)) v.push({ target: `GET throughput with 1M jobs within 10% of the default store (${tool})`, measured: `${pct(r.rps, 1)} (median over rounds of 1M ÷ default req/s in the same round; ${r.rounds}); CPU per request ${pct(r.cpu, 1)}`, ok: r.rps >= 0.9 });
      }
    }
  }

  const inProcess = extra.inProcess ?? [];
  if (inProcess.length) {
    const start = median(inProcess.map((r) => r.startMs));
    const reset = median(inProcess.map((r) => r.resetMs));
    v.push({ target: `\`startAtlasMock()\` → ready, after the first in a process: ≤ ${TARGETS.startAtlasMockMs} ms`, measured: `${fmt(start, 2)} ms (median over ${inProcess.length} processes of the median of ${inProcess[0]!.starts}; bare Node's listen ${fmt(median(inProcess.map((r) => r.bareListenMs)), 2)} ms)`, ok: start <= TARGETS.startAtlasMockMs });
    v.push({ target: `\`reset()\` of the default dataset: ≤ ${TARGETS.resetMs} ms`, measured: `${fmt(reset, 3)} ms (median over ${inProcess.length} processes of the median of ${inProcess[0]!.resets})`, ok: reset <= TARGETS.resetMs });
  }
  const vitest = extra.vitest ?? [];
  const fresh = freshRatios(vitest);
  if (fresh.length) {
    const r = median(fresh);
    const tests = vitest[0]!.tests;
    v.push({
      target: `A vitest file of ${tests} tests, a fresh mock per test, each one GET: ≤ ${TARGETS.freshPerTest}× the same file sharing one mock`,
      measured: `${fmt(r, 2)}× (median over rounds: ${fresh.map((x) => `${fmt(x, 2)}×`).join(', ')}; ${fmt(median(vitest.filter((x) => x.variant === 'fresh').map((x) => x.fileMs)))} ms vs ${fmt(median(vitest.filter((x) => x.variant === 'shared').map((x) => x.fileMs)))} ms)`,
      ok: r <= TARGETS.freshPerTest,
    });
  }

  const lines: string[] = [
    '# Benchmark results',
    '',
    `Produced by \`${info.command}\` (${fmt(info.elapsedS ?? NaN)} s) on ${info.date}.`,
    '',
    `- Machine: ${info.cpu}, ${fmt(info.memGiB, 1)} GiB, Linux; Node ${info.node}. Load average before the run ${info.loadBefore.map((x) => fmt(x, 2)).join(' / ')}, after ${info.loadAfter.map((x) => fmt(x, 2)).join(' / ')} (1/5/15 min): other work on the machine shows here.${info.stealShare !== undefined && Number.isFinite(info.stealShare) ? ` CPU time stolen by the hypervisor during the run: ${fmt(info.stealShare * 100, 1)} % (a virtual machine shares its host: the higher, the slower and noisier every figure).` : ''}`,
    `- Servers: the built CLI (\`node dist/cli.js\`, NODE_ENV=production, default logging = pino at info, no per-request lines) and the baseline (\`bench/baseline.mjs\`: bare node:http answering the same bytes with the same Content-Type for the same path). Rate limits on with a bucket of 10⁹ (every request takes a token and gets the RateLimit-* headers, none is refused), journal on (1000 entries).`,
    `- Method: ${info.connections} connections; ${info.rounds} interleaved rounds of ${info.durationS} s per tool after a ${info.warmupS} s warm-up of each server; the order (baseline first / mock first) alternates by round. ` +
      (info.place.server !== undefined
        ? `CPU pinning with taskset: the servers on CPU ${info.place.server} (in the redis rows, Redis and the proxy too), the load generator on CPU ${info.place.loader} (wrk -t${info.place.loaderCpus}; autocannon in its own Node process), this orchestrator unpinned and idle during a run, so the loader never steals the server's CPU.`
        : 'No CPU pinning (taskset missing, one CPU, or --no-pin).') +
      ` Tools: ${info.tools.join(', ')}${info.wrk ? '' : ' (wrk not installed)'}.`,
    '- Ratio = mock req/s ÷ baseline req/s of the same round and tool; the figures are medians over the rounds. "CPU/req" is the server process\'s user+system CPU time divided by the requests it answered (from /proc): it does not depend on how busy the rest of the machine is, so its ratio (baseline ÷ mock) is the steadier estimate of the throughput ratio when the machine is noisy. "busy" is the server\'s CPU time ÷ wall time: below ~90% for the baseline means the load generator, not the server, was the limit.',
    '',
    '## Targets',
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    ...v.map((x) => `| ${x.target} | ${x.measured} | ${verdict(x.ok)} |`),
    '',
  ];

  const keys = [...new Set(rows.map((r) => `${r.scenario}|${r.tool}`))];
  if (keys.length) {
    lines.push(
      '## Medians per scenario',
      '',
      '| scenario | tool | mock req/s | baseline req/s | ratio | mock p50 / p99 ms | baseline p50 / p99 ms | p99 ratio | CPU µs/req mock / baseline | CPU ratio | busy mock / baseline | mock non-2xx (total) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const k of keys) {
      const [sc, tool] = k.split('|') as [string, Tool];
      const rs = of(sc, tool);
      const m = (f: (r: LoadRow) => number) => median(rs.map(f));
      lines.push(
        `| ${sc} | ${tool} | ${fmt(m((r) => r.mock.result.rps))} | ${fmt(m((r) => r.base.result.rps))} | ${fmt(ratio(rs), 2)} | ${fmt(m((r) => r.mock.result.p50), 2)} / ${fmt(m((r) => r.mock.result.p99), 2)} | ${fmt(m((r) => r.base.result.p50), 2)} / ${fmt(m((r) => r.base.result.p99), 2)} | ${fmt(p99Ratio(rs), 2)} | ${fmt(m((r) => r.mock.cpuUs), 1)} / ${fmt(m((r) => r.base.cpuUs), 1)} | ${fmt(cpuRatio(rs), 2)} | ${fmt(m((r) => r.mock.busy) * 100)}% / ${fmt(m((r) => r.base.busy) * 100)}% | ${rs.reduce((a, r) => a + r.mock.result.non2xx, 0)} |`,
      );
    }
    lines.push('', 'Scenarios:', '');
    for (const [name, note] of Object.entries(notes)) if (rows.some((r) => r.scenario === name)) lines.push(`- **${name}**: ${note}.`);
    if (Object.keys(rss).length) lines.push('', `RSS of the mock after its rounds: ${Object.entries(rss).map(([k, x]) => `${k} ${fmt(x, 1)} MiB`).join(', ')}.`);
    lines.push('');
  }

  if (startups.length) {
    const part = (who: 'mock' | 'baseline') => startups.filter((s) => s.who === who);
    lines.push(
      '## Start-up (default dataset)',
      '',
      'Spawn of `node dist/cli.js --port 0` (no other flag) → its "listening on" line → the Digest challenge of a first GET of a job → the 200 of the signed GET (what a test\'s client waits for). The baseline: spawn → its first 200. Every mock of the run has the same fresh temp folder, where the CLI keeps V8\'s code cache: run 0 is the cold start (no cache; it leaves one at exit), the other runs start from it, as every start after the first one does on a machine.',
      '',
      '| server | runs | listening ms (median) | challenge ms | first 200 ms (median, min–max) | RSS after start MiB |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    const cold = startups.find((s) => s.who === 'mock' && s.run === 0);
    if (cold) lines.push(`| mock, run 0 (cold: no code cache) | 1 | ${fmt(cold.listeningMs)} | ${fmt(cold.challengeMs)} | ${fmt(cold.firstOkMs)} | ${fmt(cold.rssMiB, 1)} |`);
    for (const who of ['mock', 'baseline'] as const) {
      const s = part(who).filter((x) => x.run > 0);
      if (!s.length) continue;
      const f = s.map((x) => x.firstOkMs);
      lines.push(`| ${who} | ${s.length} | ${fmt(median(s.map((x) => x.listeningMs)))} | ${fmt(median(s.map((x) => x.challengeMs)))} | ${fmt(median(f))} (${fmt(Math.min(...f))}–${fmt(Math.max(...f))}) | ${fmt(median(s.map((x) => x.rssMiB)), 1)} |`);
    }
    lines.push('');
  }

  if (scale.length) {
    const one = scale.find((s) => s.generate === 0);
    lines.push(
      '## Store scale',
      '',
      `Three mocks side by side (default dataset; \`--generate 10000\`; \`--generate 1000000\`), all answering the same GET of one job with Bearer; ${info.scaleRounds} rounds of ${info.scaleDurationS} s per tool rotate over the baseline and the three; a store is compared with the default one round by round (the two ran back to back), the median of those ratios is the verdict. The rounds are split over ${info.scaleSets} sets of fresh processes (two processes of the same code differ by up to 15–20 % in CPU per request here for as long as they run; fresh sets keep one lucky or unlucky process from deciding), and every server but the measured one is paused (SIGSTOP: an idle million-job mock's garbage collector would otherwise run on the CPU the others share). Start-up: spawn → first 200 (token request included), the generation included; idle RSS one second after the first 200; both the median over the sets' processes.`,
      '',
      '| store | spawn → listening s | spawn → first 200 s | idle RSS MiB | RSS after load MiB | RSS per job (idle / after load) | ' + info.tools.map((t) => `${t} req/s (vs default)`).join(' | ') + ' |',
      '| --- | --- | --- | --- | --- | --- | ' + info.tools.map(() => '---').join(' | ') + ' |',
    );
    for (const s of scale) {
      const per = (a: number, b: number) => (one && s.generate > 0 ? `${fmt(((a - b) * 1024 * 1024) / s.generate)} B` : '–');
      const perTool = info.tools.map((tool) => {
        const mine = median(rows.filter((r) => r.tool === tool && r.scenario === `scale: ${s.label}`).map((r) => r.mock.result.rps));
        return `${fmt(mine)} (${s === one || !one ? '–' : pct(pairedScale(rows, tool, s.label, one.label).rps, 1)})`;
      });
      lines.push(`| ${s.label} | ${fmt(s.listeningMs / 1000, 2)} | ${fmt(s.firstOkMs / 1000, 2)} | ${fmt(s.rssIdleMiB, 1)} | ${fmt(s.rssAfterMiB, 1)} | ${one ? `${per(s.rssIdleMiB, one.rssIdleMiB)} / ${per(s.rssAfterMiB, one.rssAfterMiB)}` : '–'} | ${perTool.join(' | ')} |`);
    }
    lines.push('');
  }

  if (inProcess.length) {
    lines.push(
      "## In a test's process",
      '',
      `Scenario in-process: a fresh Node process per round imports the built package (\`dist/index.js\`) and calls \`startAtlasMock()\` with no option (manual clock, seed 1, export files into a folder of its own) as a test does: the first one of the process apart, then ${inProcess[0]!.starts} more, each closed before the next (\`beforeEach\` / \`afterEach\`); then \`mock.reset()\` ${inProcess[0]!.resets} times on one mock (after 20 unmeasured). Beside them, in the same process, bare Node: \`http.createServer()\` listening on port 0, and its close. Medians of each process's calls; the verdict is the median over the processes.`,
      '',
      '| round | import ms | first startAtlasMock ms | startAtlasMock ms | close ms | reset() ms | bare listen / close ms |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...inProcess.map((r) => `| ${r.round} | ${fmt(r.importMs)} | ${fmt(r.firstStartMs, 1)} | ${fmt(r.startMs, 2)} | ${fmt(r.closeMs, 2)} | ${fmt(r.resetMs, 3)} | ${fmt(r.bareListenMs, 2)} / ${fmt(r.bareCloseMs, 2)} |`),
      '',
    );
  }

  if (vitest.length) {
    const tests = vitest[0]!.tests;
    lines.push(
      `## A vitest file of ${tests} tests`,
      '',
      `Scenario vitest-isolation: one test file of ${tests} tests, each one GET of an export job with \`mock.authHeaders()\` (a Bearer token the mock mints, as its token endpoint would) through \`fetch\`, run by \`vitest run\` (its own worker process) in three variants: **shared** (one \`startAtlasMock()\` in \`beforeAll\`), **shared+reset** (the same plus \`beforeEach(() => mock.reset())\`) and **fresh** (\`startAtlasMock()\` in \`beforeEach\`, \`close()\` in \`afterEach\`). Time: the file's tests from the first one's start to the last one's end as vitest reports them (per-test hooks included, \`beforeAll\` not: the fresh variant's first test pays the process's first start). Variants rotate by round; the verdict is the median over rounds of fresh ÷ shared of the same round.`,
      '',
      '| round | variant | tests ms | per test ms | vitest run ms |',
      '| --- | --- | --- | --- | --- |',
      ...vitest.map((r) => `| ${r.round} | ${r.variant} | ${fmt(r.fileMs)} | ${fmt(r.fileMs / r.tests, 2)} | ${fmt(r.wallMs)} |`),
      '',
    );
  }

  if (rows.length) {
    lines.push(
      '## Every round',
      '',
      '| scenario | round | tool | mock req/s | baseline req/s | ratio | mock p50/p99 ms | baseline p50/p99 ms | CPU µs/req mock / baseline | mock non-2xx |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${r.round} | ${r.tool} | ${fmt(r.mock.result.rps)} | ${fmt(r.base.result.rps)} | ${fmt(r.mock.result.rps / r.base.result.rps, 2)} | ${fmt(r.mock.result.p50, 2)}/${fmt(r.mock.result.p99, 2)} | ${fmt(r.base.result.p50, 2)}/${fmt(r.base.result.p99, 2)} | ${fmt(r.mock.cpuUs, 1)} / ${fmt(r.base.cpuUs, 1)} | ${r.mock.result.non2xx} |`,
      ),
      '',
    );
  }
  return lines.join('\n');
}
