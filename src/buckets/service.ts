/**
 * The rules of export buckets (contract §1, §4):
 * - every lookup is scoped to the project: a bucket of another project is 404 EXPORT_BUCKET_NOT_FOUND, like
 *   an unknown or malformed id;
 * - the body is validated with the schema of the resolved version (2023-01-01: AWS only), after the project
 *   lookup [I: a well-formed unknown project answers 404 GROUP_NOT_FOUND before anything about the body];
 * - the role a new bucket names (`iamRoleId`, `roleId`) must be a cloud provider access role of the project, of
 *   the bucket's provider and authorized (GCP: no authorization), else 404 CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND
 *   / 400 CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED (access/service.ts requireUsableRole) — checked after the
 *   body [I: the order];
 * - duplicates are allowed: Atlas lists many buckets with the same name and role [R];
 * - at most `maxBucketsPerProject` per project (409 RESOURCE_LIMIT_EXCEEDED, a limit of the mock);
 * - DELETE removes the bucket whatever export jobs use it, active ones included, and those jobs keep showing
 *   its id [I]: the Terraform provider's acceptance test of export jobs (run against Atlas) destroys the bucket
 *   right after creating a job, and its export-job resource makes no call on delete, so the bucket goes
 *   while the job is still Queued or InProgress (FIDELITY.md: Export buckets).
 * - DELETE refuses a bucket a backup schedule auto-exports to, 400 EXPORT_BUCKET_DELETE_FAILED_BUCKET_IN_USE [D:
 *   deleteExportBucket, "Auto export must be disabled on all clusters in this Project exporting to this Export
 *   Bucket"]; export policies that name a deleted bucket with auto export off are dropped [I: the Terraform
 *   provider waits after the DELETE until no cluster's schedule names the bucket].
 */
import { atlasError } from '../errors/atlas-error.js';
import { parseBody } from '../http/validation.js';
import { paginate, type Page, type PageQuery } from '../http/pagination.js';
import { requireProject } from '../store/lookup.js';
import type { ExportBucket } from '../store/model.js';
import { DEFAULT_MAX_BUCKETS_PER_PROJECT } from '../options.js';
import type { MockContext } from '../context.js';
import { azureContainerOf } from './azure.js';
import { BUCKET_REQUESTS, type BucketRequest } from './schemas.js';
import { requireUsableRole } from '../access/service.js';
import { bucketView, DEFAULT_AWS_REGION, visibleAt, type BucketView } from './view.js';

export interface BucketService {
  list(groupId: string, version: string, page: PageQuery, base: string): Page<BucketView>;
  get(groupId: string, version: string, bucketId: string): BucketView;
  create(groupId: string, version: string, body: unknown): BucketView;
  remove(groupId: string, bucketId: string): void;
}

export function createBucketService(ctx: Pick<MockContext, 'store' | 'clock' | 'ids' | 'options' | 'schedules' | 'autoExports' | 'exportFiles'>): BucketService {
  const { store, clock } = ctx;
  const maxBuckets = () => ctx.options.maxBucketsPerProject ?? DEFAULT_MAX_BUCKETS_PER_PROJECT;

  const requireBucket = (groupId: string, bucketId: string, version?: string): ExportBucket => {
    requireProject(store, groupId);
    const b = store.bucket(bucketId);
    if (!b || b.groupId !== groupId || (version !== undefined && !visibleAt(version, b))) throw atlasError('EXPORT_BUCKET_NOT_FOUND', bucketId);
    return b;
  };

  return {
    list(groupId, version, page, base) {
      requireProject(store, groupId);
      const buckets = store.bucketsOf(groupId).filter((b) => visibleAt(version, b));
      return paginate(buckets, page, base, (b) => bucketView(b, false));
    },
    get(groupId, version, bucketId) {
      return bucketView(requireBucket(groupId, bucketId, version), true);
    },
    create(groupId, version, body) {
      requireProject(store, groupId);
      const schema = BUCKET_REQUESTS[version as keyof typeof BUCKET_REQUESTS];
      if (!schema) throw new Error(`no export-bucket request schema for version ${version}`);
      const req: BucketRequest = parseBody(schema, body);
      requireUsableRole(store, groupId, req.cloudProvider, req.cloudProvider === 'AWS' ? req.iamRoleId : req.roleId);
      const max = maxBuckets();
      if (store.bucketCount(groupId) >= max) throw atlasError('RESOURCE_LIMIT_EXCEEDED', max, 'export buckets');
      const bucket = newBucket(ctx.ids.next(clock.now()), groupId, req);
      store.addBucket(bucket);
      store.changed();
      // Atlas writes exported_snapshots/.permissioncheck to a bucket when it is added (export files).
      ctx.exportFiles?.bucketAdded(bucket.id);
      return bucketView(bucket, false);
    },
    remove(groupId, bucketId) {
      const b = requireBucket(groupId, bucketId);
      if (ctx.schedules.exportsTo(groupId, b.id)) throw atlasError('EXPORT_BUCKET_DELETE_FAILED_BUCKET_IN_USE', bucketId);
      store.deleteBucket(b.id);
      ctx.schedules.bucketDeleted(groupId, b.id);
      store.changed();
    },
  };
}

function newBucket(id: string, groupId: string, req: BucketRequest): ExportBucket {
  switch (req.cloudProvider) {
    case 'AWS':
      return {
        id,
        groupId,
        cloudProvider: 'AWS',
        bucketName: req.bucketName,
        iamRoleId: req.iamRoleId,
        region: DEFAULT_AWS_REGION,
        requirePrivateNetworking: req.requirePrivateNetworking ?? false,
      };
    case 'AZURE':
      return {
        id,
        groupId,
        cloudProvider: 'AZURE',
        // The schema guarantees one of the two.
        bucketName: req.bucketName ?? azureContainerOf(req.serviceUrl) ?? '',
        roleId: req.roleId,
        serviceUrl: req.serviceUrl,
        ...(req.tenantId && { tenantId: req.tenantId }),
        requirePrivateNetworking: false,
      };
    case 'GCP':
      return { id, groupId, cloudProvider: 'GCP', bucketName: req.bucketName, roleId: req.roleId, requirePrivateNetworking: false };
  }
}
