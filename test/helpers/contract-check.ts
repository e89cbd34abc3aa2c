/**
 * Every response a test makes through `testMock().request` is checked against the official schema of its
 * operation and version (contract §1, §4) — not only in the tests that ask for it: export jobs, job pages,
 * snapshots, export buckets per version and resource, clusters per version, projects, organizations, cloud
 * provider access roles, and ApiError for every Atlas error body. Enveloped bodies are checked inside their
 * envelope; pretty ones are parsed the same way.
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
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/backup/exportBuckets$`), schema: (v) => (b) => assertExportBucketPage(v as '2023-01-01', b) },
  { method: 'POST', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/backup/exportBuckets$`), schema: (v) => (b) => assertExportBucket(v as '2023-01-01', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/backup/exportBuckets/${ID}$`), schema: (v) => (b) => assertExportBucket(v as '2023-01-01', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters/${CLUSTER}$`), schema: (v) => (b) => assertSchema(CLUSTER_SCHEMAS[v]!, b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/clusters$`), schema: (v) => (b) => assertSchema(CLUSTER_PAGE_SCHEMAS[v]!, b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}$`), schema: () => (b) => assertSchema('Group', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/orgs/${ID}$`), schema: () => (b) => assertSchema('AtlasOrganization', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/cloudProviderAccess$`), schema: () => (b) => assertSchema('CloudProviderAccessRoles', b) },
  { method: 'POST', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/cloudProviderAccess$`), schema: () => (b) => assertSchema('CloudProviderAccessRole', b) },
  { method: 'GET', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/cloudProviderAccess/${ID}$`), schema: () => (b) => assertSchema('CloudProviderAccessRole', b) },
  { method: 'PATCH', pattern: new RegExp(`^/api/atlas/v2/groups/${ID}/cloudProviderAccess/${ID}$`), schema: () => (b) => assertSchema('CloudProviderAccessRole', b) },
];

const CLUSTER_SCHEMAS: Record<string, string> = { '2023-01-01': 'LegacyAtlasCluster', '2023-02-01': 'AdvancedClusterDescription', '2024-08-05': 'ClusterDescription20240805' };
const CLUSTER_PAGE_SCHEMAS: Record<string, string> = {
  '2023-01-01': 'PaginatedLegacyClusterView',
  '2023-02-01': 'PaginatedAdvancedClusterDescriptionView',
  '2024-08-05': 'PaginatedClusterDescription20240805',
};

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
