/** Control scenarios through the Atlas flow itself: a create that fails on demand, a reset that refills limits. */
import { describe, expect, it } from 'vitest';
import { assertSchema } from '../helpers/contract.js';
import { createJob } from '../helpers/flow.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';
import { ctl } from './helpers.js';

describe('scenarios driven by the control API', () => {
  it('the next export created on Cluster0 fails with the given stateReason; the one after follows the default plan', async () => {
    const mock = testMock();
    const stateReason = { errorCode: 'BUCKET_ACCESS_DENIED', message: 'Access denied to bucket mock-export-bucket.' };
    const queued = await ctl(mock.app).post('/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', plan: { queued: 'PT1M', running: 'PT2M', outcome: 'Failed', stateReason } });
    expect(queued.status).toBe(201);

    const created = await createJob(mock, { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket });
    expect(created.statusCode).toBe(200);
    const id = created.json().id as string;
    expect(created.json().state).toBe('Queued');
    expect((await ctl(mock.app).get(`/exports/${id}/timeline`)).body.timeline.map((e: { state: string }) => e.state)).toEqual(['Queued', 'InProgress', 'Failed']);

    await ctl(mock.app).post('/clock', { advanceBy: 'PT3M' });
    const failed = (await mock.request({ url: jobUrl(id) })).json();
    expect(failed).toMatchObject({ state: 'Failed', stateReason });
    assertSchema('DiskBackupExportJob', failed);

    // The queue is consumed: the next job on the same cluster gets the default plan (Successful after 14.5 min).
    const next = await createJob(mock, { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket });
    expect(next.statusCode).toBe(200);
    await ctl(mock.app).post('/clock', { advanceBy: 'PT15M' });
    expect((await mock.request({ url: jobUrl(next.json().id) })).json().state).toBe('Successful');
  });

  it('a reset refills the project rate-limit bucket (tokens stay valid)', async () => {
    const mock = testMock({ rateLimit: { capacity: 2, refill: 1, periodMs: 3_600_000 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await mock.request({ url: jobUrl(IDS.jobQueued) })).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await ctl(mock.app).post('/reset', { groupId: IDS.group })).status).toBe(200);
    const after = await mock.request({ url: jobUrl(IDS.jobQueued) });
    expect(after.statusCode).toBe(200);
    expect(after.headers['ratelimit-remaining']).toBe('1');
  });
});
