/**
 * A full reset puts back the records each baseline dataset was turned into once (fixtures/apply.ts
 * `recordsOf`, kept per dataset by the context): what requests changed since, and what the last reset put
 * in, must not show through. The store after a reset is the store of a fresh start at that time.
 */
import { describe, expect, it } from 'vitest';
import { recordsOf, snapshotOf } from '../../src/fixtures/apply.js';
import { parseDataset } from '../../src/fixtures/load.js';
import type { Store } from '../../src/store/store.js';
import { IDS, T0, testMock, type TestMock } from '../helpers/mock.js';
import { scheduleUrl, snapshotsUrl, V2024_08 } from '../helpers/workflow.js';
import { ctl, idAt } from './helpers.js';

/** Every record of the store, in the store's orders (its lists per project and cluster included). */
function storeImage(store: Store): unknown {
  const projects = [...store.projects.keys()];
  return structuredClone({
    organizations: [...store.organizations.values()],
    projects: [...store.projects.values()],
    clusters: projects.map((g) => store.clustersOf(g)),
    snapshots: [...store.snapshots.values()],
    snapshotsByCluster: projects.flatMap((g) => store.clustersOf(g).map((c) => [...store.snapshotsOf(g, c.name)])),
    schedules: [...store.allSchedules()],
    autoExportJobChanges: [...store.autoExportJobChanges.values()],
    buckets: projects.map((g) => store.bucketsOf(g)),
    jobs: [...store.jobs.values()],
    jobsByCluster: projects.flatMap((g) => store.clustersOf(g).map((c) => store.jobsOf(g, c.name))),
    roles: projects.map((g) => store.accessRolesOf(g)),
    principals: [...store.principals.values()],
    counts: store.counts(),
  });
}

const api = (path: string) => `/api/atlas/v2/groups/${IDS.group}${path}`;

/** Changes every kind of record the store keeps through the API: in place (a job's plan) and by replacement. */
async function changeEverything(mock: TestMock): Promise<void> {
  const c = ctl(mock.app);
  expect((await c.put(`/exports/${IDS.jobQueued}/plan`, { pin: { state: 'Failed' } })).status).toBe(200);
  expect((await c.put(`/exports/${IDS.jobSuccessful}/plan`, { plan: { queued: 'PT1M', running: 'PT1M', outcome: 'Cancelled' } })).status).toBe(200);
  expect((await c.put(`/snapshots/${IDS.snapshotInProgress}/plan`, { pin: { status: 'failed' } })).status).toBe(200);
  expect((await mock.request({ method: 'DELETE', url: `${snapshotsUrl()}/${IDS.snapshotReady}` })).statusCode).toBe(204);
  expect((await mock.request({ method: 'DELETE', url: api(`/cloudProviderAccess/GCP/${IDS.gcpRole}`) })).statusCode).toBe(204);
  expect((await mock.request({ method: 'DELETE', url: scheduleUrl(), headers: { accept: V2024_08 } })).statusCode).toBe(200);
  expect((await c.post('/fixtures?transient=true', { snapshots: [{ id: idAt(T0, '00000a'), groupId: IDS.group, clusterName: 'Cluster0' }] })).status).toBe(201);
}

describe('a full reset and the records of the baseline', () => {
  it('brings back a fresh start after requests changed records, again on the next reset', async () => {
    const mock = testMock();
    const c = ctl(mock.app);
    const fresh = storeImage(mock.app.mock.store);
    await changeEverything(mock);
    expect(storeImage(mock.app.mock.store)).not.toEqual(fresh);
    expect((await c.post('/reset')).status).toBe(200);
    expect(storeImage(mock.app.mock.store)).toEqual(fresh);
    // The records of the first reset were changed in turn: the second reset does not see it.
    await changeEverything(mock);
    expect((await c.post('/reset')).status).toBe(200);
    expect(storeImage(mock.app.mock.store)).toEqual(fresh);
    expect((await mock.request({ url: `${snapshotsUrl()}/${IDS.snapshotReady}` })).statusCode).toBe(200);
  });

  it('builds again what depends on the time of the reset (a snapshot completing 5 minutes after it)', async () => {
    const mock = testMock();
    await changeEverything(mock);
    mock.clock.advanceBy(3_600_000);
    expect((await ctl(mock.app).post('/reset')).status).toBe(200);
    const later = testMock({}, { start: T0 + 3_600_000 });
    expect(storeImage(mock.app.mock.store)).toEqual(storeImage(later.app.mock.store));
    expect(storeImage(mock.app.mock.store)).not.toEqual(storeImage(testMock().app.mock.store));
  });

  it('after a load of another dataset: a reset puts back both, without what a transient load added', async () => {
    const mock = testMock();
    const c = ctl(mock.app);
    const kept = { snapshots: [{ id: idAt(T0, '00000b'), groupId: IDS.group, clusterName: 'Cluster0', status: 'queued', completesAfter: 'PT2M' }] };
    expect((await c.post('/fixtures', kept)).status).toBe(201);
    const loaded = storeImage(mock.app.mock.store);
    await changeEverything(mock);
    expect((await c.post('/reset')).status).toBe(200);
    expect(storeImage(mock.app.mock.store)).toEqual(loaded);
    // The same with a fresh start that loads the same dataset.
    const other = testMock();
    expect((await ctl(other.app).post('/fixtures', kept)).status).toBe(201);
    expect(storeImage(mock.app.mock.store)).toEqual(storeImage(other.app.mock.store));
  });

  it('jobs without id draw theirs again on every reset, as at the start', async () => {
    const dataset = { exportJobs: [{ groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket }] };
    const mock = testMock();
    const c = ctl(mock.app);
    expect((await c.post('/fixtures', dataset)).status).toBe(201);
    const idsOf = () => [...mock.app.mock.store.jobs.keys()];
    const first = idsOf();
    expect((await c.post('/reset')).status).toBe(200);
    const second = idsOf();
    expect(second).toHaveLength(first.length);
    expect(second.filter((id) => !first.includes(id))).toHaveLength(1);
  });
});

describe('recordsOf', () => {
  it('makes what snapshotOf makes at any time: one record, or the one that completes after the load built at the time given', () => {
    const id = idAt(T0, '00000c');
    const base = { id, groupId: IDS.group, clusterName: 'Cluster0' };
    const ds = parseDataset({
      snapshots: [
        { ...base, status: 'queued', completesAfter: 'PT5M' },
        { ...base, id: idAt(T0, '00000d'), status: 'inProgress', completesAfter: 'PT1H', createdAt: new Date(T0).toISOString() },
        { ...base, id: idAt(T0, '00000e'), status: 'completed', completesAfter: 'PT5M' },
        { ...base, id: idAt(T0, '00000f'), status: 'queued', completesAt: new Date(T0 + 60_000).toISOString() },
        { ...base, id: idAt(T0, '000010'), plan: { queued: 'PT1M', running: 'PT2M', outcome: 'failed' } },
      ],
    });
    const records = recordsOf(ds).snapshots;
    expect(records.map((r) => typeof r)).toEqual(['function', 'function', 'object', 'object', 'object']);
    for (const now of [T0 - 600_000, T0, T0 + 90_000, T0 + 86_400_000]) {
      records.forEach((r, i) => {
        const made = typeof r === 'function' ? r(now) : r;
        expect(made).toEqual(snapshotOf(ds.snapshots[i]!, now));
        expect(Object.keys(made)).toEqual(Object.keys(snapshotOf(ds.snapshots[i]!, now)));
      });
    }
  });

  it('keeps nothing of the dataset object itself: changing the dataset afterwards changes no record', () => {
    const ds = parseDataset({
      organizations: [{ id: IDS.org, name: 'O' }],
      exportJobs: [{ id: idAt(T0, '000011'), groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, customData: [{ key: 'k', value: 'v' }] }],
    });
    const records = recordsOf(ds);
    ds.organizations[0]!.name = 'changed';
    ds.exportJobs[0]!.customData[0]!.value = 'changed';
    expect(records.organizations[0]!.name).toBe('O');
    expect(records.exportJobs[0]!.customData[0]!.value).toBe('v');
  });
});
