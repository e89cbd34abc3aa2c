// The issue's acceptance run: ONE OpenTofu configuration with the whole export workflow — cloud provider
// access (setup + authorization), an export bucket on that role, an on-demand snapshot, an export job of
// it, a backup schedule with an export policy and auto_export_enabled, and the data sources of each —
// applied, planned (-detailed-exitcode: 0, no drift) and destroyed against one mock. One test per resource
// after the apply says which one failed and why.
//
// Slow by the provider's design, whatever the mock does: before taking a snapshot it waits 3 min (real
// time) for the cluster to be IDLE, then 1 min before its first look at the snapshot (notes:
// /work/notes/clients.md). The rest of the configuration is created meanwhile.
import { describe, expect, it } from 'vitest';
import { expectExportFiles } from '../harness/export-files.js';
import { describeTofu, errorsAbout, expectTofu, useTofu, type TofuRun } from '../harness/tofu.js';
import { backupSchedule, cloudProviderAccess, exportBucket, exportJob, ROLE_ARN as ARN, snapshot } from '../harness/hcl.js';
import { IDS } from '../harness/world.js';

const G = `/groups/${IDS.group}`;

const BUCKET_ID = 'mongodbatlas_cloud_backup_snapshot_export_bucket.bucket.export_bucket_id';
const { world, tf } = useTofu(() =>
  [
    cloudProviderAccess(),
    exportBucket({ roleId: 'mongodbatlas_cloud_provider_access_authorization.auth.role_id', bucketName: 'tofu-workflow-bucket' }),
    snapshot(),
    exportJob({ snapshotId: 'mongodbatlas_cloud_backup_snapshot.snap.snapshot_id', bucketId: BUCKET_ID }),
    backupSchedule({ bucketId: BUCKET_ID }),
  ].join(''),
);

describe('tofu: the whole export workflow in one configuration', () => {
  let apply: TofuRun | undefined;
  let state: Record<string, { values: Record<string, any> }> = {};
  const ids = { role: '', bucket: '', snapshot: '', job: '' };

  /** The export job's state once it has ended (polled once a second; a default export takes ~9 s at SPEED). */
  const jobEnded = async () => {
    let job: any;
    for (let i = 0; i < 120; i++) {
      job = (await world().api('GET', `${G}/clusters/Cluster0/backup/exports/${ids.job}`)).body;
      if (['Successful', 'Failed', 'Cancelled'].includes(job?.state)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return job;
  };

  /** The resource is in the state, and tofu printed no error about it. */
  const applied = (address: string) => {
    tf(); // throws the file's setup error, if any
    expect(apply, 'apply did not run').toBeDefined();
    const errors = errorsAbout(apply!, address);
    expect(errors, errors.join('\n\n')).toEqual([]);
    const r = state[address];
    expect(r, `${address} was not created (something it depends on failed?)\n${describeTofu(apply!)}`).toBeDefined();
    return r!.values;
  };

  it('apply exits 0', { timeout: 12 * 60_000 }, async () => {
    apply = await tf().apply();
    state = await tf().resources();
    expectTofu(apply);
  });

  it('mongodbatlas_cloud_provider_access_setup + _authorization: an authorized AWS role', async () => {
    ids.role = applied('mongodbatlas_cloud_provider_access_setup.setup').role_id;
    expect(applied('mongodbatlas_cloud_provider_access_authorization.auth')).toMatchObject({ role_id: ids.role, aws: [{ iam_assumed_role_arn: ARN }] });
    expect(applied('data.mongodbatlas_cloud_provider_access_setup.setup')).toMatchObject({ role_id: ids.role });
    const role = await world().api('GET', `${G}/cloudProviderAccess/${ids.role}`);
    expect(role.body).toMatchObject({ iamAssumedRoleArn: ARN, authorizedDate: expect.any(String) });
  });

  it('mongodbatlas_cloud_backup_snapshot_export_bucket: on that role', async () => {
    ids.bucket = applied('mongodbatlas_cloud_backup_snapshot_export_bucket.bucket').export_bucket_id;
    expect(applied('data.mongodbatlas_cloud_backup_snapshot_export_bucket.bucket')).toMatchObject({ bucket_name: 'tofu-workflow-bucket', iam_role_id: ids.role });
    expect(applied('data.mongodbatlas_cloud_backup_snapshot_export_buckets.all').results.map((b: any) => b.export_bucket_id)).toContain(ids.bucket);
    const bucket = await world().api('GET', `${G}/backup/exportBuckets/${ids.bucket}`, { version: '2024-05-30' });
    expect(bucket.body).toMatchObject({ bucketName: 'tofu-workflow-bucket', iamRoleId: ids.role });
  });

  it('mongodbatlas_cloud_backup_snapshot: taken on demand, waited for until completed', async () => {
    const snap = applied('mongodbatlas_cloud_backup_snapshot.snap');
    ids.snapshot = snap.snapshot_id;
    expect(snap).toMatchObject({ status: 'completed', snapshot_type: 'onDemand', type: 'replicaSet', description: 'tofu on-demand' });
    expect(applied('data.mongodbatlas_cloud_backup_snapshot.snap')).toMatchObject({ snapshot_id: ids.snapshot, status: 'completed' });
    expect(applied('data.mongodbatlas_cloud_backup_snapshots.all').results.map((s: any) => s.id)).toContain(ids.snapshot);
    // What the provider saw while it waited: the cluster IDLE, then the snapshot until completed.
    const seen = apply!.exchanges.filter((x) => x.method === 'GET' && x.status === 200);
    expect(seen.some((x) => x.path.endsWith(`${G}/clusters/Cluster0`) && JSON.parse(x.responseBody).stateName === 'IDLE')).toBe(true);
    const polls = seen.filter((x) => x.path.endsWith(`/backup/snapshots/${ids.snapshot}`)).map((x) => JSON.parse(x.responseBody).status);
    expect(polls).toContain('completed');
  });

  it('mongodbatlas_cloud_backup_snapshot_export_job: the snapshot exported to the bucket', async () => {
    const job = applied('mongodbatlas_cloud_backup_snapshot_export_job.job');
    ids.job = job.export_job_id;
    expect(job).toMatchObject({ snapshot_id: ids.snapshot, export_bucket_id: ids.bucket });
    expect(applied('data.mongodbatlas_cloud_backup_snapshot_export_job.job')).toMatchObject({ export_job_id: ids.job });
    expect(applied('data.mongodbatlas_cloud_backup_snapshot_export_jobs.all').results.map((j: any) => j.export_job_id)).toContain(ids.job);
  });

  it('mongodbatlas_cloud_backup_schedule: export policy on the bucket, auto export on', async () => {
    expect(applied('mongodbatlas_cloud_backup_schedule.schedule')).toMatchObject({ auto_export_enabled: true, export: [{ export_bucket_id: ids.bucket, frequency_type: 'monthly' }] });
    expect(applied('data.mongodbatlas_cloud_backup_schedule.schedule')).toMatchObject({ auto_export_enabled: true });
    const schedule = await world().api('GET', `${G}/clusters/Cluster0/backup/schedule`, { version: '2024-08-05' });
    expect(schedule.body).toMatchObject({ autoExportEnabled: true, export: { exportBucketId: ids.bucket, frequencyType: 'monthly' } });
  });

  it('plan -detailed-exitcode exits 0: no drift', async () => {
    expectTofu(await tf().plan(), 0);
  });

  it('the export job ends Successful and its files are in the bucket', { timeout: 3 * 60_000 }, async () => {
    expect(ids.job, 'no export job was created').not.toBe('');
    const job = await jobEnded();
    expect(job).toMatchObject({ id: ids.job, state: 'Successful', exportBucketId: ids.bucket });
    await expectExportFiles(world(), { id: ids.job, clusterName: 'Cluster0', prefix: job.prefix, customData: [{ key: 'exported by', value: 'tofu' }] }, 'tofu-workflow-bucket');
  });

  it('destroy exits 0 and undoes what apply did in the mock', { timeout: 6 * 60_000 }, async () => {
    // The export job resource is only forgotten on destroy; let the export end first, as it would be by the
    // time a user tears the rest down (a snapshot being exported is not deleted under it).
    if (ids.job) await jobEnded();
    const destroy = expectTofu(await tf().destroy());
    const journal = (await world().clientRequests()).map((e) => `${e.method} ${e.path.replace(`/api/atlas/v2${G}`, '')} ${e.status}`);
    const expected = [
      `DELETE /clusters/Cluster0/backup/schedule 200`,
      `DELETE /clusters/Cluster0/backup/snapshots/${ids.snapshot} 204`,
      `DELETE /backup/exportBuckets/${ids.bucket} 204`,
      `DELETE /cloudProviderAccess/AWS/${ids.role} 204`,
    ];
    expect(journal, destroy.output).toEqual(expect.arrayContaining(expected));
    expect((await world().api('GET', `${G}/backup/exportBuckets/${ids.bucket}`)).status).toBe(404);
    expect((await world().api('GET', `${G}/clusters/Cluster0/backup/snapshots/${ids.snapshot}`)).status).toBe(404);
  });
});
