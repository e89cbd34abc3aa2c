/**
 * Cluster reads, as a table (tag Clusters, rate-limit set Clusters: 10 000 per project, +5000 per minute [D, R]):
 *
 *   GET /api/atlas/v2/groups/{groupId}/clusters                 listClusters   2023-01-01*, 2023-02-01*, 2024-08-05
 *   GET /api/atlas/v2/groups/{groupId}/clusters/{clusterName}   getCluster     2023-01-01*, 2023-02-01*, 2024-08-05
 *
 * * deprecated, sunset 2027-07-01 (spec `x-sunset`): 2023-02-01 sends `Deprecation: Mon, 5 Aug 2024` and
 *   `Sunset: Thu, 1 Jul 2027` [R]; 2023-01-01 `Deprecation` on the release of 2023-02-01 [I, the recorded
 *   pattern: the next version's release]. Bodies written by `javaJson` (diskSizeGB `10.0`, recorded).
 * Creating, changing or deleting clusters is outside the mock (boundary/routes.ts).
 */
import { defineOperation, resolvedVersion, type OperationSpec } from '../http/operation.js';
import { flagsQuery } from '../http/schemas.js';
import { javaJson } from '../http/json.js';
import { requestBaseUrl, requestOrigin } from '../http/urls.js';
import type { VersionSpec } from '../http/versioning.js';
import type { MockContext } from '../context.js';
import { createClusterService } from './service.js';
import { CLUSTER_PAGE_RESPONSES, CLUSTER_RESPONSES, clusterListQuery, clusterParams, clustersParams } from './schemas.js';

export const CLUSTERS = '/api/atlas/v2/groups/:groupId/clusters';

export const CLUSTER_READ_VERSIONS: readonly VersionSpec[] = [
  { date: '2023-01-01', deprecated: '2023-02-01', sunset: '2027-07-01' },
  { date: '2023-02-01', deprecated: '2024-08-05', sunset: '2027-07-01' },
  { date: '2024-08-05' },
];

const JAVA_SERIALIZERS = { '2023-01-01': javaJson, '2023-02-01': javaJson, '2024-08-05': javaJson };

export function clusterOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const service = createClusterService(ctx);
  return [
    defineOperation({
      operationId: 'listGroupClusters',
      alias: 'listClusters',
      summary: 'Return All Clusters in One Project',
      tag: 'Clusters',
      rateLimit: 'clusters',
      method: 'GET',
      url: CLUSTERS,
      versions: CLUSTER_READ_VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: clustersParams,
      querystring: clusterListQuery,
      response: CLUSTER_PAGE_RESPONSES,
      serializers: JAVA_SERIALIZERS,
      handler: (req) => service.list(req.params.groupId, resolvedVersion(req), req.query, requestBaseUrl(req), requestOrigin(req)),
    }),
    defineOperation({
      operationId: 'getGroupCluster',
      alias: 'getCluster',
      summary: 'Return One Cluster from One Project',
      tag: 'Clusters',
      rateLimit: 'clusters',
      method: 'GET',
      url: `${CLUSTERS}/:clusterName`,
      versions: CLUSTER_READ_VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: clusterParams,
      querystring: flagsQuery,
      // Declared by the spec (e.g. a flex cluster seen through this API); the mock never answers it.
      extraErrors: [409],
      response: CLUSTER_RESPONSES,
      serializers: JAVA_SERIALIZERS,
      handler: (req) => service.get(req.params.groupId, req.params.clusterName, resolvedVersion(req), requestOrigin(req)),
    }),
  ];
}
