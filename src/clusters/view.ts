/**
 * A cluster as each resource version of getGroupCluster / listGroupClusters shows it (keys in Atlas's order):
 * - 2024-08-05 `ClusterDescription20240805` and 2023-02-01 `AdvancedClusterDescription`: as recorded
 *   (recorded-workflow `GET_…_clusters_<name>_N`: CREATING, IDLE, DELETING), field for field;
 * - 2023-01-01 `LegacyAtlasCluster`: no recording; the spec's fields, shaped like the v1.0 docs' example
 *   (providerSettings with `providerName` first, `replicationSpecs[].regionsConfig`, `mongoURI*`, `srvAddress`) [S, D, I].
 * Hardware specs keep Atlas's own order (`instanceSize` first, recorded). `diskSizeGB` is a Java double
 * (`10.0`, recorded). Connection strings are `{}` while the cluster is CREATING [R]. Links: self, restore
 * jobs, snapshots, absolute on the request's host [R].
 */
import { isoSeconds } from '../core/dates.js';
import { JavaDouble } from '../http/json.js';
import type { Link } from '../http/pagination.js';
import { AWS_DISK_IOPS, ELECTABLE_NODES, type ResolvedCluster } from './settings.js';

type Json = Record<string, unknown>;

const ADVANCED_CONFIGURATION = { customOpensslCipherConfigTls12: [], customOpensslCipherConfigTls13: [], minimumEnabledTlsProtocol: 'TLS1_2', tlsCipherConfigMode: 'DEFAULT' };
const BI_CONNECTOR = { enabled: false, readPreference: 'secondary' };
const AUTO_SCALING = { compute: { enabled: false, scaleDownEnabled: false }, diskGB: { enabled: false } };
/** Election priority of the highest-priority region [R]. */
const PRIORITY = 7;

export function clusterLinks(r: ResolvedCluster, origin: string): Link[] {
  const self = `${origin}/api/atlas/v2/groups/${r.cluster.groupId}/clusters/${r.cluster.name}`;
  return [
    { href: self, rel: 'self' },
    { href: `${self}/backup/restoreJobs`, rel: 'https://cloud.mongodb.com/restoreJobs' },
    { href: `${self}/backup/snapshots`, rel: 'https://cloud.mongodb.com/snapshots' },
  ];
}

function connectionStrings(r: ResolvedCluster): Json {
  return r.standard === undefined ? {} : { standard: r.standard, standardSrv: r.standardSrv };
}

/** A hardware spec (electable, read-only or analytics nodes) in Atlas's order; `withDisk`: 2024-08-05's diskSizeGB. */
function hardwareSpec(r: ResolvedCluster, nodeCount: number, withDisk: boolean): Json {
  const spec: Json = { instanceSize: r.instanceSize };
  if (r.cluster.cloudProvider === 'AWS') spec.diskIOPS = AWS_DISK_IOPS;
  if (withDisk || r.cluster.cloudProvider !== 'AWS') spec.diskSizeGB = new JavaDouble(r.diskSizeGB);
  if (r.cluster.cloudProvider === 'AWS') spec.ebsVolumeType = 'STANDARD';
  spec.nodeCount = nodeCount;
  return spec;
}

/** One region config; `effective`: 2024-08-05's effective*Specs (in replicationSpecs, not effectiveReplicationSpecs). */
function regionConfig(r: ResolvedCluster, withDisk: boolean, effective: boolean): Json {
  const analytics = hardwareSpec(r, 0, withDisk);
  const electable = hardwareSpec(r, ELECTABLE_NODES, withDisk);
  const readOnly = hardwareSpec(r, 0, withDisk);
  return {
    analyticsSpecs: analytics,
    autoScaling: AUTO_SCALING,
    ...(effective && { effectiveAnalyticsSpecs: analytics, effectiveElectableSpecs: electable, effectiveReadOnlySpecs: readOnly }),
    electableSpecs: electable,
    priority: PRIORITY,
    providerName: r.cluster.cloudProvider,
    readOnlySpecs: readOnly,
    regionName: r.region,
  };
}

function common(r: ResolvedCluster): { head: Json; tail: Json } {
  const c = r.cluster;
  return {
    head: { advancedConfiguration: ADVANCED_CONFIGURATION, backupEnabled: r.backupEnabled, biConnector: BI_CONNECTOR, clusterType: c.type, connectionStrings: connectionStrings(r), createDate: isoSeconds(r.createDate) },
    tail: { paused: r.paused, pitEnabled: r.pitEnabled },
  };
}

/** `ClusterDescription20240805`: one replication spec per shard, hardware with disk size, effective specs. */
export function clusterView2024(r: ResolvedCluster, origin: string): Json {
  const c = r.cluster;
  const { head, tail } = common(r);
  const spec = (id: string, effective: boolean) => ({ id, regionConfigs: [regionConfig(r, true, effective)], zoneId: r.zoneId, zoneName: 'Zone 1' });
  return {
    adaptiveCapacity: null,
    ...head,
    diskWarmingMode: 'FULLY_WARMED',
    effectiveDatabaseEdition: 'CORE',
    effectiveReplicationSpecs: r.specIds.map((id) => spec(id, false)),
    encryptionAtRestProvider: 'NONE',
    featureCompatibilityVersion: r.majorVersion,
    globalClusterSelfManagedSharding: false,
    groupId: c.groupId,
    id: c.id,
    internalClusterRole: 'NONE',
    labels: [],
    links: clusterLinks(r, origin),
    mongoDBMajorVersion: r.majorVersion,
    mongoDBVersion: c.mongodVersion,
    name: c.name,
    ...tail,
    redactClientLogData: false,
    replicationSpecs: r.specIds.map((id) => spec(id, true)),
    retainBackups: false,
    rootCertType: 'ISRGROOTX1',
    stateName: r.stateName,
    tags: [],
    terminationProtectionEnabled: r.terminationProtectionEnabled,
    useAwsTimeBasedSnapshotCopyForFastInitialSync: false,
    versionReleaseSystem: 'LTS',
  };
}

/** The run of fields both 2023 views have from `diskSizeGB` to `mongoDBVersion`, in order. */
function diskToVersion(r: ResolvedCluster, origin: string): Json {
  return {
    diskSizeGB: new JavaDouble(r.diskSizeGB),
    diskWarmingMode: 'FULLY_WARMED',
    encryptionAtRestProvider: 'NONE',
    globalClusterSelfManagedSharding: false,
    groupId: r.cluster.groupId,
    id: r.cluster.id,
    labels: [],
    links: clusterLinks(r, origin),
    mongoDBMajorVersion: r.majorVersion,
    mongoDBVersion: r.cluster.mongodVersion,
  };
}

/** The last fields of both 2023 views, in order (the legacy view's `srvAddress` among them). */
function ending2023(r: ResolvedCluster, srvAddress?: string): Json {
  return {
    rootCertType: 'ISRGROOTX1',
    ...(srvAddress !== undefined && { srvAddress }),
    stateName: r.stateName,
    tags: [],
    terminationProtectionEnabled: r.terminationProtectionEnabled,
    versionReleaseSystem: 'LTS',
  };
}

/** `AdvancedClusterDescription` (2023-02-01): one replication spec with `numShards`, disk size at the top. */
export function clusterView2023Advanced(r: ResolvedCluster, origin: string): Json {
  const { head, tail } = common(r);
  return {
    ...head,
    ...diskToVersion(r, origin),
    name: r.cluster.name,
    ...tail,
    replicationSpecs: [{ id: r.legacySpecId, numShards: r.specIds.length, regionConfigs: [regionConfig(r, false, false)], zoneId: r.zoneId, zoneName: 'Zone 1' }],
    ...ending2023(r),
  };
}

/** `providerName` first (the v1.0 docs' example); no `autoScaling` bounds, auto-scaling being off [S: strings, not null]. */
function providerSettings(r: ResolvedCluster): Json {
  switch (r.cluster.cloudProvider) {
    case 'AWS':
      return { providerName: 'AWS', diskIOPS: AWS_DISK_IOPS, encryptEBSVolume: true, instanceSizeName: r.instanceSize, regionName: r.region, volumeType: 'STANDARD' };
    case 'AZURE':
      return { providerName: 'AZURE', diskTypeName: 'P4', instanceSizeName: r.instanceSize, regionName: r.region };
    case 'GCP':
      return { providerName: 'GCP', instanceSizeName: r.instanceSize, regionName: r.region };
  }
}

/** `LegacyAtlasCluster` (2023-01-01). */
export function clusterView2023Legacy(r: ResolvedCluster, origin: string): Json {
  const c = r.cluster;
  const { head, tail } = common(r);
  const regions = { [r.region]: { analyticsNodes: 0, electableNodes: ELECTABLE_NODES, priority: PRIORITY, readOnlyNodes: 0 } };
  const started = r.standard !== undefined; // Hosts and strings only once the cluster runs.
  const uri = `mongodb://${r.hosts.map((h) => `${h}:${c.type === 'SHARDED' ? 27016 : 27017}`).join(',')}`;
  return {
    advancedConfiguration: head.advancedConfiguration,
    autoScaling: { compute: { enabled: false, scaleDownEnabled: false }, diskGBEnabled: false },
    ...head,
    ...diskToVersion(r, origin),
    // Only once the cluster runs (spec: "displays the string only after the cluster starts").
    ...(started && { mongoURI: uri, mongoURIUpdated: isoSeconds(r.createDate), mongoURIWithOptions: r.standard!.replace(/^mongodb:\/\/[^/]*/, uri) }),
    name: c.name,
    numShards: r.specIds.length,
    ...tail,
    providerBackupEnabled: r.backupEnabled,
    providerSettings: providerSettings(r),
    replicationFactor: ELECTABLE_NODES,
    replicationSpecs: [{ id: r.legacySpecId, numShards: r.specIds.length, regionsConfig: regions, zoneName: 'Zone 1' }],
    ...ending2023(r, r.standardSrv),
  };
}

export const CLUSTER_VIEWS: Readonly<Record<string, (r: ResolvedCluster, origin: string) => Json>> = {
  '2023-01-01': clusterView2023Legacy,
  '2023-02-01': clusterView2023Advanced,
  '2024-08-05': clusterView2024,
};
