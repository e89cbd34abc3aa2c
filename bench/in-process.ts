/**
 * Scenarios of `npm run bench` that measure the mock inside a test's own process:
 *
 * - `in-process`: `startAtlasMock()` → ready after the first of a process, `close()`, and the control helper
 *   `mock.reset()` of the default dataset (bench/lib/in-process-child.mjs, one fresh process per round),
 *   beside bare Node's `http.createServer().listen(0)` and close in the same process;
 * - `vitest-isolation`: one vitest file of N tests, each one authenticated GET of an export job, run as a
 *   user runs it (`vitest run`, its own worker process): every test with a fresh mock (`beforeEach` start,
 *   `afterEach` close), against the same file sharing one mock (`beforeAll`) and sharing one with a
 *   `beforeEach(reset)`. The file's time is vitest's own (its JSON report: the file's start to end, import
 *   and collection included); the variants are interleaved by round.
 *
 * Both run pinned to the servers' CPU, where the loaded scenarios run their servers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pinned } from './lib/procs.js';
import type { InProcessRow, VitestRow, VitestVariant } from './lib/report.js';
import { median } from './lib/stats.js';

const execFileP = promisify(execFile);

interface Ctx {
  root: string;
  cpus: string | undefined;
  env: Record<string, string>;
  log(line: string): void;
}

/** What bench/lib/in-process-child.mjs prints: every call's time, ms. */
interface ChildResult {
  importMs: number;
  firstStartMs: number;
  firstCloseMs: number;
  startMs: number[];
  closeMs: number[];
  resetMs: number[];
  bareListenMs: number[];
  bareCloseMs: number[];
}

export async function runInProcess(ctx: Ctx, rounds: number, starts = 20, resets = 200): Promise<InProcessRow[]> {
  const rows: InProcessRow[] = [];
  const [cmd, argv] = pinned(ctx.cpus, process.execPath, [join(ctx.root, 'bench', 'lib', 'in-process-child.mjs'), join(ctx.root, 'dist', 'index.js'), String(starts), String(resets)]);
  for (let round = 1; round <= rounds; round++) {
    const { stdout } = await execFileP(cmd, argv, { env: { ...process.env, ...ctx.env }, encoding: 'utf8', maxBuffer: 1 << 22 });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
    const row: InProcessRow = {
      round,
      importMs: r.importMs,
      firstStartMs: r.firstStartMs,
      startMs: median(r.startMs),
      closeMs: median(r.closeMs),
      resetMs: median(r.resetMs),
      bareListenMs: median(r.bareListenMs),
      bareCloseMs: median(r.bareCloseMs),
      starts,
      resets,
    };
    rows.push(row);
    ctx.log(`in-process r${round}: import ${row.importMs.toFixed(0)} ms, first startAtlasMock ${row.firstStartMs.toFixed(1)} ms, then ${row.startMs.toFixed(2)} ms (close ${row.closeMs.toFixed(2)} ms), reset() ${row.resetMs.toFixed(3)} ms; bare listen ${row.bareListenMs.toFixed(2)} ms`);
  }
  return rows;
}

const VARIANTS: { variant: VitestVariant; hooks: string }[] = [
  { variant: 'shared', hooks: 'beforeAll(async () => { mock = await startAtlasMock(); });\nafterAll(() => mock.close());' },
  { variant: 'shared+reset', hooks: 'beforeAll(async () => { mock = await startAtlasMock(); });\nbeforeEach(() => mock.reset());\nafterAll(() => mock.close());' },
  { variant: 'fresh', hooks: 'beforeEach(async () => { mock = await startAtlasMock(); });\nafterEach(() => mock.close());' },
];

/** A test file as a user writes it, with the package imported from dist/ (what npm installs). */
function testFile(root: string, hooks: string, tests: number): string {
  return `import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startAtlasMock } from ${JSON.stringify(join(root, 'dist', 'index.js'))};

const PATH = '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/6650a0c1f1d2e3a4b5c6d822';
let mock;
${hooks}

for (let i = 0; i < ${tests}; i++) {
  it('reads an export job ' + i, async () => {
    const res = await fetch(mock.url + PATH, { headers: { accept: 'application/vnd.atlas.2023-01-01+json', ...(await mock.authHeaders()) } });
    expect(res.status).toBe(200);
    expect((await res.json()).state).toBe('Successful');
  });
}
`;
}

interface VitestJson {
  numPassedTests: number;
  numTotalTests: number;
  testResults: { startTime: number; endTime: number; status: string }[];
}

export async function runVitestIsolation(ctx: Ctx, rounds: number, tests = 500): Promise<VitestRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-vitest-'));
  const rows: VitestRow[] = [];
  try {
    // `import 'vitest'` from the files resolves through the repository's packages.
    symlinkSync(join(ctx.root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mjs'], pool: 'forks', testTimeout: 20000 } };\n");
    for (const v of VARIANTS) writeFileSync(join(dir, `${v.variant.replace('+', '-')}.test.mjs`), testFile(ctx.root, v.hooks, tests));
    const vitest = join(ctx.root, 'node_modules', 'vitest', 'vitest.mjs');
    for (let round = 1; round <= rounds; round++) {
      // Rotated by round: no variant always runs first.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round - 1) % VARIANTS.length]!);
      for (const v of order) {
        const file = `${v.variant.replace('+', '-')}.test.mjs`;
        const out = join(dir, `out-${round}-${v.variant.replace('+', '-')}.json`);
        const [cmd, argv] = pinned(ctx.cpus, process.execPath, [vitest, 'run', file, '--root', dir, '--config', join(dir, 'vitest.config.mjs'), '--reporter=json', `--outputFile=${out}`]);
        const t0 = performance.now();
        await execFileP(cmd, argv, { cwd: dir, env: { ...process.env, ...ctx.env, CI: '' }, encoding: 'utf8', maxBuffer: 1 << 24 });
        const wallMs = performance.now() - t0;
        const report = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
        const f = report.testResults[0]!;
        if (report.numPassedTests !== tests) throw new Error(`vitest ${v.variant}: ${report.numPassedTests} of ${report.numTotalTests} tests passed`);
        const row: VitestRow = { round, variant: v.variant, tests, fileMs: f.endTime - f.startTime, wallMs };
        rows.push(row);
        ctx.log(`vitest-isolation r${round} ${v.variant}: file ${row.fileMs.toFixed(0)} ms (vitest run ${row.wallMs.toFixed(0)} ms)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
