/** zod schemas of the export-job operations (resource version 2023-01-01), for validation and OpenAPI. */
import { z } from 'zod';
import { schemaFamily } from '../core/lazy-schema.js';
import { EXPORT_STATES } from '../store/model.js';
import { clusterNameParam, groupIdParam, objectIdParam } from '../http/schemas.js';
import { pageSchema } from '../http/pagination.js';

export const clusterParams = z.object({ groupId: groupIdParam, clusterName: clusterNameParam });
export const exportJobParams = clusterParams.extend({
  exportId: objectIdParam('Unique 24-hexadecimal character string that identifies the export job.'),
});

/**
 * `DiskBackupExportJobRequest` (2023-01-01). Attributes in the order of the spec's `required`, so `{}` names
 * `exportBucketId` first; `customData` may be `null` (read as none) [I]; a label's `key` and `value` are
 * optional, as the spec's `BackupLabel` says [S], and `null` reads as absent [I]; unknown attributes are
 * ignored [I].
 */
export const exportJobRequestSchema = z
  .object({
    exportBucketId: z.string().regex(/^([a-f0-9]{24})$/).meta({ description: 'Unique 24-hexadecimal character string that identifies the Export Bucket.' }),
    snapshotId: z.string().regex(/^([a-f0-9]{24})$/).meta({ description: 'Unique 24-hexadecimal character string that identifies the Cloud Backup Snapshot to export.' }),
    customData: z
      .array(z.object({ key: z.string().nullish(), value: z.string().nullish() }))
      .nullish()
      .meta({ description: 'Labels written to the `.complete` file of the export; `key` and `value` are both optional.' }),
  })
  .meta({ id: 'DiskBackupExportJobRequest' });

// ---- responses (documentation only: built with the OpenAPI document, core/lazy-schema.ts) ---------------
export const exportJobViews = schemaFamily(
  () => {
    /** The spec's `BackupLabel` requires neither `key` nor `value` [S]: a label may carry either, both or none. */
    const backupLabelSchema = z.object({ key: z.string().optional(), value: z.string().optional() }).meta({ id: 'BackupLabel' });

    const exportJobSchema = z
      .object({
        components: z
          .array(z.object({ exportId: z.string(), replicaSetName: z.string() }).meta({ id: 'DiskBackupExportMember' }))
          .optional()
          .meta({ description: 'Sharded clusters only: one export per shard.' }),
        createdAt: z.string().meta({ format: 'date-time' }),
        customData: z.array(backupLabelSchema),
        exportBucketId: z.string(),
        exportStatus: z
          .object({ exportedCollections: z.number().int(), totalCollections: z.number().int() })
          .optional()
          .meta({ id: 'ExportStatus', description: 'Replica sets only.' }),
        finishedAt: z.string().optional().meta({ format: 'date-time', description: 'Only once the job is terminal.' }),
        id: z.string(),
        prefix: z.string(),
        snapshotId: z.string(),
        state: z.enum(EXPORT_STATES),
        stateReason: z.object({ errorCode: z.string(), message: z.string() }).optional().meta({ id: 'StateReason', description: 'Only when Failed.' }),
      })
      .meta({ id: 'DiskBackupExportJob' });

    const exportJobListSchema = pageSchema(exportJobSchema, 'PaginatedApiAtlasDiskBackupExportJobView');

    return { backupLabelSchema, exportJobSchema, exportJobListSchema };
  },
  [
    'BackupLabel',
    'DiskBackupExportMember',
    'ExportStatus',
    'StateReason',
    'DiskBackupExportJob',
    'PaginatedApiAtlasDiskBackupExportJobView',
  ],
);
