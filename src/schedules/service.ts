/**
 * The rules of backup schedules (GET, PATCH, DELETE; contract §9, `recorded-workflow/TestSchedule`):
 *
 * - A cluster no client changed has the default schedule (`defaults.ts`); a change stores the whole schedule,
 *   and a change of what snapshots derive from starts a new epoch at the mock's now (`epochs.ts`).
 * - PATCH changes what it names and keeps the rest [R: the CLI sends only the flag it changes]. Checks, with the
 *   codes of Atlas's error table [D]: the reference hour 0–23 (INVALID_REFERENCE_HOUR_OF_DAY) and minute 0–59
 *   (INVALID_REFERENCE_MINUTE_OF_HOUR); a restore window ≥ 1 day (INVALID_RESTORE_WINDOW); exactly one policy
 *   (INVALID_NUM_OF_POLICIES) whose id, when given, is the schedule's (INVALID_POLICY_ID); at least one policy
 *   item (INVALID_NUM_OF_POLICY_ITEMS); an item id must exist (INVALID_POLICY_ITEM_ID) and keep its frequency
 *   (INVALID_FREQUENCY_TYPE_CHANGE); a frequency interval its frequency allows (INVALID_BACKUP_POLICY) and a
 *   retention ≥ 1 (BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID). The export bucket must be one of the project's
 *   (404 EXPORT_BUCKET_NOT_FOUND) [D: the export docs; I for the code]; auto export on needs a bucket and a
 *   frequency (400 MISSING_ATTRIBUTE export.exportBucketId / export.frequencyType) [I]. The rule that less
 *   frequent items keep their snapshots at least as long is not enforced [I: the units do not compare
 *   exactly, and a false refusal would break clients].
 * - `updateSnapshots`: snapshots already taken by an item whose retention changed take the new one;
 *   `deleteSnapshots`: those of removed items go [D: the attributes' descriptions].
 * - DELETE removes every policy item [R: the recorded answer has `policyItems: []` and no `nextSnapshot`],
 *   turns auto export off and drops the export policy [I], and keeps the rest (reference time, restore window,
 *   prefix flag) [R].
 */
import { atlasError } from '../errors/atlas-error.js';
import { parseBody } from '../http/validation.js';
import { requireCluster } from '../store/lookup.js';
import type { BackupSchedule, Cluster, CopySetting, PolicyItem, ScheduleEpoch } from '../store/model.js';
import type { MockContext } from '../context.js';
import { currentEpoch, epochAt, epochsAfterChange, scheduleOf } from './epochs.js';
import { VALID_INTERVALS } from './grid.js';
import { SCHEDULE_REQUESTS, type ScheduleRequest } from './schemas.js';
import { scheduleView, type ScheduleView } from './view.js';

export interface ScheduleService {
  get(groupId: string, clusterName: string, version: string, origin: string): ScheduleView;
  update(groupId: string, clusterName: string, version: string, body: unknown, origin: string): ScheduleView;
  remove(groupId: string, clusterName: string, version: string, origin: string): ScheduleView;
  /** Whether a schedule of the project auto-exports to the bucket now. */
  exportsTo(groupId: string, bucketId: string): boolean;
  /** After a bucket was deleted: export policies naming it are dropped. */
  bucketDeleted(groupId: string, bucketId: string): void;
  /** Whether export prefixes of the cluster use names instead of ids at time `t` (the epoch of `t`). */
  namesInPrefixAt(cluster: Cluster, t: number): boolean;
}

const RANK: Readonly<Record<string, number>> = { hourly: 1, daily: 2, weekly: 3, monthly: 4, yearly: 5, ondemand: 6 };

export function createScheduleService(ctx: MockContext): ScheduleService {
  const { store, clock } = ctx;

  const save = (s: BackupSchedule): void => {
    store.setSchedule(s);
    store.changed();
  };

  /** The items of the one policy of the body, checked against the current ones; ids for new items. */
  const itemsOf = (s: BackupSchedule, req: ScheduleRequest, now: number): PolicyItem[] | undefined => {
    if (!req.policies) return undefined;
    if (req.policies.length !== 1) throw atlasError('INVALID_NUM_OF_POLICIES');
    const policy = req.policies[0]!;
    if (policy.id && policy.id !== s.policyId) throw atlasError('INVALID_POLICY_ID', policy.id);
    if (policy.policyItems.length === 0) throw atlasError('INVALID_NUM_OF_POLICY_ITEMS');
    const current = new Map(currentEpoch(s).items.map((it) => [it.id, it]));
    const items = policy.policyItems.map((p): PolicyItem => {
      if (p.id) {
        const was = current.get(p.id);
        if (!was) throw atlasError('INVALID_POLICY_ITEM_ID', p.id);
        if (was.frequencyType !== p.frequencyType) throw atlasError('INVALID_FREQUENCY_TYPE_CHANGE');
      }
      const allowed = VALID_INTERVALS[p.frequencyType];
      if (allowed && !allowed.includes(p.frequencyInterval)) throw atlasError('INVALID_BACKUP_POLICY', `frequencyInterval ${p.frequencyInterval} is not valid for a ${p.frequencyType} policy item`);
      if (p.retentionValue < 1) throw atlasError('BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID');
      return { id: p.id ?? ctx.ids.next(now), frequencyType: p.frequencyType, frequencyInterval: p.frequencyInterval, retentionUnit: p.retentionUnit, retentionValue: p.retentionValue };
    });
    // Atlas lists items from the most to the least frequent [R: hourly, daily, weekly, monthly, yearly].
    return items.map((it, i) => ({ it, i })).sort((a, b) => (RANK[a.it.frequencyType] ?? 9) - (RANK[b.it.frequencyType] ?? 9) || a.i - b.i).map((x) => x.it);
  };

  const copySettingsOf = (req: ScheduleRequest): CopySetting[] | undefined =>
    req.copySettings?.map((c) => {
      const out: CopySetting = {};
      for (const [k, v] of Object.entries(c)) if (v !== null && v !== undefined) (out as Record<string, unknown>)[k] = v;
      return out;
    });

  const defined = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

  return {
    get(groupId, clusterName, version, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      return scheduleView(scheduleOf(store, cluster), cluster, version, clock.now(), origin);
    },
    update(groupId, clusterName, version, body, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      const schema = SCHEDULE_REQUESTS[version as keyof typeof SCHEDULE_REQUESTS];
      if (!schema) throw new Error(`no backup-schedule request schema for version ${version}`);
      const req = parseBody(schema, body) as ScheduleRequest;
      const now = clock.now();
      const s = scheduleOf(store, cluster);
      const cur = currentEpoch(s);

      const hour = req.referenceHourOfDay ?? cur.referenceHourOfDay;
      const minute = req.referenceMinuteOfHour ?? cur.referenceMinuteOfHour;
      if (hour < 0 || hour > 23) throw atlasError('INVALID_REFERENCE_HOUR_OF_DAY');
      if (minute < 0 || minute > 59) throw atlasError('INVALID_REFERENCE_MINUTE_OF_HOUR');
      const restoreWindowDays = req.restoreWindowDays ?? s.restoreWindowDays;
      if (restoreWindowDays < 1) throw atlasError('INVALID_RESTORE_WINDOW');
      const items = itemsOf(s, req, now) ?? cur.items;

      const exportPolicy = req.export ? { ...s.export, ...Object.fromEntries(Object.entries(req.export).filter(([, v]) => defined(v))) } : s.export;
      if (req.export?.exportBucketId) {
        const b = store.bucket(req.export.exportBucketId);
        if (!b || b.groupId !== groupId) throw atlasError('EXPORT_BUCKET_NOT_FOUND', req.export.exportBucketId);
      }
      const autoExportEnabled = req.autoExportEnabled ?? s.autoExportEnabled;
      if (autoExportEnabled && !exportPolicy?.exportBucketId) throw atlasError('MISSING_ATTRIBUTE', 'export.exportBucketId');
      if (autoExportEnabled && !exportPolicy?.frequencyType) throw atlasError('MISSING_ATTRIBUTE', 'export.frequencyType');

      const autoExport: ScheduleEpoch['autoExport'] = autoExportEnabled
        ? cur.autoExport?.exportBucketId === exportPolicy!.exportBucketId && cur.autoExport?.frequencyType === exportPolicy!.frequencyType
          ? cur.autoExport
          : { exportBucketId: exportPolicy!.exportBucketId!, frequencyType: exportPolicy!.frequencyType!, plan: { ...ctx.defaultPlan } }
        : undefined;

      // Snapshots already taken: the changed retentions (updateSnapshots) and the removed items (deleteSnapshots).
      let past = s.epochs;
      if (req.updateSnapshots) {
        const byId = new Map(items.map((it) => [it.id, it]));
        past = past.map((e) => ({ ...e, items: e.items.map((it) => { const n = byId.get(it.id); return n ? { ...it, retentionUnit: n.retentionUnit, retentionValue: n.retentionValue } : it; }) }));
      }
      if (req.deleteSnapshots && req.policies) {
        const kept = new Set(items.map((it) => it.id));
        past = past.map((e) => ({ ...e, items: e.items.filter((it) => kept.has(it.id)) }));
      }
      const next: Omit<ScheduleEpoch, 'from'> = {
        referenceHourOfDay: hour,
        referenceMinuteOfHour: minute,
        items,
        ...(autoExport && { autoExport }),
        namesInPrefix: req.useOrgAndGroupNamesInExportPrefix ?? cur.namesInPrefix,
      };
      const copySettings = copySettingsOf(req);
      const extra = req.extraRetentionSettings?.map((x) => ({ ...(defined(x.frequencyType) && { frequencyType: x.frequencyType }), ...(defined(x.retentionDays) && { retentionDays: x.retentionDays }) }));
      const updated: BackupSchedule = {
        ...s,
        restoreWindowDays,
        autoExportEnabled,
        ...(exportPolicy && { export: exportPolicy }),
        copyPolicyItemsEnabled: req.copyPolicyItemsEnabled ?? s.copyPolicyItemsEnabled,
        copySettings: copySettings ?? s.copySettings,
        ...(extra && { extraRetentionSettings: extra }),
        ...(defined(req.autoCopySettingsEnabled) && { autoCopySettingsEnabled: req.autoCopySettingsEnabled }),
        epochs: epochsAfterChange({ ...s, epochs: past }, now, next),
      };
      save(updated);
      return scheduleView(updated, cluster, version, now, origin);
    },
    remove(groupId, clusterName, version, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      const now = clock.now();
      const s = scheduleOf(store, cluster);
      const cur = currentEpoch(s);
      const { export: _dropped, ...rest } = s;
      void _dropped;
      const updated: BackupSchedule = {
        ...rest,
        autoExportEnabled: false,
        epochs: epochsAfterChange(s, now, { referenceHourOfDay: cur.referenceHourOfDay, referenceMinuteOfHour: cur.referenceMinuteOfHour, items: [], namesInPrefix: cur.namesInPrefix }),
      };
      save(updated);
      return scheduleView(updated, cluster, version, now, origin);
    },
    exportsTo(groupId, bucketId) {
      return store.schedulesOf(groupId).some((s) => currentEpoch(s).autoExport?.exportBucketId === bucketId);
    },
    bucketDeleted(groupId, bucketId) {
      for (const s of store.schedulesOf(groupId)) {
        if (s.export?.exportBucketId !== bucketId) continue;
        const { export: _dropped, ...rest } = s;
        void _dropped;
        store.setSchedule(rest);
      }
    },
    namesInPrefixAt(cluster, t) {
      const s = scheduleOf(store, cluster);
      const i = epochAt(s, t);
      return i >= 0 ? s.epochs[i]!.namesInPrefix : false;
    },
  };
}
