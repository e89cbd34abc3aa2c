// `atlas api <tag> <operationId>` (Atlas CLI 1.46.4): one call per operation of the export workflow that
// the CLI has a generated command for (the 2025-03-12 snapshot databases/collections operations are newer
// than 1.46.4: no command). These commands carry the operationIds of the spec the CLI was built from (the
// older names: listReplicaSetBackups = listGroupClusterBackupSnapshots, …), send no query parameter unless
// given, print the raw body (errors included) and exit 1 on a non-2xx answer. `--version` is pinned in
// each call. `--watch` polls once a second.
import { describe, expect } from 'vitest';
import { describeRun, expectBetween, expectOk, type CliRun } from '../harness/atlas-cli.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

const G = IDS.group;
const CLUSTER = `/groups/${G}/clusters/Cluster0`;

/** The call exited non-zero after the mock answered 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API (recorded). */
function expectFlexRefusal(run: CliRun): void {
  expect(run.code, describeRun(run)).not.toBe(0);
  expect(run.json(), describeRun(run)).toEqual({
    detail: 'Cannot use non-flex cluster Cluster0 in the flex API.',
    error: 400,
    errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
    parameters: ['Cluster0'],
    reason: 'Bad Request',
  });
  expect(run.stderr).toContain('server returned an error response code');
}

/** Status of the last answered (non-401) request of a run. */
const lastStatus = (run: CliRun) => [...run.exchanges].reverse().find((x) => x.status !== 401)?.status;

describe.concurrent('atlas api: snapshots', () => {
  it('cloudBackups listReplicaSetBackups', async ({ world, cli }) => {
    const before = (await world.api('GET', `${CLUSTER}/backup/snapshots`)).body;
    const out = expectOk(await cli.run(['api', 'cloudBackups', 'listReplicaSetBackups', '--clusterName', 'Cluster0', '--version', '2023-01-01'])).json();
    expectBetween(out, before, (await world.api('GET', `${CLUSTER}/backup/snapshots`)).body);
    expect(out.results.map((s: any) => s.id)).toEqual(expect.arrayContaining([IDS.snapshotCompleted, IDS.snapshotReady]));
  });

  it('cloudBackups getReplicaSetBackup', async ({ cli }) => {
    const out = expectOk(
      await cli.run(['api', 'cloudBackups', 'getReplicaSetBackup', '--clusterName', 'Cluster0', '--snapshotId', IDS.snapshotCompleted, '--version', '2023-01-01']),
    ).json();
    expect(out).toMatchObject({ id: IDS.snapshotCompleted, status: 'completed' });
  });

  it('cloudBackups takeSnapshot --watch: queued, watched until completed', async ({ cli }) => {
    const body = cli.file('take.json', { description: 'atlas api', retentionInDays: 2 });
    const run = expectOk(await cli.run(['api', 'cloudBackups', 'takeSnapshot', '--clusterName', 'Cluster0', '--file', body, '--version', '2023-01-01', '--watch'], { timeoutMs: 90_000 }));
    const taken = run.exchanges.find((x) => x.method === 'POST' && x.status === 200);
    expect(taken, describeRun(run)).toBeDefined();
    const created = JSON.parse(taken!.responseBody);
    expect(created).toMatchObject({ description: 'atlas api', status: 'queued', frequencyType: 'ondemand', snapshotType: 'onDemand', type: 'replicaSet' });
    const polls = run.exchanges.filter((x) => x.method === 'GET' && x.path.endsWith(`/backup/snapshots/${created.id}`) && x.status === 200);
    expect(JSON.parse(polls.at(-1)!.responseBody).status, describeRun(run)).toBe('completed');
  });

  it('cloudBackups updateSnapshotRetention', async ({ world, cli }) => {
    const before = (await world.api('GET', `${CLUSTER}/backup/snapshots/${IDS.snapshotCompleted}`)).body;
    const body = cli.file('retention.json', { retentionUnit: 'DAYS', retentionValue: 30 });
    const out = expectOk(
      await cli.run(['api', 'cloudBackups', 'updateSnapshotRetention', '--clusterName', 'Cluster0', '--snapshotId', IDS.snapshotCompleted, '--file', body, '--version', '2023-01-01']),
    ).json();
    expect(out.id).toBe(IDS.snapshotCompleted);
    expect(Date.parse(out.expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt));
    expect((await world.api('GET', `${CLUSTER}/backup/snapshots/${IDS.snapshotCompleted}`)).body.expiresAt).toBe(out.expiresAt);
  });

  it('cloudBackups deleteReplicaSetBackup --watch: 204, watched until the snapshot answers 404', async ({ world, cli }) => {
    const run = expectOk(
      await cli.run(['api', 'cloudBackups', 'deleteReplicaSetBackup', '--clusterName', 'Cluster0', '--snapshotId', IDS.snapshotReady, '--version', '2023-01-01', '--watch'], { timeoutMs: 60_000 }),
    );
    expect(run.exchanges.find((x) => x.method === 'DELETE' && x.status !== 401)?.status, describeRun(run)).toBe(204);
    expect(lastStatus(run), describeRun(run)).toBe(404);
    expect((await world.api('GET', `${CLUSTER}/backup/snapshots/${IDS.snapshotReady}`)).status).toBe(404);
  });

  it('cloudBackups listShardedClusterBackups', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'cloudBackups', 'listShardedClusterBackups', '--clusterName', 'Sharded0', '--version', '2023-01-01'])).json();
    const sharded = out.results.find((s: any) => s.id === IDS.snapshotSharded);
    expect(sharded, JSON.stringify(out)).toMatchObject({ status: 'completed', type: 'shardedCluster' });
    expect(sharded.members, 'one member per shard (and the config server when Atlas lists it)').toEqual(
      expect.arrayContaining([expect.objectContaining({ replicaSetName: expect.any(String), id: expect.stringMatching(/^[0-9a-f]{24}$/) })]),
    );
  });

  it('cloudBackups getShardedClusterBackup', async ({ cli }) => {
    const out = expectOk(
      await cli.run(['api', 'cloudBackups', 'getShardedClusterBackup', '--clusterName', 'Sharded0', '--snapshotId', IDS.snapshotSharded, '--version', '2023-01-01']),
    ).json();
    expect(out).toMatchObject({ id: IDS.snapshotSharded, type: 'shardedCluster', status: 'completed' });
    expect(out.members.length).toBeGreaterThanOrEqual(2);
    expect(out.snapshotIds).toEqual(out.members.map((m: any) => m.id));
  });

  it('cloudBackups deleteShardedClusterBackup', async ({ world, cli }) => {
    const run = expectOk(
      await cli.run(['api', 'cloudBackups', 'deleteShardedClusterBackup', '--clusterName', 'Sharded0', '--snapshotId', IDS.snapshotSharded, '--version', '2023-01-01']),
    );
    expect(lastStatus(run)).toBe(204);
    expect((await world.api('GET', `/groups/${G}/clusters/Sharded0/backup/snapshots/shardedCluster/${IDS.snapshotSharded}`)).status).toBe(404);
  });
});

describe.concurrent('atlas api: backup schedule', () => {
  it('cloudBackups getBackupSchedule (2024-08-05)', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'cloudBackups', 'getBackupSchedule', '--clusterName', 'Cluster0', '--version', '2024-08-05'])).json();
    expect(out).toMatchObject({ clusterName: 'Cluster0', autoExportEnabled: false });
    expect(out.policies[0].policyItems.length).toBeGreaterThan(0);
  });

  it('cloudBackups updateBackupSchedule (2024-08-05)', async ({ world, cli }) => {
    const body = cli.file('schedule.json', { referenceHourOfDay: 5, referenceMinuteOfHour: 30, autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'monthly' } });
    const out = expectOk(await cli.run(['api', 'cloudBackups', 'updateBackupSchedule', '--clusterName', 'Cluster0', '--file', body, '--version', '2024-08-05'])).json();
    expect(out).toMatchObject({ referenceHourOfDay: 5, referenceMinuteOfHour: 30, autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'monthly' } });
    expect((await world.api('GET', `${CLUSTER}/backup/schedule`)).body).toMatchObject({ referenceHourOfDay: 5, autoExportEnabled: true });
  });

  it('cloudBackups deleteAllBackupSchedules (2024-08-05): the policy loses its items (recorded)', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'cloudBackups', 'deleteAllBackupSchedules', '--clusterName', 'Cluster0', '--version', '2024-08-05'])).json();
    // recorded-workflow/TestSchedule/Delete: 200, one policy with its id and `policyItems: []`, no nextSnapshot.
    expect(out).toMatchObject({ clusterName: 'Cluster0', autoExportEnabled: false });
    expect(out.policies).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{24}$/), policyItems: [] }]);
  });
});

describe.concurrent('atlas api: clusters and the flex probes', () => {
  it('clusters getCluster (2024-08-05)', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'clusters', 'getCluster', '--clusterName', 'Cluster0', '--version', '2024-08-05'])).json();
    expect(out).toMatchObject({ name: 'Cluster0', groupId: G, stateName: 'IDLE', clusterType: 'REPLICASET', backupEnabled: true });
    expect(out.replicationSpecs[0].regionConfigs[0].electableSpecs.instanceSize).toMatch(/^M\d+/);
  });

  it('clusters listClusters (2024-08-05)', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'clusters', 'listClusters', '--version', '2024-08-05'])).json();
    expect(out.results.map((c: any) => c.name)).toEqual(expect.arrayContaining(['Cluster0', 'Sharded0']));
    for (const c of out.results) expect(c.stateName).toBe('IDLE');
  });

  it('flexClusters getFlexCluster on a dedicated cluster: 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', async ({ cli }) => {
    expectFlexRefusal(await cli.run(['api', 'flexClusters', 'getFlexCluster', '--name', 'Cluster0', '--version', '2024-11-13']));
  });

  it('flexSnapshots listFlexBackups on a dedicated cluster: 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', async ({ cli }) => {
    expectFlexRefusal(await cli.run(['api', 'flexSnapshots', 'listFlexBackups', '--name', 'Cluster0', '--version', '2024-11-13']));
  });

  it('flexSnapshots getFlexBackup on a dedicated cluster: 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', async ({ cli }) => {
    expectFlexRefusal(await cli.run(['api', 'flexSnapshots', 'getFlexBackup', '--name', 'Cluster0', '--snapshotId', IDS.snapshotCompleted, '--version', '2024-11-13']));
  });
});

describe.concurrent('atlas api: cloud provider access, project, organization', () => {
  it('cloudProviderAccess createCloudProviderAccessRole (AWS)', async ({ cli }) => {
    const body = cli.file('role.json', { providerName: 'AWS' });
    const out = expectOk(await cli.run(['api', 'cloudProviderAccess', 'createCloudProviderAccessRole', '--file', body, '--version', '2023-01-01'])).json();
    // recorded-workflow/TestAccessRoles/Create
    expect(out).toMatchObject({
      providerName: 'AWS',
      atlasAWSAccountArn: expect.stringMatching(/^arn:aws:iam::\d{12}:root$/),
      atlasAssumedRoleExternalId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      authorizedDate: null,
      iamAssumedRoleArn: null,
      featureUsages: [],
      roleId: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
  });

  it('cloudProviderAccess listCloudProviderAccessRoles: the dataset’s authorized role', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'cloudProviderAccess', 'listCloudProviderAccessRoles', '--version', '2023-01-01'])).json();
    expect(out.awsIamRoles).toContainEqual(expect.objectContaining({ roleId: '6650a0c1f1d2e3a4b5c6d811', providerName: 'AWS', authorizedDate: expect.any(String) }));
  });

  it('cloudProviderAccess getCloudProviderAccessRole', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'cloudProviderAccess', 'getCloudProviderAccessRole', '--roleId', '6650a0c1f1d2e3a4b5c6d811', '--version', '2023-01-01'])).json();
    expect(out).toMatchObject({ roleId: '6650a0c1f1d2e3a4b5c6d811', providerName: 'AWS', iamAssumedRoleArn: expect.stringMatching(/^arn:aws:iam::/) });
  });

  it('cloudProviderAccess authorizeCloudProviderAccessRole, then deauthorizeCloudProviderAccessRole', async ({ world, cli }) => {
    const made = await world.api('POST', `/groups/${G}/cloudProviderAccess`, { body: { providerName: 'AWS' } });
    expect(made.status, made.text).toBe(200);
    const arn = 'arn:aws:iam::123456789012:role/atlas-export-role';
    const body = cli.file('authorize.json', { providerName: 'AWS', iamAssumedRoleArn: arn });
    const authorized = expectOk(
      await cli.run(['api', 'cloudProviderAccess', 'authorizeCloudProviderAccessRole', '--roleId', made.body.roleId, '--file', body, '--version', '2023-01-01']),
    ).json();
    expect(authorized).toMatchObject({ roleId: made.body.roleId, iamAssumedRoleArn: arn, authorizedDate: expect.any(String) });

    const gone = expectOk(
      await cli.run(['api', 'cloudProviderAccess', 'deauthorizeCloudProviderAccessRole', '--cloudProvider', 'AWS', '--roleId', made.body.roleId, '--version', '2023-01-01']),
    );
    expect(lastStatus(gone)).toBe(204);
    const list = await world.api('GET', `/groups/${G}/cloudProviderAccess`);
    expect(list.body.awsIamRoles.map((r: any) => r.roleId)).not.toContain(made.body.roleId);
  });

  it('projects getProject', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'projects', 'getProject', '--groupId', G, '--version', '2023-01-01'])).json();
    expect(out).toMatchObject({ id: G, name: 'mock-project', orgId: IDS.org });
  });

  it('organizations getOrganization', async ({ cli }) => {
    const out = expectOk(await cli.run(['api', 'organizations', 'getOrganization', '--orgId', IDS.org, '--version', '2023-01-01'])).json();
    expect(out).toMatchObject({ id: IDS.org, name: 'Mock Org' });
  });
});
