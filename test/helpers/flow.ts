/** URLs and small request helpers of the export flow (buckets, snapshots, jobs) for `inject` tests. */
import type { LightMyRequestResponse } from 'fastify';
import { exportsUrl, IDS, type TestMock } from './mock.js';

export const bucketsUrl = (groupId: string = IDS.group) => `/api/atlas/v2/groups/${groupId}/backup/exportBuckets`;
export const bucketUrl = (bucketId: string, groupId: string = IDS.group) => `${bucketsUrl(groupId)}/${bucketId}`;
export const snapshotUrl = (snapshotId: string, cluster = 'Cluster0', groupId: string = IDS.group) =>
  `/api/atlas/v2/groups/${groupId}/clusters/${cluster}/backup/snapshots/${snapshotId}`;

export const awsBucket = { cloudProvider: 'AWS', bucketName: 'flow-bucket', iamRoleId: '6650a0c1f1d2e3a4b5c6d811' };

/** POST an export job (JSON body, Accept 2023-01-01). */
export function createJob(mock: TestMock, body: unknown, opts: { cluster?: string; groupId?: string; contentType?: string } = {}): Promise<LightMyRequestResponse> {
  return mock.request({
    method: 'POST',
    url: exportsUrl(opts.groupId, opts.cluster),
    headers: { 'content-type': opts.contentType ?? 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POST an export bucket at `accept`. */
export function createBucket(mock: TestMock, body: unknown, accept: string, groupId?: string): Promise<LightMyRequestResponse> {
  return mock.request({ method: 'POST', url: bucketsUrl(groupId), headers: { accept, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

/** The Atlas error of a response: status, errorCode and parameters. */
export function errorOf(res: LightMyRequestResponse): { status: number; errorCode: string; parameters: unknown[] } {
  const b = res.json();
  return { status: res.statusCode, errorCode: b.errorCode, parameters: b.parameters };
}
