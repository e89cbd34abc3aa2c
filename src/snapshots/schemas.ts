/** zod schemas of the snapshot operations (resource versions 2023-01-01 and 2025-03-12), for validation and OpenAPI. */
import { z } from 'zod';
import { SNAPSHOT_STATUSES } from '../store/model.js';
import { linkSchema, objectIdParam } from '../http/schemas.js';
import { pageSchema } from '../http/pagination.js';
import { schemaFamily } from '../core/lazy-schema.js';
import { clusterParams } from '../exports/schemas.js';

export const snapshotParams = clusterParams.extend({
  snapshotId: objectIdParam('Unique 24-hexadecimal digit string that identifies the desired snapshot.'),
});
/** The spec gives database and collection names no pattern: any segment reaches the operation. */
export const databaseParams = snapshotParams.extend({ databaseName: z.string().meta({ description: 'Human-readable label that identifies the database.' }) });
export const collectionParams = databaseParams.extend({ collectionName: z.string().meta({ description: 'Human-readable label that identifies the collection.' }) });

/** `DiskBackupOnDemandSnapshotRequest`: both optional; `retentionInDays` at least 1 [S]; unknown attributes ignored [I]. */
export const takeSnapshotRequestSchema = z
  .object({
    description: z.string().nullish().meta({ description: 'Purpose of the snapshot.' }),
    retentionInDays: z.number().int().min(1).max(3650).nullish().meta({ description: 'Days to keep the snapshot, from its completion (default 1).' }),
  })
  .meta({ id: 'DiskBackupOnDemandSnapshotRequest' });

/** `BackupSnapshotRetention` [S]. */
export const retentionRequestSchema = z
  .object({
    retentionUnit: z.enum(['DAYS', 'WEEKS', 'MONTHS', 'YEARS']),
    // A bound for the document; the service answers it with Atlas's BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID.
    retentionValue: z.number().int().meta({ minimum: 1 }),
  })
  .meta({ id: 'BackupSnapshotRetention' });

// ---- responses (documentation only: built with the OpenAPI document, core/lazy-schema.ts) ---------------
export const snapshotViews = schemaFamily(
  () => {
    const frequencyType = z.string().meta({ description: '`ondemand` for on-demand snapshots (missing from the official enum), hourly, daily, weekly, monthly, yearly.' });
    const policyItems = z.array(z.string()).meta({ description: 'Ids of the policy items a scheduled snapshot was taken for.' });

    /** Fields both snapshot forms share (`DiskBackupSnapshot`). */
    const snapshotCommon = {
      createdAt: z.string().optional().meta({ format: 'date-time', description: 'Once completed.' }),
      description: z.string().optional(),
      expiresAt: z.string().meta({ format: 'date-time' }),
      frequencyType,
      id: z.string(),
      links: z.array(linkSchema),
      mongodVersion: z.string().optional().meta({ description: 'From 10 s after the request.' }),
      policyItems,
      snapshotType: z.enum(['onDemand', 'scheduled', 'fallback']),
      status: z.enum(SNAPSHOT_STATUSES),
      storageSizeBytes: z.number().int().meta({ description: '0 until completed.' }),
    };

    const snapshotSchema = z
      .object({
        cloudProvider: z.enum(['AWS', 'AZURE', 'GCP']).optional().meta({ description: 'Once taken.' }),
        copyRegions: z.array(z.string()),
        ...snapshotCommon,
        replicaSetName: z.string().optional().meta({ description: 'Replica sets only.' }),
        type: z.enum(['replicaSet', 'shardedCluster']),
      })
      .meta({ id: 'DiskBackupReplicaSet' });

    const shardedSnapshotSchema = z
      .object({
        ...snapshotCommon,
        members: z.array(z.object({ cloudProvider: z.enum(['AWS', 'AZURE', 'GCP']), id: z.string(), replicaSetName: z.string() }).meta({ id: 'DiskBackupShardedClusterSnapshotMember' })),
        snapshotIds: z.array(z.string()),
        type: z.enum(['replicaSet', 'shardedCluster']).meta({ description: 'replicaSet for a replica set\'s snapshot read through the sharded operations (no members).' }),
      })
      .meta({ id: 'DiskBackupShardedClusterSnapshot' });

    /** The POST answer: the replica-set form, or the sharded one for a sharded cluster (discriminator `type`). */
    const takenSnapshotSchema = z.union([snapshotSchema, shardedSnapshotSchema]).meta({ id: 'DiskBackupSnapshot' });

    const snapshotListSchema = pageSchema(snapshotSchema, 'PaginatedCloudBackupReplicaSetView');
    const shardedSnapshotListSchema = pageSchema(shardedSnapshotSchema, 'PaginatedCloudBackupShardedClusterSnapshotView');

    const databaseSchema = z.object({ name: z.string() }).meta({ id: 'DiskBackupDatabaseResponse' });
    const collectionSchema = z.object({ name: z.string() }).meta({ id: 'DiskBackupCollectionResponse' });
    const databaseListSchema = pageSchema(databaseSchema, 'PaginatedApiAtlasDiskBackupDatabaseView');
    const collectionListSchema = pageSchema(collectionSchema, 'PaginatedApiAtlasDiskBackupCollectionView');

    return { snapshotSchema, shardedSnapshotSchema, takenSnapshotSchema, snapshotListSchema, shardedSnapshotListSchema, databaseSchema, collectionSchema, databaseListSchema, collectionListSchema };
  },
  [
    'DiskBackupReplicaSet',
    'DiskBackupShardedClusterSnapshotMember',
    'DiskBackupShardedClusterSnapshot',
    'DiskBackupSnapshot',
    'PaginatedCloudBackupReplicaSetView',
    'PaginatedCloudBackupShardedClusterSnapshotView',
    'DiskBackupDatabaseResponse',
    'DiskBackupCollectionResponse',
    'PaginatedApiAtlasDiskBackupDatabaseView',
    'PaginatedApiAtlasDiskBackupCollectionView',
  ],
);
