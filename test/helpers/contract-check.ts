/**
 * Every response a test makes through `testMock().request` is checked against the official schema of its
 * operation and version (contract §1, §4, §9) — not only in the tests that ask for it: export jobs, job pages,
 * snapshots (one, pages, sharded, their databases and collections), backup schedules per version, export
 * buckets per version and resource, and ApiError for every Atlas error body. Enveloped
 * bodies are checked inside their envelope; pretty ones are parsed the same way.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { assertExportBucket, assertExportBucketPage, assertSchema } from './contract.js';

const ID = '[a-f0-9]{24}';
const CLUSTER = '[^/]+';
const ROUTES: { method: string; pattern: RegExp; schema: (version: string) => (body: any) => void }[] = [
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/exports/${ID}$`), schema: () => (b) => assertSchema('DiskBackupExportJob', b) },
  { method: 'POST', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/exports$`), schema: () => (b) => assertSchema('DiskBackupExportJob', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/exports$`), schema: () => (b) => assertSchema('PaginatedApiAtlasDiskBackupExportJobView', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/${ID}$`), schema: () => (b) => assertSchema('DiskBackupReplicaSet', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots$`), schema: () => (b) => assertSchema('PaginatedCloudBackupReplicaSetView', b) },
  { method: 'POST', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots$`), schema: () => (b) => assertSchema(b?.type === 'shardedCluster' ? 'DiskBackupShardedClusterSnapshot' : 'DiskBackupReplicaSet', b) },
  { method: 'PATCH', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/${ID}$`), schema: () => (b) => assertSchema('DiskBackupReplicaSet', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/shardedClusters$`), schema: () => (b) => assertSchema('PaginatedCloudBackupShardedClusterSnapshotView', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/shardedCluster/${ID}$`), schema: () => (b) => assertSchema('DiskBackupShardedClusterSnapshot', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/${ID}/databases$`), schema: () => (b) => assertSchema('PaginatedApiAtlasDiskBackupDatabaseView', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/${ID}/databases/[^/]+$`), schema: () => (b) => assertSchema('DiskBackupDatabaseResponse', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/${ID}/databases/[^/]+/collections$`), schema: () => (b) => assertSchema('PaginatedApiAtlasDiskBackupCollectionView', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/snapshots/${ID}/databases/[^/]+/collections/[^/]+$`), schema: () => (b) => assertSchema('DiskBackupCollectionResponse', b) },
  ...['GET', 'PATCH', 'DELETE'].map((method) => ({
    method,
    pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}/backup/schedule$`),
    schema: (v: string) => (b: unknown) => assertSchema(v === '2023-01-01' ? 'DiskBackupSnapshotSchedule' : 'DiskBackupSnapshotSchedule20240805', b),
  })),
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/backup/exportBuckets$`), schema: (v) => (b) => assertExportBucketPage(v as '2023-01-01', b) },
  { method: 'POST', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/backup/exportBuckets$`), schema: (v) => (b) => assertExportBucket(v as '2023-01-01', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/backup/exportBuckets/${ID}$`), schema: (v) => (b) => assertExportBucket(v as '2023-01-01', b) },
];

function parse(res: LightMyRequestResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    throw new Error(`a JSON response that does not parse: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
}

export function checkContract(opts: InjectOptions, res: LightMyRequestResponse): void {
  const url = typeof opts.url === 'string' ? opts.url : '';
  const [path = '', query = ''] = url.split('?');
  if (!path.startsWith('/api/atlas/v2')) return;
  const contentType = String(res.headers['content-type'] ?? '');
  if (!contentType.includes('json') || res.body === '') return;
  const body = parse(res) as Record<string, any>;
  const q = opts.query;
  const extra = q === undefined ? '' : typeof q === 'string' ? q : new URLSearchParams(q as Record<string, string>).toString();
  const enveloped = /(^|&)envelope=true(&|$)/i.test(`${query}&${extra}`) && res.statusCode === 200 && body && 'status' in body;
  const status = enveloped ? (body.status as number) : res.statusCode;
  if (status >= 400) {
    assertSchema('ApiError', enveloped ? body.content : body);
    return;
  }
  if (status !== 200) return;
  const route = ROUTES.find((r) => r.method === (opts.method ?? 'GET').toUpperCase() && r.pattern.test(path));
  if (!route) return;
  const version = /vnd\.atlas\.(\d{4}-\d{2}-\d{2})/.exec(contentType)?.[1] ?? '2023-01-01';
  const entity = enveloped && 'content' in body ? body.content : body;
  if (enveloped && !('content' in body)) delete (entity as Record<string, unknown>).status; // a list: the body plus status
  route.schema(version)(entity);
}
