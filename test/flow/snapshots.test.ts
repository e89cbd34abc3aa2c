/** GET one snapshot (contract §1): status derived by the mock clock, fields as recorded per status, links, errors. */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { assertSchema } from '../helpers/contract.js';
import { errorOf, snapshotUrl } from '../helpers/flow.js';
import { IDS, testMock } from '../helpers/mock.js';

const COMPLETED_KEYS = ['cloudProvider', 'copyRegions', 'createdAt', 'description', 'expiresAt', 'frequencyType', 'id', 'links', 'mongodVersion', 'policyItems', 'replicaSetName', 'snapshotType', 'status', 'storageSizeBytes', 'type'];
// In progress, long after its request: mongodVersion known, not taken yet (no cloudProvider, no createdAt).
const IN_FLIGHT_KEYS = ['copyRegions', 'expiresAt', 'frequencyType', 'id', 'links', 'mongodVersion', 'policyItems', 'replicaSetName', 'snapshotType', 'status', 'storageSizeBytes', 'type'];
const COMPLETED_SCHEDULED_KEYS = COMPLETED_KEYS.filter((k) => k !== 'description');

describe('GET one snapshot', () => {
  it('shows a completed snapshot with every field, in alphabetical order, links on the request host', async () => {
    const mock = testMock();
    const res = await mock.request({ url: snapshotUrl(IDS.snapshotCompleted), headers: { host: 'mock.example:8080' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    const s = res.json();
    assertSchema('DiskBackupReplicaSet', s);
    expect(Object.keys(s)).toEqual(COMPLETED_KEYS);
    expect(s).toMatchObject({ cloudProvider: 'AWS', createdAt: '2024-05-24T14:10:07Z', expiresAt: '2024-05-25T14:10:07Z', mongodVersion: '8.0.12', replicaSetName: 'Cluster0', status: 'completed', storageSizeBytes: 1431306240, type: 'replicaSet' });
    expect(s.links).toEqual([
      { href: `http://mock.example:8080/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/snapshots/${IDS.snapshotCompleted}`, rel: 'self' },
      { href: `http://mock.example:8080/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0`, rel: 'https://cloud.mongodb.com/cluster' },
    ]);
    await mock.app.close();
  });

  it('derives inProgress → completed from the clock: the fields a completed snapshot gains appear then', async () => {
    const mock = testMock();
    const before = (await mock.request({ url: snapshotUrl(IDS.snapshotInProgress) })).json();
    assertSchema('DiskBackupReplicaSet', before);
    expect(Object.keys(before)).toEqual(IN_FLIGHT_KEYS);
    expect([before.status, before.storageSizeBytes]).toEqual(['inProgress', 0]);
    mock.clock.advanceBy(300_000);
    const after = (await mock.request({ url: snapshotUrl(IDS.snapshotInProgress) })).json();
    assertSchema('DiskBackupReplicaSet', after);
    expect(after.status).toBe('completed');
    expect(Object.keys(after)).toEqual(COMPLETED_SCHEDULED_KEYS);
    // Retention counts from completion once completed (recorded: +24 h for an on-demand snapshot; a daily one
    // is kept 7 days by Atlas's default policy).
    expect(after.expiresAt).toBe(new Date(mock.clock.now() + 7 * 86_400_000).toISOString().replace('.000Z', 'Z'));
    await mock.app.close();
  });

  it('types a sharded cluster’s snapshot shardedCluster, without replicaSetName', async () => {
    const mock = testMock();
    const s = (await mock.request({ url: snapshotUrl(IDS.snapshotSharded, 'Sharded0') })).json();
    assertSchema('DiskBackupReplicaSet', s);
    expect(s.type).toBe('shardedCluster');
    expect(s.replicaSetName).toBeUndefined();
    await mock.app.close();
  });

  it('keeps queued and failed snapshots as the fixtures say; failed ones never complete', async () => {
    const ids = { org: 'a0123456789abcdef012345a', group: 'b0123456789abcdef012345b' };
    const world = parseDataset({
      organizations: [{ id: ids.org, name: 'o' }],
      projects: [{ id: ids.group, orgId: ids.org, name: 'p' }],
      clusters: [{ groupId: ids.group, name: 'c1', collections: 3, cloudProvider: 'GCP' }],
      snapshots: [
        { id: '6a7943462c88faeba59ccf51', groupId: ids.group, clusterName: 'c1', status: 'queued', frequencyType: 'daily', snapshotType: 'scheduled' },
        { id: '6a7943462c88faeba59ccf52', groupId: ids.group, clusterName: 'c1', status: 'failed' },
      ],
    });
    const mock = testMock({ fixtures: world });
    const queued = (await mock.request({ url: snapshotUrl('6a7943462c88faeba59ccf51', 'c1', ids.group) })).json();
    assertSchema('DiskBackupReplicaSet', queued);
    expect([queued.status, queued.frequencyType, queued.snapshotType]).toEqual(['queued', 'daily', 'scheduled']);
    // A daily snapshot is kept 7 days (Atlas's default policy) from when it was requested: its id's time, 03:19:34.
    expect(queued.expiresAt).toBe('2026-08-17T03:19:34Z');
    mock.clock.advanceBy(86_400_000);
    const failed = (await mock.request({ url: snapshotUrl('6a7943462c88faeba59ccf52', 'c1', ids.group) })).json();
    assertSchema('DiskBackupReplicaSet', failed);
    expect([failed.status, failed.description]).toEqual(['failed', undefined]);
    await mock.app.close();
  });

  it.each([
    ['an unknown id', 'Cluster0', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'SNAPSHOT_NOT_FOUND', ['aaaaaaaaaaaaaaaaaaaaaaaa', 'Cluster0']],
    ['a malformed id', 'Cluster0', 'xyz', 'SNAPSHOT_NOT_FOUND', ['xyz', 'Cluster0']],
    ['a snapshot of another cluster', 'Cluster0', IDS.snapshotSharded, 'SNAPSHOT_NOT_FOUND', [IDS.snapshotSharded, 'Cluster0']],
    ['an unknown cluster', 'Nope', IDS.snapshotCompleted, 'CLUSTER_NOT_FOUND', ['Nope', IDS.group]],
  ])('answers %s with 404 %s', async (_name, cluster, id, errorCode, parameters) => {
    const mock = testMock();
    const res = await mock.request({ url: snapshotUrl(id, cluster) });
    expect(errorOf(res)).toEqual({ status: 404, errorCode, parameters });
    await mock.app.close();
  });

  it('prints pretty=true in Jackson style', async () => {
    const mock = testMock();
    const res = await mock.request({ url: `${snapshotUrl(IDS.snapshotCompleted)}?pretty=true` });
    expect(res.body.startsWith('{\n  "cloudProvider" : "AWS",\n  "copyRegions" : [ ],')).toBe(true);
    await mock.app.close();
  });
});
