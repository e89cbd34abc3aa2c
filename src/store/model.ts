/**
 * What the store holds. Times are epoch milliseconds of the mock clock; ids are 24-hex ObjectIds except
 * cluster names (unique per project), API public keys and service-account client ids.
 */

/** Project roles named as in the spec's `x-rolesRequirements` (contract §1). */
export const ROLES = ['Project Owner', 'Project Backup Manager', 'Project Backup Export Operator', 'Project Read Only'] as const;
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

export interface Snapshot {
  id: string;
  groupId: string;
  clusterName: string;
  createdAt: number;
  /** Status until `completesAt` (when set), `completed` from then on. */
  status: SnapshotStatus;
  completesAt?: number;
  description: string;
  frequencyType: string;
  snapshotType: 'onDemand' | 'scheduled' | 'fallback';
  storageSizeBytes: number;
  expiresAt?: number;
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
