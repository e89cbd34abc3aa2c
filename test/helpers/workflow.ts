/** URLs and small request helpers of snapshots and backup schedules for `inject` tests. */
import type { LightMyRequestResponse } from 'fastify';
import { IDS, type TestMock } from './mock.js';

export const V2023 = 'application/vnd.atlas.2023-01-01+json';
export const V2024_08 = 'application/vnd.atlas.2024-08-05+json';
export const V2025 = 'application/vnd.atlas.2025-03-12+json';

export const clusterUrl = (cluster = 'Cluster0', groupId: string = IDS.group) => `/api/atlas/v2/groups/${groupId}/clusters/${cluster}`;
export const snapshotsUrl = (cluster = 'Cluster0', groupId: string = IDS.group) => `${clusterUrl(cluster, groupId)}/backup/snapshots`;
export const shardedUrl = (snapshotId: string, cluster = 'Sharded0', groupId: string = IDS.group) => `${snapshotsUrl(cluster, groupId)}/shardedCluster/${snapshotId}`;
export const scheduleUrl = (cluster = 'Cluster0', groupId: string = IDS.group) => `${clusterUrl(cluster, groupId)}/backup/schedule`;

export function takeSnapshot(mock: TestMock, body: unknown = { description: 'test', retentionInDays: 1 }, cluster = 'Cluster0', groupId: string = IDS.group): Promise<LightMyRequestResponse> {
  return mock.request({ method: 'POST', url: snapshotsUrl(cluster, groupId), headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

export function patchSchedule(mock: TestMock, body: unknown, accept = V2024_08, cluster = 'Cluster0', groupId: string = IDS.group): Promise<LightMyRequestResponse> {
  return mock.request({ method: 'PATCH', url: scheduleUrl(cluster, groupId), headers: { accept, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

/** Every item of a list, page by page (pageNum 1, 2, …) with `itemsPerPage`. */
export async function allPages(mock: TestMock, url: string, itemsPerPage = 500, accept = V2023): Promise<{ totalCount: number; results: any[] }> {
  const results: any[] = [];
  let totalCount = -1;
  for (let page = 1; page < 1000; page++) {
    const res = await mock.request({ url: `${url}?itemsPerPage=${itemsPerPage}&pageNum=${page}`, headers: { accept } });
    if (res.statusCode !== 200) throw new Error(`${url} page ${page}: ${res.statusCode} ${res.body}`);
    const body = res.json();
    totalCount = body.totalCount;
    results.push(...body.results);
    if (!body.links.some((l: { rel: string }) => l.rel === 'next')) break;
  }
  return { totalCount, results };
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
