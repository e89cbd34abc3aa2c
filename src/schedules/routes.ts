/**
 * Backup-schedule operations (contract §9, `recorded-workflow/TestSchedule`), as a table:
 *
 *   GET    /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule   getBackupSchedule            2023-01-01*, 2024-08-05
 *   PATCH  /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule   updateBackupSchedule         2023-01-01*, 2024-08-05
 *   DELETE /api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule   deleteClusterBackupSchedule  2023-01-01*, 2024-08-05
 *
 * * deprecated when 2024-08-05 came out, sunset 2027-07-01 (spec `x-sunset`): served with `Deprecation: Mon, 5
 *   Aug 2024 00:00:00 GMT` and `Sunset: Thu, 1 Jul 2027 00:00:00 GMT` [R: `recorded/backup-schedule-get-200-
 *   deprecated-version.http`], 410 from the sunset on (the negotiation plugin, from the VersionSpec).
 */
import { defineOperation, resolvedVersion, type OperationSpec } from '../http/operation.js';
import { flagsQuery } from '../http/schemas.js';
import { requestOrigin } from '../http/urls.js';
import type { VersionSpec } from '../http/versioning.js';
import { clusterParams } from '../exports/schemas.js';
import type { MockContext } from '../context.js';
import { SCHEDULE_REQUESTS, SCHEDULE_RESPONSES } from './schemas.js';

const SCHEDULE = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/schedule';
const VERSIONS: readonly VersionSpec[] = [{ date: '2023-01-01', deprecated: '2024-08-05', sunset: '2027-07-01' }, { date: '2024-08-05' }];

export function scheduleOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.schedules;
  return [
    defineOperation({
      operationId: 'getGroupClusterBackupSchedule',
      alias: 'getBackupSchedule',
      summary: 'Return One Cloud Backup Schedule',
      method: 'GET',
      url: SCHEDULE,
      versions: VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: clusterParams,
      querystring: flagsQuery,
      response: SCHEDULE_RESPONSES,
      handler: (req) => service.get(req.params.groupId, req.params.clusterName, resolvedVersion(req), requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'updateGroupClusterBackupSchedule',
      alias: 'updateBackupSchedule',
      summary: 'Update Cloud Backup Schedule for One Cluster',
      method: 'PATCH',
      url: SCHEDULE,
      versions: VERSIONS,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: clusterParams,
      querystring: flagsQuery,
      requestBodies: SCHEDULE_REQUESTS,
      extraErrors: [413, 415],
      response: SCHEDULE_RESPONSES,
      handler: (req) => service.update(req.params.groupId, req.params.clusterName, resolvedVersion(req), req.body, requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'deleteGroupClusterBackupSchedule',
      alias: 'deleteClusterBackupSchedule',
      summary: 'Remove All Cloud Backup Schedules',
      method: 'DELETE',
      url: SCHEDULE,
      versions: VERSIONS,
      role: 'Project Backup Manager',
      successStatus: 200,
      extraErrors: [413, 415],
      params: clusterParams,
      querystring: flagsQuery,
      response: SCHEDULE_RESPONSES,
      handler: (req) => service.remove(req.params.groupId, req.params.clusterName, resolvedVersion(req), requestOrigin(req)),
    }),
  ];
}
