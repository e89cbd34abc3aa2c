/**
 * The backup schedule as served at 2023-01-01 and 2024-08-05, keys in alphabetical order, as recorded
 * (`recorded-workflow/TestSchedule` Describe, Update at 2023-01-01, Delete at 2024-08-05):
 * `autoExportEnabled, clusterId, clusterName, copyPolicyItemsEnabled, copySettings, links, nextSnapshot,
 * policies, referenceHourOfDay, referenceMinuteOfHour, restoreWindowDays, useOrgAndGroupNamesInExportPrefix`
 * [R]; `export` when an export policy is set, `extraRetentionSettings` and (2024-08-05) `autoCopySettingsEnabled`
 * when given [S; I: absent from the recordings, which set none]; `nextSnapshot` omitted when no policy item
 * takes snapshots [R: after the DELETE]. Links: the schedule itself and the project under `/api/public/v1.0`
 * with rel `https://cloud.mongodb.com/group` [R]. Copy settings are data: a `zoneId` at 2024-08-05, the same
 * value as `replicationSpecId` at 2023-01-01 [I]; `frequencies` shown unless `copyPolicyItemsEnabled`, then
 * `copyPolicyItems` [S].
 */
import { isoSeconds } from '../core/dates.js';
import type { BackupSchedule, Cluster, CopySetting } from '../store/model.js';
import type { Link } from '../http/pagination.js';
import { currentEpoch, epochRef, epochStart } from './epochs.js';
import { isScheduled, nextAt } from './grid.js';

export interface ScheduleView {
  autoCopySettingsEnabled?: boolean;
  autoExportEnabled: boolean;
  clusterId: string;
  clusterName: string;
  copyPolicyItemsEnabled: boolean;
  copySettings: Record<string, unknown>[];
  export?: { exportBucketId?: string; frequencyType?: string };
  extraRetentionSettings?: { frequencyType?: string; retentionDays?: number }[];
  links: Link[];
  nextSnapshot?: string;
  policies: { id: string; policyItems: { frequencyInterval: number; frequencyType: string; id: string; retentionUnit: string; retentionValue: number }[] }[];
  referenceHourOfDay: number;
  referenceMinuteOfHour: number;
  restoreWindowDays: number;
  useOrgAndGroupNamesInExportPrefix: boolean;
}

/** The next time (after now) a policy item of the current epoch takes a snapshot. */
export function nextSnapshotAt(s: BackupSchedule, now: number): number | undefined {
  const e = currentEpoch(s);
  const ref = epochRef(s, e);
  let next = Infinity;
  for (const it of e.items) if (isScheduled(it)) next = Math.min(next, nextAt(it, ref, Math.max(now + 1, epochStart(e))));
  return next === Infinity ? undefined : next;
}

function copySettingView(c: CopySetting, version: string, copyPolicyItemsEnabled: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.cloudProvider !== undefined) out.cloudProvider = c.cloudProvider;
  if (copyPolicyItemsEnabled && c.copyPolicyItems) out.copyPolicyItems = c.copyPolicyItems.map((p) => Object.fromEntries(Object.entries(p).sort(([a], [b]) => (a < b ? -1 : 1))));
  if (!copyPolicyItemsEnabled && c.frequencies) out.frequencies = c.frequencies;
  if (c.lastNumberOfSnapshots !== undefined) out.lastNumberOfSnapshots = c.lastNumberOfSnapshots;
  if (c.regionName !== undefined) out.regionName = c.regionName;
  const zone = c.zoneId ?? c.replicationSpecId;
  if (version === '2023-01-01' && zone !== undefined) out.replicationSpecId = zone;
  if (c.shouldCopyOplogs !== undefined) out.shouldCopyOplogs = c.shouldCopyOplogs;
  if (version !== '2023-01-01' && zone !== undefined) out.zoneId = zone;
  return out;
}

export function scheduleView(s: BackupSchedule, cluster: Cluster, version: string, now: number, origin: string): ScheduleView {
  const e = currentEpoch(s);
  const view = {} as ScheduleView;
  if (version !== '2023-01-01' && s.autoCopySettingsEnabled !== undefined) view.autoCopySettingsEnabled = s.autoCopySettingsEnabled;
  view.autoExportEnabled = s.autoExportEnabled;
  view.clusterId = cluster.id;
  view.clusterName = cluster.name;
  view.copyPolicyItemsEnabled = s.copyPolicyItemsEnabled;
  view.copySettings = s.copySettings.map((c) => copySettingView(c, version, s.copyPolicyItemsEnabled));
  const x = s.export;
  if (x && (x.exportBucketId !== undefined || x.frequencyType !== undefined)) {
    view.export = { ...(x.exportBucketId !== undefined && { exportBucketId: x.exportBucketId }), ...(x.frequencyType !== undefined && { frequencyType: x.frequencyType }) };
  }
  if (s.extraRetentionSettings && s.extraRetentionSettings.length > 0) view.extraRetentionSettings = s.extraRetentionSettings;
  view.links = [
    { href: `${origin}/api/atlas/v2/groups/${s.groupId}/clusters/${cluster.name}/backup/schedule`, rel: 'self' },
    { href: `${origin}/api/public/v1.0/groups/${s.groupId}`, rel: 'https://cloud.mongodb.com/group' },
  ];
  const next = nextSnapshotAt(s, now);
  if (next !== undefined) view.nextSnapshot = isoSeconds(next);
  view.policies = [{ id: s.policyId, policyItems: e.items.map((it) => ({ frequencyInterval: it.frequencyInterval, frequencyType: it.frequencyType, id: it.id, retentionUnit: it.retentionUnit, retentionValue: it.retentionValue })) }];
  view.referenceHourOfDay = e.referenceHourOfDay;
  view.referenceMinuteOfHour = e.referenceMinuteOfHour;
  view.restoreWindowDays = s.restoreWindowDays;
  view.useOrgAndGroupNamesInExportPrefix = e.namesInPrefix;
  return view;
}
