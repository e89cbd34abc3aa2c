/**
 * The boundary of the mock: the export workflow runs on existing projects and clusters; creating, changing
 * or deleting projects, organizations and clusters (and listing projects and organizations, and flex
 * clusters, which the mock does not hold) is not simulated. Each such Atlas operation is declared with its
 * real operationId, versions, tag and rate-limit set, so it goes through authentication, version negotiation,
 * authorization, rate limits, faults and the journal like any other, and the OpenAPI document lists it; then:
 * - an unknown project / organization / cluster answers as Atlas does (404 GROUP_NOT_FOUND, ORG_NOT_FOUND,
 *   CLUSTER_NOT_FOUND);
 * - otherwise 501 OPERATION_NOT_SIMULATED: `The mock does not simulate <METHOD> <path>: …` [I: a mock's own
 *   code in the Atlas error shape; 501 because Atlas would serve the request (RFC 9110 §15.6.2)].
 * Changing or deleting a flex cluster answers what every flex probe answers (flex/routes.ts): the mock's
 * clusters are dedicated ones, so 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API or 404 CLUSTER_NOT_FOUND.
 * Roles: the spec's for project operations, with Project Owner for the cluster roles the mock does not model
 * (Project Cluster Creator / Manager: Project Owner holds them) [I]; membership for organization operations.
 * See docs/workflow-access.md.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { clusterNameParam, flagsQuery, groupIdParam } from '../http/schemas.js';
import type { VersionSpec } from '../http/versioning.js';
import { atlasError } from '../errors/atlas-error.js';
import { requireCluster, requireProject } from '../store/lookup.js';
import type { RateCategoryKey } from '../auth/rate-categories.js';
import type { OperationRole } from '../store/model.js';
import type { MockContext } from '../context.js';
import { flexProbe } from '../flex/routes.js';
import { orgIdParam } from '../projects/routes.js';

const V2023 = [{ date: '2023-01-01' }] as const;
const V_FLEX = [{ date: '2024-11-13' }] as const;
/** createCluster / updateCluster (spec `x-sunset`; deprecated on the next version's release [I]). */
const V_CLUSTER_WRITE: readonly VersionSpec[] = [
  { date: '2023-01-01', deprecated: '2023-02-01', sunset: '2027-07-01' },
  { date: '2023-02-01', deprecated: '2024-08-05', sunset: '2027-07-01' },
  { date: '2024-08-05', deprecated: '2024-10-23', sunset: '2027-03-01' },
  { date: '2024-10-23' },
];
const V_CLUSTER_DELETE: readonly VersionSpec[] = [{ date: '2023-01-01', deprecated: '2023-02-01', sunset: '2027-07-01' }, { date: '2023-02-01' }];

const groupParams = z.object({ groupId: groupIdParam });
const clusterParams = groupParams.extend({ clusterName: clusterNameParam });
const flexParams = groupParams.extend({ name: clusterNameParam });
const orgParams = z.object({ orgId: orgIdParam });

interface Boundary {
  operationId: string;
  alias: string;
  summary: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  versions: readonly VersionSpec[];
  tag: string;
  rateLimit: RateCategoryKey;
  role: OperationRole;
  params: z.ZodType;
  /** Lookups Atlas makes before anything else (their 404s / 400s), then the 501. */
  check?: (params: Record<string, string>) => void;
}

export function boundaryOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const { store } = ctx;
  const project = (p: Record<string, string>) => void requireProject(store, p.groupId!);
  const cluster = (p: Record<string, string>) => void requireCluster(store, p.groupId!, p.clusterName!);
  const org = (p: Record<string, string>) => {
    if (!store.organizations.has(p.orgId!)) throw atlasError('ORG_NOT_FOUND', p.orgId!);
  };
  const flex = (p: Record<string, string>) => {
    throw flexProbe(ctx, p.groupId!, p.name!);
  };
  const GROUPS = '/api/atlas/v2/groups';
  const CLUSTERS = `${GROUPS}/:groupId/clusters`;
  const FLEX = `${GROUPS}/:groupId/flexClusters`;
  const ORGS = '/api/atlas/v2/orgs';
  const none = z.object({});
  const table: Boundary[] = [
    { operationId: 'listGroups', alias: 'listGroups', summary: 'Return All Projects', method: 'GET', url: GROUPS, versions: V2023, tag: 'Projects', rateLimit: 'projectsByUser', role: 'Organization Member', params: none },
    { operationId: 'createGroup', alias: 'createGroup', summary: 'Create One Project', method: 'POST', url: GROUPS, versions: V2023, tag: 'Projects', rateLimit: 'projectsByUser', role: 'Organization Member', params: none },
    { operationId: 'updateGroup', alias: 'updateGroup', summary: 'Update One Project', method: 'PATCH', url: `${GROUPS}/:groupId`, versions: V2023, tag: 'Projects', rateLimit: 'projects', role: 'Project Owner', params: groupParams, check: project },
    { operationId: 'deleteGroup', alias: 'deleteGroup', summary: 'Remove One Project', method: 'DELETE', url: `${GROUPS}/:groupId`, versions: V2023, tag: 'Projects', rateLimit: 'projects', role: 'Project Owner', params: groupParams, check: project },
    { operationId: 'createGroupCluster', alias: 'createCluster', summary: 'Create One Cluster in One Project', method: 'POST', url: CLUSTERS, versions: V_CLUSTER_WRITE, tag: 'Clusters', rateLimit: 'clusters', role: 'Project Owner', params: groupParams, check: project },
    { operationId: 'updateGroupCluster', alias: 'updateCluster', summary: 'Update One Cluster in One Project', method: 'PATCH', url: `${CLUSTERS}/:clusterName`, versions: V_CLUSTER_WRITE, tag: 'Clusters', rateLimit: 'clusters', role: 'Project Owner', params: clusterParams, check: cluster },
    { operationId: 'deleteGroupCluster', alias: 'deleteCluster', summary: 'Remove One Cluster from One Project', method: 'DELETE', url: `${CLUSTERS}/:clusterName`, versions: V_CLUSTER_DELETE, tag: 'Clusters', rateLimit: 'clusters', role: 'Project Owner', params: clusterParams, check: cluster },
    { operationId: 'listGroupFlexClusters', alias: 'listFlexClusters', summary: 'Return All Flex Clusters from One Project', method: 'GET', url: FLEX, versions: V_FLEX, tag: 'Flex Clusters', rateLimit: 'flexClusters', role: 'Project Read Only', params: groupParams, check: project },
    { operationId: 'createGroupFlexCluster', alias: 'createFlexCluster', summary: 'Create One Flex Cluster in One Project', method: 'POST', url: FLEX, versions: V_FLEX, tag: 'Flex Clusters', rateLimit: 'flexClusters', role: 'Project Owner', params: groupParams, check: project },
    { operationId: 'updateGroupFlexCluster', alias: 'updateFlexCluster', summary: 'Update One Flex Cluster in One Project', method: 'PATCH', url: `${FLEX}/:name`, versions: V_FLEX, tag: 'Flex Clusters', rateLimit: 'flexClusters', role: 'Project Owner', params: flexParams, check: flex },
    { operationId: 'deleteGroupFlexCluster', alias: 'deleteFlexCluster', summary: 'Remove One Flex Cluster from One Project', method: 'DELETE', url: `${FLEX}/:name`, versions: V_FLEX, tag: 'Flex Clusters', rateLimit: 'flexClusters', role: 'Project Owner', params: flexParams, check: flex },
    { operationId: 'listOrgs', alias: 'listOrgs', summary: 'Return All Organizations', method: 'GET', url: ORGS, versions: V2023, tag: 'Organizations', rateLimit: 'organizationsByUser', role: 'Organization Member', params: none },
    { operationId: 'createOrg', alias: 'createOrg', summary: 'Create One Organization', method: 'POST', url: ORGS, versions: V2023, tag: 'Organizations', rateLimit: 'organizationsByUser', role: 'Organization Member', params: none },
    { operationId: 'updateOrg', alias: 'updateOrg', summary: 'Update One Organization', method: 'PATCH', url: `${ORGS}/:orgId`, versions: V2023, tag: 'Organizations', rateLimit: 'organizations', role: 'Organization Member', params: orgParams, check: org },
    { operationId: 'deleteOrg', alias: 'deleteOrg', summary: 'Remove One Organization', method: 'DELETE', url: `${ORGS}/:orgId`, versions: V2023, tag: 'Organizations', rateLimit: 'organizations', role: 'Organization Member', params: orgParams, check: org },
  ];
  const notSimulated = (req: FastifyRequest) => atlasError('OPERATION_NOT_SIMULATED', req.method, req.url.split('?', 1)[0]!.replace(/^\/+/, ''));
  return table.map((b) =>
    defineOperation({
      operationId: b.operationId,
      alias: b.alias,
      summary: `${b.summary} (not simulated: 501)`,
      tag: b.tag,
      rateLimit: b.rateLimit,
      method: b.method,
      url: b.url,
      versions: b.versions,
      role: b.role,
      successStatus: 'none',
      params: b.params,
      querystring: flagsQuery,
      extraErrors: [501, 413, 415],
      handler: (req) => {
        b.check?.(req.params as Record<string, string>);
        throw notSimulated(req);
      },
    }),
  );
}
