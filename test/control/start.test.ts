/** startAtlasMock / connectAtlasMock: every control operation through the typed helpers, over a real socket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAtlasMock, MockControlError, startAtlasMock, type AtlasMock } from '../../src/index.js';
import { IDS, jobUrl, ownerAuth, V2023 } from '../helpers/mock.js';
import { idAt } from './helpers.js';

const START = '2026-08-10T03:00:00.000Z';

describe('startAtlasMock', () => {
  let mock: AtlasMock;
  const get = async (path: string) => fetch(mock.url + path, { headers: { accept: V2023, ...(await ownerAuth(mock.app)) } });

  beforeAll(async () => {
    mock = await startAtlasMock({ clock: { start: START } });
  });
  afterAll(() => mock.close());

  it('listens on loopback with a manual clock, seed 1, and hands out the dataset credentials', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await mock.clock.get()).toEqual({ now: START, mode: 'manual', speed: 1 });
    expect(mock.app.mock.random.seed).toBe(1);
    expect(mock.credentials.apiKeys.map((k) => k.publicKey)).toEqual(['mockownr', 'mockread', 'mockothr', 'mockipls']);
    expect(mock.credentials.apiKeys[0]).toMatchObject({ privateKey: '11111111-2222-4333-8444-555555555555', projects: [{ groupId: IDS.group, roles: ['Project Owner'] }] });
    expect(mock.credentials.serviceAccounts).toEqual([
      expect.objectContaining({ clientId: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', clientSecret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' }),
      expect.objectContaining({ clientId: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d831', projects: [{ groupId: IDS.otherGroup, roles: ['Project Owner'] }] }),
    ]);
    const health = await mock.health();
    expect(health).toMatchObject({ status: 'ok', counts: { exportJobs: 6 } });
  });

  it('moves the clock: advanceBy, set, setMode', async () => {
    expect((await mock.clock.advanceBy('PT20M')).now).toBe('2026-08-10T03:20:00.000Z');
    expect((await mock.clock.advanceBy(1000)).now).toBe('2026-08-10T03:20:01.000Z');
    expect((await mock.clock.set(new Date(START))).now).toBe(START);
    expect((await mock.clock.setMode('system', 10)).mode).toBe('system');
    expect((await mock.clock.setMode('manual')).mode).toBe('manual');
    await mock.clock.set(START);
  });

  it('loads fixtures, drives plans and timelines, resets', async () => {
    const id = idAt(Date.parse(START), '00000a');
    const loaded = await mock.fixtures.load(
      { exportJobs: [{ id, groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, plan: { queued: 'PT1M', running: 'PT5M' } }] },
      { groupId: IDS.group, transient: true },
    );
    expect(loaded.exportJobs).toBe(1);
    expect((await mock.plans.timeline(id)).timeline.map((e) => e.at)).toEqual([START, '2026-08-10T03:01:00.000Z', '2026-08-10T03:06:00.000Z']);
    const t = await mock.plans.job(id, { finish: { outcome: 'Failed', stateReason: { errorCode: 'EXPORT_FAILED', message: 'no space' } } });
    expect(t.state).toBe('Failed');
    expect(await (await get(jobUrl(id))).json()).toMatchObject({ state: 'Failed', stateReason: { message: 'no space' } });

    await mock.plans.setDefault({ queued: '30s' });
    expect(await mock.plans.getDefault()).toEqual({ queued: 30_000, running: 720_000, outcome: 'Successful' });
    await mock.plans.next({ groupId: IDS.group, clusterName: 'Cluster0', times: 2 }, { plan: { outcome: 'Failed' } });
    expect(mock.app.mock.nextPlans.size).toBe(1);
    expect(await mock.plans.clearNext({ groupId: IDS.group })).toBe(1);

    await mock.reset();
    expect((await get(jobUrl(id))).status).toBe(404);
    expect(await mock.plans.getDefault()).toEqual({ queued: 150_000, running: 720_000, outcome: 'Successful' });
  });

  it('adds, lists, removes and clears faults; lists and clears the journal', async () => {
    await mock.reset();
    const id = await mock.faults.add({ operation: 'getBackupExport', times: 1, error: 'SERVICE_UNAVAILABLE' });
    expect((await mock.faults.list()).map((f) => f.id)).toEqual([id]);
    expect((await get(jobUrl(IDS.jobQueued))).status).toBe(503);
    expect((await get(jobUrl(IDS.jobQueued))).status).toBe(200);
    const other = await mock.faults.add({ path: '/nowhere', error: 'UNEXPECTED_ERROR' });
    await mock.faults.remove(other);
    await expect(mock.faults.remove(other)).rejects.toMatchObject({ status: 404, body: { errorCode: 'CONTROL_NOT_FOUND' } });
    await mock.faults.add({ path: '/nowhere', error: 'UNEXPECTED_ERROR' });
    expect(await mock.faults.clear()).toBe(1);
    const entries = await mock.journal.list({ operation: 'getBackupExport' });
    expect(entries.map((e) => [e.status, e.state])).toEqual([
      [503, null],
      [200, 'Queued'],
    ]);
    expect(await mock.journal.clear()).toBe(2);
    expect(await mock.journal.list()).toEqual([]);
  });

  it('rejects a bad control request with a MockControlError carrying the Atlas-shaped body', async () => {
    const err = await mock.clock.advanceBy('whenever').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MockControlError);
    expect(err).toMatchObject({ status: 400, body: { errorCode: 'CONTROL_INVALID_REQUEST' } });
    expect(String((err as Error).message)).toContain('$.advanceBy');
  });
});

describe('connectAtlasMock with an admin token', () => {
  it('sends the token; without it the control API refuses', async () => {
    const mock = await startAtlasMock({ adminToken: 'tok-123' });
    try {
      expect((await mock.clock.get()).mode).toBe('manual');
      const anonymous = connectAtlasMock(mock.url);
      await expect(anonymous.clock.get()).rejects.toMatchObject({ status: 401 });
      expect((await anonymous.health()).status).toBe('ok');
    } finally {
      await mock.close();
    }
  });
});

/**
 * Two suites on one mock, each on its own project of the default dataset, run concurrently and interleaved:
 * scoped resets, scoped fixtures, scoped faults and journal queries never disturb the other suite.
 */
describe.concurrent('two projects in parallel', () => {
  let mock: AtlasMock;
  beforeAll(async () => {
    mock = await startAtlasMock({ clock: { start: START } });
  });
  afterAll(() => mock.close());

  const tick = () => new Promise((r) => setTimeout(r, 5));
  const suites = [
    { name: 'first project', groupId: IDS.group, snapshotId: IDS.snapshotCompleted, bucketId: IDS.bucket, tail: '0000f1' },
    { name: 'second project', groupId: IDS.otherGroup, snapshotId: '6650a0c1f1d2e3a4b5c6d901', bucketId: '6650a0c1f1d2e3a4b5c6d910', tail: '0000f2' },
  ];

  for (const s of suites) {
    it(`${s.name} works undisturbed`, async () => {
      // Credentials: a service account owning the suite's project (each project has its own).
      const headers = { accept: V2023, ...(await ownerAuth(mock.app, s.groupId)) };
      const url = (exportId: string) => mock.url + jobUrl(exportId, 'Cluster0', s.groupId);
      const jobId = idAt(Date.parse(START), s.tail);
      for (let round = 0; round < 3; round++) {
        await mock.reset(s.groupId);
        await tick();
        await mock.fixtures.load(
          { exportJobs: [{ id: jobId, groupId: s.groupId, clusterName: 'Cluster0', snapshotId: s.snapshotId, exportBucketId: s.bucketId, pin: { state: 'InProgress' } }] },
          { groupId: s.groupId, transient: true },
        );
        await mock.faults.add({ groupId: s.groupId, times: 2, error: 'SERVICE_UNAVAILABLE' });
        await tick();
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          statuses.push((await fetch(url(jobId), { headers })).status);
          await tick();
        }
        expect(statuses).toEqual([503, 503, 200]);
        await mock.plans.job(jobId, { finish: { outcome: 'Failed' } });
        expect(((await (await fetch(url(jobId), { headers })).json()) as { state: string }).state).toBe('Failed');
        const mine = await mock.journal.list({ groupId: s.groupId });
        expect(mine.map((e) => e.status)).toEqual([503, 503, 200, 200]);
        expect(mine.every((e) => e.exportId === jobId)).toBe(true);
        expect((await mock.faults.list()).filter((f) => f.groupId === s.groupId)).toEqual([]);
        await tick();
      }
      await mock.reset(s.groupId);
      expect((await fetch(url(jobId), { headers })).status).toBe(404);
    });
  }
});
