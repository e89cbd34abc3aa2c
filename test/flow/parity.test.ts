/**
 * Parity with real Atlas for the rest of the flow: the recorded create job, list jobs (2026, and the 2025
 * unmasked-host recording), bucket create / get / list / delete and snapshot GETs (inProgress, completed),
 * replayed against the mock. Each test loads the recorded world, sets the manual clock to the recording's
 * `Date` and asks what the CLI asked; the mock must answer with the same status, the same values of the
 * PARITY_HEADERS, the same keys and types, and — the ids being the recorded ones — the same bytes. Where
 * the mock makes a new id (creates), its ObjectId factory is made to return the recorded id, and the test
 * checks that the id was asked for at the recording's time.
 */
import { expect, it, vi } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import type { DatasetInput } from '../../src/fixtures/schema.js';
import { assertExportBucket, assertExportBucketPage, assertSchema, describeWithEvidence, PARITY_HEADERS, recorded, shape, type Recorded } from '../helpers/contract.js';
import { testMock, V2023, V2024, type TestMock } from '../helpers/mock.js';

const ORG = 'a0123456789abcdef012345a';
const GROUP = 'b0123456789abcdef012345b';
const CLUSTER = 'cluster-989';
const SNAPSHOT = '6a7943462c88faeba59ccf5f';
const JOB_BUCKET = '6a794342c0eb9e7a17729455';
const JOB = '6a7945592c88faeba59d5e8e';
const BUCKET = '6a793f752c88faeba59bba56';
const ROLE = 'c0123456789abcdef012345c';
const HOST = 'localhost:8080';
const GROUP_URL = `/api/atlas/v2/groups/${GROUP}`;

/**
 * The recorded world of August 2026 (the Atlas CLI e2e run, one on-demand snapshot of an empty replica set):
 * snapshot requested 03:19:34 (its id), taken 03:27:08, completed by 03:28:21; job created 03:28:25,
 * InProgress by 03:31:13, finished 03:43:05.
 */
function world2026(extra: Partial<DatasetInput> = {}, withJob = true) {
  return parseDataset({
    organizations: [{ id: ORG, name: 'recorded org' }],
    projects: [{ id: GROUP, orgId: ORG, name: 'recorded project' }],
    clusters: [{ groupId: GROUP, name: CLUSTER, collections: 0, mongodVersion: '8.0.29', cloudProvider: 'AWS' }],
    snapshots: [
      {
        id: SNAPSHOT,
        groupId: GROUP,
        clusterName: CLUSTER,
        createdAt: '2026-08-10T03:27:08Z',
        status: 'inProgress',
        completesAt: '2026-08-10T03:28:21Z',
        description: 'test-snapshot',
        storageSizeBytes: 1574477824,
      },
    ],
    exportBuckets: [{ id: JOB_BUCKET, groupId: GROUP, cloudProvider: 'AWS', bucketName: 'test-bucket', iamRoleId: ROLE }],
    exportJobs: withJob
      ? [{ id: JOB, groupId: GROUP, clusterName: CLUSTER, snapshotId: SNAPSHOT, exportBucketId: JOB_BUCKET, plan: { queued: 'PT2M30S', running: 'PT12M10S', outcome: 'Successful' } }]
      : [],
    ...extra,
  });
}

function expectParity(res: { statusCode: number; headers: Record<string, unknown>; body: string }, rec: Recorded): void {
  expect(res.statusCode).toBe(rec.status);
  for (const h of PARITY_HEADERS) expect([h, res.headers[h]]).toEqual([h, rec.headers[h]]);
  if (rec.body) expect(shape(JSON.parse(res.body))).toEqual(shape(JSON.parse(rec.body)));
  expect(res.body).toBe(rec.body);
}

function mockAt(rec: Recorded, fixtures: ReturnType<typeof parseDataset>): TestMock {
  return testMock({ fixtures }, { start: Date.parse(rec.headers['date']!) });
}

describeWithEvidence('parity: export jobs', () => {
  it('create (export-job-create-200-queued.http)', async () => {
    const rec = recorded('export-job-create-200-queued.http');
    const mock = mockAt(rec, world2026({}, false));
    const next = vi.spyOn(mock.app.mock.ids, 'next').mockReturnValueOnce(JOB);
    const res = await mock.request({
      method: 'POST',
      url: `${GROUP_URL}/clusters/${CLUSTER}/backup/exports`,
      headers: { accept: V2023, 'content-type': 'application/vnd.atlas.2023-01-01+json', host: HOST },
      payload: JSON.stringify({ exportBucketId: JOB_BUCKET, snapshotId: SNAPSHOT }),
    });
    expect(next).toHaveBeenCalledWith(Date.parse(rec.headers['date']!));
    expectParity(res, rec);
    assertSchema('DiskBackupExportJob', res.json());
    await mock.app.close();
  });

  it('list (export-jobs-list-200.http)', async () => {
    const rec = recorded('export-jobs-list-200.http');
    const mock = mockAt(rec, world2026());
    // The CLI sends only itemsPerPage and pageNum; the self link carries the effective includeCount.
    const res = await mock.request({ url: `${GROUP_URL}/clusters/${CLUSTER}/backup/exports?itemsPerPage=100&pageNum=1`, headers: { accept: V2023, host: HOST } });
    expectParity(res, rec);
    assertSchema('PaginatedApiAtlasDiskBackupExportJobView', res.json());
    await mock.app.close();
  });

  it('list on an unmasked https host (export-jobs-list-200-2025-unmasked-host.http)', async () => {
    const rec = recorded('export-jobs-list-200-2025-unmasked-host.http');
    const org = '5efda682a3f2ed2e7dd6cde4';
    const group = '5efda6aea3f2ed2e7dd6ce05';
    // Created 09:23:22, InProgress by 09:25:14, finished 09:35:49.
    const world = parseDataset({
      organizations: [{ id: org, name: 'recorded org 2025' }],
      projects: [{ id: group, orgId: org, name: 'recorded project 2025' }],
      clusters: [{ groupId: group, name: 'cluster-443', collections: 0 }],
      snapshots: [{ id: '67ea5e27e470643dc2f6f1a8', groupId: group, clusterName: 'cluster-443', createdAt: '2025-03-31T09:21:40Z' }],
      exportBuckets: [{ id: '67ea5e266257d31a195f2ed2', groupId: group, cloudProvider: 'AWS', bucketName: 'test-bucket', iamRoleId: ROLE }],
      exportJobs: [
        {
          id: '67ea5f0ae470643dc2f6f4d0',
          groupId: group,
          clusterName: 'cluster-443',
          snapshotId: '67ea5e27e470643dc2f6f1a8',
          exportBucketId: '67ea5e266257d31a195f2ed2',
          plan: { queued: 'PT1M52S', running: 'PT10M35S', outcome: 'Successful' },
        },
      ],
    });
    const mock = mockAt(rec, world);
    // Behind Atlas's TLS front end: the links carry the scheme and host the client used.
    const res = await mock.request({
      url: `/api/atlas/v2/groups/${group}/clusters/cluster-443/backup/exports?pageNum=1&itemsPerPage=100`,
      headers: { accept: V2023, host: 'cloud-dev.mongodb.com', 'x-forwarded-proto': 'https' },
    });
    expectParity(res, rec);
    await mock.app.close();
  });
});

describeWithEvidence('parity: export buckets', () => {
  const bucketFixture = { id: BUCKET, groupId: GROUP, cloudProvider: 'AWS' as const, bucketName: 'test-bucket', iamRoleId: ROLE };

  it('create at 2024-05-30 (export-bucket-create-200.http)', async () => {
    const rec = recorded('export-bucket-create-200.http');
    // The recorded bucket names the CLI suite's AWS role (masked id), authorized beforehand.
    const role = { id: ROLE, groupId: GROUP, providerName: 'AWS' as const, iamAssumedRoleArn: 'arn:aws:iam::123456789012:role/test-bucket-role', authorizedDate: '2026-08-10T03:00:00Z' };
    const mock = mockAt(rec, world2026({ cloudProviderAccessRoles: [role] }));
    const next = vi.spyOn(mock.app.mock.ids, 'next').mockReturnValueOnce(BUCKET);
    const res = await mock.request({
      method: 'POST',
      url: `${GROUP_URL}/backup/exportBuckets`,
      headers: { accept: V2024, 'content-type': 'application/vnd.atlas.2024-05-30+json', host: HOST },
      payload: JSON.stringify({ bucketName: 'test-bucket', cloudProvider: 'AWS', iamRoleId: ROLE }),
    });
    expect(next).toHaveBeenCalledWith(Date.parse(rec.headers['date']!));
    expectParity(res, rec);
    assertExportBucket('2024-05-30', res.json());
    await mock.app.close();
  });

  it('get at 2024-05-30, with region (export-bucket-get-200.http)', async () => {
    const rec = recorded('export-bucket-get-200.http');
    const mock = mockAt(rec, world2026({ exportBuckets: [bucketFixture] }, false));
    const res = await mock.request({ url: `${GROUP_URL}/backup/exportBuckets/${BUCKET}`, headers: { accept: V2024, host: HOST } });
    expectParity(res, rec);
    assertExportBucket('2024-05-30', res.json());
    await mock.app.close();
  });

  it('list page 1 of 2508 at 2024-05-30, with next (export-buckets-list-200.http)', async () => {
    const rec = recorded('export-buckets-list-200.http');
    const page: { _id: string; bucketName: string; iamRoleId: string; requirePrivateNetworking: boolean }[] = JSON.parse(rec.body).results;
    // The 100 recorded buckets first (Atlas's order), then the rest of the project's 2508.
    const rest = Array.from({ length: 2508 - page.length }, (_, i) => ({ ...bucketFixture, id: `6a793f752c88faeba5${i.toString(16).padStart(6, '0')}` }));
    const buckets = [...page.map((b) => ({ id: b._id, groupId: GROUP, cloudProvider: 'AWS' as const, bucketName: b.bucketName, iamRoleId: b.iamRoleId, requirePrivateNetworking: b.requirePrivateNetworking })), ...rest];
    const mock = mockAt(rec, world2026({ exportBuckets: buckets }, false));
    const res = await mock.request({ url: `${GROUP_URL}/backup/exportBuckets?itemsPerPage=100&pageNum=1`, headers: { accept: V2024, host: HOST } });
    expectParity(res, rec);
    assertExportBucketPage('2024-05-30', res.json());
    await mock.app.close();
  });

  it('delete: 204 with the versioned Content-Type and no body (export-bucket-delete-204.http)', async () => {
    const rec = recorded('export-bucket-delete-204.http');
    const mock = mockAt(rec, world2026({ exportBuckets: [bucketFixture] }, false));
    const res = await mock.request({ method: 'DELETE', url: `${GROUP_URL}/backup/exportBuckets/${BUCKET}`, headers: { accept: V2023, host: HOST } });
    expectParity(res, rec);
    await mock.app.close();
  });
});

describeWithEvidence('parity: snapshots', () => {
  it.each(['snapshot-get-200-inprogress.http', 'snapshot-get-200-completed.http'])('%s', async (name) => {
    const rec = recorded(name);
    const mock = mockAt(rec, world2026({}, false));
    const res = await mock.request({ url: `${GROUP_URL}/clusters/${CLUSTER}/backup/snapshots/${SNAPSHOT}`, headers: { accept: V2023, host: HOST } });
    expectParity(res, rec);
    assertSchema('DiskBackupReplicaSet', res.json());
    await mock.app.close();
  });
});
