/**
 * The flex-cluster probes, as a table (resource version 2024-11-13 only). The Atlas CLI asks the flex API
 * first (`backups snapshots list|describe|watch`) and falls back to the dedicated-cluster operations when it
 * answers CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API, FEATURE_UNSUPPORTED or CLUSTER_NOT_FOUND
 * (mongodb-atlas-cli `internal/cli/backup/snapshots/list.go`) [C]:
 *
 *   GET /api/atlas/v2/groups/{groupId}/flexClusters/{name}                                getFlexCluster          Flex Clusters
 *   GET /api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots               listFlexBackupSnapshots Flex Snapshots
 *   GET /api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots/{snapshotId}  getFlexBackupSnapshot   Flex Snapshots
 *
 * The mock holds dedicated clusters only (flex clusters are not simulated), so every probe answers:
 * - a dedicated cluster of the project → 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API [R: recorded for both
 *   snapshot operations; I for getFlexCluster, the same family];
 * - any other name → 404 CLUSTER_NOT_FOUND [R: getFlexCluster after a flex cluster's deletion, Atlas CLI e2e
 *   TestFlexCluster; I for the snapshot operations].
 * The cluster is looked at before the snapshot id, which is therefore not validated [I]. Rate-limit sets Flex
 * Clusters and Flex Snapshots, 1200 per project each [D; R 1200 on the recorded 400s].
 */
import { z } from 'zod';
import { defineOperation, type OperationSpec } from '../http/operation.js';
import { clusterNameParam, flagsQuery, groupIdParam, linkSchema, listQuery } from '../http/schemas.js';
import { pageSchema } from '../http/pagination.js';
import { atlasError, type AtlasError } from '../errors/atlas-error.js';
import { requireProject } from '../store/lookup.js';
import type { MockContext } from '../context.js';

const FLEX = '/api/atlas/v2/groups/:groupId/flexClusters/:name';
const VERSIONS = [{ date: '2024-11-13' }] as const;

const flexParams = z.object({ groupId: groupIdParam, name: clusterNameParam.meta({ description: 'Human-readable label that identifies the flex cluster.' }) });
const flexSnapshotParams = flexParams.extend({
  // Not enforced: the cluster answers first (see above).
  snapshotId: z
    .string()
    .regex(/^[\s\S]*$/)
    .meta({ description: 'Unique 24-hexadecimal digit string that identifies the desired snapshot.', pattern: '^([a-f0-9]{24})$' }),
});

const flexClusterSchema = z
  .object({ id: z.string(), groupId: z.string(), name: z.string(), stateName: z.string(), links: z.array(linkSchema) })
  .loose()
  .meta({ id: 'FlexClusterDescription20241113', description: 'Never served: the mock holds no flex clusters.' });
const flexSnapshotSchema = z
  .object({ id: z.string(), status: z.string(), links: z.array(linkSchema) })
  .loose()
  .meta({ id: 'FlexBackupSnapshot20241113', description: 'Never served: the mock holds no flex clusters.' });

/** What the flex API answers about `name` in an existing project: always an error (see above). */
export function flexProbe(ctx: Pick<MockContext, 'store'>, groupId: string, name: string): AtlasError {
  requireProject(ctx.store, groupId);
  return ctx.store.cluster(groupId, name) ? atlasError('CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', name) : atlasError('CLUSTER_NOT_FOUND', name, groupId);
}

export function flexOperations(ctx: MockContext): OperationSpec<any, any, any>[] {
  const probe = (req: { params: { groupId: string; name: string } }) => {
    throw flexProbe(ctx, req.params.groupId, req.params.name);
  };
  return [
    defineOperation({
      operationId: 'getGroupFlexCluster',
      alias: 'getFlexCluster',
      summary: 'Return One Flex Cluster from One Project',
      tag: 'Flex Clusters',
      rateLimit: 'flexClusters',
      method: 'GET',
      url: FLEX,
      versions: VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: flexParams,
      querystring: flagsQuery,
      extraErrors: [409],
      response: { '2024-11-13': flexClusterSchema },
      handler: probe,
    }),
    defineOperation({
      operationId: 'listGroupFlexClusterBackupSnapshots',
      alias: 'listFlexBackupSnapshots',
      summary: 'Return All Snapshots for One Flex Cluster',
      tag: 'Flex Snapshots',
      rateLimit: 'flexSnapshots',
      method: 'GET',
      url: `${FLEX}/backup/snapshots`,
      versions: VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: flexParams,
      querystring: listQuery,
      response: { '2024-11-13': pageSchema(flexSnapshotSchema, 'PaginatedApiAtlasFlexBackupSnapshot20241113View') },
      handler: probe,
    }),
    defineOperation({
      operationId: 'getGroupFlexClusterBackupSnapshot',
      alias: 'getFlexBackupSnapshot',
      summary: 'Return One Snapshot for One Flex Cluster',
      tag: 'Flex Snapshots',
      rateLimit: 'flexSnapshots',
      method: 'GET',
      url: `${FLEX}/backup/snapshots/:snapshotId`,
      versions: VERSIONS,
      role: 'Project Read Only',
      successStatus: 200,
      params: flexSnapshotParams,
      querystring: flagsQuery,
      response: { '2024-11-13': flexSnapshotSchema },
      handler: probe,
    }),
  ];
}
