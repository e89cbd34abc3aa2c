/**
 * Parity with real Atlas: the recorded GETs of one export job (Queued, InProgress, Successful, from the
 * Atlas CLI e2e suite) replayed against the mock. The mock is loaded with the same project, cluster,
 * snapshot and bucket, the job is given a plan matching the recorded timing, the manual clock is set to each
 * recording's `Date`, and the mock must answer with the same status, the same header values and the same
 * body — byte for byte, since the ids are the recorded ones.
 */
import { expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { assertSchema, describeWithEvidence, PARITY_HEADERS, recorded, shape } from '../helpers/contract.js';
import { testMock, V2023 } from '../helpers/mock.js';

const ORG = 'a0123456789abcdef012345a';
const GROUP = 'b0123456789abcdef012345b';
const JOB = '6a7945592c88faeba59d5e8e';
const URL = `/api/atlas/v2/groups/${GROUP}/clusters/cluster-989/backup/exports/${JOB}`;

/** The recorded world: created 03:28:25, InProgress by 03:31:13, finished 03:43:05 (14 min 40 s). */
const recordedWorld = parseDataset({
  organizations: [{ id: ORG, name: 'recorded org' }],
  projects: [{ id: GROUP, orgId: ORG, name: 'recorded project' }],
  clusters: [{ groupId: GROUP, name: 'cluster-989', collections: 0 }],
  snapshots: [{ id: '6a7943462c88faeba59ccf5f', groupId: GROUP, clusterName: 'cluster-989', createdAt: '2026-08-10T03:27:08Z' }],
  exportBuckets: [{ id: '6a794342c0eb9e7a17729455', groupId: GROUP, cloudProvider: 'AWS', bucketName: 'test-bucket', iamRoleId: 'c0123456789abcdef012345c' }],
  exportJobs: [
    {
      id: JOB,
      groupId: GROUP,
      clusterName: 'cluster-989',
      snapshotId: '6a7943462c88faeba59ccf5f',
      exportBucketId: '6a794342c0eb9e7a17729455',
      plan: { queued: 'PT2M30S', running: 'PT12M10S', outcome: 'Successful' },
    },
  ],
});

describeWithEvidence.each(['export-job-get-200-queued.http', 'export-job-get-200-inprogress.http', 'export-job-get-200-successful.http'])('parity with %s', (name) => {
  it('answers the recorded request like Atlas did', async () => {
    const rec = recorded(name);
    const mock = testMock({ fixtures: recordedWorld }, { start: Date.parse(rec.headers['date']!) });
    const res = await mock.request({ url: URL, headers: { accept: V2023 } });

    expect(res.statusCode).toBe(rec.status);
    for (const h of PARITY_HEADERS) expect([h, res.headers[h]]).toEqual([h, rec.headers[h]]);
    expect(shape(res.json())).toEqual(shape(JSON.parse(rec.body)));
    expect(res.body).toBe(rec.body);
    assertSchema('DiskBackupExportJob', res.json());
    await mock.app.close();
  });
});
