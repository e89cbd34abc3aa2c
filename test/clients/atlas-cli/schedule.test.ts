// `atlas backups schedule describe|update` (Atlas CLI 1.46.4, pinned SDK: resource version 2023-01-01).
import { describe, expect } from 'vitest';
import { describeRun, expectAtlasError, expectOk } from '../harness/atlas-cli.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

const SCHEDULE = `/groups/${IDS.group}/clusters/Cluster0/backup/schedule`;

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
