/**
 * bench/lib/report.ts: the verdicts written into bench/RESULTS.md. The benchmark itself is not a
 * test (`npm run bench`); what decides "met" or "missed" from its figures is, here, on made-up rounds.
 */
import { describe, expect, it } from 'vitest';
import { report, type InProcessRow, type LoadRow, type RunInfo, type ScaleRow, type StartupRow, type VitestRow } from '../../bench/lib/report.js';
import type { Tool } from '../../bench/lib/load.js';

const info: RunInfo = {
  command: 'npm run bench',
  date: '2026-11-30T00:00:00.000Z',
  node: 'v20.20.2',
  cpu: '2 × test CPU',
  memGiB: 24,
  loadBefore: [0, 0, 0],
  loadAfter: [0, 0, 0],
  place: { server: '0', loader: '1', loaderCpus: 1 },
  tools: ['wrk'],
  wrk: true,
  rounds: 3,
  durationS: 5,
  scaleRounds: 3,
  scaleDurationS: 3,
  scaleSets: 3,
  warmupS: 2,
  connections: 50,
};

const side = (rps: number, cpuUs: number, p99 = 5) => ({ result: { tool: 'wrk' as Tool, rps, p50: 1, p99, requests: rps * 5, non2xx: 0, errors: 0 }, cpuUs, busy: 1 });
const row = (scenario: string, round: number, mockRps: number, baseRps = 60_000): LoadRow => ({ scenario, round, tool: 'wrk', mock: side(mockRps, 1e6 / mockRps), base: side(baseRps, 1e6 / baseRps) });
const scaleRow = (label: string, generate: number, rssIdleMiB: number): ScaleRow => ({ label, generate, sets: 3, listeningMs: 200, firstOkMs: generate ? 6000 : 200, rssIdleMiB, rssAfterMiB: rssIdleMiB });
const targetLine = (md: string, start: string) => md.split('\n').find((l) => l.startsWith(`| ${start}`)) ?? '';

describe('bench report verdicts', () => {
  it('judges the Bearer ratio on the median of the rounds', () => {
    const md = report(info, [row('bearer', 1, 36_000), row('bearer', 2, 30_000), row('bearer', 3, 24_000)], [], [], {}, {});
    // 0.60×, 0.50×, 0.40×: the median is 0.50×, under 0.62×.
    expect(targetLine(md, 'GET one job, Bearer')).toContain('0.50×');
    expect(targetLine(md, 'GET one job, Bearer')).toContain('**missed**');
    // 0.57× is above the first round's 0.55× but under the 0.62× held now.
    const under = report(info, [row('bearer', 1, 36_000), row('bearer', 2, 34_000), row('bearer', 3, 24_000)], [], [], {}, {});
    expect(targetLine(under, 'GET one job, Bearer')).toContain('**missed**');
    const met = report(info, [row('bearer', 1, 40_000), row('bearer', 2, 38_000), row('bearer', 3, 24_000)], [], [], {}, {});
    expect(targetLine(met, 'GET one job, Bearer')).toContain('0.63×');
    expect(targetLine(met, 'GET one job, Bearer')).toContain('**met**');
  });

  it('judges each error answer on its own median ratio', () => {
    // 404: 0.60×, 0.50×, 0.58× → 0.58× met; 401: 0.50×, 0.54×, 0.70× → 0.54× missed; no 429 measured.
    const rows = [
      ...[36_000, 30_000, 34_800].map((rps, i) => row('error-404', i + 1, rps)),
      ...[30_000, 32_400, 42_000].map((rps, i) => row('error-401', i + 1, rps)),
    ];
    const md = report(info, rows, [], [], {}, {});
    expect(targetLine(md, 'GET unknown job → 404')).toContain('0.58×');
    expect(targetLine(md, 'GET unknown job → 404')).toContain('**met**');
    expect(targetLine(md, 'GET without credentials → 401')).toContain('0.54×');
    expect(targetLine(md, 'GET without credentials → 401')).toContain('**missed**');
    expect(targetLine(md, 'GET past the rate limit → 429')).toBe('');
  });

  it('compares each warm start with the baseline start of the same run', () => {
    const runs = [
      [400, 200],
      [150, 100],
      [130, 100],
      [260, 100],
      [140, 100],
    ];
    const starts: StartupRow[] = runs.flatMap(([mock, base], run) => [
      { who: 'mock' as const, run, listeningMs: mock! - 10, challengeMs: mock! - 5, firstOkMs: mock!, rssMiB: 68 },
      { who: 'baseline' as const, run, listeningMs: base! - 10, challengeMs: NaN, firstOkMs: base!, rssMiB: 45 },
    ]);
    // Warm runs: 1.50×, 1.30×, 2.60×, 1.40× → median 1.45×, over 1.4× (run 0, the cold one, is left out).
    const md = report(info, [], starts, [], {}, {});
    expect(targetLine(md, 'Spawn → first 200')).toContain('1.45×');
    expect(targetLine(md, 'Spawn → first 200')).toContain('**missed**');
    starts[3] = { ...starts[3]!, firstOkMs: 110 };
    // 1.10×, 1.30×, 2.60×, 1.40× → 1.35×.
    expect(targetLine(report(info, [], starts, [], {}, {}), 'Spawn → first 200')).toContain('**met**');
  });

  it('judges the shared store\'s GET on the median of the rounds against memory mode', () => {
    const shared = (round: number, rps: number): LoadRow => ({ ...row('redis: GET job', round, rps, 30_000), tool: 'autocannon' });
    // 0.90×, 0.70×, 0.75×: the median is 0.75×, under 0.8×; the CPU ratio is printed beside it.
    const md = report(info, [shared(1, 27_000), shared(2, 21_000), shared(3, 22_500)], [], [], {}, {});
    expect(targetLine(md, 'GET one job on a replica on Redis')).toContain('0.75×');
    expect(targetLine(md, 'GET one job on a replica on Redis')).toContain('**missed**');
    expect(targetLine(md, 'GET one job on a replica on Redis')).toContain('CPU per request');
    const met = report(info, [shared(1, 27_000), shared(2, 24_000), shared(3, 22_500)], [], [], {}, {});
    expect(targetLine(met, 'GET one job on a replica on Redis')).toContain('**met**');
  });

  it('compares the 1M store with the default one round by round, not by the medians of each', () => {
    const label = { one: 'default dataset (6 jobs)', million: '+1 000 000 jobs' };
    // The host slows down over the rounds; in each round the 1M store is 5 % slower than the default one.
    const rows = [
      [60_000, 57_000],
      [30_000, 28_500],
      [40_000, 38_000],
    ].flatMap(([one, million], i) => [row(`scale: ${label.one}`, i + 1, one!), row(`scale: ${label.million}`, i + 1, million!)]);
    const scale = [scaleRow(label.one, 0, 70), scaleRow(label.million, 1_000_000, 70 + 350 / 1.048576)];
    const md = report(info, rows, [], scale, {}, {});
    const line = targetLine(md, 'GET throughput with 1M jobs within 10%');
    expect(line).toContain('-5%');
    expect(line).toContain('**met**');
    expect(targetLine(md, '≤ 1 KiB RSS per job')).toContain('350 B');
    // Twice as slow in one round of three: the median is still -5 %.
    rows[5] = row(`scale: ${label.million}`, 3, 19_000);
    expect(targetLine(report(info, rows, [], scale, {}, {}), 'GET throughput with 1M jobs within 10%')).toContain('**met**');
    // Slower by 15 % in two rounds of three: missed.
    rows[1] = row(`scale: ${label.million}`, 1, 51_000);
    rows[3] = row(`scale: ${label.million}`, 2, 25_500);
    expect(targetLine(report(info, rows, [], scale, {}, {}), 'GET throughput with 1M jobs within 10%')).toContain('**missed**');
  });

  it('takes the start-up verdict from the warm starts (run 0 is the cold one)', () => {
    const starts: StartupRow[] = [350, 180, 190, 310, 200].map((ms, run) => ({ who: 'mock', run, listeningMs: ms - 10, challengeMs: ms - 5, firstOkMs: ms, rssMiB: 68 }));
    const md = report(info, [], starts, [], {}, {});
    expect(targetLine(md, 'Start-up to first 200')).toContain('195 ms (median of 4');
    expect(targetLine(md, 'Start-up to first 200')).toContain('**met**');
  });

  it('judges startAtlasMock() and reset() on the median over processes', () => {
    const proc = (round: number, startMs: number, resetMs: number): InProcessRow => ({ round, importMs: 300, firstStartMs: 120, startMs, closeMs: 1, resetMs, bareListenMs: 0.1, bareCloseMs: 0.05, starts: 20, resets: 200 });
    const md = report(info, [], [], [], {}, {}, { inProcess: [proc(1, 4.2, 0.4), proc(2, 9, 0.7), proc(3, 4.8, 0.6)] });
    expect(targetLine(md, '`startAtlasMock()` → ready')).toContain('4.80 ms');
    expect(targetLine(md, '`startAtlasMock()` → ready')).toContain('**met**');
    expect(targetLine(md, '`reset()` of the default dataset')).toContain('0.600 ms');
    expect(targetLine(md, '`reset()` of the default dataset')).toContain('**missed**');
  });

  it('compares the fresh-mock vitest file with the shared-mock file of the same round', () => {
    const run = (round: number, variant: VitestRow['variant'], fileMs: number): VitestRow => ({ round, variant, tests: 500, fileMs, wallMs: fileMs + 3000 });
    // Round ratios 1.5×, 2.5×, 1.9× → 1.9×. Medians of each variant would give 1600 / 1000 = 1.6×.
    const rows = [run(1, 'shared', 1000), run(1, 'fresh', 1500), run(2, 'shared', 400), run(2, 'fresh', 1000), run(3, 'shared', 2000), run(3, 'fresh', 3800), run(1, 'shared+reset', 1200)];
    const md = report(info, [], [], [], {}, {}, { vitest: rows });
    const line = targetLine(md, 'A vitest file of 500 tests');
    expect(line).toContain('1.90×');
    expect(line).toContain('**met**');
    // One round far slower (5×) does not decide: 1.5×, 5×, 1.9× → 1.9×.
    rows[3] = run(2, 'fresh', 2000);
    expect(targetLine(report(info, [], [], [], {}, {}, { vitest: rows }), 'A vitest file of 500 tests')).toContain('**met**');
    rows[1] = run(1, 'fresh', 2100);
    // 2.1×, 5×, 1.9× → 2.1×: missed.
    expect(targetLine(report(info, [], [], [], {}, {}, { vitest: rows }), 'A vitest file of 500 tests')).toContain('**missed**');
  });
});
