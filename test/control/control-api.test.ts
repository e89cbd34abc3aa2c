/** The control API over HTTP (inject): health, clock, reset, fixtures, plans, timeline, and its error shape. */
import { describe, expect, it } from 'vitest';
import { IDS, jobUrl, T0, testMock } from '../helpers/mock.js';
import { ctl, idAt, timedJobDataset } from './helpers.js';

const FAILED_REASON = { errorCode: 'EXPORT_FAILED', message: 'Access denied writing to the bucket.' };

describe('GET /__mock/health', () => {
  it('answers status, version, clock state and store counts', async () => {
    const { app } = testMock({ version: '9.9.9' });
    const { status, body } = await ctl(app).get('/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', version: '9.9.9', clock: { now: new Date(T0).toISOString(), mode: 'manual', speed: 1 } });
    expect(body.counts).toEqual(app.mock.store.counts());
    expect(body.journal).toEqual({ size: 0, capacity: 1000 });
  });
});

describe('/__mock/clock', () => {
  it('advances by an ISO duration or milliseconds, sets a date, switches mode and speed', async () => {
    const { app } = testMock();
    const c = ctl(app);
    expect((await c.get('/clock')).body).toEqual({ now: '2026-08-10T03:00:00.000Z', mode: 'manual', speed: 1 });
    expect((await c.post('/clock', { advanceBy: 'PT20M' })).body.now).toBe('2026-08-10T03:20:00.000Z');
    expect((await c.post('/clock', { advanceBy: 1500 })).body.now).toBe('2026-08-10T03:20:01.500Z');
    expect((await c.post('/clock', { setTo: '2027-07-01T00:00:00Z' })).body.now).toBe('2027-07-01T00:00:00.000Z');
    expect(app.mock.clock.now()).toBe(Date.UTC(2027, 6, 1));
    expect((await c.post('/clock', { mode: 'system', speed: 60 })).body).toMatchObject({ mode: 'system', speed: 60 });
    expect((await c.post('/clock', { mode: 'manual' })).body).toMatchObject({ mode: 'manual' });
  });

  it('refuses bad changes with CONTROL_INVALID_REQUEST naming the field', async () => {
    const { app } = testMock();
    const c = ctl(app);
    for (const [payload, field] of [
      [{ advanceBy: 'soon' }, '$.advanceBy'],
      [{ advanceBy: -5 }, '$.advanceBy'],
      [{ setTo: 'yesterday' }, '$.setTo'],
      [{ mode: 'sundial' }, '$.mode'],
      [{ mode: 'manual', speed: 2 }, '$.speed'],
      [{}, '$'],
    ] as const) {
      const { status, body, headers } = await c.post('/clock', payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-error-code']).toBe('CONTROL_INVALID_REQUEST');
      expect(body.errorCode).toBe('CONTROL_INVALID_REQUEST');
      expect(body.detail).toContain(field);
      expect(body.badRequestDetail.fields[0].field).toBe(field);
      expect(Object.keys(body)).toEqual(['badRequestDetail', 'detail', 'error', 'errorCode', 'parameters', 'reason']);
    }
    expect(app.mock.clock.now()).toBe(T0);
    // Not JSON at all: the Atlas MALFORMED_JSON, as on any route.
    const res = await app.inject({ method: 'POST', url: '/__mock/clock', headers: { 'content-type': 'application/json' }, payload: '{' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errorCode).toBe('MALFORMED_JSON');
  });
});

describe('POST /__mock/fixtures and /__mock/reset', () => {
  const newJob = idAt(T0 - 60_000, '000001');
  const dataset = timedJobDataset({ id: newJob, groupId: IDS.group, snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, plan: { queued: 'PT1M', running: 'PT10M' } });

  it('loads a dataset in the fixture format; the job is served and moves with the clock', async () => {
    const { app, request } = testMock();
    const { status, body } = await ctl(app).post('/fixtures', dataset);
    expect(status).toBe(201);
    expect(body).toMatchObject({ loaded: { exportJobs: 1, projects: 0 }, groupId: null, transient: false });
    expect((await request({ url: jobUrl(newJob) })).json().state).toBe('InProgress');
    app.mock.clock.advanceBy(10 * 60_000);
    expect((await request({ url: jobUrl(newJob) })).json().state).toBe('Successful');
  });

  it('validates like fixture files: the error names the JSON path, and nothing is loaded', async () => {
    const { app } = testMock();
    const before = app.mock.store.counts();
    const bad = await ctl(app).post('/fixtures', { exportJobs: [{ ...dataset.exportJobs[0], plan: { outcome: 'Exploded' } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/^Invalid control request: \$\.exportJobs\[0\]\.plan\.outcome: /);
    const dangling = await ctl(app).post('/fixtures', { exportJobs: [{ ...dataset.exportJobs[0], exportBucketId: '0123456789abcdef01234567' }] });
    expect(dangling.status).toBe(400);
    expect(dangling.body.badRequestDetail.fields).toEqual([{ field: '$.exportJobs[0].exportBucketId', description: 'unknown export bucket 0123456789abcdef01234567' }]);
    const dup = await ctl(app).post('/fixtures', { exportJobs: [{ ...dataset.exportJobs[0], id: IDS.jobQueued }] });
    expect(dup.status).toBe(400);
    expect(app.mock.store.counts()).toEqual(before);
  });

  it('with ?groupId refuses anything of another project, and principals (global)', async () => {
    const { app } = testMock();
    const other = await ctl(app).post(`/fixtures?groupId=${IDS.otherGroup}`, dataset);
    expect(other.status).toBe(400);
    expect(other.body.badRequestDetail.fields[0]).toEqual({ field: '$.exportJobs[0]', description: `belongs to another project than ${IDS.otherGroup}` });
    const keys = await ctl(app).post(`/fixtures?groupId=${IDS.group}`, { apiKeys: [{ publicKey: 'newkey01', privateKey: 'secret-secret', orgId: IDS.org }] });
    expect(keys.status).toBe(400);
    expect(keys.body.detail).toContain('$.apiKeys[0]');
    expect((await ctl(app).post(`/fixtures?groupId=${IDS.group}`, dataset)).status).toBe(201);
  });

  it('a full reset restores the loaded fixtures; transient data is dropped, kept data comes back', async () => {
    const { app, request } = testMock();
    const c = ctl(app);
    const transientJob = idAt(T0, '000002');
    await c.post('/fixtures', dataset);
    await c.post('/fixtures?transient=true', { ...dataset, exportJobs: [{ ...dataset.exportJobs[0], id: transientJob }] });
    await c.put(`/exports/${IDS.jobQueued}/plan`, { pin: { state: 'Failed' } });
    await c.post('/faults', { error: 'UNEXPECTED_ERROR', path: '/nowhere' });
    await c.put('/plans/default', { outcome: 'Cancelled' });
    const { status, body } = await c.post('/reset');
    expect(status).toBe(200);
    expect(body.reset).toBe('all');
    expect((await request({ url: jobUrl(newJob) })).statusCode).toBe(200);
    expect((await request({ url: jobUrl(transientJob) })).statusCode).toBe(404);
    expect((await request({ url: jobUrl(IDS.jobQueued) })).json().state).toBe('Queued');
    expect((await c.get('/faults')).body.faults).toEqual([]);
    expect((await c.get('/plans/default')).body.outcome).toBe('Successful');
    expect(app.mock.clock.now()).toBe(T0);
  });

  it('a reset scoped to a project leaves the other project alone', async () => {
    const { app, request } = testMock();
    const c = ctl(app);
    await c.put(`/exports/${IDS.jobQueued}/plan`, { pin: { state: 'Failed' } });
    const otherJob = idAt(T0, '000003');
    await c.post(`/fixtures?groupId=${IDS.otherGroup}&transient=true`, {
      exportJobs: [{ id: otherJob, groupId: IDS.otherGroup, clusterName: 'Cluster0', snapshotId: '6650a0c1f1d2e3a4b5c6d901', exportBucketId: '6650a0c1f1d2e3a4b5c6d910' }],
    });
    const otherFault = (await c.post('/faults', { groupId: IDS.otherGroup, path: '/x', error: 'UNEXPECTED_ERROR' })).body.id;
    await c.post('/faults', { groupId: IDS.group, path: '/x', error: 'UNEXPECTED_ERROR' });
    expect((await c.post('/reset', { groupId: IDS.group })).body.reset).toBe(IDS.group);
    expect((await request({ url: jobUrl(IDS.jobQueued) })).json().state).toBe('Queued');
    expect((await request({ url: jobUrl(otherJob, 'Cluster0', IDS.otherGroup) })).statusCode).toBe(200);
    expect((await c.get('/faults')).body.faults.map((f: { id: string }) => f.id)).toEqual([otherFault]);
    expect((await c.post('/reset', { groupId: '0123456789abcdef01234567' })).status).toBe(404);
    expect((await c.post('/reset', { groupId: 'nope' })).status).toBe(400);
  });
});

describe('plans', () => {
  it('the default plan is read and changed field by field', async () => {
    const { app } = testMock({ plan: { queuedMs: 1000 } });
    const c = ctl(app);
    expect((await c.get('/plans/default')).body).toEqual({ queued: 1000, running: 720_000, outcome: 'Successful' });
    const { body } = await c.put('/plans/default', { running: 'PT1M', outcome: 'Failed', stateReason: FAILED_REASON });
    expect(body).toEqual({ queued: 1000, running: 60_000, outcome: 'Failed', stateReason: FAILED_REASON });
    expect(app.mock.defaultPlan).toMatchObject({ kind: 'timed', queuedMs: 1000, runningMs: 60_000, outcome: 'Failed' });
  });

  it('next-plans are queued per cluster, listed, and cleared; unknown clusters are refused', async () => {
    const { app } = testMock();
    const c = ctl(app);
    const res = await c.post('/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', times: 2, plan: { outcome: 'Failed', stateReason: FAILED_REASON } });
    expect(res.status).toBe(201);
    await c.post('/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', pin: { state: 'Cancelled' } });
    const { body } = await c.get('/plans/next');
    expect(body.queues).toEqual([
      {
        groupId: IDS.group,
        clusterName: 'Cluster0',
        plans: [
          { plan: { queued: 150_000, running: 720_000, outcome: 'Failed', stateReason: FAILED_REASON }, remaining: 2 },
          { pin: { state: 'Cancelled', finishedAt: '2026-08-10T03:00:00Z' }, remaining: 1 },
        ],
      },
    ]);
    expect((await c.post('/plans/next', { groupId: IDS.group, clusterName: 'Nope', plan: {} })).body.errorCode).toBe('CONTROL_NOT_FOUND');
    expect((await c.post('/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', plan: {}, pin: { state: 'Queued' } })).status).toBe(400);
    expect((await c.del(`/plans/next?groupId=${IDS.group}&clusterName=Cluster0`)).body).toEqual({ deleted: 2 });
    expect((await c.get('/plans/next')).body.queues).toEqual([]);
  });

  it('a job fails on demand: finished as Failed now, and served so by the Atlas API', async () => {
    const { app, request } = testMock();
    const { status, body } = await ctl(app).put(`/exports/${IDS.jobInProgress}/plan`, { finish: { outcome: 'Failed', stateReason: FAILED_REASON } });
    expect(status).toBe(200);
    expect(body.state).toBe('Failed');
    const job = (await request({ url: jobUrl(IDS.jobInProgress) })).json();
    expect(job).toMatchObject({ state: 'Failed', stateReason: FAILED_REASON, finishedAt: '2026-08-10T03:00:00Z' });
  });

  it('a job loaded with a timed plan fails when its plan says, and the timeline tells when', async () => {
    const { app, request } = testMock();
    const c = ctl(app);
    const id = idAt(T0, '000004');
    await c.post('/fixtures', timedJobDataset({ id, groupId: IDS.group, snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, plan: { queued: 'PT2M', running: 'PT10M' } }));
    // Then: a new plan for this job, timed from its creation.
    await c.post(`/exports/${id}/plan`, { plan: { outcome: 'Failed', stateReason: FAILED_REASON } });
    const t = (await c.get(`/exports/${id}/timeline`)).body;
    expect(t).toMatchObject({ exportId: id, groupId: IDS.group, clusterName: 'Cluster0', now: '2026-08-10T03:00:00.000Z', state: 'Queued' });
    expect(t.timeline).toEqual([
      { state: 'Queued', at: '2026-08-10T03:00:00.000Z', reached: true },
      { state: 'InProgress', at: '2026-08-10T03:02:30.000Z', reached: false },
      { state: 'Failed', at: '2026-08-10T03:14:30.000Z', reached: false },
    ]);
    await c.post('/clock', { advanceBy: 'PT14M30S' });
    expect((await request({ url: jobUrl(id) })).json()).toMatchObject({ state: 'Failed', stateReason: FAILED_REASON });
    expect((await c.get(`/exports/${id}/timeline`)).body.timeline.every((e: { reached: boolean }) => e.reached)).toBe(true);
  });

  it('a pin holds one state; finish with a delay keeps the progress; unknown jobs are 404', async () => {
    const { app, request } = testMock();
    const c = ctl(app);
    const pinned = await c.put(`/exports/${IDS.jobSuccessful}/plan`, { pin: { state: 'InProgress', exportedCollections: 3 } });
    expect(pinned.body).toMatchObject({ state: 'InProgress', exportStatus: { exportedCollections: 3 }, timeline: [{ state: 'InProgress', at: null, reached: true }] });
    expect((await request({ url: jobUrl(IDS.jobSuccessful) })).json().finishedAt).toBeUndefined();
    const id = idAt(T0 - 5 * 60_000, '000005');
    await c.post('/fixtures', timedJobDataset({ id, groupId: IDS.group, snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, plan: { queued: 'PT1M', running: 'PT10M' } }));
    const progress = (await request({ url: jobUrl(id) })).json().exportStatus.exportedCollections;
    const finished = await c.put(`/exports/${id}/plan`, { finish: { outcome: 'Successful', after: 'PT1M' } });
    expect(finished.body.timeline.at(-1)).toEqual({ state: 'Successful', at: '2026-08-10T03:01:00.000Z', reached: false });
    expect((await request({ url: jobUrl(id) })).json()).toMatchObject({ state: 'InProgress', exportStatus: { exportedCollections: expect.any(Number) } });
    expect((await request({ url: jobUrl(id) })).json().exportStatus.exportedCollections).toBeGreaterThanOrEqual(progress);
    await c.post('/clock', { advanceBy: 60_000 });
    expect((await request({ url: jobUrl(id) })).json().state).toBe('Successful');
    expect((await c.get('/exports/0123456789abcdef01234567/timeline')).status).toBe(404);
    expect((await c.put(`/exports/${id}/plan`, {})).status).toBe(400);
  });
});

describe('the control API in the OpenAPI documents', () => {
  it('is in /openapi.json under the Mock control tag, and not in /openapi/atlas.json', async () => {
    const { app } = testMock();
    const full = (await app.inject({ url: '/openapi.json' })).json();
    const atlas = (await app.inject({ url: '/openapi/atlas.json' })).json();
    const controlPaths = Object.keys(full.paths).filter((p) => p.startsWith('/__mock/'));
    expect(controlPaths).toEqual(expect.arrayContaining(['/__mock/health', '/__mock/reset', '/__mock/fixtures', '/__mock/clock', '/__mock/faults', '/__mock/requests', '/__mock/exports/{exportId}/timeline']));
    for (const p of controlPaths) for (const op of Object.values<{ tags: string[] }>(full.paths[p])) expect(op.tags).toEqual(['Mock control']);
    expect(Object.keys(atlas.paths).some((p) => p.startsWith('/__mock'))).toBe(false);
    expect(Object.keys(atlas.components.schemas).some((n) => n.startsWith('Mock'))).toBe(false);
  });
});
