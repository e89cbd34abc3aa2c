/**
 * zod schemas of the cloud provider access operations (resource version 2023-01-01): request bodies (read by
 * the service after the path lookups, like export buckets' — `requestBodies` documents them) and responses.
 * The three providers share one body, told apart by `providerName` (spec discriminator). Read-only attributes
 * a client sends back (a role read earlier) and unknown ones are ignored [I]; optional ones accept `null`.
 */
import { z } from 'zod';
import { schemaFamily } from '../core/lazy-schema.js';
import { iamRoleArn } from '../fixtures/schema.js';
import { groupIdParam, linkSchema, objectIdParam } from '../http/schemas.js';
import { CLOUD_PROVIDERS } from '../store/model.js';

export const accessParams = z.object({ groupId: groupIdParam });
export const roleIdParam = objectIdParam('Unique 24-hexadecimal digit string that identifies the role.');
export const roleParams = accessParams.extend({ roleId: roleIdParam });
export const deauthorizeParams = accessParams.extend({
  // A pattern rather than z.enum: path parameters are plain regex strings (the validation shortcut, http/validation.ts).
  cloudProvider: z
    .string()
    .regex(new RegExp(`^(${CLOUD_PROVIDERS.join('|')})$`))
    .meta({ enum: [...CLOUD_PROVIDERS], description: 'Human-readable label that identifies the cloud provider of the role to deauthorize.' }),
  roleId: roleIdParam,
});

const uuid = z.uuid();

// ---- requests ---------------------------------------------------------------------------------------
export const createRoleRequest = z
  .discriminatedUnion('providerName', [
    z.object({ providerName: z.literal('AWS') }).meta({ id: 'CloudProviderAccessAWSIAMRoleRequest' }),
    z
      .object({
        providerName: z.literal('AZURE'),
        atlasAzureAppId: uuid.nullish().meta({ description: "Atlas's Azure application; default 9f2deb0d-be22-4524-a403-df531868bac0." }),
        servicePrincipalId: uuid,
        tenantId: uuid,
      })
      .meta({ id: 'CloudProviderAccessAzureServicePrincipalRequest' }),
    z.object({ providerName: z.literal('GCP') }).meta({ id: 'CloudProviderAccessGCPServiceAccountRequest' }),
  ])
  .meta({ id: 'CloudProviderAccessRoleRequest' });
export type CreateRoleRequest = z.output<typeof createRoleRequest>;

export const authorizeRoleRequest = z
  .discriminatedUnion('providerName', [
    z
      .object({ providerName: z.literal('AWS'), iamAssumedRoleArn: iamRoleArn.meta({ description: 'Your IAM role that Atlas assumes (its trust policy names atlasAWSAccountArn and atlasAssumedRoleExternalId).' }) })
      .meta({ id: 'CloudProviderAccessAWSIAMRoleRequestUpdate' }),
    z
      .object({ providerName: z.literal('AZURE'), atlasAzureAppId: uuid.nullish(), servicePrincipalId: uuid.nullish(), tenantId: uuid.nullish() })
      .meta({ id: 'CloudProviderAccessAzureServicePrincipalRequestUpdate' }),
    z.object({ providerName: z.literal('GCP') }).meta({ id: 'CloudProviderAccessGCPServiceAccountRequestUpdate' }),
  ])
  .meta({ id: 'CloudProviderAccessRoleRequestUpdate' });
export type AuthorizeRoleRequest = z.output<typeof authorizeRoleRequest>;

// ---- responses (documentation only: built with the OpenAPI document, core/lazy-schema.ts) ---------------
export const roleViews = schemaFamily(
  () => {
    const featureUsage = z
      .object({ featureId: z.object({ exportBucketId: z.string(), groupId: z.string() }), featureType: z.literal('EXPORT_SNAPSHOT') })
      .meta({ id: 'CloudProviderAccessExportSnapshotFeatureUsage', description: 'One per export bucket of the project that names the role.' });

    const awsRoleSchema = z
      .object({
        atlasAWSAccountArn: z.string(),
        atlasAssumedRoleExternalId: z.string().meta({ format: 'uuid' }),
        authorizedDate: z.string().nullable().meta({ format: 'date-time', description: 'null until authorized (recorded).' }),
        createdDate: z.string().meta({ format: 'date-time' }),
        featureUsages: z.array(featureUsage),
        iamAssumedRoleArn: z.string().nullable().meta({ description: 'null until authorized (recorded).' }),
        providerName: z.literal('AWS'),
        roleId: z.string(),
      })
      .meta({ id: 'CloudProviderAccessAWSIAMRole' });

    const azureRoleSchema = z
      .object({
        _id: z.string(),
        atlasAzureAppId: z.string(),
        createdDate: z.string().meta({ format: 'date-time' }),
        featureUsages: z.array(featureUsage),
        lastUpdatedDate: z.string().meta({ format: 'date-time' }),
        providerName: z.literal('AZURE'),
        servicePrincipalId: z.string(),
        tenantId: z.string(),
      })
      .meta({ id: 'CloudProviderAccessAzureServicePrincipal' });

    const gcpRoleSchema = z
      .object({
        createdDate: z.string().meta({ format: 'date-time' }),
        featureUsages: z.array(featureUsage),
        gcpServiceAccountForAtlas: z.string(),
        providerName: z.literal('GCP'),
        roleId: z.string(),
        status: z.enum(['IN_PROGRESS', 'COMPLETE', 'FAILED', 'NOT_INITIATED']),
      })
      .meta({ id: 'CloudProviderAccessGCPServiceAccount' });

    const roleSchema = z.discriminatedUnion('providerName', [awsRoleSchema, azureRoleSchema, gcpRoleSchema]).meta({ id: 'CloudProviderAccessRole' });

    const rolesSchema = z
      .object({ awsIamRoles: z.array(awsRoleSchema), azureServicePrincipals: z.array(azureRoleSchema), gcpServiceAccounts: z.array(gcpRoleSchema) })
      .meta({ id: 'CloudProviderAccessRoles' });

    return { awsRoleSchema, azureRoleSchema, gcpRoleSchema, roleSchema, rolesSchema };
  },
  [
    'CloudProviderAccessExportSnapshotFeatureUsage',
    'CloudProviderAccessAWSIAMRole',
    'CloudProviderAccessAzureServicePrincipal',
    'CloudProviderAccessGCPServiceAccount',
    'CloudProviderAccessRole',
    'CloudProviderAccessRoles',
  ],
);

export { linkSchema };
