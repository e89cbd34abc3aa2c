/**
 * The state of a running mock as a `--state-file` document (schema.ts), and back. The store goes out in the
 * fixture format, so that restoring it is loading fixtures: the same validation, the same reference checks.
 */
import type { AuthService } from '../auth/service.js';
import { azureContainerOf } from '../buckets/azure.js';
import type { MockContext } from '../context.js';
import { applyDataset, CLUSTER_SETTING_KEYS, definedOnly, fixtureOfPlan } from '../fixtures/apply.js';
import { emptyDataset, type Dataset } from '../fixtures/schema.js';
import type { AccessRole, BackupSchedule, Cluster, Database, ExportBucket, JobPlan, PolicyItem, ScheduleEpoch, Snapshot, SnapshotPlan } from '../store/model.js';
import type { Store } from '../store/store.js';
import { STATE_FORMAT, STATE_VERSION, type StateFile } from './schema.js';

const iso = (ms: number): string => new Date(ms).toISOString();

function bucketFixture(b: ExportBucket): Dataset['exportBuckets'][number] {
  const common = { id: b.id, groupId: b.groupId, requirePrivateNetworking: b.requirePrivateNetworking };
  switch (b.cloudProvider) {
    case 'AWS':
      return { ...common, cloudProvider: 'AWS', bucketName: b.bucketName, iamRoleId: b.iamRoleId ?? '', region: b.region ?? 'us-east-1' };
    case 'AZURE':
      return {
        ...common,
        cloudProvider: 'AZURE',
        roleId: b.roleId ?? '',
        serviceUrl: b.serviceUrl ?? '',
        // A name derived from the URL is derived again on load; only a name the client gave is written.
        ...(b.bucketName !== azureContainerOf(b.serviceUrl ?? '') && { bucketName: b.bucketName }),
        ...(b.tenantId !== undefined && { tenantId: b.tenantId }),
        ...(b.region !== undefined && { region: b.region }),
      };
    case 'GCP':
      return { ...common, cloudProvider: 'GCP', bucketName: b.bucketName, roleId: b.roleId ?? '', ...(b.region !== undefined && { region: b.region }) };
  }
}

/** The view settings a fixture gave a cluster (undefined ones are defaults, derived again on load). */
function clusterSettings(c: Cluster): Partial<Dataset['clusters'][number]> {
  return {
    ...definedOnly(c, CLUSTER_SETTING_KEYS),
    ...(c.createDate !== undefined && { createDate: iso(c.createDate) }),
  };
}

function accessRoleFixture(r: AccessRole): Dataset['cloudProviderAccessRoles'][number] {
  const common = { id: r.id, groupId: r.groupId, createdDate: iso(r.createdAt), ...(r.authorizedAt !== undefined && { authorizedDate: iso(r.authorizedAt) }) };
  switch (r.providerName) {
    case 'AWS':
      return {
        ...common,
        providerName: 'AWS',
        ...(r.atlasAWSAccountArn !== undefined && { atlasAWSAccountArn: r.atlasAWSAccountArn }),
        ...(r.atlasAssumedRoleExternalId !== undefined && { atlasAssumedRoleExternalId: r.atlasAssumedRoleExternalId }),
        ...(r.iamAssumedRoleArn !== undefined && { iamAssumedRoleArn: r.iamAssumedRoleArn }),
      };
    case 'AZURE':
      return { ...common, providerName: 'AZURE', ...(r.atlasAzureAppId !== undefined && { atlasAzureAppId: r.atlasAzureAppId }), servicePrincipalId: r.servicePrincipalId ?? '', tenantId: r.tenantId ?? '' };
    case 'GCP':
      return { ...common, providerName: 'GCP', ...(r.gcpServiceAccountForAtlas !== undefined && { gcpServiceAccountForAtlas: r.gcpServiceAccountForAtlas }) };
  }
}

function snapshotFixture(s: Snapshot): Dataset['snapshots'][number] {
  const plan: SnapshotPlan = s.plan;
  return {
    id: s.id,
    groupId: s.groupId,
    clusterName: s.clusterName,
    ...(s.createdAt !== undefined && { createdAt: iso(s.createdAt) }),
    ...(plan.kind === 'timed' ? { plan: { queued: plan.queuedMs, running: plan.runningMs, outcome: plan.outcome } } : { status: plan.status }),
    description: s.description,
    frequencyType: s.frequencyType,
    snapshotType: s.snapshotType,
    storageSizeBytes: s.storageSizeBytes,
    ...(s.retentionMs !== undefined && { retention: s.retentionMs }),
    ...(s.expiresAt !== undefined && { expiresAt: iso(s.expiresAt) }),
    ...(s.deletedAt !== undefined && { deletedAt: iso(s.deletedAt) }),
    ...(s.policyItems && { policyItems: [...s.policyItems] }),
    ...(s.scheduled && { scheduled: true }),
  };
}

const itemFixture = (it: PolicyItem) => ({ id: it.id, frequencyType: it.frequencyType, frequencyInterval: it.frequencyInterval, retentionUnit: it.retentionUnit, retentionValue: it.retentionValue });

const timedPlanFixtureOf = (plan: JobPlan) => fixtureOfPlan(plan).plan!;

function epochFixture(e: ScheduleEpoch): Dataset['backupSchedules'][number]['history'][number] {
  return {
    from: iso(e.from),
    referenceHourOfDay: e.referenceHourOfDay,
    referenceMinuteOfHour: e.referenceMinuteOfHour,
    policyItems: e.items.map(itemFixture),
    ...(e.autoExport && { autoExport: { exportBucketId: e.autoExport.exportBucketId, frequencyType: e.autoExport.frequencyType as 'daily', plan: timedPlanFixtureOf(e.autoExport.plan) } }),
    useOrgAndGroupNamesInExportPrefix: e.namesInPrefix,
  };
}

/** A schedule in the fixture format: the current epoch as its fields, the earlier ones as its history. */
function scheduleFixture(b: BackupSchedule): Dataset['backupSchedules'][number] {
  const cur = b.epochs[b.epochs.length - 1]!;
  return {
    groupId: b.groupId,
    clusterName: b.clusterName,
    policyId: b.policyId,
    since: iso(cur.from),
    second: b.second,
    referenceHourOfDay: cur.referenceHourOfDay,
    referenceMinuteOfHour: cur.referenceMinuteOfHour,
    restoreWindowDays: b.restoreWindowDays,
    policyItems: cur.items.map(itemFixture),
    autoExportEnabled: b.autoExportEnabled,
    ...(b.export && { export: { ...b.export } as { exportBucketId?: string; frequencyType?: 'daily' } }),
    ...(cur.autoExport && { exportPlan: timedPlanFixtureOf(cur.autoExport.plan) }),
    useOrgAndGroupNamesInExportPrefix: cur.namesInPrefix,
    copyPolicyItemsEnabled: b.copyPolicyItemsEnabled,
    copySettings: b.copySettings.map((c) => ({ ...c })),
    ...(b.extraRetentionSettings && { extraRetentionSettings: b.extraRetentionSettings.map((x) => ({ ...x })) }),
    ...(b.autoCopySettingsEnabled !== undefined && { autoCopySettingsEnabled: b.autoCopySettingsEnabled }),
    history: b.epochs.slice(0, -1).map(epochFixture),
  };
}

/** A database in the fixture format: collection names, or objects where the fixture said what they hold. */
function databaseFixture(d: Database): NonNullable<Dataset['clusters'][number]['databases']>[number] {
  return { name: d.name, collections: d.collections.map((name, i) => (d.data?.[i] ? { name, ...d.data[i] } : name)) };
}

/** Everything the store holds, as one dataset in the fixture format. */
export function datasetOfStore(store: Store): Dataset {
  const ds = emptyDataset();
  for (const o of store.organizations.values()) ds.organizations.push({ id: o.id, name: o.name });
  for (const p of store.projects.values()) {
    ds.projects.push({
      id: p.id,
      orgId: p.orgId,
      name: p.name,
      ...(p.created !== undefined && { created: iso(p.created) }),
      ...(p.tags !== undefined && { tags: p.tags.map((t) => ({ ...t })) }),
    });
    for (const r of store.accessRolesOf(p.id)) ds.cloudProviderAccessRoles.push(accessRoleFixture(r));
    for (const c of store.clustersOf(p.id)) {
      ds.clusters.push({
        id: c.id,
        groupId: c.groupId,
        name: c.name,
        type: c.type,
        ...(c.databases ? { databases: c.databases.map(databaseFixture) } : c.type === 'SHARDED' ? {} : { collections: c.collections }),
        shards: c.shards.map((s) => ({ name: s.name, collections: s.collections })),
        mongodVersion: c.mongodVersion,
        cloudProvider: c.cloudProvider,
        ...clusterSettings(c),
      });
      for (const j of store.jobsOf(c.groupId, c.name)) {
        ds.exportJobs.push({
          id: j.id,
          groupId: j.groupId,
          clusterName: j.clusterName,
          snapshotId: j.snapshotId,
          exportBucketId: j.exportBucketId,
          ...(!store.bucket(j.exportBucketId) && { exportBucketDeleted: true }),
          customData: j.customData.map((l) => ({ ...l })),
          ...fixtureOfPlan(j.plan),
        });
      }
    }
  }
  for (const s of store.snapshots.values()) ds.snapshots.push(snapshotFixture(s));
  for (const b of store.allSchedules()) ds.backupSchedules.push(scheduleFixture(b));
  for (const c of store.autoExportJobChanges.values()) ds.autoExportJobPlans.push({ id: c.id, groupId: c.groupId, clusterName: c.clusterName, ...fixtureOfPlan(c.plan) });
  for (const b of store.buckets.values()) ds.exportBuckets.push(bucketFixture(b));
  for (const p of store.principals.values()) {
    const common = { orgId: p.orgId, description: p.description, projects: p.projects.map((g) => ({ groupId: g.groupId, roles: [...g.roles] })), accessList: [...p.accessList] };
    if (p.kind === 'apiKey') ds.apiKeys.push({ publicKey: p.id, privateKey: p.secret, ...common });
    else ds.serviceAccounts.push({ clientId: p.id, clientSecret: p.secret, ...common });
  }
  return ds;
}

/** The state of the mock now. `wall` comes from the clock's image (the only reader of the wall clock). */
export function captureState(ctx: MockContext, auth: AuthService): StateFile {
  const clock = ctx.clock.image();
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: iso(clock.wall),
    clock,
    idCounter: ctx.ids.counter(),
    defaultPlan: { ...ctx.defaultPlan },
    nextPlans: ctx.nextPlans.list().map((q) => ({ groupId: q.groupId, clusterName: q.clusterName, plans: q.plans.map((p) => ({ plan: { ...p.plan }, remaining: p.remaining })) })),
    defaultSnapshotPlan: { ...ctx.defaultSnapshotPlan },
    nextSnapshotPlans: ctx.nextSnapshotPlans.list().map((q) => ({ groupId: q.groupId, clusterName: q.clusterName, plans: q.plans.map((p) => ({ plan: { ...p.plan }, remaining: p.remaining })) })),
    data: datasetOfStore(ctx.store),
    baseline: ctx.baseline.slice(1),
    tokens: { minted: auth.tokens.minted, live: auth.tokens.entries() },
    exportFiles: ctx.exportProgress.image(),
  };
}

/**
 * Puts a saved state in place of what the start-up fixtures loaded: the store (validated like fixtures),
 * the baseline additions, the clock, the id counter, the plans and the tokens. The default plan is returned
 * rather than set: the caller sets it once the control plane has taken the start-up one (what a full reset
 * returns to).
 */
export function restoreState(ctx: MockContext, auth: AuthService, state: StateFile): JobPlan & { kind: 'timed' } {
  ctx.clock.restore(state.clock);
  ctx.store.clear();
  applyDataset(state.data, ctx.store, { now: ctx.clock.now(), ids: ctx.ids, defaultPlan: ctx.defaultPlan });
  ctx.baseline.push(...state.baseline);
  ctx.ids.setCounter(state.idCounter);
  ctx.nextPlans.clear();
  for (const q of state.nextPlans) for (const p of q.plans) ctx.nextPlans.push(q.groupId, q.clusterName, p.plan as JobPlan, p.remaining);
  if (state.defaultSnapshotPlan) ctx.defaultSnapshotPlan = state.defaultSnapshotPlan;
  ctx.nextSnapshotPlans.clear();
  for (const q of state.nextSnapshotPlans ?? []) for (const p of q.plans) ctx.nextSnapshotPlans.push(q.groupId, q.clusterName, p.plan as SnapshotPlan, p.remaining);
  auth.tokens.restore(state.tokens.live, state.tokens.minted);
  if (state.exportFiles) ctx.exportProgress.restore(state.exportFiles);
  return state.defaultPlan as JobPlan & { kind: 'timed' };
}
