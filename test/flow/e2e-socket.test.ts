/**
 * The whole export flow over a real socket, as a client does it: register a bucket (2024-05-30), read the
 * snapshot, create an export job, poll it while the manual clock moves, list the jobs. Every response is
 * checked against the official schema of its operation and resource version (../shared/contract), and the
 * job must pass through Queued → InProgress → its outcome. Once to Successful, once to Failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { objectIdTime } from '../../src/core/objectid.js';
import { assertExportBucket, assertSchema } from '../helpers/contract.js';
import { IDS, ownerAuth, testMock, V2023, V2024, type TestMock } from '../helpers/mock.js';

interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

describe('export flow over a real socket', () => {
  let mock: TestMock;
  let base: string;

  beforeAll(async () => {
    mock = testMock();
    await mock.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(mock.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await mock.app.close();
  });

  async function call(method: string, path: string, accept: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { ...(await ownerAuth(mock.app)), accept };
    if (body !== undefined) headers['content-type'] = accept;
    const res = await fetch(base + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Creates a bucket, checks the snapshot, creates a job and polls it; returns every state seen, in order. */
  async function runFlow(bucketBody: Record<string, unknown>): Promise<{ states: string[]; last: any; jobId: string; bucketId: string }> {
    const group = `/api/atlas/v2/groups/${IDS.group}`;
    const bucket = await call('POST', `${group}/backup/exportBuckets`, V2024, bucketBody);
    expect(bucket.status).toBe(200);
    expect(bucket.headers.get('content-type')).toBe('application/vnd.atlas.2024-05-30+json;charset=utf-8');
    assertExportBucket('2024-05-30', bucket.body);
    const bucketId = bucket.body._id as string;

    const got = await call('GET', `${group}/backup/exportBuckets/${bucketId}`, V2024);
    expect(got.status).toBe(200);
    assertExportBucket('2024-05-30', got.body);

    const snap = await call('GET', `${group}/clusters/Cluster0/backup/snapshots/${IDS.snapshotReady}`, V2023);
    expect(snap.status).toBe(200);
    assertSchema('DiskBackupReplicaSet', snap.body);
    expect(snap.body.status).toBe('completed');

    const created = await call('POST', `${group}/clusters/Cluster0/backup/exports`, V2023, { snapshotId: IDS.snapshotReady, exportBucketId: bucketId });
    expect(created.status).toBe(200);
    assertSchema('DiskBackupExportJob', created.body);
    expect(created.body.state).toBe('Queued');
    // The id is an ObjectId whose timestamp is createdAt (contract §7).
    expect(new Date(objectIdTime(created.body.id)).toISOString().replace('.000Z', 'Z')).toBe(created.body.createdAt);
    const jobId = created.body.id as string;

    const states = [created.body.state as string];
    let last = created.body;
    for (let i = 0; i < 60 && !['Successful', 'Failed', 'Cancelled'].includes(last.state); i++) {
      mock.clock.advanceBy(30_000);
      const polled = await call('GET', `${group}/clusters/Cluster0/backup/exports/${jobId}`, V2023);
      expect(polled.status).toBe(200);
      assertSchema('DiskBackupExportJob', polled.body);
      last = polled.body;
      if (states[states.length - 1] !== last.state) states.push(last.state);
    }

    const list = await call('GET', `${group}/clusters/Cluster0/backup/exports?itemsPerPage=500`, V2023);
    expect(list.status).toBe(200);
    assertSchema('PaginatedApiAtlasDiskBackupExportJobView', list.body);
    expect(list.body.results.find((j: { id: string }) => j.id === jobId)).toEqual(last);
    return { states, last, jobId, bucketId };
  }

  it('goes Queued → InProgress → Successful with the cluster’s collection count', async () => {
    const { states, last } = await runFlow({ cloudProvider: 'AWS', bucketName: 'e2e-bucket', iamRoleId: '6650a0c1f1d2e3a4b5c6d811' });
    expect(states).toEqual(['Queued', 'InProgress', 'Successful']);
    expect(last.exportStatus).toEqual({ exportedCollections: 42, totalCollections: 42 });
    expect(last.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(last.stateReason).toBeUndefined();
  });

  it('goes Queued → InProgress → Failed with a stateReason when the plan says so', async () => {
    const reason = { errorCode: 'EXPORT_FAILED', message: 'Access denied writing to the bucket.' };
    mock.app.mock.defaultPlan = { ...mock.app.mock.defaultPlan, outcome: 'Failed', stateReason: reason };
    const { states, last } = await runFlow({ cloudProvider: 'GCP', bucketName: 'e2e-gcs-bucket', roleId: '6650a0c1f1d2e3a4b5c6d813' });
    expect(states).toEqual(['Queued', 'InProgress', 'Failed']);
    expect(last.stateReason).toEqual(reason);
    expect(last.finishedAt).toBeDefined();
  });
});
