/**
 * Export-job operations (contract §1), as a table: method, URL, versions, role, schemas, handler.
 *
 *   GET  /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}   getBackupExport
 *   GET  /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports              listBackupExports
 *   POST /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports              createBackupExport (200, not 201 [R])
 */
import { AtlasError } from '../errors/atlas-error.js';
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { flagsQuery, listQuery } from '../http/schemas.js';
import { requestBaseUrl } from '../http/urls.js';
import { served } from '../http/served.js';
import type { MockContext } from '../context.js';
import { serializeExportJobView2023 } from './view.js';
import { lazyFields } from '../core/lazy-schema.js';
import { clusterParams, exportJobParams, exportJobRequestSchema, exportJobViews } from './schemas.js';

/** Response schemas: documentation only, built with the OpenAPI document (core/lazy-schema.ts). */
const views = lazyFields(exportJobViews);

const EXPORTS = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/exports';

export function exportOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.exports;
  return [
    defineOperation({
      operationId: 'getGroupClusterBackupExport',
      alias: 'getBackupExport',
      summary: 'Return One Snapshot Export Job',
      method: 'GET',
      url: `${EXPORTS}/:exportId`,
      versions: [{ date: '2023-01-01' }],
      role: 'Project Backup Manager',
      successStatus: 200,
      params: exportJobParams,
      querystring: flagsQuery,
      response: { '2023-01-01': views.exportJobSchema },
      serializers: { '2023-01-01': serializeExportJobView2023 },
      handler: (req) => {
        const got = service.lookup(req.params.groupId, req.params.clusterName, req.params.exportId);
        return got instanceof AtlasError ? got : served(req, got);
      },
    }),
    defineOperation({
      operationId: 'listGroupClusterBackupExports',
      alias: 'listBackupExports',
      summary: 'Return All Snapshot Export Jobs',
      method: 'GET',
      url: EXPORTS,
      versions: [{ date: '2023-01-01' }],
      role: 'Project Backup Manager',
      successStatus: 200,
      params: clusterParams,
      querystring: listQuery,
      response: { '2023-01-01': views.exportJobListSchema },
      handler: (req) => service.list(req.params.groupId, req.params.clusterName, req.query, requestBaseUrl(req)),
    }),
    defineOperation({
      operationId: 'createGroupClusterBackupExport',
      alias: 'createBackupExport',
      summary: 'Create One Snapshot Export Job',
      method: 'POST',
      url: EXPORTS,
      versions: [{ date: '2023-01-01' }],
      role: 'Project Backup Export Operator',
      successStatus: 200,
      params: clusterParams,
      querystring: flagsQuery,
      // Validated by the service after the path lookups (see service.ts), documented here.
      requestBodies: { '2023-01-01': exportJobRequestSchema },
      extraErrors: [409, 413, 415],
      response: { '2023-01-01': views.exportJobSchema },
      serializers: { '2023-01-01': serializeExportJobView2023 },
      handler: (req) => service.create(req.params.groupId, req.params.clusterName, req.body),
    }),
  ];
}
