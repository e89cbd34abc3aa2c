/**
 * Export-bucket operations (contract §1), as a table:
 *
 *   GET    /api/atlas/v2/groups/{groupId}/backup/exportBuckets                    listExportBuckets    2023-01-01*, 2024-05-30
 *   POST   /api/atlas/v2/groups/{groupId}/backup/exportBuckets                    createExportBucket   2023-01-01*, 2024-05-30
 *   GET    /api/atlas/v2/groups/{groupId}/backup/exportBuckets/{exportBucketId}   getExportBucket      2023-01-01*, 2024-05-30
 *   DELETE /api/atlas/v2/groups/{groupId}/backup/exportBuckets/{exportBucketId}   deleteExportBucket   2023-01-01
 *
 * * deprecated on 2024-05-30 (release of the next version), sunset 2027-07-01 (spec `x-sunset`): served with
 *   `Deprecation` / `Sunset` headers, errors included, and 410 VERSION_GONE from the sunset on by the mock
 *   clock (contract §2; the negotiation plugin does all of it from the VersionSpec). DELETE has one version,
 *   neither deprecated nor sunset (recorded 204 carries no such headers).
 */
import { defineOperation, resolvedVersion, type OperationSpec } from '../http/operation.js';
import { flagsQuery, listQuery } from '../http/schemas.js';
import { sendNoContent } from '../http/envelope.js';
import { requestBaseUrl } from '../http/urls.js';
import type { VersionSpec } from '../http/versioning.js';
import type { MockContext } from '../context.js';
import { lazyFields } from '../core/lazy-schema.js';
import { bucketParams, BUCKET_REQUESTS, bucketsParams, bucketViews } from './schemas.js';

/** Response schemas: documentation only, built with the OpenAPI document (core/lazy-schema.ts). */
const views = lazyFields(bucketViews);

const BUCKETS = '/api/atlas/v2/groups/:groupId/backup/exportBuckets';

const BUCKET_VERSIONS: readonly VersionSpec[] = [{ date: '2023-01-01', deprecated: '2024-05-30', sunset: '2027-07-01' }, { date: '2024-05-30' }];

export function bucketOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = ctx.buckets;
  return [
    defineOperation({
      operationId: 'listGroupBackupExportBuckets',
      alias: 'listExportBuckets',
      summary: 'Return All Snapshot Export Buckets',
      method: 'GET',
      url: BUCKETS,
      versions: BUCKET_VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: bucketsParams,
      querystring: listQuery,
      response: { '2023-01-01': views.bucketListSchema2023, '2024-05-30': views.bucketListSchema2024 },
      handler: (req) => service.list(req.params.groupId, resolvedVersion(req), req.query, requestBaseUrl(req)),
    }),
    defineOperation({
      operationId: 'createGroupBackupExportBucket',
      alias: 'createExportBucket',
      summary: 'Create One Snapshot Export Bucket',
      method: 'POST',
      url: BUCKETS,
      versions: BUCKET_VERSIONS,
      role: 'Project Backup Manager',
      successStatus: 200,
      params: bucketsParams,
      querystring: flagsQuery,
      requestBodies: BUCKET_REQUESTS,
      extraErrors: [409, 413, 415],
      response: { '2023-01-01': views.awsBucketSchema, '2024-05-30': views.bucketSchema2024 },
      handler: (req) => service.create(req.params.groupId, resolvedVersion(req), req.body),
    }),
    defineOperation({
      operationId: 'getGroupBackupExportBucket',
      alias: 'getExportBucket',
      summary: 'Return One Snapshot Export Bucket',
      method: 'GET',
      url: `${BUCKETS}/:exportBucketId`,
      versions: BUCKET_VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: bucketParams,
      querystring: flagsQuery,
      response: { '2023-01-01': views.awsBucketSchema, '2024-05-30': views.bucketSchema2024 },
      handler: (req) => service.get(req.params.groupId, resolvedVersion(req), req.params.exportBucketId),
    }),
    defineOperation({
      operationId: 'deleteGroupBackupExportBucket',
      alias: 'deleteExportBucket',
      summary: 'Delete One Snapshot Export Bucket',
      method: 'DELETE',
      url: `${BUCKETS}/:exportBucketId`,
      versions: [{ date: '2023-01-01' }],
      role: 'Project Backup Manager',
      successStatus: 204,
      extraErrors: [413, 415],
      params: bucketParams,
      querystring: flagsQuery,
      handler: (req, reply) => {
        service.remove(req.params.groupId, req.params.exportBucketId);
        return sendNoContent(req, reply);
      },
    }),
  ];
}
