/**
 * The backup schedule a cluster has until a client changes it, and the ids of what the schedule derives.
 *
 * The default policy is the one Atlas gave the cluster of `recorded-workflow/TestSchedule` [R]: every 6 hours
 * kept 7 days, daily kept 7 days, weekly on Saturday kept 4 weeks, monthly on the last day kept 12 months,
 * yearly in December kept 1 year; restore window 7 days; no copy settings, no auto export, ids in export
 * prefixes. Atlas created that policy (its id's time, 03:16:06) when the cluster became ready, with the
 * reference time at that minute (03:16) and its snapshots one second later (next snapshot 09:16:07) [R]. The
 * mock has no provisioning: a cluster's policy dates from the cluster's id time [I], so the default dataset's
 * clusters have had their default policy since they were created.
 *
 * Ids are derived, not drawn: the policy's id has the policy's time and bytes of the cluster id's digest, its
 * items follow it (+1 … +5, as the recorded ids fe0 → fe1 … fe5); a scheduled snapshot's id is the time it
 * was taken plus bytes of the cluster's digest, an auto-export job's the time it was created plus others. So
 * any of them can be found again from its id alone, without storing it.
 */
import { createHash } from 'node:crypto';
import { objectIdPlus, objectIdTime } from '../core/objectid.js';
import type { BackupSchedule, Cluster, PolicyItem } from '../store/model.js';
import type { Store } from '../store/store.js';
import { HOUR, MINUTE, mod } from './calendar.js';

const hex8 = (ms: number): string => Math.floor(ms / 1000).toString(16).padStart(8, '0');

type Purpose = 'backup-policy' | 'scheduled-snapshot' | 'auto-export';
const suffixes: Record<Purpose, Map<string, string>> = { 'backup-policy': new Map(), 'scheduled-snapshot': new Map(), 'auto-export': new Map() };

/** 16 hex digits of the digest of a cluster id and a purpose: the non-time part of a derived id. */
export function derivedSuffix(clusterId: string, purpose: Purpose): string {
  const known = suffixes[purpose];
  let s = known.get(clusterId);
  if (s === undefined) {
    s = createHash('md5').update(`${clusterId}:${purpose}`).digest('hex').slice(0, 16);
    if (known.size < 100_000) known.set(clusterId, s);
  }
  return s;
}

export const scheduledSnapshotId = (clusterId: string, takenAt: number): string => hex8(takenAt) + derivedSuffix(clusterId, 'scheduled-snapshot');
export const autoExportJobId = (clusterId: string, createdAt: number): string => hex8(createdAt) + derivedSuffix(clusterId, 'auto-export');

export const isScheduledSnapshotId = (clusterId: string, id: string): boolean => id.length === 24 && id.endsWith(derivedSuffix(clusterId, 'scheduled-snapshot'));
export const isAutoExportJobId = (clusterId: string, id: string): boolean => id.length === 24 && id.endsWith(derivedSuffix(clusterId, 'auto-export'));

/** The cluster (any project) whose scheduled snapshots or auto-export jobs have ids like `id`. */
export function clusterOfDerivedId(store: Store, id: string, purpose: 'scheduled-snapshot' | 'auto-export'): Cluster | undefined {
  for (const p of store.projects.keys()) for (const c of store.clustersOf(p)) if (id.length === 24 && id.endsWith(derivedSuffix(c.id, purpose))) return c;
  return undefined;
}

/** The reference time's offset in the day, with the schedule's second. */
export const refOffset = (hour: number, minute: number, second: number): number => hour * HOUR + minute * MINUTE + second * 1000;

const defaults = new WeakMap<Cluster, BackupSchedule>();

export function defaultPolicyItems(policyId: string): PolicyItem[] {
  const item = (i: number, frequencyType: PolicyItem['frequencyType'], frequencyInterval: number, retentionUnit: PolicyItem['retentionUnit'], retentionValue: number): PolicyItem => ({
    id: objectIdPlus(policyId, i),
    frequencyType,
    frequencyInterval,
    retentionUnit,
    retentionValue,
  });
  return [item(1, 'hourly', 6, 'days', 7), item(2, 'daily', 1, 'days', 7), item(3, 'weekly', 6, 'weeks', 4), item(4, 'monthly', 40, 'months', 12), item(5, 'yearly', 12, 'years', 1)];
}

/** The default schedule of a cluster (computed once per cluster object; the store replaces clusters, never edits them). */
export function defaultSchedule(cluster: Cluster): BackupSchedule {
  let s = defaults.get(cluster);
  if (!s) {
    const from = objectIdTime(cluster.id);
    const policyId = hex8(from) + derivedSuffix(cluster.id, 'backup-policy');
    const day = mod(from, 86_400_000);
    s = {
      groupId: cluster.groupId,
      clusterName: cluster.name,
      policyId,
      second: mod(Math.floor(from / 1000) + 1, 60),
      restoreWindowDays: 7,
      autoExportEnabled: false,
      copyPolicyItemsEnabled: false,
      copySettings: [],
      epochs: [{ from, referenceHourOfDay: Math.floor(day / HOUR), referenceMinuteOfHour: Math.floor(mod(day, HOUR) / MINUTE), items: defaultPolicyItems(policyId), namesInPrefix: false }],
    };
    defaults.set(cluster, s);
  }
  return s;
}
