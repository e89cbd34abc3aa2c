// OpenTofu + the MongoDB Atlas provider 2.9.0: mongodbatlas_cloud_backup_snapshot_export_job on the default
// dataset's completed snapshot and bucket, with its two data sources: apply → plan (no drift) → destroy.
// The provider does not wait for the job; destroying it sends nothing (export jobs cannot be deleted).
import { describe, expect, it } from 'vitest';
import { expectTofu, useTofu } from '../harness/tofu.js';
import { exportJob, lit } from '../harness/hcl.js';
import { IDS } from '../harness/world.js';

const { world, tf } = useTofu(() => exportJob({ snapshotId: lit(IDS.snapshotReady), bucketId: lit(IDS.bucket) }));

describe('tofu: mongodbatlas_cloud_backup_snapshot_export_job', () => {
  let jobId = '';

  it('apply creates the export job in the mock; the data sources read it', async () => {
    expectTofu(await tf().apply());
    const state = await tf().resources();
    const job = state['mongodbatlas_cloud_backup_snapshot_export_job.job']!.values;
    jobId = job.export_job_id;
    expect(job).toMatchObject({ snapshot_id: IDS.snapshotReady, export_bucket_id: IDS.bucket, custom_data: [{ key: 'exported by', value: 'tofu' }], state: 'Queued' });
    const stored = await world().api('GET', `/groups/${IDS.group}/clusters/Cluster0/backup/exports/${jobId}`);
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body).toMatchObject({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket });
    expect(state['data.mongodbatlas_cloud_backup_snapshot_export_job.job']!.values).toMatchObject({ export_job_id: jobId, snapshot_id: IDS.snapshotReady });
    expect(state['data.mongodbatlas_cloud_backup_snapshot_export_jobs.all']!.values.results.map((j: any) => j.export_job_id)).toContain(jobId);
  });

  it('plan -detailed-exitcode: no drift (while the job moves on)', async () => {
    expectTofu(await tf().plan(), 0);
  });

  it('destroy forgets the job; it stays in the mock', async () => {
    expectTofu(await tf().destroy());
    expect((await world().api('GET', `/groups/${IDS.group}/clusters/Cluster0/backup/exports/${jobId}`)).status).toBe(200);
  });
});
