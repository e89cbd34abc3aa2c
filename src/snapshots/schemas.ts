/** zod schemas of GET one snapshot (resource version 2023-01-01), for validation and OpenAPI. */
import { z } from 'zod';
import { SNAPSHOT_STATUSES } from '../store/model.js';
import { linkSchema, objectIdParam } from '../http/schemas.js';
import { clusterParams } from '../exports/schemas.js';

export const snapshotParams = clusterParams.extend({
  snapshotId: objectIdParam('Unique 24-hexadecimal digit string that identifies the desired snapshot.'),
});

export const snapshotSchema = z
  .object({
    cloudProvider: z.enum(['AWS', 'AZURE', 'GCP']).optional().meta({ description: 'Once completed.' }),
    copyRegions: z.array(z.string()),
    createdAt: z.string().optional().meta({ format: 'date-time', description: 'Once completed.' }),
    description: z.string().optional(),
    expiresAt: z.string().meta({ format: 'date-time' }),
    frequencyType: z.string().meta({ description: '`ondemand` for on-demand snapshots (missing from the official enum), hourly, daily, weekly, monthly, yearly.' }),
    id: z.string(),
    links: z.array(linkSchema),
    mongodVersion: z.string().optional().meta({ description: 'Once completed.' }),
    policyItems: z.array(z.string()),
    replicaSetName: z.string().optional().meta({ description: 'Replica sets only.' }),
    snapshotType: z.enum(['onDemand', 'scheduled', 'fallback']),
    status: z.enum(SNAPSHOT_STATUSES),
    storageSizeBytes: z.number().int().meta({ description: '0 until completed.' }),
    type: z.enum(['replicaSet', 'shardedCluster']),
  })
  .meta({ id: 'DiskBackupReplicaSet' });
