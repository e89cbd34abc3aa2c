/**
 * Snapshot operations (contract §1), as a table:
 *
 *   GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}   getClusterBackupSnapshot
 */
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { flagsQuery } from '../http/schemas.js';
import { requestOrigin } from '../http/urls.js';
import type { MockContext } from '../context.js';
import { snapshotParams, snapshotSchema } from './schemas.js';

const SNAPSHOTS = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/snapshots';

export function snapshotOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.snapshots;
  return [
    defineOperation({
      operationId: 'getGroupClusterBackupSnapshot',
      alias: 'getClusterBackupSnapshot',
      summary: 'Return One Replica Set Cloud Backup',
      method: 'GET',
      url: `${SNAPSHOTS}/:snapshotId`,
      versions: [{ date: '2023-01-01' }],
      role: 'Project Read Only',
      successStatus: 200,
      params: snapshotParams,
      querystring: flagsQuery,
      response: { '2023-01-01': snapshotSchema },
      handler: (req) => service.get(req.params.groupId, req.params.clusterName, req.params.snapshotId, requestOrigin(req)),
    }),
  ];
}
