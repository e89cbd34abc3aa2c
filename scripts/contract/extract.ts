/**
 * The official OpenAPI subsets the tests read, derived from the whole published spec (`upstream/openapi-v2.yaml`):
 * the operations in scope, unchanged, plus every component they reference, transitively (`$ref`s, the
 * `mapping` of discriminators, the security schemes named by `security`), and the tags they use. Everything
 * copied is copied as it is; only `x-contract-extraction` (what was extracted, from which file) is added.
 *
 * The shared contract folder holds the same two files, made by another tool from the same upstream file; a
 * test checks that this derivation equals them as data (test/contract/evidence.test.ts).
 */
import { parse } from 'yaml';

type Json = Record<string, any>;

const BACKUP_EXPORTS = [
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports',
  'POST /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports',
  'GET /api/atlas/v2/groups/{groupId}/backup/exportBuckets',
  'POST /api/atlas/v2/groups/{groupId}/backup/exportBuckets',
  'GET /api/atlas/v2/groups/{groupId}/backup/exportBuckets/{exportBucketId}',
  'DELETE /api/atlas/v2/groups/{groupId}/backup/exportBuckets/{exportBucketId}',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
];

/** The export workflow: the export operations and their neighbours (snapshots, schedule, clusters, cloud provider access). */
const EXPORT_WORKFLOW = [
  ...BACKUP_EXPORTS,
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
  'POST /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots',
  'PATCH /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
  'DELETE /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedClusters',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}',
  'DELETE /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases/{databaseName}',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases/{databaseName}/collections',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}/databases/{databaseName}/collections/{collectionName}',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
  'PATCH /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
  'DELETE /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
  'GET /api/atlas/v2/groups/{groupId}/clusters',
  'GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}',
  'GET /api/atlas/v2/groups/{groupId}/flexClusters/{name}',
  'GET /api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots',
  'GET /api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}',
  'GET /api/atlas/v2/groups/{groupId}/cloudProviderAccess',
  'POST /api/atlas/v2/groups/{groupId}/cloudProviderAccess',
  'GET /api/atlas/v2/groups/{groupId}/cloudProviderAccess/{roleId}',
  'PATCH /api/atlas/v2/groups/{groupId}/cloudProviderAccess/{roleId}',
  'DELETE /api/atlas/v2/groups/{groupId}/cloudProviderAccess/{cloudProvider}/{roleId}',
  'GET /api/atlas/v2/groups/{groupId}',
  'GET /api/atlas/v2/orgs/{orgId}',
];

/** The derived files, by name (the names of the shared contract folder), and the operations each holds. */
export const SUBSETS: Readonly<Record<string, readonly string[]>> = {
  'atlas-backup-exports.openapi.json': BACKUP_EXPORTS,
  'atlas-export-workflow.openapi.json': EXPORT_WORKFLOW,
};

/** The upstream file, where the cache and the shared folder keep it. */
export const UPSTREAM_SPEC = 'upstream/openapi-v2.yaml';

/** Parses the published YAML as the JSON it stands for (YAML 1.2 core schema: timestamps stay strings). */
export function parseUpstream(text: string): Json {
  return parse(text, { maxAliasCount: -1 }) as Json;
}

const REF = /^#\/components\/([^/]+)\/(.+)$/;

/** `#/components/<kind>/<name>` references anywhere in `node`: `$ref` values and discriminator mappings. */
function collectRefs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) return node.forEach((n) => collectRefs(n, out));
  if (!node || typeof node !== 'object') return;
  const o = node as Json;
  if (typeof o.$ref === 'string') out.push(o.$ref);
  const mapping = (o.discriminator as Json | undefined)?.mapping as Record<string, unknown> | undefined;
  if (mapping && typeof mapping === 'object') for (const v of Object.values(mapping)) if (typeof v === 'string') out.push(v);
  for (const v of Object.values(o)) collectRefs(v, out);
}

/** Security scheme names of a `security` requirement list. */
const schemeNames = (security: unknown): string[] => (Array.isArray(security) ? security.flatMap((req) => Object.keys(req as Json)) : []);

/**
 * The subset of `upstream` holding `operations` ("METHOD /path"), with the components they reach. Throws
 * when an operation or a referenced component is missing from the upstream document.
 */
export function extractSubset(upstream: Json, operations: readonly string[], provenance: { sha256: string }): Json {
  const paths: Json = {};
  const tags = new Set<string>();
  const pending: string[] = [];
  const schemes = new Set(schemeNames(upstream.security));
  for (const op of operations) {
    const [method = '', path = ''] = op.split(' ');
    const item = upstream.paths?.[path] as Json | undefined;
    const operation = item?.[method.toLowerCase()] as Json | undefined;
    if (!operation) throw new Error(`the upstream spec has no operation ${op}`);
    const kept = (paths[path] ??= {}) as Json;
    // Path-level keys (shared parameters, summary) go with the path.
    for (const [k, v] of Object.entries(item!)) if (!isMethod(k) && !(k in kept)) kept[k] = v;
    kept[method.toLowerCase()] = operation;
    for (const t of (operation.tags as string[] | undefined) ?? []) tags.add(t);
    for (const s of schemeNames(operation.security)) schemes.add(s);
    collectRefs(operation, pending);
    collectRefs(item!.parameters, pending);
  }
  const components: Json = {};
  const seen = new Set<string>();
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const m = REF.exec(ref);
    if (!m) throw new Error(`a reference outside the document's components: ${ref}`);
    const [, kind, name] = m as unknown as [string, string, string];
    const target = upstream.components?.[kind]?.[name];
    if (target === undefined) throw new Error(`the upstream spec has no component ${ref}`);
    ((components[kind] ??= {}) as Json)[name] = target;
    collectRefs(target, pending);
  }
  for (const s of schemes) {
    const scheme = upstream.components?.securitySchemes?.[s];
    if (scheme === undefined) throw new Error(`the upstream spec has no security scheme ${s}`);
    ((components.securitySchemes ??= {}) as Json)[s] = scheme;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(upstream)) {
    if (k === 'paths') out.paths = paths;
    else if (k === 'components') out.components = sortKeys(components);
    else if (k === 'tags') out.tags = (v as Json[]).filter((t) => tags.has(t.name as string));
    else out[k] = v;
  }
  out['x-contract-extraction'] = {
    note: 'Derived by scripts/contract/extract.ts (npm run contract:fetch); everything else is copied unchanged from the upstream document.',
    upstreamFile: UPSTREAM_SPEC,
    upstreamSha256: provenance.sha256,
    upstreamXXgenSha: (upstream.info as Json | undefined)?.['x-xgen-sha'],
    operations: [...operations],
  };
  return out;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const isMethod = (k: string): boolean => METHODS.has(k);

function sortKeys(o: Json): Json {
  const out: Json = {};
  for (const k of Object.keys(o).sort()) out[k] = Object.fromEntries(Object.entries(o[k] as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return out;
}

/** Every subset of SUBSETS, as the JSON text written to the cache. */
export function deriveSubsets(upstreamText: string, sha256: string): Record<string, string> {
  const upstream = parseUpstream(upstreamText);
  const out: Record<string, string> = {};
  for (const [file, ops] of Object.entries(SUBSETS)) out[file] = JSON.stringify(extractSubset(upstream, ops, { sha256 }), null, 2) + '\n';
  return out;
}
