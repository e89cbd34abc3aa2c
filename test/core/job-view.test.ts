/** Contract §7: the export job as Atlas shows it, for each pinned job of the default dataset. */
import { describe, expect, it } from 'vitest';
import { objectIdTime } from '../../src/core/objectid.js';
import { assertSchema } from '../helpers/contract.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

const PREFIX_CLUSTER0 = `exported_snapshots/${IDS.org}/${IDS.group}/Cluster0/2024-05-24T1410/1716560065`;

describe('export job view', () => {
  it.each([
    [IDS.jobQueued, { state: 'Queued', exportStatus: { exportedCollections: 0, totalCollections: 42 } }],
    [IDS.jobInProgress, { state: 'InProgress', exportStatus: { exportedCollections: 17, totalCollections: 42 }, customData: [{ key: 'team', value: 'analytics' }] }],
    [IDS.jobSuccessful, { state: 'Successful', exportStatus: { exportedCollections: 42, totalCollections: 42 }, finishedAt: '2024-05-24T14:28:55Z' }],
    [
      IDS.jobFailed,
      {
        state: 'Failed',
        exportStatus: { exportedCollections: 12, totalCollections: 42 },
        finishedAt: '2024-05-24T14:20:25Z',
        stateReason: { errorCode: 'EXPORT_FAILED', message: "Access denied writing to bucket mock-export-bucket: check the IAM role's s3:PutObject permission." },
      },
    ],
    [IDS.jobCancelled, { state: 'Cancelled', exportStatus: { exportedCollections: 5, totalCollections: 42 }, finishedAt: '2024-05-24T14:18:00Z' }],
  ])('job %s', async (id, expected) => {
    const { request } = testMock();
    const res = await request({ url: jobUrl(id) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      createdAt: '2024-05-24T14:14:25Z',
      customData: [],
      exportBucketId: IDS.bucket,
      id,
      prefix: PREFIX_CLUSTER0,
      snapshotId: IDS.snapshotCompleted,
      ...expected,
    });
    // Keys in alphabetical order, as every recording; no links, no components on a replica set.
    expect(Object.keys(body)).toEqual(Object.keys(body).sort());
    expect(body.links).toBeUndefined();
    expect(body.components).toBeUndefined();
    // The id's timestamp is createdAt.
    expect(new Date(objectIdTime(body.id)).toISOString().replace('.000Z', 'Z')).toBe(body.createdAt);
    assertSchema('DiskBackupExportJob', body);
  });

  it('a sharded job has one component per shard, ids following the job id, and no exportStatus', async () => {
    const { request } = testMock();
    const body = (await request({ url: jobUrl(IDS.jobSharded, 'Sharded0') })).json();
    expect(body.components).toEqual([
      { exportId: '6650a0c1f1d2e3a4b5c6d826', replicaSetName: 'atlas-mock-shard-0' },
      { exportId: '6650a0c1f1d2e3a4b5c6d827', replicaSetName: 'atlas-mock-shard-1' },
    ]);
    expect(body.exportStatus).toBeUndefined();
    expect(body.prefix).toBe(`exported_snapshots/${IDS.org}/${IDS.group}/Sharded0/2024-05-24T1409/1716560065`);
    expect(body.state).toBe('Successful');
    assertSchema('DiskBackupExportJob', body);
  });

  it('prefix: no leading slash, snapshot date to the minute, job createdAt in epoch seconds', async () => {
    const { request } = testMock();
    const { prefix } = (await request({ url: jobUrl(IDS.jobQueued) })).json();
    expect(prefix).toMatch(/^exported_snapshots\/[a-f0-9]{24}\/[a-f0-9]{24}\/Cluster0\/\d{4}-\d{2}-\d{2}T\d{4}\/\d{10}$/);
  });
});
