/**
 * Cloud provider access roles as Atlas shows them (resource version 2023-01-01), keys alphabetical:
 * - AWS: as recorded (recorded-workflow TestAccessRoles create and list): `authorizedDate` and
 *   `iamAssumedRoleArn` are `null` until the role is authorized [R];
 * - Azure (`_id`, `atlasAzureAppId`, `createdDate`, `featureUsages`, `lastUpdatedDate`, `servicePrincipalId`,
 *   `tenantId`) and GCP (`gcpServiceAccountForAtlas`, `roleId`, `status` COMPLETE) per the spec [S]; no
 *   recording [I for the order];
 * - `featureUsages`: one `EXPORT_SNAPSHOT` usage `{featureId: {exportBucketId, groupId}}` per export bucket of
 *   the project that names the role [S shape; I that Atlas lists export buckets there], `[]` otherwise [R];
 * - the list groups them by provider: `{awsIamRoles, azureServicePrincipals, gcpServiceAccounts}` [R].
 */
import { isoSeconds } from '../core/dates.js';
import type { AccessRole, ExportBucket } from '../store/model.js';

export interface FeatureUsage {
  featureId: { exportBucketId: string; groupId: string };
  featureType: 'EXPORT_SNAPSHOT';
}

export type RoleView = Record<string, unknown>;

export interface RolesView {
  awsIamRoles: RoleView[];
  azureServicePrincipals: RoleView[];
  gcpServiceAccounts: RoleView[];
}

/** The role an export bucket uses (AWS `iamRoleId`, Azure/GCP `roleId`). */
export const bucketRoleId = (b: ExportBucket): string | undefined => b.iamRoleId ?? b.roleId;

/** The feature usages of every role the buckets name, by role id and provider, in one pass over the buckets. */
function usagesByRole(buckets: readonly ExportBucket[]): Map<string, FeatureUsage[]> {
  const byRole = new Map<string, FeatureUsage[]>();
  for (const b of buckets) {
    const key = `${b.cloudProvider}/${bucketRoleId(b)}`;
    let list = byRole.get(key);
    if (!list) byRole.set(key, (list = []));
    list.push({ featureId: { exportBucketId: b.id, groupId: b.groupId }, featureType: 'EXPORT_SNAPSHOT' });
  }
  return byRole;
}

export function roleView(r: AccessRole, buckets: readonly ExportBucket[], usages = usagesByRole(buckets)): RoleView {
  const featureUsages = usages.get(`${r.providerName}/${r.id}`) ?? [];
  switch (r.providerName) {
    case 'AWS':
      return {
        atlasAWSAccountArn: r.atlasAWSAccountArn,
        atlasAssumedRoleExternalId: r.atlasAssumedRoleExternalId,
        authorizedDate: r.authorizedAt === undefined ? null : isoSeconds(r.authorizedAt),
        createdDate: isoSeconds(r.createdAt),
        featureUsages,
        iamAssumedRoleArn: r.iamAssumedRoleArn ?? null,
        providerName: 'AWS',
        roleId: r.id,
      };
    case 'AZURE':
      return {
        _id: r.id,
        atlasAzureAppId: r.atlasAzureAppId,
        createdDate: isoSeconds(r.createdAt),
        featureUsages,
        lastUpdatedDate: isoSeconds(r.lastUpdatedAt ?? r.createdAt),
        providerName: 'AZURE',
        servicePrincipalId: r.servicePrincipalId,
        tenantId: r.tenantId,
      };
    case 'GCP':
      return { createdDate: isoSeconds(r.createdAt), featureUsages, gcpServiceAccountForAtlas: r.gcpServiceAccountForAtlas, providerName: 'GCP', roleId: r.id, status: 'COMPLETE' };
  }
}

export function rolesView(roles: readonly AccessRole[], buckets: readonly ExportBucket[]): RolesView {
  const out: RolesView = { awsIamRoles: [], azureServicePrincipals: [], gcpServiceAccounts: [] };
  const usages = usagesByRole(buckets);
  for (const r of roles) {
    const list = r.providerName === 'AWS' ? out.awsIamRoles : r.providerName === 'AZURE' ? out.azureServicePrincipals : out.gcpServiceAccounts;
    list.push(roleView(r, buckets, usages));
  }
  return out;
}
