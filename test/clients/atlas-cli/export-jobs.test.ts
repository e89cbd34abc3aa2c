// `atlas backups exports jobs list|describe|create|watch` (Atlas CLI 1.46.4). `watch` polls every 4 s of
// real time; the mock's clock runs SPEED times faster, so a default export (2.5 min queued + 12 min running)
// ends after a few polls.
import { describe, expect } from 'vitest';
import { describeRun, expectAtlasError, expectOk } from '../harness/atlas-cli.js';
import { expectExportFiles } from '../harness/export-files.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

const JOBS = `/groups/${IDS.group}/clusters/Cluster0/backup/exports`;

describe.concurrent('atlas backups exports jobs', () => {
  it('list prints the cluster’s jobs the API lists', async ({ world, cli }) => {
    const out = expectOk(await cli.run(['backups', 'exports', 'jobs', 'list', 'Cluster0', '-o', 'json'])).json();
    const api = await world.api('GET', JOBS);
    expect(api.status).toBe(200);
    expect(out.totalCount).toBe(api.body.totalCount);
    expect(out.results.map((j: any) => [j.id, j.state])).toEqual(api.body.results.map((j: any) => [j.id, j.state]));
    expect(out.results.map((j: any) => j.id)).toContain(IDS.jobSuccessful);
  });

  it('describe prints one job', async ({ cli }) => {
    const out = expectOk(await cli.run(['backups', 'exports', 'jobs', 'describe', '--clusterName', 'Cluster0', '--exportId', IDS.jobSuccessful, '-o', 'json'])).json();
    expect(out).toMatchObject({ id: IDS.jobSuccessful, state: 'Successful', exportBucketId: IDS.bucket, snapshotId: IDS.snapshotCompleted });
    expect(out.exportStatus.exportedCollections).toBe(out.exportStatus.totalCollections);
  });

  it('create then watch: the job is queued, then watch sees it through to Successful', async ({ world, cli }) => {
    const created = expectOk(
      await cli.run([
        'backups', 'exports', 'jobs', 'create', '--clusterName', 'Cluster0', '--bucketId', IDS.bucket, '--snapshotId', IDS.snapshotReady,
        '--customData', 'team=qa', '-o', 'json',
      ]),
    ).json();
    expect(created).toMatchObject({ state: 'Queued', exportBucketId: IDS.bucket, snapshotId: IDS.snapshotReady, customData: [{ key: 'team', value: 'qa' }] });

    const watch = await cli.run(['backups', 'exports', 'jobs', 'watch', created.id, '--clusterName', 'Cluster0'], { timeoutMs: 90_000 });
    expectOk(watch);
    // With the profile's `output = "json"` watch prints a dot per poll, then the finished job as JSON.
    const printed = JSON.parse(watch.stdout.replace(/^\.*/, '')) as { id: string; state: string };
    expect(printed, describeRun(watch)).toMatchObject({ id: created.id, state: 'Successful' });
    const states = watch.exchanges.filter((x) => x.method === 'GET' && x.status === 200).map((x) => JSON.parse(x.responseBody).state as string);
    expect(states.at(-1), describeRun(watch)).toBe('Successful');
    expect(states.length, 'watch polled more than once (it saw the job before it ended)').toBeGreaterThan(1);

    const api = await world.api('GET', `${JOBS}/${created.id}`);
    expect(api.body).toMatchObject({ id: created.id, state: 'Successful' });
    // What the user exported is in the bucket (the default dataset's bucket 810, a folder of the mock).
    await expectExportFiles(world, { id: created.id, clusterName: 'Cluster0', prefix: api.body.prefix, customData: [{ key: 'team', value: 'qa' }] }, 'mock-export-bucket');
  });

  it('watch of a job that fails exits non-zero with "export failed"', async ({ world, cli }) => {
    await world.control.plans.next({ groupId: IDS.group, clusterName: 'Cluster0' }, { plan: { queued: '1m', running: '5m', outcome: 'Failed' } });
    const created = expectOk(
      await cli.run(['backups', 'exports', 'jobs', 'create', '--clusterName', 'Cluster0', '--bucketId', IDS.bucket, '--snapshotId', IDS.snapshotReady, '-o', 'json']),
    ).json();
    const watch = await cli.run(['backups', 'exports', 'jobs', 'watch', created.id, '--clusterName', 'Cluster0'], { timeoutMs: 90_000 });
    expect(watch.code, describeRun(watch)).not.toBe(0);
    expect(watch.stderr, describeRun(watch)).toContain('export failed');
  });

  it('describe of an unknown job prints Atlas’s error and exits non-zero', async ({ cli }) => {
    const run = await cli.run(['backups', 'exports', 'jobs', 'describe', '--clusterName', 'Cluster0', '--exportId', '6650a0c1f1d2e3a4b5c6dfff']);
    expectAtlasError(run, 404, 'RESOURCE_NOT_FOUND');
  });

  it('create on an unknown snapshot prints Atlas’s error', async ({ cli }) => {
    const run = await cli.run(['backups', 'exports', 'jobs', 'create', '--clusterName', 'Cluster0', '--bucketId', IDS.bucket, '--snapshotId', '6650a0c1f1d2e3a4b5c6dfff']);
    const { detail } = expectAtlasError(run, 404, 'SNAPSHOT_NOT_FOUND');
    expect(detail).toBe('No snapshot with ID 6650a0c1f1d2e3a4b5c6dfff exists for cluster Cluster0.');
  });
});
