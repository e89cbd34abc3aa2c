/**
 * zod schemas of the backup-schedule operations, per resource version: 2023-01-01
 * (`DiskBackupSnapshotSchedule`: copy settings name a `replicationSpecId`) and 2024-08-05
 * (`DiskBackupSnapshotSchedule20240805`: they name a `zoneId`, and `autoCopySettingsEnabled` exists) [S].
 * Request bodies are validated by the service with the schema of the version the Accept header resolved to;
 * read-only attributes a client sends back (`clusterId`, `clusterName`, `links`, `nextSnapshot`) and unknown
 * ones are ignored [I].
 *
 * Bounds of single values (one policy, the reference hour and minute, positive retentions and restore window,
 * the frequency intervals) are in the document as JSON Schema keywords (`meta`), not zod checks: the service
 * answers them with Atlas's own codes (INVALID_NUM_OF_POLICIES, INVALID_REFERENCE_MINUTE_OF_HOUR, …), where a
 * zod check would give INVALID_ATTRIBUTE.
 */
import { z } from 'zod';
import { lazyFields, schemaFamily } from '../core/lazy-schema.js';
import { POLICY_FREQUENCIES, RETENTION_UNITS } from '../store/model.js';
import { linkSchema } from '../http/schemas.js';
import { VALID_INTERVALS } from './grid.js';

const objectId = z.string().regex(/^([a-f0-9]{24})$/);
const cloudProvider = z.enum(['AWS', 'AZURE', 'GCP']);
const upperFrequencies = z.enum(['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'ON_DEMAND']);
/** Every interval some frequency takes, as the spec's enum lists them; which one a frequency takes is the service's check (INVALID_BACKUP_POLICY). */
const INTERVALS = [...new Set(Object.values(VALID_INTERVALS).flat())].sort((a, b) => a - b);

// ---- requests (sub-schemas without ids: the response schemas own the official names) --------------------
const policyItemRequest = z.object({
  frequencyInterval: z.number().int().meta({ enum: INTERVALS }),
  frequencyType: z.enum(POLICY_FREQUENCIES),
  id: objectId.nullish(),
  retentionUnit: z.enum(RETENTION_UNITS),
  retentionValue: z.number().int().meta({ minimum: 1 }),
});
const policyRequest = z.object({ id: objectId.nullish(), policyItems: z.array(policyItemRequest).meta({ minItems: 1 }) });

/** Daily, weekly, monthly, yearly [D: "How Atlas Exports Snapshots"; the CLI offers daily, weekly, monthly]; the spec's enum lists monthly and yearly only. */
export const EXPORT_FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
const exportPolicyRequest = z.object({ exportBucketId: objectId.nullish(), frequencyType: z.enum(EXPORT_FREQUENCIES).nullish() });

const copyPolicyItem = z.object({ frequencyType: z.enum(['daily', 'hourly', 'weekly', 'monthly', 'yearly', 'ondemand']), id: objectId.nullish(), retentionUnit: z.enum(RETENTION_UNITS).nullish(), retentionValue: z.number().int().nullish() });

const copyCommon = {
  cloudProvider: cloudProvider.nullish(),
  copyPolicyItems: z.array(copyPolicyItem).max(6).nullish(),
  frequencies: z.array(upperFrequencies).max(6).nullish(),
  lastNumberOfSnapshots: z.number().int().min(1).max(500).nullish(),
  regionName: z.string().nullish(),
  shouldCopyOplogs: z.boolean().nullish(),
};
const copySetting2023Request = z.object({ ...copyCommon, replicationSpecId: objectId.nullish() });
const copySetting2024Request = z.object({ ...copyCommon, zoneId: objectId });

const extraRetentionRequest = z.object({ frequencyType: upperFrequencies.nullish(), retentionDays: z.number().int().nullish() });

const requestCommon = {
  autoExportEnabled: z.boolean().nullish(),
  copyPolicyItemsEnabled: z.boolean().nullish(),
  deleteCopySnapshots: z.boolean().nullish(),
  deleteSnapshots: z.boolean().nullish().meta({ description: 'With policy items removed: their snapshots go too.' }),
  export: exportPolicyRequest.nullish(),
  extraRetentionSettings: z.array(extraRetentionRequest).nullish(),
  policies: z.array(policyRequest).meta({ minItems: 1, maxItems: 1 }).nullish().meta({ description: 'Exactly one policy.' }),
  referenceHourOfDay: z.number().int().meta({ minimum: 0, maximum: 23 }).nullish(),
  referenceMinuteOfHour: z.number().int().meta({ minimum: 0, maximum: 59 }).nullish(),
  restoreWindowDays: z.number().int().meta({ minimum: 1 }).nullish(),
  updateCopySnapshots: z.boolean().nullish(),
  updateSnapshots: z.boolean().nullish().meta({ description: 'Apply changed retentions to the snapshots already taken.' }),
  useOrgAndGroupNamesInExportPrefix: z.boolean().nullish(),
};

export const scheduleRequest2023 = z
  .object({ ...requestCommon, copySettings: z.array(copySetting2023Request).nullish(), deleteCopiedBackups: z.array(z.object({ cloudProvider: cloudProvider.nullish(), regionName: z.string().nullish(), replicationSpecId: objectId.nullish() })).nullish() })
  .meta({ id: 'DiskBackupSnapshotScheduleRequest' });
export const scheduleRequest2024 = z
  .object({
    ...requestCommon,
    autoCopySettingsEnabled: z.boolean().nullish(),
    copySettings: z.array(copySetting2024Request).nullish(),
    deleteCopiedBackups: z.array(z.object({ cloudProvider: cloudProvider.nullish(), regionName: z.string().nullish(), zoneId: objectId.nullish() })).nullish(),
  })
  .meta({ id: 'DiskBackupSnapshotSchedule20240805Request' });

export type ScheduleRequest = z.output<typeof scheduleRequest2023> & z.output<typeof scheduleRequest2024>;

export const SCHEDULE_REQUESTS = { '2023-01-01': scheduleRequest2023, '2024-08-05': scheduleRequest2024 } as const;

// ---- responses (documentation only: built with the OpenAPI document, core/lazy-schema.ts) ---------------
export const scheduleViews = schemaFamily(
  () => {
    const policyItemSchema = z
      .object({ frequencyInterval: z.number().int(), frequencyType: z.enum(POLICY_FREQUENCIES), id: objectId, retentionUnit: z.enum(RETENTION_UNITS), retentionValue: z.number().int() })
      .meta({ id: 'DiskBackupApiPolicyItem' });
    const policySchema = z.object({ id: objectId, policyItems: z.array(policyItemSchema) }).meta({ id: 'AdvancedDiskBackupSnapshotSchedulePolicy' });
    const exportPolicySchema = z.object({ exportBucketId: objectId.optional(), frequencyType: z.enum(EXPORT_FREQUENCIES).optional() }).meta({ id: 'AutoExportPolicyView' });
    const copyPolicyItemSchema = z
      .object({ frequencyType: z.string(), id: objectId.optional(), retentionUnit: z.string().optional(), retentionValue: z.number().int().optional() })
      .meta({ id: 'DiskBackupCopyPolicyItem' });
    const copyResponse = {
      cloudProvider: cloudProvider.optional(),
      copyPolicyItems: z.array(copyPolicyItemSchema).optional(),
      frequencies: z.array(z.string()).optional(),
      lastNumberOfSnapshots: z.number().int().optional(),
      regionName: z.string().optional(),
      shouldCopyOplogs: z.boolean().optional(),
    };
    const copySetting2023 = z.object({ ...copyResponse, replicationSpecId: objectId.optional() }).meta({ id: 'DiskBackupCopySetting' });
    const copySetting2024 = z.object({ ...copyResponse, zoneId: objectId.optional() }).meta({ id: 'DiskBackupCopySetting20240805' });
    const extraRetention = z.object({ frequencyType: z.string().optional(), retentionDays: z.number().int().optional() }).meta({ id: 'ExtraRetentionSetting' });

    const scheduleCommon = {
      autoExportEnabled: z.boolean(),
      clusterId: z.string(),
      clusterName: z.string(),
      copyPolicyItemsEnabled: z.boolean(),
      export: exportPolicySchema.optional(),
      extraRetentionSettings: z.array(extraRetention).optional(),
      links: z.array(linkSchema),
      nextSnapshot: z.string().optional().meta({ format: 'date-time', description: 'Omitted when no policy item takes snapshots.' }),
      policies: z.array(policySchema),
      referenceHourOfDay: z.number().int(),
      referenceMinuteOfHour: z.number().int(),
      restoreWindowDays: z.number().int(),
      useOrgAndGroupNamesInExportPrefix: z.boolean(),
    };

    const scheduleSchema2023 = z.object({ ...scheduleCommon, copySettings: z.array(copySetting2023) }).meta({ id: 'DiskBackupSnapshotSchedule' });
    const scheduleSchema2024 = z
      .object({ ...scheduleCommon, autoCopySettingsEnabled: z.boolean().optional(), copySettings: z.array(copySetting2024) })
      .meta({ id: 'DiskBackupSnapshotSchedule20240805' });

    return { scheduleSchema2023, scheduleSchema2024 };
  },
  [
    'DiskBackupApiPolicyItem',
    'AdvancedDiskBackupSnapshotSchedulePolicy',
    'AutoExportPolicyView',
    'DiskBackupCopyPolicyItem',
    'DiskBackupCopySetting',
    'DiskBackupCopySetting20240805',
    'ExtraRetentionSetting',
    'DiskBackupSnapshotSchedule',
    'DiskBackupSnapshotSchedule20240805',
  ],
);
const views = lazyFields(scheduleViews);
export const SCHEDULE_RESPONSES = { '2023-01-01': views.scheduleSchema2023, '2024-08-05': views.scheduleSchema2024 } as const;
