/**
 * The lifecycle options end to end through the built CLI (`--clock`, `--speed`, `--start-time`, `--queued`,
 * `--running`, `--outcome` and their ATLAS_MOCK_* variables): a server process on a free loopback port, a
 * client over HTTP, the process stopped after each test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliAuthHeaders, startCli, type RunningCli } from '../helpers/cli.js';
import { exportsUrl, IDS, V2023 } from '../helpers/mock.js';
import { snapshotUrl } from '../helpers/flow.js';

let server: RunningCli | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const url = server!.url;
  const headers: Record<string, string> = { ...(await cliAuthHeaders(url)), accept: V2023 };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method: init.method ?? 'GET', headers, ...(init.body !== undefined && { body: JSON.stringify(init.body) }) });
  return { status: res.status, body: await res.json() };
}

const createReadyJob = () => api(exportsUrl(), { method: 'POST', body: { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket } });

/**
 * How long to poll before giving up. The server's clock runs at ×60 of the system clock whatever the load, so a
 * job ends on time; a busy machine only delays the polls that see it. The limit only stops a broken run.
 */
const POLL_LIMIT_MS = 90_000;

/**
 * Polls the job every 200 ms until it is terminal (or POLL_LIMIT_MS passed); returns the states seen, starting
 * with the one the create answered, each once.
 */
async function pollUntilTerminal(created: { id: string; state: string }): Promise<{ states: string[]; last: any }> {
  const started = performance.now();
  const states: string[] = [created.state];
  let last: any;
  while (performance.now() - started < POLL_LIMIT_MS) {
    last = (await api(`${exportsUrl()}/${created.id}`)).body;
    if (states[states.length - 1] !== last.state) states.push(last.state);
    if (['Successful', 'Failed', 'Cancelled'].includes(last.state)) break;
    await sleep(200);
  }
  return { states, last };
}

describe('CLI lifecycle options', () => {
  it('--clock system --speed 60: a job with the default plan (2.5 min + 12 min) walks Queued → InProgress → Successful in 14.5 s of wall time', async () => {
    server = await startCli(['--clock', 'system', '--speed', '60']);
    expect(server.stdout()).toContain('clock: system x60');
    const started = performance.now();
    const created = await createReadyJob();
    expect([created.status, created.body.state]).toEqual([200, 'Queued']);
    const { states, last } = await pollUntilTerminal(created.body);
    const wallMs = performance.now() - started;
    expect(states).toEqual(['Queued', 'InProgress', 'Successful']);
    expect(last.exportStatus).toEqual({ exportedCollections: 42, totalCollections: 42 });
    // The mock clock: the default plan ends 14.5 mock minutes after creation.
    expect(Date.parse(last.finishedAt) - Date.parse(last.createdAt)).toBe(870_000);
    // ×60 and not faster: 870 s of mock time (less the < 1 s createdAt is rounded down by) cannot pass in
    // less than 14.5 s of wall time. A lower bound: a busy machine can only make the wait longer.
    expect(wallMs).toBeGreaterThan(14_000);
  }, 120_000);

  it('--queued / --running / --outcome (and ATLAS_MOCK_QUEUED) shape created jobs', async () => {
    server = await startCli(['--clock', 'system', '--speed', '60', '--running', 'PT1M', '--outcome', 'Failed'], { ATLAS_MOCK_QUEUED: '30s' });
    const created = await createReadyJob();
    expect(created.status).toBe(200);
    const { states, last } = await pollUntilTerminal(created.body);
    expect(states.at(-1)).toBe('Failed');
    expect(last.stateReason).toEqual({ errorCode: 'EXPORT_FAILED', message: expect.any(String) });
    // Queued 30 s then running 60 s of mock time: finished 90 s after creation.
    expect(Date.parse(last.finishedAt) - Date.parse(last.createdAt)).toBe(90_000);
  }, 120_000);

  it('--clock manual --start-time: time stands still, so jobs and snapshots do not move', async () => {
    server = await startCli(['--clock', 'manual', '--start-time', '2026-08-10T03:00:00Z']);
    const created = await createReadyJob();
    expect(created.body.createdAt).toBe('2026-08-10T03:00:00Z');
    await sleep(1_000);
    expect((await api(`${exportsUrl()}/${created.body.id}`)).body.state).toBe('Queued');
    expect((await api(snapshotUrl(IDS.snapshotInProgress))).body.status).toBe('inProgress');
  }, 20_000);
});
