/**
 * Cloud provider access, as a table (resource version 2023-01-01; tag Cloud Provider Access; rate-limit set
 * Cloud Provider Access: 2000 per project, +1000 per minute [D; R `Ratelimit-Limit: 2000`]):
 *
 *   GET    /api/atlas/v2/groups/{groupId}/cloudProviderAccess                          listCloudProviderAccess        Project Read Only
 *   POST   /api/atlas/v2/groups/{groupId}/cloudProviderAccess                          createCloudProviderAccess      Project Owner   200 [R]
 *   GET    /api/atlas/v2/groups/{groupId}/cloudProviderAccess/{roleId}                 getCloudProviderAccess         Project Read Only
 *   PATCH  /api/atlas/v2/groups/{groupId}/cloudProviderAccess/{roleId}                 authorizeProviderAccessRole    Project Owner
 *   DELETE /api/atlas/v2/groups/{groupId}/cloudProviderAccess/{cloudProvider}/{roleId} deauthorizeProviderAccessRole  Project Owner   204
 *
 * Rules in service.ts. Export buckets need an authorized role of their provider (buckets/service.ts).
 */
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { flagsQuery } from '../http/schemas.js';
import { sendNoContent } from '../http/envelope.js';
import type { MockContext } from '../context.js';
import type { CloudProvider } from '../store/model.js';
import { lazyFields } from '../core/lazy-schema.js';
import { accessParams, authorizeRoleRequest, createRoleRequest, deauthorizeParams, roleParams, roleViews } from './schemas.js';

/** Response schemas: documentation only, built with the OpenAPI document (core/lazy-schema.ts). */
const views = lazyFields(roleViews);

const ACCESS = '/api/atlas/v2/groups/:groupId/cloudProviderAccess';
const V2023 = [{ date: '2023-01-01' }] as const;
const common = { tag: 'Cloud Provider Access', rateLimit: 'cloudProviderAccess', versions: V2023, querystring: flagsQuery } as const;

export function accessOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.access;
  return [
    defineOperation({
      ...common,
      operationId: 'listGroupCloudProviderAccess',
      alias: 'listCloudProviderAccess',
      summary: 'Return All Cloud Provider Access Roles',
      method: 'GET',
      url: ACCESS,
      role: 'Project Read Only',
      successStatus: 200,
      params: accessParams,
      response: { '2023-01-01': views.rolesSchema },
      handler: (req) => service.list(req.params.groupId),
    }),
    defineOperation({
      ...common,
      operationId: 'createGroupCloudProviderAccess',
      alias: 'createCloudProviderAccess',
      summary: 'Create One Cloud Provider Access Role',
      method: 'POST',
      url: ACCESS,
      role: 'Project Owner',
      successStatus: 200,
      params: accessParams,
      requestBodies: { '2023-01-01': createRoleRequest },
      extraErrors: [409, 413, 415],
      response: { '2023-01-01': views.roleSchema },
      handler: (req) => service.create(req.params.groupId, req.body),
    }),
    defineOperation({
      ...common,
      operationId: 'getGroupCloudProviderAccess',
      alias: 'getCloudProviderAccess',
      summary: 'Return One Cloud Provider Access Role',
      method: 'GET',
      url: `${ACCESS}/:roleId`,
      role: 'Project Read Only',
      successStatus: 200,
      params: roleParams,
      response: { '2023-01-01': views.roleSchema },
      handler: (req) => service.get(req.params.groupId, req.params.roleId),
    }),
    defineOperation({
      ...common,
      operationId: 'authorizeGroupCloudProviderAccessRole',
      alias: 'authorizeProviderAccessRole',
      summary: 'Authorize One Cloud Provider Access Role',
      method: 'PATCH',
      url: `${ACCESS}/:roleId`,
      role: 'Project Owner',
      successStatus: 200,
      params: roleParams,
      requestBodies: { '2023-01-01': authorizeRoleRequest },
      extraErrors: [409, 413, 415],
      response: { '2023-01-01': views.roleSchema },
      handler: (req) => service.authorize(req.params.groupId, req.params.roleId, req.body),
    }),
    defineOperation({
      ...common,
      operationId: 'deauthorizeGroupCloudProviderAccessRole',
      alias: 'deauthorizeProviderAccessRole',
      summary: 'Deauthorize One Cloud Provider Access Role',
      method: 'DELETE',
      url: `${ACCESS}/:cloudProvider/:roleId`,
      role: 'Project Owner',
      successStatus: 204,
      params: deauthorizeParams,
      extraErrors: [413, 415],
      handler: (req, reply) => {
        service.deauthorize(req.params.groupId, req.params.cloudProvider as CloudProvider, req.params.roleId);
        return sendNoContent(req, reply);
      },
    }),
  ];
}
