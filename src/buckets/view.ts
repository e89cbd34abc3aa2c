/**
 * Export buckets per resource version (contract §1). Keys in alphabetical order as recorded (`_id` first);
 * no `links` on a bucket or a list item [R]; `region` only in GET one [R] and only for AWS (the only subtype
 * that declares it).
 * - 2023-01-01 sees AWS buckets only: its representation has no place for Azure or GCP [I: such buckets are
 *   left out of its lists and are 404 EXPORT_BUCKET_NOT_FOUND to its GET];
 * - 2024-05-30: the subtype of the bucket's `cloudProvider`.
 */
import type { ExportBucket } from '../store/model.js';
import { tenantIdOfRole } from './azure.js';

export const BUCKET_VERSION_2023 = '2023-01-01';

export interface AwsBucketView {
  _id: string;
  bucketName: string;
  cloudProvider: 'AWS';
  iamRoleId: string;
  region?: string;
  requirePrivateNetworking: boolean;
}
export interface AzureBucketView {
  _id: string;
  bucketName: string;
  cloudProvider: 'AZURE';
  roleId: string;
  serviceUrl: string;
  tenantId: string;
}
export interface GcpBucketView {
  _id: string;
  bucketName: string;
  cloudProvider: 'GCP';
  roleId: string;
}
export type BucketView = AwsBucketView | AzureBucketView | GcpBucketView;

/** AWS region of a bucket created through the API: Atlas sets it, the client never gives it [I: recorded value]. */
export const DEFAULT_AWS_REGION = 'us-east-1';

/** Whether a resource version can show this bucket at all. */
export function visibleAt(version: string, b: ExportBucket): boolean {
  return version !== BUCKET_VERSION_2023 || b.cloudProvider === 'AWS';
}

/**
 * The bucket as served (`withRegion` for GET one). An AWS bucket reads the same at both versions; call only
 * when `visibleAt(version, b)`.
 */
export function bucketView(b: ExportBucket, withRegion: boolean): BucketView {
  switch (b.cloudProvider) {
    case 'AWS': {
      const v: AwsBucketView = { _id: b.id, bucketName: b.bucketName, cloudProvider: 'AWS', iamRoleId: b.iamRoleId ?? '' } as AwsBucketView;
      if (withRegion) v.region = b.region ?? DEFAULT_AWS_REGION;
      v.requirePrivateNetworking = b.requirePrivateNetworking;
      return v;
    }
    case 'AZURE': {
      const roleId = b.roleId ?? '';
      return { _id: b.id, bucketName: b.bucketName, cloudProvider: 'AZURE', roleId, serviceUrl: b.serviceUrl ?? '', tenantId: b.tenantId ?? tenantIdOfRole(roleId) };
    }
    case 'GCP':
      return { _id: b.id, bucketName: b.bucketName, cloudProvider: 'GCP', roleId: b.roleId ?? '' };
  }
}
