/**
 * The control API for snapshots (src/control/routes.ts): the default plan of on-demand snapshots, plans
 * queued for the next ones of a cluster, one snapshot's plan (stored or scheduled), its timeline, and the
 * reset of all of it. Auto-export jobs are reached by the export-job plan routes like stored jobs.
 */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { exportsUrl, IDS, T0, testMock } from '../helpers/mock.js';
import { allPages, DAY, HOUR, patchSchedule, snapshotsUrl, takeSnapshot } from '../helpers/workflow.js';
import { ctl } from './helpers.js';

describe('snapshot plans', () => {
  it('the default plan of on-demand snapshots: read, change (missing fields kept), restored by a full reset', async () => {
    const mock = testMock();
    const c = ctl(mock.app);
    expect((await c.get('/snapshots/plans/default')).body).toEqual({ queued: 5000, running: 154_000, outcome: 'completed' });
    expect((await c.put('/snapshots/plans/default', { running: 'PT10M' })).body).toEqual({ queued: 5000, running: 600_000, outcome: 'completed' });
    const s = (await takeSnapshot(mock)).json();
    mock.clock.advanceBy(5 * 60_000);
    expect((await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).json().status).toBe('inProgress');
    await c.post('/reset');
    expect((await c.get('/snapshots/plans/default')).body.running).toBe(154_000);
    await mock.app.close();
  });

  it('a plan queued for the next snapshot of a cluster: the next one fails; the one after follows the default', async () => {
    const mock = testMock();
    const c = ctl(mock.app);
    const queued = await c.post('/snapshots/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', plan: { outcome: 'failed' } });
    expect([queued.status, queued.body.queues[0].plans[0]]).toEqual([201, { plan: { queued: 5000, running: 154_000, outcome: 'failed' }, remaining: 1 }]);
    const a = (await takeSnapshot(mock)).json();
    mock.clock.advanceBy(10 * 60_000);
    expect((await mock.request({ url: `${snapshotsUrl()}/${a.id}` })).json().status).toBe('failed');
    const b = (await takeSnapshot(mock)).json();
    mock.clock.advanceBy(10 * 60_000);
    expect((await mock.request({ url: `${snapshotsUrl()}/${b.id}` })).json().status).toBe('completed');
    expect((await c.post('/snapshots/plans/next', { groupId: IDS.group, clusterName: 'Nope', pin: { status: 'failed' } })).status).toBe(404);
    expect((await c.post('/snapshots/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', plan: {}, pin: { status: 'failed' } })).status).toBe(400);
    await c.post('/snapshots/plans/next', { groupId: IDS.group, clusterName: 'Cluster0', pin: { status: 'queued' }, times: 3 });
    expect((await c.del(`/snapshots/plans/next?groupId=${IDS.group}`)).body).toEqual({ deleted: 1 });
    await mock.app.close();
  });

  it('one snapshot: pin, finish and timeline; a scheduled snapshot is stored from then on', async () => {
    const mock = testMock();
    const c = ctl(mock.app);
    const s = (await takeSnapshot(mock)).json();
    const tl = await c.get(`/snapshots/${s.id}/timeline`);
    expect(tl.body.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'inProgress', 'completed']);
    expect(tl.body).toMatchObject({ snapshotId: s.id, groupId: IDS.group, clusterName: 'Cluster0', status: 'queued', scheduled: false });
    const finished = await c.put(`/snapshots/${s.id}/plan`, { finish: { outcome: 'failed', after: '30s' } });
    expect(finished.body.timeline.at(-1).status).toBe('failed');
    mock.clock.advanceBy(31_000);
    expect((await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).json().status).toBe('failed');
    // A scheduled snapshot of the default policy (Cluster0 has had it since 2024).
    const scheduled = (await allPages(mock, snapshotsUrl())).results.find((x) => x.snapshotType === 'scheduled' && x.status === 'completed');
    const pinned = await c.put(`/snapshots/${scheduled.id}/plan`, { pin: { status: 'inProgress' } });
    expect([pinned.status, pinned.body.scheduled, pinned.body.status]).toEqual([200, true, 'inProgress']);
    expect((await mock.request({ url: `${snapshotsUrl()}/${scheduled.id}` })).json().status).toBe('inProgress');
    expect((await c.get('/snapshots/aaaaaaaaaaaaaaaaaaaaaaaa/timeline')).status).toBe(404);
    await mock.app.close();
  });

  it('an auto-export job takes a plan like a stored one, and shows it in its timeline', async () => {
    const mock = testMock();
    const fresh = Math.floor(T0 / 1000).toString(16) + '0000000000000002';
    mock.app.mock.load(parseDataset({ clusters: [{ id: fresh, groupId: IDS.group, name: 'Fresh1', collections: 2 }] }));
    await patchSchedule(mock, { autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'daily' }, policies: [{ policyItems: [{ frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 7 }] }] }, undefined, 'Fresh1');
    mock.clock.advanceBy(DAY + HOUR);
    const [job] = (await allPages(mock, exportsUrl(IDS.group, 'Fresh1'))).results;
    const c = ctl(mock.app);
    const set = await c.put(`/exports/${job.id}/plan`, { pin: { state: 'Failed', stateReason: { errorCode: 'X', message: 'bucket gone' } } });
    expect([set.status, set.body.state]).toEqual([200, 'Failed']);
    expect((await mock.request({ url: `${exportsUrl(IDS.group, 'Fresh1')}/${job.id}` })).json()).toMatchObject({ state: 'Failed', stateReason: { errorCode: 'X', message: 'bucket gone' } });
    await mock.app.close();
  });
});
