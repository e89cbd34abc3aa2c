/**
 * Project and organization reads, as a table (resource version 2023-01-01):
 *
 *   GET /api/atlas/v2/groups/{groupId}   getGroup   Projects        Project Read Only     1200 per project [D, R]
 *   GET /api/atlas/v2/orgs/{orgId}       getOrg     Organizations   Organization Member    500 per organization [D, R]
 *
 * The names clients and export metadata show. An organization is readable by the principals that belong to
 * it (auth/principals/authorize.ts authorizeOrg); an unknown one is 404 ORG_NOT_FOUND [D], a malformed id 404
 * INVALID_ORG_ID [D code, I status]. Creating, changing or deleting projects and organizations is outside
 * the mock (boundary/routes.ts).
 */
import { z } from 'zod';
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { flagsQuery, groupIdParam, linkSchema, objectIdParam } from '../http/schemas.js';
import { requestOrigin } from '../http/urls.js';
import { atlasError } from '../errors/atlas-error.js';
import { requireProject } from '../store/lookup.js';
import type { MockContext } from '../context.js';
import { organizationView, projectView } from './view.js';

const V2023 = [{ date: '2023-01-01' }] as const;

const tag = z.object({ key: z.string(), value: z.string() });
export const projectSchema = z
  .object({
    clusterCount: z.number().int(),
    created: z.string().meta({ format: 'date-time' }),
    id: z.string(),
    links: z.array(linkSchema),
    name: z.string(),
    orgId: z.string(),
    tags: z.array(tag).optional().meta({ description: 'Only when the project has tags.' }),
    withDefaultAlertsSettings: z.boolean(),
  })
  .meta({ id: 'Group' });
export const organizationSchema = z
  .object({ id: z.string(), isDeleted: z.boolean(), links: z.array(linkSchema), name: z.string(), skipDefaultAlertsSettings: z.boolean() })
  .meta({ id: 'AtlasOrganization' });

export const orgIdParam = objectIdParam('Unique 24-hexadecimal digit string that identifies the organization that contains your projects.');

export function projectOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const { store } = ctx;
  return [
    defineOperation({
      operationId: 'getGroup',
      alias: 'getGroup',
      summary: 'Return One Project',
      tag: 'Projects',
      rateLimit: 'projects',
      method: 'GET',
      url: '/api/atlas/v2/groups/:groupId',
      versions: V2023,
      role: 'Project Read Only',
      successStatus: 200,
      params: z.object({ groupId: groupIdParam }),
      querystring: flagsQuery,
      response: { '2023-01-01': projectSchema },
      handler: (req) => {
        const project = requireProject(store, req.params.groupId);
        return projectView(project, store.clustersOf(project.id).length, requestOrigin(req));
      },
    }),
    defineOperation({
      operationId: 'getOrg',
      alias: 'getOrg',
      summary: 'Return One Organization',
      tag: 'Organizations',
      rateLimit: 'organizations',
      method: 'GET',
      url: '/api/atlas/v2/orgs/:orgId',
      versions: V2023,
      role: 'Organization Member',
      successStatus: 200,
      params: z.object({ orgId: orgIdParam }),
      querystring: flagsQuery,
      extraErrors: [409],
      response: { '2023-01-01': organizationSchema },
      handler: (req) => {
        const org = store.organizations.get(req.params.orgId);
        if (!org) throw atlasError('ORG_NOT_FOUND', req.params.orgId);
        return organizationView(org, requestOrigin(req));
      },
    }),
  ];
}
