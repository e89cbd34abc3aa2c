/** The request journal: what is recorded, the queries, unmatched requests with a hint, the bounded ring. */
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/control/journal.js';
import { principalId } from '../../src/control/principal.js';
import type { FastifyRequest } from 'fastify';
import { CREDENTIALS, IDS, jobUrl, T0, testMock, V2023 } from '../helpers/mock.js';
import { digestInject } from '../helpers/digest.js';
import { ctl } from './helpers.js';

describe('GET /__mock/requests', () => {
  it('records method, path, operation, project, job, status, served state and mock-clock time', async () => {
    const { app, request } = testMock();
    await request({ url: jobUrl(IDS.jobFailed), query: { pretty: 'true' } });
    app.mock.clock.advanceBy(60_000);
    await request({ url: jobUrl('0123456789abcdef01234567') });
    const { status, body } = await ctl(app).get('/requests');
    expect(status).toBe(200);
    expect(body.size).toBe(2);
    expect(body.requests[0]).toEqual({
      seq: 1,
      time: new Date(T0).toISOString(),
      method: 'GET',
      path: jobUrl(IDS.jobFailed),
      query: 'pretty=true',
      operation: 'getBackupExport',
      groupId: IDS.group,
      clusterName: 'Cluster0',
      exportId: IDS.jobFailed,
      principal: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830',
      status: 200,
      dropped: false,
      state: 'Failed',
      durationMs: expect.any(Number),
      matched: true,
      hint: null,
      fault: null,
    });
    expect(body.requests[1]).toMatchObject({ seq: 2, time: new Date(T0 + 60_000).toISOString(), status: 404, state: null, exportId: '0123456789abcdef01234567' });
  });

  it('is queried by operation, project, job, status (exact or class), method, since and limit', async () => {
    const { app, request } = testMock();
    await request({ url: jobUrl(IDS.jobQueued) });
    await request({ url: jobUrl(IDS.jobSuccessful) });
    await request({ url: jobUrl('6650a0c1f1d2e3a4b5c6d999', 'Cluster0', IDS.otherGroup) });
    await request({ method: 'DELETE', url: jobUrl(IDS.jobQueued) });
    const q = async (query: string) => (await ctl(app).get(`/requests?${query}`)).body.requests.map((r: { seq: number }) => r.seq);
    expect(await q('operation=getBackupExport')).toEqual([1, 2, 3]);
    expect(await q('operation=getGroupClusterBackupExport')).toEqual([1, 2, 3]);
    expect(await q(`groupId=${IDS.otherGroup}`)).toEqual([3]);
    expect(await q(`exportId=${IDS.jobQueued}`)).toEqual([1]);
    expect(await q('status=200')).toEqual([1, 2]);
    expect(await q('status=4xx')).toEqual([3, 4]);
    expect(await q('method=delete')).toEqual([4]);
    expect(await q('matched=false')).toEqual([4]);
    expect(await q('since=2')).toEqual([3, 4]);
    expect(await q('limit=2')).toEqual([3, 4]);
    expect((await ctl(app).get('/requests?status=abc')).status).toBe(400);
  });

  it('includes unmatched requests with the nearest known route as a hint, and not control requests', async () => {
    const { app, request } = testMock();
    await request({ url: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exportz/${IDS.jobQueued}` });
    await ctl(app).get('/health');
    const [entry, ...rest] = (await ctl(app).get('/requests?matched=false')).body.requests;
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ matched: false, status: 404, operation: null, groupId: IDS.group, clusterName: 'Cluster0' });
    expect(entry.hint).toBe('/api/atlas/v2/groups/{}/clusters/{}/backup/exports/{}');
    expect((await ctl(app).get('/requests')).body.size).toBe(1);
  });

  it('shows the principal the authentication set on the request', async () => {
    const { app, request } = testMock();
    await request({ url: jobUrl(IDS.jobQueued) });
    await digestInject(app, CREDENTIALS.owner.publicKey, CREDENTIALS.owner.privateKey, { url: jobUrl(IDS.jobQueued), headers: { accept: V2023 } });
    const { body } = await ctl(app).get('/requests?principal=mockownr');
    expect(body.requests.map((r: { principal: string; status: number }) => [r.principal, r.status])).toEqual([['mockownr', 200]]);
    const sa = await ctl(app).get(`/requests?principal=${CREDENTIALS.serviceAccount.clientId}`);
    expect(sa.body.requests).toHaveLength(1);
  });

  it('is cleared, entirely or for one project', async () => {
    const { app, request } = testMock();
    await request({ url: jobUrl(IDS.jobQueued) });
    await request({ url: jobUrl('6650a0c1f1d2e3a4b5c6d999', 'Cluster0', IDS.otherGroup) });
    expect((await ctl(app).del(`/requests?groupId=${IDS.group}`)).body).toEqual({ deleted: 1 });
    expect((await ctl(app).get('/requests')).body.requests.map((r: { groupId: string }) => r.groupId)).toEqual([IDS.otherGroup]);
    expect((await ctl(app).del('/requests')).body).toEqual({ deleted: 1 });
    expect((await ctl(app).get('/requests')).body.size).toBe(0);
  });

  it('keeps the last N requests (--journal-size), and can be off', async () => {
    const { app, request } = testMock({ journalSize: 3 });
    for (let i = 0; i < 5; i++) await request({ url: jobUrl(IDS.jobQueued) });
    const { body } = await ctl(app).get('/requests');
    expect(body.requests.map((r: { seq: number }) => r.seq)).toEqual([3, 4, 5]);
    expect(body.capacity).toBe(3);
    const off = testMock({ journalSize: 0 });
    await off.request({ url: jobUrl(IDS.jobQueued) });
    expect((await ctl(off.app).get('/requests')).body).toEqual({ requests: [], size: 0, capacity: 0 });
  });
});

describe('Journal (ring)', () => {
  const add = (j: Journal, groupId: string) => {
    const s = j.slot();
    Object.assign(s, { at: 0, method: 'GET', url: '/x', operation: null, operationId: null, groupId, clusterName: null, exportId: null, principal: null, status: 200, state: null, durationMs: 1, matched: true, fault: null });
  };

  it('wraps around in order and compacts on a scoped clear', () => {
    const j = new Journal(4);
    for (let i = 0; i < 6; i++) add(j, i % 2 ? 'a' : 'b');
    expect(j.list().map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect(j.clear({ groupId: 'a' })).toBe(2);
    expect(j.list().map((e) => e.seq)).toEqual([3, 5]);
    add(j, 'a');
    add(j, 'a');
    add(j, 'a');
    expect(j.list().map((e) => e.seq)).toEqual([5, 7, 8, 9]);
    expect(() => new Journal(0)).toThrow(RangeError);
  });
});

describe('principalId', () => {
  const req = (principal: unknown) => ({ principal }) as unknown as FastifyRequest;
  it('reads a principal, a compiled principal, an id string, or nothing', () => {
    expect(principalId(req({ id: 'mockownr' }))).toBe('mockownr');
    expect(principalId(req({ principal: { id: 'mdb_sa_id_x' } }))).toBe('mdb_sa_id_x');
    expect(principalId(req('mockread'))).toBe('mockread');
    expect(principalId(req(undefined))).toBeNull();
    expect(principalId(req({ principal: null }))).toBeNull();
    expect(principalId(req(42))).toBeNull();
  });
});
