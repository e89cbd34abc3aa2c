/**
 * What a cluster's views show, with the defaults of the fields a fixture may leave out (`ClusterSettings`):
 * plausible for an M10 with Cloud Backup and consistent with one another (hosts, connection strings, replica
 * set, disk size, MongoDB version). Derived when read, the same on every load: ids and labels come from the
 * cluster's and project's ids, never from the random source.
 */
import { createHash } from 'node:crypto';
import { derivedObjectId, objectIdTime } from '../core/objectid.js';
import type { CloudProvider, Cluster, ClusterState } from '../store/model.js';

/** Default region per provider [I]: each provider's first US region in Atlas's lists. */
const DEFAULT_REGION: Readonly<Record<CloudProvider, string>> = { AWS: 'US_EAST_1', AZURE: 'US_EAST_2', GCP: 'CENTRAL_US' };

/** Default storage per instance size, GB [I: Atlas's defaults in the cluster builder]; unknown sizes 10. */
const DEFAULT_DISK_GB: Readonly<Record<number, number>> = { 10: 10, 20: 20, 30: 40, 40: 80, 50: 160, 60: 320, 80: 750, 140: 1000, 200: 1500, 300: 2000, 400: 3000, 700: 4000 };

/** Nodes of the electable replica set (Atlas's default: 3). */
export const ELECTABLE_NODES = 3;
/** Disk IOPS of an AWS gp3 volume's baseline, as recorded for an M10. */
export const AWS_DISK_IOPS = 3000;

export interface ResolvedCluster {
  cluster: Cluster;
  stateName: ClusterState;
  backupEnabled: boolean;
  pitEnabled: boolean;
  paused: boolean;
  terminationProtectionEnabled: boolean;
  instanceSize: string;
  region: string;
  diskSizeGB: number;
  createDate: number;
  /** `8.0` of `8.0.12`. */
  majorVersion: string;
  /** Host names of the first shard's (or the replica set's) nodes. */
  hosts: string[];
  /** `mongodb://…` with options, or undefined while the cluster is being created (no hosts yet [R]). */
  standard?: string;
  /** `mongodb+srv://<name>.<domain>`. */
  standardSrv?: string;
  /** The replica set name of a replica set (`atlas-xxxxxx-shard-0`); the first shard's of a sharded cluster. */
  replicaSetName: string;
  /** Ids Atlas gives the replication specs and the zone (derived: the same on every read). */
  legacySpecId: string;
  specIds: string[];
  zoneId: string;
}

const base36 = (hex: string, length: number): string => BigInt(`0x${hex}`).toString(36).padStart(length, '0').slice(-length);
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** The project's DNS label, as Atlas gives one per project (recorded: `g1nxq.mongodb-dev.net` for two clusters of one project). */
export function defaultDomain(groupId: string): string {
  return `${base36(md5(groupId).slice(0, 12), 5)}.mongodb.net`;
}

export function resolveCluster(c: Cluster): ResolvedCluster {
  const stateName = c.stateName ?? 'IDLE';
  const instanceSize = c.instanceSize ?? 'M10';
  const sizeNumber = Number(/\d+/.exec(instanceSize)?.[0] ?? 10);
  const domain = c.domain ?? defaultDomain(c.groupId);
  const host = c.name.toLowerCase();
  const sharded = c.type === 'SHARDED';
  const replicaSetName = sharded ? (c.shards[0]?.name ?? `atlas-${base36(md5(c.id).slice(0, 10), 6)}-shard-0`) : (c.replicaSetName ?? `atlas-${base36(md5(c.id).slice(0, 10), 6)}-shard-0`);
  // A sharded cluster's standard string names its mongos (port 27016), a replica set's its mongod (27017).
  const port = sharded ? 27016 : 27017;
  const hosts = Array.from({ length: ELECTABLE_NODES }, (_, i) => `${host}-shard-00-0${i}.${domain}`);
  const creating = stateName === 'CREATING';
  const options = sharded ? '?ssl=true&authSource=admin' : `?ssl=true&authSource=admin&replicaSet=${replicaSetName}`;
  const specCount = sharded ? Math.max(1, c.shards.length) : 1;
  return {
    cluster: c,
    stateName,
    backupEnabled: c.backupEnabled ?? true,
    pitEnabled: c.pitEnabled ?? false,
    paused: c.paused ?? false,
    terminationProtectionEnabled: c.terminationProtectionEnabled ?? false,
    instanceSize,
    region: c.region ?? DEFAULT_REGION[c.cloudProvider],
    diskSizeGB: c.diskSizeGB ?? DEFAULT_DISK_GB[sizeNumber] ?? 10,
    createDate: c.createDate ?? objectIdTime(c.id),
    majorVersion: c.mongodVersion.split('.').slice(0, 2).join('.'),
    hosts,
    ...(!creating && { standard: `mongodb://${hosts.map((h) => `${h}:${port}`).join(',')}/${options}`, standardSrv: `mongodb+srv://${host}.${domain}` }),
    replicaSetName,
    legacySpecId: derivedObjectId(c.id, `${c.id}/replicationSpec`),
    specIds: Array.from({ length: specCount }, (_, i) => derivedObjectId(c.id, `${c.id}/replicationSpec/${i}`)),
    zoneId: derivedObjectId(c.id, `${c.id}/zone/Zone 1`),
  };
}
