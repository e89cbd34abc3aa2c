/**
 * Scheduled snapshots, derived from a cluster's backup schedule and the clock when read (never stored, never
 * made by a timer): one per time at which a policy item of the schedule takes a snapshot, kept while the
 * longest retention of the items it was taken for has not run out. A year of hourly snapshots is a count,
 * and a page of them is as many objects as the page shows.
 *
 * A scheduled snapshot's id is the time it was taken plus bytes derived from the cluster
 * (`schedules/defaults.ts`): the GET of one finds its epoch and items from the id alone. What a client
 * changes on one — its retention, its deletion, its plan (control API) — is stored as a snapshot record with
 * that id (`scheduled: true`), which then stands for the derived one.
 */
import { addRetention } from '../schedules/calendar.js';
import { isScheduledSnapshotId, scheduledSnapshotId } from '../schedules/defaults.js';
import { epochAt, epochRef, epochStart, SCHEDULED_RUN_MS, snapshotWindows } from '../schedules/epochs.js';
import { itemAt, windowsSource } from '../schedules/grid.js';
import { objectIdTime } from '../core/objectid.js';
import type { BackupSchedule, Cluster, PolicyItem, Snapshot } from '../store/model.js';

const RANK: Readonly<Record<string, number>> = { hourly: 1, daily: 2, weekly: 3, monthly: 4, yearly: 5 };

/** Bytes of a snapshot of the cluster [I: the recorded snapshots of empty clusters hold ~1.5 GB; 64 MiB a collection]. */
export const storageSizeOf = (cluster: Cluster): number => 1_574_477_824 + cluster.collections * 67_108_864;

/** Built once per id and schedule object (a changed schedule is a new object): GETs and pages reuse them. */
const built = new Map<string, { schedule: BackupSchedule; cluster: Cluster; snapshot: Snapshot | null }>();
const BUILT_MAX = 8192;

/**
 * The scheduled snapshot taken at `t` under the schedule, or null when none of its items takes one then. Its
 * `frequencyType` is the least frequent of its items (a weekly snapshot on the month's last day is monthly
 * too) and its expiry the longest of their retentions [D: "How Atlas Exports Snapshots"; I for the label].
 */
export function scheduledSnapshotAt(cluster: Cluster, schedule: BackupSchedule, t: number): Snapshot | null {
  const id = scheduledSnapshotId(cluster.id, t);
  const hit = built.get(id);
  if (hit && hit.schedule === schedule && hit.cluster === cluster) return hit.snapshot;
  const i = epochAt(schedule, t);
  const e = i < 0 ? undefined : schedule.epochs[i]!;
  let snapshot: Snapshot | null = null;
  if (e && t >= epochStart(e)) {
    const ref = epochRef(schedule, e);
    const items = e.items.filter((it) => itemAt(it, ref, t));
    if (items.length > 0) {
      const top = items.reduce((a: PolicyItem, b: PolicyItem) => ((RANK[b.frequencyType] ?? 0) > (RANK[a.frequencyType] ?? 0) ? b : a));
      snapshot = {
        id,
        groupId: cluster.groupId,
        clusterName: cluster.name,
        createdAt: t,
        plan: { kind: 'timed', queuedMs: 0, runningMs: SCHEDULED_RUN_MS, outcome: 'completed' },
        description: '',
        frequencyType: top.frequencyType,
        snapshotType: 'scheduled',
        storageSizeBytes: storageSizeOf(cluster),
        expiresAt: Math.max(...items.map((it) => addRetention(t + SCHEDULED_RUN_MS, it.retentionUnit, it.retentionValue))),
        policyItems: items.map((it) => it.id),
        scheduled: true,
      };
    }
  }
  if (built.size >= BUILT_MAX) built.delete(built.keys().next().value!);
  built.set(id, { schedule, cluster, snapshot });
  return snapshot;
}

/** The scheduled snapshot with this id if the schedule took it (kept or not), else null. */
export function scheduledSnapshotById(cluster: Cluster, schedule: BackupSchedule, id: string): Snapshot | null {
  if (!isScheduledSnapshotId(cluster.id, id)) return null;
  return scheduledSnapshotAt(cluster, schedule, objectIdTime(id));
}

/** The times of the cluster's scheduled snapshots kept at `now` (before any change a client made). */
export function scheduledTimes(schedule: BackupSchedule, now: number) {
  return windowsSource(snapshotWindows(schedule, now).map((w) => w.window));
}

export { snapshotWindows };
