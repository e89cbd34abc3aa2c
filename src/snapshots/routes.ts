/**
 * Snapshot operations (contract §9), as a table:
 *
 *   GET    …/clusters/{clusterName}/backup/snapshots                                 listBackupSnapshots            2023-01-01
 *   POST   …/clusters/{clusterName}/backup/snapshots                                 takeSnapshots (200 [R])         2023-01-01
 *   GET    …/clusters/{clusterName}/backup/snapshots/{snapshotId}                    getClusterBackupSnapshot        2023-01-01
 *   PATCH  …/clusters/{clusterName}/backup/snapshots/{snapshotId}                    updateBackupSnapshot            2023-01-01
 *   DELETE …/clusters/{clusterName}/backup/snapshots/{snapshotId}                    deleteClusterBackupSnapshot     2023-01-01 (204 [R])
 *   GET    …/clusters/{clusterName}/backup/snapshots/shardedClusters                 listBackupShardedClusters       2023-01-01
 *   GET    …/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}     getBackupShardedCluster         2023-01-01
 *   DELETE …/clusters/{clusterName}/backup/snapshots/shardedCluster/{snapshotId}     deleteBackupShardedCluster      2023-01-01
 *   GET    …/backup/snapshots/{snapshotId}/databases[/{databaseName}[/collections[/{collectionName}]]]   2025-03-12
 *
 * (`…` = /api/atlas/v2/groups/{groupId}.) Roles as the spec's `x-rolesRequirements` [S].
 */
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { flagsQuery, listQuery } from '../http/schemas.js';
import { sendNoContent } from '../http/envelope.js';
import { requestBaseUrl, requestOrigin } from '../http/urls.js';
import { clusterParams } from '../exports/schemas.js';
import { serializeSnapshotPage, serializeSnapshotView } from './view.js';
import type { MockContext } from '../context.js';
import { lazyFields } from '../core/lazy-schema.js';
import { collectionParams, databaseParams, retentionRequestSchema, snapshotParams, takeSnapshotRequestSchema, snapshotViews } from './schemas.js';

/** Response schemas: documentation only, built with the OpenAPI document (core/lazy-schema.ts). */
const views = lazyFields(snapshotViews);

const SNAPSHOTS = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/snapshots';
const V2023 = [{ date: '2023-01-01' }];
const V2025 = [{ date: '2025-03-12' }];

export function snapshotOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.snapshots;
  return [
    defineOperation({
      operationId: 'listGroupClusterBackupSnapshots',
      alias: 'listBackupSnapshots',
      summary: 'Return All Replica Set Cloud Backups',
      method: 'GET',
      url: SNAPSHOTS,
      versions: V2023,
      role: 'Project Read Only',
      successStatus: 200,
      params: clusterParams,
      querystring: listQuery,
      response: { '2023-01-01': views.snapshotListSchema },
      serializers: { '2023-01-01': serializeSnapshotPage },
      handler: (req) => service.list(req.params.groupId, req.params.clusterName, req.query, requestBaseUrl(req), requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'takeGroupClusterBackupSnapshots',
      alias: 'takeSnapshots',
      summary: 'Take One On-Demand Snapshot',
      method: 'POST',
      url: SNAPSHOTS,
      versions: V2023,
      role: 'Project Backup Creator',
      successStatus: 200,
      params: clusterParams,
      querystring: flagsQuery,
      requestBodies: { '2023-01-01': takeSnapshotRequestSchema },
      extraErrors: [413, 415],
      response: { '2023-01-01': views.takenSnapshotSchema },
      handler: (req) => service.take(req.params.groupId, req.params.clusterName, req.body, requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'getGroupClusterBackupSnapshot',
      alias: 'getClusterBackupSnapshot',
      summary: 'Return One Replica Set Cloud Backup',
      method: 'GET',
      url: `${SNAPSHOTS}/:snapshotId`,
      versions: V2023,
      role: 'Project Read Only',
      successStatus: 200,
      params: snapshotParams,
      querystring: flagsQuery,
      response: { '2023-01-01': views.snapshotSchema },
      serializers: { '2023-01-01': serializeSnapshotView },
      handler: (req) => service.get(req.params.groupId, req.params.clusterName, req.params.snapshotId, requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'updateGroupClusterBackupSnapshot',
      alias: 'updateBackupSnapshot',
      summary: 'Update Expiration Date for One Cloud Backup',
      method: 'PATCH',
      url: `${SNAPSHOTS}/:snapshotId`,
      versions: V2023,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: snapshotParams,
      querystring: flagsQuery,
      requestBodies: { '2023-01-01': retentionRequestSchema },
      extraErrors: [413, 415],
      response: { '2023-01-01': views.snapshotSchema },
      handler: (req) => service.updateRetention(req.params.groupId, req.params.clusterName, req.params.snapshotId, req.body, requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'deleteGroupClusterBackupSnapshot',
      alias: 'deleteClusterBackupSnapshot',
      summary: 'Remove One Replica Set Cloud Backup',
      method: 'DELETE',
      url: `${SNAPSHOTS}/:snapshotId`,
      versions: V2023,
      role: 'Project Backup Manager',
      successStatus: 204,
      extraErrors: [413, 415],
      params: snapshotParams,
      querystring: flagsQuery,
      handler: (req, reply) => {
        service.remove(req.params.groupId, req.params.clusterName, req.params.snapshotId);
        return sendNoContent(req, reply);
      },
    }),
    defineOperation({
      operationId: 'listGroupClusterBackupSnapshotShardedClusters',
      alias: 'listBackupShardedClusters',
      summary: 'Return All Sharded Cluster Cloud Backups',
      method: 'GET',
      url: `${SNAPSHOTS}/shardedClusters`,
      versions: V2023,
      role: 'Project Read Only',
      successStatus: 200,
      params: clusterParams,
      // The spec declares no pagination parameters here; Atlas pages every list [I: accepted].
      querystring: listQuery,
      response: { '2023-01-01': views.shardedSnapshotListSchema },
      handler: (req) => service.listSharded(req.params.groupId, req.params.clusterName, req.query, requestBaseUrl(req), requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'getGroupClusterBackupSnapshotShardedCluster',
      alias: 'getBackupShardedCluster',
      summary: 'Return One Sharded Cluster Cloud Backup',
      method: 'GET',
      url: `${SNAPSHOTS}/shardedCluster/:snapshotId`,
      versions: V2023,
      role: 'Project Read Only',
      successStatus: 200,
      params: snapshotParams,
      querystring: flagsQuery,
      response: { '2023-01-01': views.shardedSnapshotSchema },
      handler: (req) => service.getSharded(req.params.groupId, req.params.clusterName, req.params.snapshotId, requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'deleteGroupClusterBackupSnapshotShardedCluster',
      alias: 'deleteBackupShardedCluster',
      summary: 'Remove One Sharded Cluster Cloud Backup',
      method: 'DELETE',
      url: `${SNAPSHOTS}/shardedCluster/:snapshotId`,
      versions: V2023,
      role: 'Project Backup Manager',
      successStatus: 204,
      extraErrors: [413, 415],
      params: snapshotParams,
      querystring: flagsQuery,
      handler: (req, reply) => {
        service.remove(req.params.groupId, req.params.clusterName, req.params.snapshotId, true);
        return sendNoContent(req, reply);
      },
    }),
    defineOperation({
      operationId: 'listGroupClusterBackupSnapshotDatabases',
      alias: 'listBackupSnapshotDatabases',
      summary: 'Return Databases in One Snapshot',
      method: 'GET',
      url: `${SNAPSHOTS}/:snapshotId/databases`,
      versions: V2025,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: snapshotParams,
      querystring: listQuery,
      response: { '2025-03-12': views.databaseListSchema },
      handler: (req) => service.databases(req.params.groupId, req.params.clusterName, req.params.snapshotId, req.query, requestBaseUrl(req)),
    }),
    defineOperation({
      operationId: 'getGroupClusterBackupSnapshotDatabase',
      alias: 'getBackupSnapshotDatabase',
      summary: 'Return One Database in One Snapshot',
      method: 'GET',
      url: `${SNAPSHOTS}/:snapshotId/databases/:databaseName`,
      versions: V2025,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: databaseParams,
      querystring: flagsQuery,
      response: { '2025-03-12': views.databaseSchema },
      handler: (req) => service.database(req.params.groupId, req.params.clusterName, req.params.snapshotId, req.params.databaseName),
    }),
    defineOperation({
      operationId: 'listGroupClusterBackupSnapshotDatabaseCollections',
      alias: 'listSnapshotDatabaseCollections',
      summary: 'Return Collections in One Database of One Snapshot',
      method: 'GET',
      url: `${SNAPSHOTS}/:snapshotId/databases/:databaseName/collections`,
      versions: V2025,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: databaseParams,
      querystring: listQuery,
      response: { '2025-03-12': views.collectionListSchema },
      handler: (req) => service.collections(req.params.groupId, req.params.clusterName, req.params.snapshotId, req.params.databaseName, req.query, requestBaseUrl(req)),
    }),
    defineOperation({
      operationId: 'getGroupClusterBackupSnapshotDatabaseCollection',
      alias: 'getSnapshotDatabaseCollection',
      summary: 'Return One Collection in One Database of One Snapshot',
      method: 'GET',
      url: `${SNAPSHOTS}/:snapshotId/databases/:databaseName/collections/:collectionName`,
      versions: V2025,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: collectionParams,
      querystring: flagsQuery,
      response: { '2025-03-12': views.collectionSchema },
      handler: (req) => service.collection(req.params.groupId, req.params.clusterName, req.params.snapshotId, req.params.databaseName, req.params.collectionName),
    }),
  ];
}
