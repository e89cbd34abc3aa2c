// `atlas backups snapshots list|describe|create|watch|delete` (Atlas CLI 1.46.4). list, describe and watch
// first ask the flex API; Atlas answers a dedicated cluster 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API
// (recorded-workflow/TestSnapshots/List, …/Describe) and the CLI falls back to the dedicated-cluster
// operation. watch polls every 4 s of real time until `completed` or `failed`.
import { describe, expect } from 'vitest';
import { describeRun, expectAtlasError, expectBetween, expectOk, type CliRun } from '../harness/atlas-cli.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

const SNAPSHOTS = `/groups/${IDS.group}/clusters/Cluster0/backup/snapshots`;

/** The run began with the flex probe, answered as Atlas answers it for a dedicated cluster. */
function expectFlexProbeFirst(run: CliRun): void {
  const first = run.exchanges.find((x) => x.status !== 401);
  expect(first?.path, describeRun(run)).toMatch(/\/flexClusters\/Cluster0\/backup\/snapshots/);
  expect(first?.status, describeRun(run)).toBe(400);
  expect(JSON.parse(first!.responseBody), describeRun(run)).toEqual({
    detail: 'Cannot use non-flex cluster Cluster0 in the flex API.',
    error: 400,
    errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
    parameters: ['Cluster0'],
    reason: 'Bad Request',
  });
}

describe.concurrent('atlas backups snapshots', () => {
  it('list: flex probe, then the cluster’s snapshots as the API lists them', async ({ world, cli }) => {
    // Scheduled snapshots appear as the fast clock runs: what the CLI prints lies between two API reads.
    const before = await world.api('GET', SNAPSHOTS);
    expect(before.status, before.text).toBe(200);
    const run = expectOk(await cli.run(['backups', 'snapshots', 'list', 'Cluster0', '-o', 'json']));
    expectFlexProbeFirst(run);
    const out = run.json();
    const after = await world.api('GET', SNAPSHOTS);
    expectBetween(out, before.body, after.body);
    expect(out.results.map((s: any) => s.id)).toEqual(expect.arrayContaining([IDS.snapshotCompleted, IDS.snapshotReady]));
  });

  it('describe: flex probe, then the snapshot', async ({ cli }) => {
    const run = expectOk(await cli.run(['backups', 'snapshots', 'describe', IDS.snapshotCompleted, '--clusterName', 'Cluster0', '-o', 'json']));
    expectFlexProbeFirst(run);
    expect(run.json()).toMatchObject({ id: IDS.snapshotCompleted, status: 'completed', description: 'nightly', type: 'replicaSet' });
  });

  it('create, watch until completed, delete', async ({ world, cli }) => {
    const created = expectOk(await cli.run(['backups', 'snapshots', 'create', 'Cluster0', '--desc', 'taken by the CLI', '--retention', '3', '-o', 'json'])).json();
    expect(created).toMatchObject({ description: 'taken by the CLI', status: 'queued', snapshotType: 'onDemand', frequencyType: 'ondemand' });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);

    const watch = await cli.run(['backups', 'snapshots', 'watch', created.id, '--clusterName', 'Cluster0'], { timeoutMs: 90_000 });
    expectOk(watch);
    expectFlexProbeFirst(watch);
    const polls = watch.exchanges.filter((x) => x.method === 'GET' && x.path.endsWith(`/clusters/Cluster0/backup/snapshots/${created.id}`) && x.status === 200);
    expect(polls.at(-1) && JSON.parse(polls.at(-1)!.responseBody).status, describeRun(watch)).toBe('completed');
    const printed = JSON.parse(watch.stdout.replace(/^\.*/, '')) as { id: string; status: string };
    expect(printed, describeRun(watch)).toMatchObject({ id: created.id, status: 'completed' });

    expectOk(await cli.run(['backups', 'snapshots', 'delete', created.id, '--clusterName', 'Cluster0', '--force']));
    const after = await world.api('GET', `${SNAPSHOTS}/${created.id}`);
    expect(after.status, after.text).toBe(404);
  });

  it('describe of an unknown snapshot prints Atlas’s error and exits non-zero', async ({ cli }) => {
    const run = await cli.run(['backups', 'snapshots', 'describe', '6650a0c1f1d2e3a4b5c6dfff', '--clusterName', 'Cluster0']);
    expectFlexProbeFirst(run);
    const { detail } = expectAtlasError(run, 404, 'SNAPSHOT_NOT_FOUND');
    expect(detail).toBe('No snapshot with ID 6650a0c1f1d2e3a4b5c6dfff exists for cluster Cluster0.');
  });

  it('watch of an unknown snapshot prints Atlas’s error and exits non-zero', async ({ cli }) => {
    // (When the flex probe is not answered as Atlas does, 1.46.4's watch prints nothing and exits 0.)
    const run = await cli.run(['backups', 'snapshots', 'watch', '6650a0c1f1d2e3a4b5c6dfff', '--clusterName', 'Cluster0'], { timeoutMs: 60_000 });
    expectAtlasError(run, 404, 'SNAPSHOT_NOT_FOUND');
  });

  it('delete of an unknown snapshot prints Atlas’s error and exits non-zero', async ({ cli }) => {
    const run = await cli.run(['backups', 'snapshots', 'delete', '6650a0c1f1d2e3a4b5c6dfff', '--clusterName', 'Cluster0', '--force']);
    expectAtlasError(run, 404, 'SNAPSHOT_NOT_FOUND');
  });
});
