// `atlas backups schedule describe|update` (Atlas CLI 1.46.4, pinned SDK: resource version 2023-01-01).
import { describe, expect } from 'vitest';
import { describeRun, expectAtlasError, expectOk } from '../harness/atlas-cli.js';
import { expectExportFiles } from '../harness/export-files.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

const SCHEDULE = `/groups/${IDS.group}/clusters/Cluster0/backup/schedule`;
const JOBS = `/groups/${IDS.group}/clusters/Cluster0/backup/exports`;

describe.concurrent('atlas backups schedule', () => {
  it('describe prints the cluster’s schedule as the API has it', async ({ world, cli }) => {
    const run = expectOk(await cli.run(['backups', 'schedule', 'describe', 'Cluster0', '-o', 'json']));
    expect(run.exchanges.find((x) => x.status === 200)?.accept).toBe('application/vnd.atlas.2023-01-01+json');
    const out = run.json();
    const api = await world.api('GET', SCHEDULE);
    expect(api.status, api.text).toBe(200);
    expect(out).toMatchObject({ clusterName: 'Cluster0', autoExportEnabled: false, clusterId: api.body.clusterId });
    expect(out.policies).toHaveLength(1);
    expect(out.policies[0].policyItems.length, 'the default policy has items').toBeGreaterThan(0);
    expect(out.policies).toEqual(api.body.policies);
  });

  it('update sets the export policy (bucket, monthly) and auto export; describe shows it', async ({ world, cli }) => {
    const run = expectOk(
      await cli.run(['backups', 'schedule', 'update', '--clusterName', 'Cluster0', '--exportBucketId', IDS.bucket, '--exportFrequencyType', 'monthly', '--autoExport', '-o', 'json']),
    );
    const patch = run.exchanges.find((x) => x.method === 'PATCH' && x.status !== 401);
    expect(JSON.parse(patch!.requestBody)).toEqual({ autoExportEnabled: true, clusterName: 'Cluster0', export: { exportBucketId: IDS.bucket, frequencyType: 'monthly' } });
    expect(run.json()).toMatchObject({ autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'monthly' } });
    const described = expectOk(await cli.run(['backups', 'schedule', 'describe', 'Cluster0', '-o', 'json'])).json();
    expect(described).toMatchObject({ autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'monthly' } });
    expect((await world.api('GET', SCHEDULE, { version: '2024-08-05' })).body).toMatchObject({ autoExportEnabled: true, export: { exportBucketId: IDS.bucket } });
  });

  it('update --autoExport: the next monthly snapshot exports itself to the bucket; the CLI lists and describes the job', async ({ world, cli }) => {
    expectOk(await cli.run(['backups', 'schedule', 'update', '--clusterName', 'Cluster0', '--exportBucketId', IDS.bucket, '--exportFrequencyType', 'monthly', '--autoExport']));
    const before = new Set<string>((await world.api('GET', JOBS)).body.results.map((j: any) => j.id));
    // The default policy's monthly item (frequencyInterval 40: the last day of the month) takes a snapshot on
    // 2024-05-31 at the reference time: move the mock clock past it, as a week of waiting would.
    await world.control.clock.set('2024-06-01T00:00:00Z');

    const listed = expectOk(await cli.run(['backups', 'exports', 'jobs', 'list', 'Cluster0', '-o', 'json']));
    const auto = listed.json().results.filter((j: any) => !before.has(j.id));
    expect(auto, `one auto export: the monthly snapshot's\n${describeRun(listed)}`).toHaveLength(1);
    expect(auto[0]).toMatchObject({ exportBucketId: IDS.bucket, state: 'Successful' });

    const job = expectOk(await cli.run(['backups', 'exports', 'jobs', 'describe', '--clusterName', 'Cluster0', '--exportId', auto[0].id, '-o', 'json'])).json();
    expect(job).toMatchObject({ id: auto[0].id, snapshotId: auto[0].snapshotId, state: 'Successful', prefix: auto[0].prefix });
    const snapshot = expectOk(await cli.run(['backups', 'snapshots', 'describe', job.snapshotId, '--clusterName', 'Cluster0', '-o', 'json'])).json();
    expect(snapshot).toMatchObject({ id: job.snapshotId, snapshotType: 'scheduled', frequencyType: 'monthly', status: 'completed' });
    expect(snapshot.createdAt).toMatch(/^2024-05-31T/);
    await expectExportFiles(world, { id: job.id, clusterName: 'Cluster0', prefix: job.prefix, customData: [] }, 'mock-export-bucket');
  });

  it('update --policy changes one policy item’s retention (after reading the ids)', async ({ cli }) => {
    const before = expectOk(await cli.run(['backups', 'schedule', 'describe', 'Cluster0', '-o', 'json'])).json();
    const policy = before.policies[0];
    const item = policy.policyItems.find((i: any) => i.frequencyType === 'daily') ?? policy.policyItems[0];
    const spec = [policy.id, item.id, item.frequencyType, item.frequencyInterval, 'days', 14].join(',');
    const run = expectOk(await cli.run(['backups', 'schedule', 'update', '--clusterName', 'Cluster0', '--policy', spec, '-o', 'json']));
    const changed = run.json().policies[0].policyItems.find((i: any) => i.id === item.id);
    expect(changed, describeRun(run)).toMatchObject({ frequencyType: item.frequencyType, retentionUnit: 'days', retentionValue: 14 });
  });

  it('describe of an unknown cluster prints Atlas’s error and exits non-zero', async ({ cli }) => {
    const run = await cli.run(['backups', 'schedule', 'describe', 'NoSuchCluster']);
    const { detail } = expectAtlasError(run, 404, 'CLUSTER_NOT_FOUND');
    expect(detail).toBe(`No cluster named NoSuchCluster exists in group ${IDS.group}.`);
  });
});
