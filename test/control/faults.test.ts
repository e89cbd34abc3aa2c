/** Fault rules over HTTP: matching, counts, probability (seeded), errors in Atlas shape, latency, drops. */
import { describe, expect, it } from 'vitest';
import { IDS, jobUrl, testMock, V2023 } from '../helpers/mock.js';
import { ownerAuth } from '../helpers/mock.js';
import { createRandom } from '../../src/core/random.js';
import { parseArgs } from '../../src/cli/flags.js';
import { startAtlasMock } from '../../src/testing/start.js';
import { assertSchema } from '../helpers/contract.js';
import { ctl } from './helpers.js';

describe('fault rules', () => {
  it('a 500 injected twice, then normal service', async () => {
    const { app, request } = testMock();
    const add = await ctl(app).post('/faults', { operation: 'getBackupExport', times: 2, error: 'UNEXPECTED_ERROR' });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ id: expect.any(String), remaining: 2, applied: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request({ url: jobUrl(IDS.jobSuccessful) });
      statuses.push(res.statusCode);
      if (res.statusCode === 500) {
        expect(res.json()).toEqual({ detail: 'Unexpected error.', error: 500, errorCode: 'UNEXPECTED_ERROR', parameters: [], reason: 'Internal Server Error' });
        expect(res.headers['content-type']).toBe('application/json');
        expect(res.headers['x-error-code']).toBe('UNEXPECTED_ERROR');
      }
    }
    expect(statuses).toEqual([500, 500, 200]);
    expect((await ctl(app).get('/faults')).body.faults).toEqual([]);
  });

  it('matches by operationId, project, cluster, job, method and path pattern; other requests pass', async () => {
    const { app, request } = testMock();
    const c = ctl(app);
    await c.post('/faults', { operation: 'getGroupClusterBackupExport', exportId: IDS.jobQueued, error: 'UNEXPECTED_ERROR' });
    await c.post('/faults', { groupId: IDS.otherGroup, error: 'SERVICE_UNAVAILABLE' });
    await c.post('/faults', { method: 'GET', path: '/api/atlas/v2/groups/*/clusters/Sharded0/*', error: { errorCode: 'RESOURCE_NOT_FOUND' } });
    expect((await request({ url: jobUrl(IDS.jobQueued) })).statusCode).toBe(500);
    expect((await request({ url: jobUrl(IDS.jobSuccessful) })).statusCode).toBe(200);
    const other = await request({ url: jobUrl('6650a0c1f1d2e3a4b5c6d999', 'Cluster0', IDS.otherGroup) });
    expect(other.statusCode).toBe(503);
    expect(other.headers['retry-after']).toBe('60');
    const sharded = await request({ url: jobUrl(IDS.jobSharded, 'Sharded0') });
    expect(sharded.statusCode).toBe(404);
    expect(sharded.json().detail).toBe(`Cannot find resource ${IDS.jobSharded}.`);
    // Rules stay until deleted when no `times` is given.
    expect((await request({ url: jobUrl(IDS.jobQueued) })).statusCode).toBe(500);
  });

  it('429 with Retry-After and the catalogue text, a custom detail and status, `after`', async () => {
    const { app, request } = testMock();
    const c = ctl(app);
    await c.post('/faults', { exportId: IDS.jobFailed, after: 1, times: 1, error: { errorCode: 'RATE_LIMITED_TOKEN_BUCKET', retryAfter: 7 } });
    expect((await request({ url: jobUrl(IDS.jobFailed) })).statusCode).toBe(200);
    const limited = await request({ url: jobUrl(IDS.jobFailed) });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.json().detail).toBe(`Rate limit exceeded for ${IDS.group}. Please retry after 7 seconds. Request capacity: 1200. Refill rate: 500 per 60 seconds.`);
    await c.post('/faults', { exportId: IDS.jobFailed, times: 1, error: { errorCode: 'UNEXPECTED_ERROR', status: 502, detail: 'Upstream hiccup.' } });
    const custom = await request({ url: jobUrl(IDS.jobFailed), query: { envelope: 'true' } });
    // Enveloped like any Atlas error (contract §3): HTTP 200, the real status inside.
    expect(custom.statusCode).toBe(200);
    expect(custom.json()).toEqual({ content: { detail: 'Upstream hiccup.', error: 502, errorCode: 'UNEXPECTED_ERROR', parameters: [], reason: 'Bad Gateway' }, status: 502 });
  });

  it('probability draws from the seeded random source: the same seed hits the same requests', async () => {
    const run = async () => {
      const { app, request } = testMock({}, { random: createRandom(42) });
      await ctl(app).post('/faults', { probability: 0.5, error: 'UNEXPECTED_ERROR' });
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await request({ url: jobUrl(IDS.jobSuccessful) })).statusCode);
      return out;
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('a latency rule delays the answer by wall time (generous bound), then serves normally', async () => {
    const { app, request } = testMock();
    await ctl(app).post('/faults', { exportId: IDS.jobSuccessful, latency: 300, times: 1 });
    const t0 = performance.now();
    const res = await request({ url: jobUrl(IDS.jobSuccessful) });
    expect(res.statusCode).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    const entry = (await ctl(app).get('/requests')).body.requests[0];
    expect(entry.durationMs).toBeGreaterThanOrEqual(290);
    expect(entry.fault).toMatch(/^fault-/);
  });

  it('faults never bypass request handling before them: a malformed id is still its 404', async () => {
    const { app, request } = testMock();
    await ctl(app).post('/faults', { error: 'UNEXPECTED_ERROR' });
    // No Accept header: the 406 comes first, the fault does not apply.
    expect((await request({ url: jobUrl(IDS.jobSuccessful), headers: { accept: undefined } })).statusCode).toBe(406);
    expect((await request({ url: jobUrl('nope') })).json().errorCode).toBe('INVALID_JOB_ID');
    // The control API and unknown routes are never faulted.
    expect((await ctl(app).get('/health')).status).toBe(200);
    expect((await request({ url: '/api/atlas/v2/nothing' })).statusCode).toBe(404);
  });

  it('are listed, deleted one by one and all at once (or per project); bad rules are refused', async () => {
    const { app } = testMock();
    const c = ctl(app);
    const a = (await c.post('/faults', { groupId: IDS.group, error: 'UNEXPECTED_ERROR' })).body.id;
    const b = (await c.post('/faults', { groupId: IDS.otherGroup, latency: { min: 1, max: 5 } })).body.id;
    await c.post('/faults', { drop: true, path: '/x' });
    expect((await c.get('/faults')).body.faults.map((f: { id: string }) => f.id)).toContain(b);
    expect((await c.del(`/faults/${a}`)).status).toBe(204);
    expect((await c.del(`/faults/${a}`)).body.errorCode).toBe('CONTROL_NOT_FOUND');
    expect((await c.del(`/faults?groupId=${IDS.otherGroup}`)).body).toEqual({ deleted: 1 });
    expect((await c.del('/faults')).body).toEqual({ deleted: 1 });
    for (const [rule, field] of [
      [{ error: 'NOT_A_CODE' }, '$.error'],
      [{ operation: 'x' }, '$.error'],
      [{ drop: true, error: 'UNEXPECTED_ERROR' }, '$.drop'],
      [{ latency: 120_000 }, '$.latency'],
      [{ latency: { min: 5, max: 1 } }, '$.latency'],
      [{ probability: 0, error: 'UNEXPECTED_ERROR' }, '$.probability'],
      [{ times: 0, error: 'UNEXPECTED_ERROR' }, '$.times'],
      [{ typo: 1, error: 'UNEXPECTED_ERROR' }, '$'],
    ] as const) {
      const res = await c.post('/faults', rule);
      expect(res.status, JSON.stringify(rule)).toBe(400);
      expect(res.body.badRequestDetail.fields.map((f: { field: string }) => f.field), JSON.stringify(rule)).toContain(field);
    }
  });
});

describe('--max-fault-rules', () => {
  const rule = { operation: 'getBackupExport', error: 'UNEXPECTED_ERROR' };

  it('one rule more than the flag allows answers 409 CONTROL_LIMIT_EXCEEDED; a freed place can be used again', async () => {
    for (const { app: options } of [parseArgs(['--max-fault-rules', '2'], {}), parseArgs([], { ATLAS_MOCK_MAX_FAULT_RULES: '2' })]) {
      expect(options.maxFaultRules).toBe(2);
      const { app } = testMock(options);
      const c = ctl(app);
      const [first, second] = [await c.post('/faults', rule), await c.post('/faults', rule)];
      expect([first.status, second.status]).toEqual([201, 201]);
      const over = await c.post('/faults', rule);
      expect(over.status).toBe(409);
      expect(over.headers['x-error-code']).toBe('CONTROL_LIMIT_EXCEEDED');
      assertSchema('ApiError', over.body);
      expect(over.body).toMatchObject({ error: 409, errorCode: 'CONTROL_LIMIT_EXCEEDED', parameters: [2, 'fault rules'], detail: 'The mock holds at most 2 fault rules.' });
      expect((await c.get('/faults')).body.faults).toHaveLength(2);
      expect((await c.del(`/faults/${first.body.id}`)).status).toBe(204);
      expect((await c.post('/faults', rule)).status).toBe(201);
      await app.close();
    }
  });

  it('defaults to 1000', async () => {
    const { app } = testMock();
    const c = ctl(app);
    for (let i = 0; i < 1000; i++) expect((await c.post('/faults', rule)).status).toBe(201);
    expect((await c.post('/faults', rule)).body).toMatchObject({ errorCode: 'CONTROL_LIMIT_EXCEEDED', parameters: [1000, 'fault rules'] });
    await app.close();
  });
});

describe('a dropped connection', () => {
  it('is seen by a real client as a failed request, then service resumes', async () => {
    const mock = await startAtlasMock();
    try {
      const id = await mock.faults.add({ exportId: IDS.jobSuccessful, drop: true, times: 1 });
      const headers = { accept: V2023, ...(await ownerAuth(mock.app)) };
      await expect(fetch(mock.url + jobUrl(IDS.jobSuccessful), { headers })).rejects.toThrow(TypeError);
      const res = await fetch(mock.url + jobUrl(IDS.jobSuccessful), { headers });
      expect(res.status).toBe(200);
      const [dropped, served] = await mock.journal.list({ exportId: IDS.jobSuccessful });
      expect(dropped).toMatchObject({ status: 0, dropped: true, fault: id });
      expect(served).toMatchObject({ status: 200, dropped: false, state: 'Successful' });
    } finally {
      await mock.close();
    }
  });
});
