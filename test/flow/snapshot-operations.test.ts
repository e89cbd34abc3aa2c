/**
 * Snapshots beyond GET one (contract §9): taking one on demand and watching it complete by the mock clock,
 * its retention, its deletion, the sharded operations, and the databases and collections a snapshot holds.
 */
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, exportsUrl, IDS, testMock } from '../helpers/mock.js';
import { errorOf } from '../helpers/flow.js';
import { digestInject } from '../helpers/digest.js';
import { allPages, DAY, shardedUrl, snapshotsUrl, takeSnapshot, V2023, V2025 } from '../helpers/workflow.js';

describe('taking a snapshot on demand', () => {
  it('answers 200 queued, then inProgress, then completed, as the mock clock moves', async () => {
    const mock = testMock();
    const res = await takeSnapshot(mock, { description: 'before the migration', retentionInDays: 3 });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ description: 'before the migration', frequencyType: 'ondemand', snapshotType: 'onDemand', status: 'queued', storageSizeBytes: 0, type: 'replicaSet', replicaSetName: 'Cluster0', policyItems: [], copyRegions: [] });
    // Retention counts from the request while in flight.
    expect(s.expiresAt).toBe(new Date(mock.clock.now() + 3 * DAY).toISOString().replace('.000Z', 'Z'));
    const seen: string[] = [];
    for (let i = 0; i < 20 && seen.at(-1) !== 'completed'; i++) {
      const got = (await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).json();
      if (seen.at(-1) !== got.status) seen.push(got.status);
      mock.clock.advanceBy(20_000);
    }
    expect(seen).toEqual(['queued', 'inProgress', 'completed']);
    const done = (await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).json();
    expect(done.createdAt).toBeDefined();
    expect(done.storageSizeBytes).toBeGreaterThan(0);
    await mock.app.close();
  });

  it('refuses a second one while the first is queued or in progress (UNFINISHED_ON_DEMAND_SNAPSHOT), not after', async () => {
    const mock = testMock();
    expect((await takeSnapshot(mock)).statusCode).toBe(200);
    expect(errorOf(await takeSnapshot(mock))).toEqual({ status: 400, errorCode: 'UNFINISHED_ON_DEMAND_SNAPSHOT', parameters: [] });
    mock.clock.advanceBy(10 * 60_000);
    expect((await takeSnapshot(mock)).statusCode).toBe(200);
    await mock.app.close();
  });

  it('validates the body: retentionInDays at least 1', async () => {
    const mock = testMock();
    expect(errorOf(await takeSnapshot(mock, { retentionInDays: 0 }))).toEqual({ status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['retentionInDays'] });
    expect(errorOf(await takeSnapshot(mock, { retentionInDays: 'x' }))).toEqual({ status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['retentionInDays'] });
    await mock.app.close();
  });

  it('needs Project Backup Creator (held by Backup Manager and Owner): a read-only key gets 401 USER_UNAUTHORIZED', async () => {
    const mock = testMock();
    const { publicKey, privateKey } = CREDENTIALS.readOnly;
    const res = await digestInject(mock.app, publicKey, privateKey, { method: 'POST', url: snapshotsUrl(), headers: { accept: V2023, 'content-type': 'application/json' }, payload: '{}' });
    expect([res.statusCode, res.json().errorCode]).toEqual([401, 'USER_UNAUTHORIZED']);
    await mock.app.close();
  });

  it('expires by the clock: gone from GET and from the list once its retention has run out', async () => {
    const mock = testMock();
    const s = (await takeSnapshot(mock, { retentionInDays: 1 })).json();
    mock.clock.advanceBy(5 * 60_000);
    const ids = async () => (await allPages(mock, snapshotsUrl())).results.map((x) => x.id);
    expect(await ids()).toContain(s.id);
    mock.clock.advanceBy(DAY);
    expect((await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).statusCode).toBe(404);
    expect(await ids()).not.toContain(s.id);
    await mock.app.close();
  });
});

describe('retention and deletion', () => {
  it('PATCH changes the expiry of a completed snapshot only, counted from its completion', async () => {
    const mock = testMock();
    const s = (await takeSnapshot(mock)).json();
    const patch = (body: unknown) => mock.request({ method: 'PATCH', url: `${snapshotsUrl()}/${s.id}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(errorOf(await patch({ retentionUnit: 'DAYS', retentionValue: 5 }))).toEqual({ status: 400, errorCode: 'CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION', parameters: [] });
    mock.clock.advanceBy(10 * 60_000);
    const done = (await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).json();
    const res = await patch({ retentionUnit: 'WEEKS', retentionValue: 2 });
    expect(res.statusCode).toBe(200);
    const completedAt = Date.parse(done.expiresAt) - DAY;
    expect(res.json().expiresAt).toBe(new Date(completedAt + 14 * DAY).toISOString().replace('.000Z', 'Z'));
    expect((await mock.request({ url: `${snapshotsUrl()}/${s.id}` })).json().expiresAt).toBe(res.json().expiresAt);
    expect(errorOf(await patch({ retentionUnit: 'DAYS', retentionValue: 0 }))).toEqual({ status: 400, errorCode: 'BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID', parameters: [] });
    expect(errorOf(await patch({ retentionValue: 3 }))).toEqual({ status: 400, errorCode: 'MISSING_ATTRIBUTE', parameters: ['retentionUnit'] });
    expect(errorOf(await patch({ retentionUnit: 'HOURS', retentionValue: 3 }))).toEqual({ status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['retentionUnit'] });
    await mock.app.close();
  });

  it('DELETE refuses a snapshot in progress, deletes a completed one (204, then 404)', async () => {
    const mock = testMock();
    const s = (await takeSnapshot(mock)).json();
    const del = () => mock.request({ method: 'DELETE', url: `${snapshotsUrl()}/${s.id}` });
    expect(errorOf(await del())).toEqual({ status: 400, errorCode: 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT', parameters: [s.id] });
    mock.clock.advanceBy(10 * 60_000);
    const res = await del();
    expect([res.statusCode, res.body, res.headers['content-type']]).toEqual([204, '', 'application/vnd.atlas.2023-01-01+json;charset=utf-8']);
    expect(errorOf(await mock.request({ url: `${snapshotsUrl()}/${s.id}` }))).toEqual({ status: 404, errorCode: 'SNAPSHOT_NOT_FOUND', parameters: [s.id, 'Cluster0'] });
    expect(errorOf(await del()).errorCode).toBe('SNAPSHOT_NOT_FOUND');
    await mock.app.close();
  });

  it('deleting a snapshot an export is writing ends that export Cancelled; the job keeps its prefix', async () => {
    const mock = testMock();
    const job = (await mock.request({ method: 'POST', url: exportsUrl(), headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }) })).json();
    mock.clock.advanceBy(5 * 60_000);
    expect((await mock.request({ url: `${exportsUrl()}/${job.id}` })).json().state).toBe('InProgress');
    expect((await mock.request({ method: 'DELETE', url: `${snapshotsUrl()}/${IDS.snapshotReady}` })).statusCode).toBe(204);
    const after = (await mock.request({ url: `${exportsUrl()}/${job.id}` })).json();
    expect([after.state, after.prefix, after.finishedAt]).toEqual(['Cancelled', job.prefix, new Date(mock.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')]);
    await mock.app.close();
  });
});

describe('sharded snapshots', () => {
  it('a sharded cluster: the POST answers the sharded form, one member per shard; GET and list of shardedCluster(s)', async () => {
    const mock = testMock();
    const taken = (await takeSnapshot(mock, { description: 'sharded' }, 'Sharded0')).json();
    expect(taken.type).toBe('shardedCluster');
    expect(taken.members.map((m: { replicaSetName: string }) => m.replicaSetName)).toEqual(['atlas-mock-shard-0', 'atlas-mock-shard-1']);
    expect(taken.snapshotIds).toEqual(taken.members.map((m: { id: string }) => m.id));
    const got = await mock.request({ url: shardedUrl(IDS.snapshotSharded) });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: IDS.snapshotSharded, type: 'shardedCluster', status: 'completed' });
    const list = await allPages(mock, `${snapshotsUrl('Sharded0')}/shardedClusters`);
    expect(list.results.map((x) => x.id)).toEqual(expect.arrayContaining([IDS.snapshotSharded, taken.id]));
    expect(list.totalCount).toBe(list.results.length);
    await mock.app.close();
  });

  it('a replica set\'s snapshot through the sharded operations: 200 with no members (the Terraform provider reads it so)', async () => {
    const mock = testMock();
    const res = await mock.request({ url: shardedUrl(IDS.snapshotCompleted, 'Cluster0') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: IDS.snapshotCompleted, type: 'replicaSet', members: [], snapshotIds: [] });
    expect((await mock.request({ url: `${snapshotsUrl()}/shardedClusters` })).json().results.map((s: { id: string }) => s.id)).toContain(IDS.snapshotCompleted);
    expect((await mock.request({ method: 'DELETE', url: shardedUrl(IDS.snapshotSharded) })).statusCode).toBe(204);
    expect((await mock.request({ url: shardedUrl(IDS.snapshotSharded) })).statusCode).toBe(404);
    await mock.app.close();
  });
});

describe('databases and collections of a snapshot (2025-03-12)', () => {
  const dbUrl = (db?: string, coll?: string) => `${snapshotsUrl()}/${IDS.snapshotCompleted}/databases${db === undefined ? '' : `/${db}${coll === undefined ? '' : `/collections${coll === '' ? '' : `/${coll}`}`}`}`;

  it('lists the cluster\'s databases and a database\'s collections, paginated, in fixture order', async () => {
    const mock = testMock();
    const dbs = await allPages(mock, dbUrl(), 3, V2025);
    expect(dbs.totalCount).toBe(10);
    expect(dbs.results.map((d) => d.name).slice(0, 3)).toEqual(['sample_mflix', 'sample_analytics', 'sample_training']);
    const colls = await allPages(mock, dbUrl('shop', ''), 5, V2025);
    expect([colls.totalCount, colls.results[0].name, colls.results.at(-1).name]).toEqual([19, 'addresses', 'wishlists']);
    expect((await mock.request({ url: dbUrl('shop'), headers: { accept: V2025 } })).json()).toEqual({ name: 'shop' });
    expect((await mock.request({ url: dbUrl('shop', 'orders'), headers: { accept: V2025 } })).json()).toEqual({ name: 'orders' });
    await mock.app.close();
  });

  it('answers 404 for an unknown database or collection, and 406 at a version before 2025-03-12', async () => {
    const mock = testMock();
    expect(errorOf(await mock.request({ url: dbUrl('nope'), headers: { accept: V2025 } }))).toEqual({ status: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: ['nope'] });
    expect(errorOf(await mock.request({ url: dbUrl('shop', 'nope'), headers: { accept: V2025 } }))).toEqual({ status: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: ['shop.nope'] });
    expect(errorOf(await mock.request({ url: dbUrl(), headers: { accept: V2023 } })).errorCode).toBe('INVALID_VERSION_DATE');
    await mock.app.close();
  });

  it('a sharded cluster\'s snapshot holds the cluster\'s named collections (db0 … db4)', async () => {
    const mock = testMock();
    const res = await mock.request({ url: `${snapshotsUrl('Sharded0')}/${IDS.snapshotSharded}/databases?itemsPerPage=100`, headers: { accept: V2025 } });
    expect(res.json().results.map((d: { name: string }) => d.name)).toEqual(['db0', 'db1', 'db2', 'db3', 'db4']);
    await mock.app.close();
  });
});
