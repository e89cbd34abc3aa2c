/**
 * The in-memory store of one app instance. Every lookup a request needs is one Map access by id (or by
 * project + cluster name); lists are kept per cluster / per project in creation order, so no request ever
 * scans all jobs (a million jobs cost the GET nothing).
 */
import type { AccessRole, AutoExportJobChange, BackupSchedule, Cluster, ExportBucket, ExportJob, JobPlan, Organization, Principal, Project, Snapshot, SnapshotPlan } from './model.js';

const clusterKey = (groupId: string, name: string): string => `${groupId}/${name}`;

export interface StoreCounts {
  organizations: number;
  projects: number;
  clusters: number;
  snapshots: number;
  exportBuckets: number;
  exportJobs: number;
  cloudProviderAccessRoles: number;
  principals: number;
  backupSchedules: number;
}

/** What authorizing a role changes (PATCH …/cloudProviderAccess/{roleId}): plain JSON, the time in epoch ms. */
export interface RoleAuthorization {
  authorizedAt: number;
  /** AWS: the customer's IAM role. */
  iamAssumedRoleArn?: string;
  /** AZURE: the values the authorization names. */
  atlasAzureAppId?: string;
  servicePrincipalId?: string;
  tenantId?: string;
}

export class Store {
  readonly organizations = new Map<string, Organization>();
  readonly projects = new Map<string, Project>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly buckets = new Map<string, ExportBucket>();
  readonly jobs = new Map<string, ExportJob>();
  /** API keys by public key and service accounts by client id (the two never collide: formats differ). */
  readonly principals = new Map<string, Principal>();
  /**
   * Clusters by project, then name: the GET's lookup with the request's own strings, without composing
   * (and hashing) a `groupId/name` key per request.
   */
  private readonly clusterIndex = new Map<string, Map<string, Cluster>>();
  private readonly clustersByProject = new Map<string, Cluster[]>();
  private readonly jobsByCluster = new Map<string, ExportJob[]>();
  private readonly jobsBySnapshot = new Map<string, ExportJob[]>();
  /** Stored snapshots per cluster (taken on demand, fixtures, scheduled ones a client changed), insertion order. */
  private readonly snapshotsByCluster = new Map<string, Map<string, Snapshot>>();
  /** Backup schedules a client (or a fixture) set, per cluster; others have the default one (not stored). */
  private readonly schedules = new Map<string, BackupSchedule>();
  /** Plans set on derived auto-export jobs, by job id. */
  readonly autoExportJobChanges = new Map<string, AutoExportJobChange>();
  private readonly bucketsByProject = new Map<string, Map<string, ExportBucket>>();
  /** Cloud provider access roles by id, and per project in creation order. */
  private readonly roles = new Map<string, AccessRole>();
  private readonly rolesByProject = new Map<string, Map<string, AccessRole>>();
  /** Export jobs per project, kept as a count so the per-project limit costs one Map access. */
  private readonly jobCountByProject = new Map<string, number>();
  /** Listeners told after every change (the state file saves on them). */
  private readonly listeners: (() => void)[] = [];
  private rev = 0;

  /** Counts `changed()` calls: a value computed from the store stays valid while it does not move. */
  get revision(): number {
    return this.rev;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    this.rev++;
    for (const l of this.listeners) l();
  }

  // ---- lookups -------------------------------------------------------------------------------------
  project(id: string): Project | undefined {
    return this.projects.get(id);
  }

  cluster(groupId: string, name: string): Cluster | undefined {
    return this.clusterIndex.get(groupId)?.get(name);
  }

  clustersOf(groupId: string): readonly Cluster[] {
    return this.clustersByProject.get(groupId) ?? [];
  }

  snapshot(id: string): Snapshot | undefined {
    return this.snapshots.get(id);
  }

  /** Stored snapshots of one cluster (deleted ones included: callers filter by `deletedAt`). */
  snapshotsOf(groupId: string, name: string): Iterable<Snapshot> {
    return this.snapshotsByCluster.get(clusterKey(groupId, name))?.values() ?? [];
  }

  schedule(groupId: string, name: string): BackupSchedule | undefined {
    return this.schedules.get(clusterKey(groupId, name));
  }

  schedulesOf(groupId: string): BackupSchedule[] {
    return this.clustersOf(groupId).flatMap((c) => this.schedules.get(clusterKey(groupId, c.name)) ?? []);
  }

  allSchedules(): Iterable<BackupSchedule> {
    return this.schedules.values();
  }

  autoExportJobChange(id: string): AutoExportJobChange | undefined {
    return this.autoExportJobChanges.get(id);
  }

  bucket(id: string): ExportBucket | undefined {
    return this.buckets.get(id);
  }

  job(id: string): ExportJob | undefined {
    return this.jobs.get(id);
  }

  /** Jobs of one cluster, oldest first. */
  jobsOf(groupId: string, name: string): readonly ExportJob[] {
    return this.jobsByCluster.get(clusterKey(groupId, name)) ?? [];
  }

  jobsOfSnapshot(snapshotId: string): readonly ExportJob[] {
    return this.jobsBySnapshot.get(snapshotId) ?? [];
  }

  /** Export buckets of one project, oldest first. */
  bucketsOf(groupId: string): readonly ExportBucket[] {
    const m = this.bucketsByProject.get(groupId);
    return m ? Array.from(m.values()) : [];
  }

  jobCount(groupId: string): number {
    return this.jobCountByProject.get(groupId) ?? 0;
  }

  bucketCount(groupId: string): number {
    return this.bucketsByProject.get(groupId)?.size ?? 0;
  }

  principal(id: string): Principal | undefined {
    return this.principals.get(id);
  }

  accessRole(id: string): AccessRole | undefined {
    return this.roles.get(id);
  }

  /** Cloud provider access roles of one project, oldest first. */
  accessRolesOf(groupId: string): readonly AccessRole[] {
    const m = this.rolesByProject.get(groupId);
    return m ? Array.from(m.values()) : [];
  }

  accessRoleCount(groupId: string): number {
    return this.rolesByProject.get(groupId)?.size ?? 0;
  }

  counts(): StoreCounts {
    return {
      organizations: this.organizations.size,
      projects: this.projects.size,
      clusters: [...this.clusterIndex.values()].reduce((n, byName) => n + byName.size, 0),
      snapshots: this.snapshots.size,
      exportBuckets: this.buckets.size,
      exportJobs: this.jobs.size,
      cloudProviderAccessRoles: this.roles.size,
      principals: this.principals.size,
      backupSchedules: this.schedules.size,
    };
  }

  // ---- changes -------------------------------------------------------------------------------------
  addOrganization(o: Organization): void {
    this.organizations.set(o.id, o);
  }

  addProject(p: Project): void {
    this.projects.set(p.id, p);
  }

  addCluster(c: Cluster): void {
    let byName = this.clusterIndex.get(c.groupId);
    if (!byName) this.clusterIndex.set(c.groupId, (byName = new Map()));
    if (!byName.has(c.name)) push(this.clustersByProject, c.groupId, c);
    byName.set(c.name, c);
  }

  /** Adds or replaces a snapshot (a stored snapshot is replaced, never edited: views cache by identity). */
  addSnapshot(s: Snapshot): void {
    this.snapshots.set(s.id, s);
    const key = clusterKey(s.groupId, s.clusterName);
    let m = this.snapshotsByCluster.get(key);
    if (!m) this.snapshotsByCluster.set(key, (m = new Map()));
    m.set(s.id, s);
  }

  /** Marks a stored snapshot deleted at `at` (its export jobs keep their prefix). */
  deleteSnapshot(id: string, at: number): boolean {
    const s = this.snapshots.get(id);
    if (!s) return false;
    this.addSnapshot({ ...s, deletedAt: at });
    return true;
  }

  /** A stored snapshot's fixed expiry (updated retention). */
  setSnapshotExpiry(id: string, expiresAt: number): boolean {
    const s = this.snapshots.get(id);
    if (!s) return false;
    this.addSnapshot({ ...s, expiresAt });
    return true;
  }

  setSnapshotPlan(id: string, plan: SnapshotPlan): boolean {
    const s = this.snapshots.get(id);
    if (!s) return false;
    this.addSnapshot({ ...s, plan });
    return true;
  }

  /** Sets (replaces) a cluster's backup schedule. */
  setSchedule(schedule: BackupSchedule): void {
    this.schedules.set(clusterKey(schedule.groupId, schedule.clusterName), schedule);
  }

  setAutoExportJobChange(change: AutoExportJobChange): void {
    this.autoExportJobChanges.set(change.id, change);
  }

  /** A stored job's plan (the job object is kept: its other fields never change). */
  setJobPlan(id: string, plan: JobPlan): boolean {
    const j = this.jobs.get(id);
    if (!j) return false;
    j.plan = plan;
    return true;
  }

  addBucket(b: ExportBucket): void {
    this.buckets.set(b.id, b);
    let m = this.bucketsByProject.get(b.groupId);
    if (!m) this.bucketsByProject.set(b.groupId, (m = new Map()));
    m.set(b.id, b);
  }

  deleteBucket(id: string): boolean {
    const b = this.buckets.get(id);
    if (!b) return false;
    this.buckets.delete(id);
    this.bucketsByProject.get(b.groupId)?.delete(id);
    return true;
  }

  addJob(j: ExportJob): void {
    this.jobs.set(j.id, j);
    push(this.jobsByCluster, clusterKey(j.groupId, j.clusterName), j);
    push(this.jobsBySnapshot, j.snapshotId, j);
    this.jobCountByProject.set(j.groupId, (this.jobCountByProject.get(j.groupId) ?? 0) + 1);
  }

  addAccessRole(r: AccessRole): void {
    this.roles.set(r.id, r);
    let m = this.rolesByProject.get(r.groupId);
    if (!m) this.rolesByProject.set(r.groupId, (m = new Map()));
    m.set(r.id, r);
  }

  /** Records an authorization: the role is replaced by a new record (never edited), in the same list position. */
  authorizeAccessRole(id: string, change: RoleAuthorization): AccessRole | undefined {
    const r = this.roles.get(id);
    if (!r) return undefined;
    const next: AccessRole = { ...r, authorizedAt: change.authorizedAt };
    if (change.iamAssumedRoleArn !== undefined) next.iamAssumedRoleArn = change.iamAssumedRoleArn;
    if (r.providerName === 'AZURE') {
      next.lastUpdatedAt = change.authorizedAt;
      if (change.atlasAzureAppId !== undefined) next.atlasAzureAppId = change.atlasAzureAppId;
      if (change.servicePrincipalId !== undefined) next.servicePrincipalId = change.servicePrincipalId;
      if (change.tenantId !== undefined) next.tenantId = change.tenantId;
    }
    this.roles.set(id, next);
    this.rolesByProject.get(r.groupId)?.set(id, next);
    return next;
  }

  deleteAccessRole(id: string): boolean {
    const r = this.roles.get(id);
    if (!r) return false;
    this.roles.delete(id);
    this.rolesByProject.get(r.groupId)?.delete(id);
    return true;
  }

  addPrincipal(p: Principal): void {
    this.principals.set(p.id, p);
  }

  /** Everything that belongs to one project (its clusters, snapshots, buckets, jobs, roles), for scoped resets. */
  removeProject(groupId: string): void {
    for (const c of this.clustersOf(groupId)) {
      const key = clusterKey(groupId, c.name);
      for (const j of this.jobsByCluster.get(key) ?? []) {
        this.jobs.delete(j.id);
        this.jobsBySnapshot.delete(j.snapshotId);
      }
      this.jobsByCluster.delete(key);
    }
    this.clustersByProject.delete(groupId);
    this.clusterIndex.delete(groupId);
    this.jobCountByProject.delete(groupId);
    for (const [id, s] of this.snapshots) if (s.groupId === groupId) this.snapshots.delete(id);
    for (const key of [...this.snapshotsByCluster.keys()]) if (key.startsWith(`${groupId}/`)) this.snapshotsByCluster.delete(key);
    for (const key of [...this.schedules.keys()]) if (key.startsWith(`${groupId}/`)) this.schedules.delete(key);
    for (const [id, c] of this.autoExportJobChanges) if (c.groupId === groupId) this.autoExportJobChanges.delete(id);
    for (const id of this.bucketsByProject.get(groupId)?.keys() ?? []) this.buckets.delete(id);
    this.bucketsByProject.delete(groupId);
    for (const id of this.rolesByProject.get(groupId)?.keys() ?? []) this.roles.delete(id);
    this.rolesByProject.delete(groupId);
    this.projects.delete(groupId);
  }

  clear(): void {
    for (const m of [this.organizations, this.projects, this.snapshots, this.buckets, this.jobs, this.principals, this.clusterIndex, this.clustersByProject, this.jobsByCluster, this.jobsBySnapshot, this.bucketsByProject, this.jobCountByProject, this.snapshotsByCluster, this.schedules, this.autoExportJobChanges, this.roles, this.rolesByProject]) m.clear();
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
