/**
 * What the store holds. Times are epoch milliseconds of the mock clock; ids are 24-hex ObjectIds except
 * cluster names (unique per project), API public keys and service-account client ids.
 */

/** Project roles named as in the spec's `x-rolesRequirements` (contract §1). */
export const ROLES = ['Project Owner', 'Project Backup Manager', 'Project Backup Creator', 'Project Backup Export Operator', 'Project Read Only'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Organization roles of the spec's `x-rolesRequirements` (getOrg: Organization Member). The mock's principals
 * hold project roles only and belong to one organization: in it they count as Organization Member, the least
 * organization role (auth/principals/authorize.ts); roles above it are not modelled.
 */
export const ORG_ROLES = ['Organization Member'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];
/** The role an operation requires: on the project of the path, or on the organization of the path. */
export type OperationRole = Role | OrgRole;

export interface Organization {
  id: string;
  name: string;
}

export interface Project {
  id: string;
  orgId: string;
  name: string;
  /** Epoch ms; default (undefined): the id's time. */
  created?: number;
  tags?: { key: string; value: string }[];
}

export interface Shard {
  name: string;
  /** Collections the fixture gave this shard (only used to name the cluster's namespaces when it lists none). */
  collections: number;
}

/**
 * One database of a cluster and its collections: what a snapshot of the cluster holds (the snapshot's
 * databases and collections), what an export counts (`exportStatus.totalCollections`) and writes (one folder
 * per collection). A sharded cluster's databases are the cluster's; every shard holds a part of each
 * collection. `store/namespaces.ts` reads them (and names them when the fixture did not).
 */
export interface Database {
  name: string;
  collections: string[];
  /**
   * What an export writes for each collection (same index as `collections`; null: generated with the
   * defaults). Only when the fixture described some (export files, `src/export-files/`).
   */
  data?: (CollectionData | null)[];
}

/** Shapes of generated documents (`src/export-files/shapes.ts`). */
export const DOCUMENT_SHAPES = ['generic', 'users', 'orders', 'events', 'all-types'] as const;
export type DocumentShape = (typeof DOCUMENT_SHAPES)[number];

/** The documents of one collection in its exports: generated from the seeded random source, or a file's. */
export interface CollectionData {
  /** How many generated documents (default: the mock's `--export-documents`). */
  documents?: number;
  /** Their shape (default: from the collection's name, else `generic`). */
  shape?: DocumentShape;
  /** A file of documents (Extended JSON: one per line, or an array) exported as they are instead. */
  file?: string;
}

/** `stateName` of a cluster (spec enum); the mock serves what the fixture says (default IDLE). */
export const CLUSTER_STATES = ['IDLE', 'CREATING', 'UPDATING', 'DELETING', 'REPAIRING'] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

/**
 * What the cluster views show beyond the export workflow's needs (`clusters/`): each as the fixture gave it,
 * undefined for the default, which `clusters/settings.ts` derives (so a state file writes only what was given).
 */
export interface ClusterSettings {
  stateName?: ClusterState;
  backupEnabled?: boolean;
  pitEnabled?: boolean;
  paused?: boolean;
  terminationProtectionEnabled?: boolean;
  /** `M10`, `M30`, … */
  instanceSize?: string;
  /** Atlas region name of the provider, e.g. `US_EAST_1`. */
  region?: string;
  diskSizeGB?: number;
  /** Epoch ms; default: the id's time. */
  createDate?: number;
  /** DNS domain of the cluster's hosts, e.g. `abcde.mongodb.net`. */
  domain?: string;
  /** Replica set name in the connection string of a replica set, e.g. `atlas-abc123-shard-0`. */
  replicaSetName?: string;
}

export interface Cluster extends ClusterSettings {
  /** ObjectId of the cluster (`clusterId` of the backup schedule, `id` of the cluster views). */
  id: string;
  groupId: string;
  name: string;
  type: 'REPLICASET' | 'SHARDED';
  /** How many collections the cluster has: what an export of it counts. */
  collections: number;
  /** Its databases as the fixture listed them; undefined: `collections` collections named by the mock. */
  databases?: Database[];
  /** Shards of a sharded cluster, empty for a replica set. */
  shards: Shard[];
  mongodVersion: string;
  cloudProvider: 'AWS' | 'AZURE' | 'GCP';
}

export const SNAPSHOT_STATUSES = ['queued', 'inProgress', 'completed', 'failed'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/** How a snapshot that moves with the clock ends: `Never` stays inProgress for ever. */
export const SNAPSHOT_OUTCOMES = ['completed', 'failed', 'Never'] as const;
export type SnapshotOutcome = (typeof SNAPSHOT_OUTCOMES)[number];

/** A snapshot that moves with the clock from when it was requested (its id's time): queued, inProgress, outcome. */
export interface SnapshotTimedPlan {
  kind: 'timed';
  queuedMs: number;
  runningMs: number;
  outcome: SnapshotOutcome;
}

/** A snapshot held in one status whatever the clock says (fixtures, control API). */
export interface SnapshotPinnedPlan {
  kind: 'pinned';
  status: SnapshotStatus;
}

export type SnapshotPlan = SnapshotTimedPlan | SnapshotPinnedPlan;

/**
 * A snapshot the store holds: taken on demand, loaded from fixtures, or a scheduled snapshot a client
 * changed (`scheduled: true`: its id is the derived one, `snapshots/scheduled.ts`). Scheduled snapshots no
 * client touched are not stored: they are derived from the backup schedule and the clock when read.
 */
export interface Snapshot {
  id: string;
  groupId: string;
  clusterName: string;
  /** When it was taken (`createdAt` once completed); undefined: derived from the plan (`snapshots/lifecycle.ts`). */
  createdAt?: number;
  plan: SnapshotPlan;
  description: string;
  frequencyType: string;
  snapshotType: 'onDemand' | 'scheduled' | 'fallback';
  storageSizeBytes: number;
  /** Retention counted from completion; undefined: kept until deleted (fixture snapshots that give none). */
  retentionMs?: number;
  /** A fixed expiry (fixture, or an update of the retention): wins over `retentionMs`. */
  expiresAt?: number;
  /** Deleted at this time: gone from the API, kept so that its export jobs keep their prefix. */
  deletedAt?: number;
  /** Ids of the policy items a scheduled snapshot was taken for. */
  policyItems?: string[];
  /** A scheduled snapshot a client changed (retention, deletion, plan): its id is derived, not drawn. */
  scheduled?: boolean;
}

export const CLOUD_PROVIDERS = ['AWS', 'AZURE', 'GCP'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

export interface ExportBucket {
  id: string;
  groupId: string;
  cloudProvider: CloudProvider;
  bucketName: string;
  /** AWS: id of the unified AWS access role. */
  iamRoleId?: string;
  /** AZURE / GCP: id of the cloud provider access role. */
  roleId?: string;
  /** AZURE: URL of the storage account container. */
  serviceUrl?: string;
  /** AZURE: tenant id (deprecated in the spec but still returned). */
  tenantId?: string;
  region?: string;
  requirePrivateNetworking: boolean;
}

/**
 * A cloud provider access role of a project (`access/`): an AWS IAM role, an Azure service principal or a GCP
 * service account that Atlas uses for export buckets. `id` is the role's `roleId` (AWS, GCP) or `_id` (Azure).
 * Authorized once `authorizedAt` is set (PATCH …/cloudProviderAccess/{roleId}).
 */
export interface AccessRole {
  id: string;
  groupId: string;
  providerName: CloudProvider;
  /** Epoch ms (whole seconds). */
  createdAt: number;
  /** Epoch ms of the last authorization; undefined: not authorized. */
  authorizedAt?: number;
  /** AWS: the account Atlas assumes roles from. */
  atlasAWSAccountArn?: string;
  /** AWS: the external id (UUID) Atlas passes when it assumes the role. */
  atlasAssumedRoleExternalId?: string;
  /** AWS: the customer's IAM role, given when authorizing. */
  iamAssumedRoleArn?: string;
  /** AZURE. */
  atlasAzureAppId?: string;
  servicePrincipalId?: string;
  tenantId?: string;
  /** AZURE: epoch ms of the last change (creation or authorization). */
  lastUpdatedAt?: number;
  /** GCP: the service account Atlas created for the project. */
  gcpServiceAccountForAtlas?: string;
}

export const EXPORT_STATES = ['Queued', 'InProgress', 'Successful', 'Failed', 'Cancelled'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<ExportState> = new Set(['Successful', 'Failed', 'Cancelled']);

export interface StateReason {
  errorCode: string;
  message: string;
}

export const OUTCOMES = ['Successful', 'Failed', 'Cancelled', 'Never'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A job that moves with the clock: queued for `queuedMs`, in progress for `runningMs`, then `outcome`. */
export interface TimedPlan {
  kind: 'timed';
  queuedMs: number;
  runningMs: number;
  /** `Never`: stays InProgress for ever. */
  outcome: Outcome;
  stateReason?: StateReason;
}

/** A job held in one state whatever the clock says (fixtures, control API). */
export interface PinnedPlan {
  kind: 'pinned';
  state: ExportState;
  exportedCollections?: number;
  finishedAt?: number;
  stateReason?: StateReason;
}

export type JobPlan = TimedPlan | PinnedPlan;

/** A label of an export job; the spec requires neither field. */
export interface BackupLabel {
  key?: string;
  value?: string;
}

export interface ExportJob {
  id: string;
  groupId: string;
  clusterName: string;
  snapshotId: string;
  exportBucketId: string;
  /** Whole seconds: the id's timestamp (contract §7). */
  createdAt: number;
  customData: BackupLabel[];
  plan: JobPlan;
}

export interface ProjectGrant {
  groupId: string;
  roles: Role[];
}

/** An API key (Digest) or a service account (OAuth client credentials): who calls, with which rights. */
export interface Principal {
  kind: 'apiKey' | 'serviceAccount';
  /** API key public key, or service-account client id. */
  id: string;
  /** API key private key, or service-account secret. */
  secret: string;
  orgId: string;
  description: string;
  projects: ProjectGrant[];
  /** CIDR blocks; empty: any address. */
  accessList: string[];
}

export const POLICY_FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly', 'ondemand'] as const;
export type PolicyFrequency = (typeof POLICY_FREQUENCIES)[number];
export const RETENTION_UNITS = ['days', 'weeks', 'months', 'years'] as const;
export type RetentionUnit = (typeof RETENTION_UNITS)[number];

/** One item of a backup policy: when snapshots are taken and how long they are kept. */
export interface PolicyItem {
  id: string;
  frequencyType: PolicyFrequency;
  frequencyInterval: number;
  retentionUnit: RetentionUnit;
  retentionValue: number;
}

/**
 * What scheduled snapshots and auto-exports derive from, from `from` (epoch ms) until the next epoch of the
 * schedule begins. A change to any of these starts a new epoch, so snapshots taken before it keep the policy
 * they were taken under (`schedules/epochs.ts`).
 */
export interface ScheduleEpoch {
  from: number;
  referenceHourOfDay: number;
  referenceMinuteOfHour: number;
  items: PolicyItem[];
  /** Auto export in force during the epoch: the bucket, the frequency exported, the plan of its jobs. */
  autoExport?: { exportBucketId: string; frequencyType: string; plan: TimedPlan };
  /** `useOrgAndGroupNamesInExportPrefix` during the epoch: names instead of ids in export prefixes. */
  namesInPrefix: boolean;
}

/** A copy setting of a backup schedule, kept as data (`zoneId` at 2024-08-05, `replicationSpecId` at 2023-01-01). */
export interface CopySetting {
  cloudProvider?: CloudProvider;
  regionName?: string;
  zoneId?: string;
  replicationSpecId?: string;
  shouldCopyOplogs?: boolean;
  frequencies?: string[];
  copyPolicyItems?: { id?: string; frequencyType: string; retentionUnit?: string; retentionValue?: number }[];
  lastNumberOfSnapshots?: number;
}

/**
 * A cluster's backup schedule as a client set it (a cluster no client changed has the default one,
 * `schedules/defaults.ts`, and nothing stored). The current policy items, reference time, export policy in
 * force and prefix flag are those of the last epoch.
 */
export interface BackupSchedule {
  groupId: string;
  clusterName: string;
  policyId: string;
  /** Second of the minute scheduled snapshots are taken at (Atlas: one second after the policy was created). */
  second: number;
  restoreWindowDays: number;
  autoExportEnabled: boolean;
  /** The export policy as set, even while auto export is off. */
  export?: { exportBucketId?: string; frequencyType?: string };
  copyPolicyItemsEnabled: boolean;
  copySettings: CopySetting[];
  extraRetentionSettings?: { frequencyType?: string; retentionDays?: number }[];
  autoCopySettingsEnabled?: boolean;
  /** Ascending by `from`; never empty. */
  epochs: ScheduleEpoch[];
}

/** A plan set through the control API on an auto-export job (derived, not stored). */
export interface AutoExportJobChange {
  id: string;
  groupId: string;
  clusterName: string;
  plan: JobPlan;
}
