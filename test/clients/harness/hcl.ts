/**
 * The OpenTofu blocks the suite applies, one function per resource with its data sources, so the
 * per-resource configurations and the whole-workflow one are the same text. Arguments are HCL expressions:
 * a reference (`mongodbatlas_….bucket.export_bucket_id`) or a quoted literal (`lit("6650…")`).
 */
import { IDS } from './world.js';

export const lit = (value: string) => JSON.stringify(value);
const PROJECT = lit(IDS.group);
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/atlas-export-role';

/** mongodbatlas_cloud_provider_access_setup "setup" + _authorization "auth" (AWS), and the setup's data source. */
export function cloudProviderAccess(): string {
  return `
resource "mongodbatlas_cloud_provider_access_setup" "setup" {
  project_id    = ${PROJECT}
  provider_name = "AWS"
}

resource "mongodbatlas_cloud_provider_access_authorization" "auth" {
  project_id = ${PROJECT}
  role_id    = mongodbatlas_cloud_provider_access_setup.setup.role_id
  aws {
    iam_assumed_role_arn = ${lit(ROLE_ARN)}
  }
}

data "mongodbatlas_cloud_provider_access_setup" "setup" {
  project_id    = ${PROJECT}
  provider_name = "AWS"
  role_id       = mongodbatlas_cloud_provider_access_authorization.auth.role_id
}
`;
}

/** mongodbatlas_cloud_backup_snapshot_export_bucket "bucket" and its two data sources. */
export function exportBucket(o: { roleId: string; bucketName: string }): string {
  return `
resource "mongodbatlas_cloud_backup_snapshot_export_bucket" "bucket" {
  project_id     = ${PROJECT}
  iam_role_id    = ${o.roleId}
  bucket_name    = ${lit(o.bucketName)}
  cloud_provider = "AWS"
}

data "mongodbatlas_cloud_backup_snapshot_export_bucket" "bucket" {
  project_id       = ${PROJECT}
  export_bucket_id = mongodbatlas_cloud_backup_snapshot_export_bucket.bucket.export_bucket_id
}

data "mongodbatlas_cloud_backup_snapshot_export_buckets" "all" {
  project_id = ${PROJECT}
  depends_on = [mongodbatlas_cloud_backup_snapshot_export_bucket.bucket]
}
`;
}

/** mongodbatlas_cloud_backup_snapshot "snap" (on demand, on Cluster0) and its two data sources. */
export function snapshot(): string {
  return `
resource "mongodbatlas_cloud_backup_snapshot" "snap" {
  project_id        = ${PROJECT}
  cluster_name      = "Cluster0"
  description       = "tofu on-demand"
  retention_in_days = 1
  timeouts {
    create = "10m"
  }
}

data "mongodbatlas_cloud_backup_snapshot" "snap" {
  project_id   = ${PROJECT}
  cluster_name = "Cluster0"
  snapshot_id  = mongodbatlas_cloud_backup_snapshot.snap.snapshot_id
}

data "mongodbatlas_cloud_backup_snapshots" "all" {
  project_id   = ${PROJECT}
  cluster_name = "Cluster0"
  depends_on   = [mongodbatlas_cloud_backup_snapshot.snap]
}
`;
}

/** mongodbatlas_cloud_backup_snapshot_export_job "job" (Cluster0) and its two data sources. */
export function exportJob(o: { snapshotId: string; bucketId: string }): string {
  return `
resource "mongodbatlas_cloud_backup_snapshot_export_job" "job" {
  project_id       = ${PROJECT}
  cluster_name     = "Cluster0"
  snapshot_id      = ${o.snapshotId}
  export_bucket_id = ${o.bucketId}
  custom_data {
    key   = "exported by"
    value = "tofu"
  }
}

data "mongodbatlas_cloud_backup_snapshot_export_job" "job" {
  project_id    = ${PROJECT}
  cluster_name  = "Cluster0"
  export_job_id = mongodbatlas_cloud_backup_snapshot_export_job.job.export_job_id
}

data "mongodbatlas_cloud_backup_snapshot_export_jobs" "all" {
  project_id   = ${PROJECT}
  cluster_name = "Cluster0"
  depends_on   = [mongodbatlas_cloud_backup_snapshot_export_job.job]
}
`;
}

/**
 * mongodbatlas_cloud_backup_schedule "schedule" of Cluster0 (daily and monthly items, a monthly export
 * policy to the bucket, auto export on) and its data source.
 */
export function backupSchedule(o: { bucketId: string }): string {
  return `
resource "mongodbatlas_cloud_backup_schedule" "schedule" {
  project_id               = ${PROJECT}
  cluster_name             = "Cluster0"
  reference_hour_of_day    = 3
  reference_minute_of_hour = 45
  restore_window_days      = 7
  auto_export_enabled      = true
  export {
    export_bucket_id = ${o.bucketId}
    frequency_type   = "monthly"
  }
  policy_item_daily {
    frequency_interval = 1
    retention_unit     = "days"
    retention_value    = 7
  }
  policy_item_monthly {
    frequency_interval = 1
    retention_unit     = "months"
    retention_value    = 3
  }
}

data "mongodbatlas_cloud_backup_schedule" "schedule" {
  project_id   = ${PROJECT}
  cluster_name = mongodbatlas_cloud_backup_schedule.schedule.cluster_name
}
`;
}
