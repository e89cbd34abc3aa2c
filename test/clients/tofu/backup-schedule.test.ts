// OpenTofu + the MongoDB Atlas provider 2.9.0: mongodbatlas_cloud_backup_schedule with an export policy
// (the default dataset's bucket, monthly) and auto_export_enabled, and its data source: apply → plan (no
// drift) → destroy. Create is DELETE schedule, GET, PATCH, GET (2024-08-05); destroy is DELETE schedule.
import { describe, expect, it } from 'vitest';
import { expectTofu, useTofu } from '../harness/tofu.js';
import { backupSchedule, lit } from '../harness/hcl.js';
import { IDS } from '../harness/world.js';

const SCHEDULE = `/groups/${IDS.group}/clusters/Cluster0/backup/schedule`;
const { world, tf } = useTofu(() => backupSchedule({ bucketId: lit(IDS.bucket) }));

describe('tofu: mongodbatlas_cloud_backup_schedule with an export policy', () => {
  it('apply sets the schedule, its export policy and auto export in the mock', async () => {
    expectTofu(await tf().apply());
    const stored = await world().api('GET', SCHEDULE, { version: '2024-08-05' });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body).toMatchObject({ referenceHourOfDay: 3, referenceMinuteOfHour: 45, autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'monthly' } });
    const items = stored.body.policies[0].policyItems.map((i: any) => [i.frequencyType, i.frequencyInterval, i.retentionUnit, i.retentionValue]);
    expect(items).toEqual([['daily', 1, 'days', 7], ['monthly', 1, 'months', 3]]);
    const state = await tf().resources();
    expect(state['mongodbatlas_cloud_backup_schedule.schedule']!.values).toMatchObject({ auto_export_enabled: true, export: [{ export_bucket_id: IDS.bucket, frequency_type: 'monthly' }] });
    expect(state['data.mongodbatlas_cloud_backup_schedule.schedule']!.values).toMatchObject({ auto_export_enabled: true, reference_hour_of_day: 3 });
  });

  it('plan -detailed-exitcode: no drift', async () => {
    expectTofu(await tf().plan(), 0);
  });

  it('destroy deletes the schedule: no export policy left', async () => {
    const destroy = expectTofu(await tf().destroy());
    const deletes = (await world().clientRequests()).filter((e) => e.method === 'DELETE' && e.path.endsWith('/backup/schedule'));
    expect(deletes.map((e) => e.status), destroy.output).toEqual([200, 200]); // one before the PATCH of create, one on destroy
    const stored = await world().api('GET', SCHEDULE, { version: '2024-08-05' });
    expect(stored.body.autoExportEnabled).toBe(false);
    expect(stored.body.export?.exportBucketId).toBeUndefined();
  });
});
