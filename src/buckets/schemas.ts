/**
 * zod schemas of the export-bucket operations, per resource version (contract §1):
 * - 2023-01-01 (deprecated, sunset 2027-07-01): AWS only;
 * - 2024-05-30: AWS / AZURE / GCP with the `cloudProvider` discriminator.
 * Request bodies depend on the version the Accept header resolved to, so the service validates them with
 * `parseBody`; the schemas here also document them per media type. Optional attributes accept `null` (read
 * as "not given") [I].
 */
import { z } from 'zod';
import { schemaFamily } from '../core/lazy-schema.js';
import { groupIdParam, objectIdParam } from '../http/schemas.js';
import { pageSchema } from '../http/pagination.js';
import { AZURE_SERVICE_URL, AZURE_URL_WITH_CONTAINER, azureContainerOf } from './azure.js';

const objectId = z.string().regex(/^([a-f0-9]{24})$/);
const bucketName = z.string().min(3).max(63);

export const bucketsParams = z.object({ groupId: groupIdParam });
export const bucketParams = bucketsParams.extend({
  exportBucketId: objectIdParam('Unique 24-hexadecimal character string that identifies the Export Bucket.'),
});

// ---- requests ---------------------------------------------------------------------------------------
// `cloudProvider` first: at 2023-01-01 a non-AWS bucket is refused on it (INVALID_ATTRIBUTE cloudProvider).
export const awsBucketRequestSchema = z
  .object({
    cloudProvider: z.literal('AWS'),
    bucketName,
    iamRoleId: objectId.meta({ description: 'Unified AWS Access role that MongoDB Cloud uses to access the S3 bucket.' }),
    requirePrivateNetworking: z.boolean().nullish(),
  })
  .meta({ id: 'DiskBackupSnapshotAWSExportBucketRequest' });

export const azureBucketRequestSchema = z
  .object({
    cloudProvider: z.literal('AZURE'),
    bucketName: bucketName.nullish().meta({ description: 'Default: the container named by serviceUrl; required when it names none.' }),
    roleId: objectId,
    serviceUrl: z
      .string()
      .min(33)
      .max(2048)
      .regex(AZURE_SERVICE_URL, 'only standard endpoints (https://<account>.blob.core.windows.net/…)'),
    tenantId: z.uuid().nullish().meta({ deprecated: true, description: 'Ignored by Atlas (the role’s tenant is used); the mock keeps it when given.' }),
  })
  .superRefine((b, check) => {
    if (b.bucketName == null && typeof b.serviceUrl === 'string' && azureContainerOf(b.serviceUrl) === undefined)
      check.addIssue({ code: 'custom', path: ['bucketName'], message: 'required when serviceUrl names no container' });
  })
  .meta({
    id: 'DiskBackupSnapshotAzureExportBucketRequest',
    // The cross-field rule above, stated in the document (schemathesis found it undocumented).
    anyOf: [{ required: ['bucketName'], properties: { bucketName: { type: 'string' } } }, { properties: { serviceUrl: { pattern: AZURE_URL_WITH_CONTAINER.source } } }],
  });

export const gcpBucketRequestSchema = z
  .object({ cloudProvider: z.literal('GCP'), bucketName, roleId: objectId })
  .meta({ id: 'DiskBackupSnapshotGCPExportBucketRequest' });

export const bucketRequestSchema2024 = z
  .discriminatedUnion('cloudProvider', [awsBucketRequestSchema, azureBucketRequestSchema, gcpBucketRequestSchema])
  .meta({ id: 'DiskBackupSnapshotExportBucketRequest' });

export type BucketRequest = z.output<typeof bucketRequestSchema2024>;

export const BUCKET_REQUESTS = { '2023-01-01': awsBucketRequestSchema, '2024-05-30': bucketRequestSchema2024 } as const;

// ---- responses (documentation only: built with the OpenAPI document, core/lazy-schema.ts) ---------------
export const bucketViews = schemaFamily(
  () => {
    const awsBucketSchema = z
      .object({
        _id: z.string(),
        bucketName: z.string(),
        cloudProvider: z.literal('AWS'),
        iamRoleId: z.string(),
        region: z.string().optional().meta({ description: 'Set by Atlas; only in the response of GET one bucket (as recorded).' }),
        requirePrivateNetworking: z.boolean(),
      })
      .meta({ id: 'DiskBackupSnapshotAWSExportBucketResponse' });

    const azureBucketSchema = z
      .object({ _id: z.string(), bucketName: z.string(), cloudProvider: z.literal('AZURE'), roleId: z.string(), serviceUrl: z.string(), tenantId: z.string() })
      .meta({ id: 'DiskBackupSnapshotAzureExportBucketResponse' });

    const gcpBucketSchema = z
      .object({ _id: z.string(), bucketName: z.string(), cloudProvider: z.literal('GCP'), roleId: z.string() })
      .meta({ id: 'DiskBackupSnapshotGCPExportBucketResponse' });

    const bucketSchema2024 = z
      .discriminatedUnion('cloudProvider', [awsBucketSchema, azureBucketSchema, gcpBucketSchema])
      .meta({ id: 'DiskBackupSnapshotExportBucketResponse' });

    const bucketListSchema2023 = pageSchema(awsBucketSchema, 'PaginatedBackupSnapshotExportBucketView');
    const bucketListSchema2024 = pageSchema(bucketSchema2024, 'PaginatedBackupSnapshotExportBucketsView');

    return { awsBucketSchema, azureBucketSchema, gcpBucketSchema, bucketSchema2024, bucketListSchema2023, bucketListSchema2024 };
  },
  [
    'DiskBackupSnapshotAWSExportBucketResponse',
    'DiskBackupSnapshotAzureExportBucketResponse',
    'DiskBackupSnapshotGCPExportBucketResponse',
    'DiskBackupSnapshotExportBucketResponse',
    'PaginatedBackupSnapshotExportBucketView',
    'PaginatedBackupSnapshotExportBucketsView',
  ],
);
