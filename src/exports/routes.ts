/**
 * Export-job operations (contract §1), as a table: method, URL, versions, role, schemas, handler.
 *
 *   GET  /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}   getBackupExport
 */
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { flagsQuery } from '../http/schemas.js';
import { served } from '../http/served.js';
import type { MockContext } from '../context.js';
import { exportJobParams, exportJobSchema } from './schemas.js';

const EXPORTS = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/exports';

export function exportOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.exports;
  return [
    defineOperation({
      operationId: 'getGroupClusterBackupExport',
      alias: 'getBackupExport',
      summary: 'Return One Cloud Backup Snapshot Export Job',
      method: 'GET',
      url: `${EXPORTS}/:exportId`,
      versions: [{ date: '2023-01-01' }],
      role: 'Project Backup Manager',
      successStatus: 200,
      params: exportJobParams,
      querystring: flagsQuery,
      response: { '2023-01-01': exportJobSchema },
      handler: (req) => served(req, service.get(req.params.groupId, req.params.clusterName, req.params.exportId)),
    }),
  ];
}
