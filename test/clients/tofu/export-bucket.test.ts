// OpenTofu + the MongoDB Atlas provider 2.9.0: mongodbatlas_cloud_backup_snapshot_export_bucket (on the
// default dataset's authorized AWS role) with its two data sources: apply → plan (no drift) → destroy.
// After the DELETE the provider polls listGroupClusters and each cluster's backup schedule until no
// schedule exports to the bucket (notes: /work/notes/clients.md, "export_bucket").
import { describe, expect, it } from 'vitest';
import { expectTofu, useTofu, type TofuRun } from '../harness/tofu.js';
import { exportBucket, lit } from '../harness/hcl.js';
import { IDS } from '../harness/world.js';

const ROLE = '6650a0c1f1d2e3a4b5c6d811';
const { world, tf } = useTofu(() => exportBucket({ roleId: lit(ROLE), bucketName: 'tofu-export-bucket' }));

describe('tofu: mongodbatlas_cloud_backup_snapshot_export_bucket', () => {
  let apply: TofuRun | undefined;
  let bucketId = '';

  it('apply creates the bucket in the mock; the data sources read it', async () => {
    apply = await tf().apply();
    expectTofu(apply);
    const state = await tf().resources();
    bucketId = state['mongodbatlas_cloud_backup_snapshot_export_bucket.bucket']!.values.export_bucket_id;
    expect(bucketId).toMatch(/^[0-9a-f]{24}$/);
    const stored = await world().api('GET', `/groups/${IDS.group}/backup/exportBuckets/${bucketId}`, { version: '2024-05-30' });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body).toMatchObject({ bucketName: 'tofu-export-bucket', cloudProvider: 'AWS', iamRoleId: ROLE });
    expect(state['data.mongodbatlas_cloud_backup_snapshot_export_bucket.bucket']!.values).toMatchObject({ bucket_name: 'tofu-export-bucket', iam_role_id: ROLE });
    const listed = state['data.mongodbatlas_cloud_backup_snapshot_export_buckets.all']!.values;
    expect(listed.results.map((b: any) => b.export_bucket_id)).toEqual(expect.arrayContaining([IDS.bucket, bucketId]));
    const posts = (await world().clientRequests()).filter((e) => e.method === 'POST' && e.path.endsWith('/backup/exportBuckets'));
    expect(posts.map((e) => e.status)).toEqual([200]);
  });

  it('plan -detailed-exitcode: no drift', async () => {
    expectTofu(await tf().plan(), 0);
  });

  it('destroy deletes the bucket (and the provider sees no schedule still exporting to it)', async () => {
    const destroy = expectTofu(await tf().destroy());
    expect((await world().api('GET', `/groups/${IDS.group}/backup/exportBuckets/${bucketId}`)).status).toBe(404);
    const journal = (await world().clientRequests()).map((e) => `${e.method} ${e.path.replace(`/api/atlas/v2/groups/${IDS.group}`, '')} ${e.status}`);
    expect(journal, destroy.output).toContain(`DELETE /backup/exportBuckets/${bucketId} 204`);
    expect(journal, 'the provider’s wait after the DELETE: listGroupClusters').toContain('GET /clusters 200');
  });
});
