/**
 * The rules of snapshots: lookups scoped to the project and cluster, status by the mock clock
 * (`lifecycle.ts`), the cluster's list (snapshots taken on demand or loaded, plus the scheduled ones its
 * backup schedule derives, `scheduled.ts`), taking one on demand, changing its retention, deleting it, and
 * the databases and collections it holds.
 *
 * - List order: newest first (by request time, then id) [I: the recordings list one snapshot each].
 * - Take: 200 `queued`, `expiresAt` = request + retention (default 1 day) [R]; while another on-demand snapshot
 *   of the cluster is queued or in progress, 400 UNFINISHED_ON_DEMAND_SNAPSHOT [D: spec description "wait
 *   until Atlas completes processing the previously taken on-demand snapshot"; legacy error table].
 * - Retention: only once completed, else 400 CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION [D legacy table]; the
 *   new expiry counts from completion [I, as the recorded one does]; a value below 1, or an expiry already
 *   past, 400 BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID [D code; I for the past expiry].
 * - Delete: a queued or in-progress snapshot is refused, 400 CANNOT_DELETE_IN_PROGRESS_SNAPSHOT [D legacy table;
 *   the same answer appears in the Terraform provider's CI logs]. A completed one is deleted even while an
 *   export of it runs, and that export ends Cancelled then [I: no source refuses it; the provider's export-job
 *   acceptance test deletes the snapshot right after creating its export and passes against Atlas, and Atlas
 *   has no other way to cancel an export].
 * - Databases and collections: the cluster's namespaces (`store/namespaces.ts`), the same ones its exports
 *   count and write. Clusters cannot change in the mock (creating, changing, deleting clusters is outside the
 *   boundary), so a snapshot holds the cluster's current namespaces [I].
 */
import { atlasError } from '../errors/atlas-error.js';
import { parseBody } from '../http/validation.js';
import { DEFAULT_ITEMS_PER_PAGE, pageOf, paginate, type Page, type PageQuery } from '../http/pagination.js';
import { requireCluster } from '../store/lookup.js';
import { databasesOf } from '../store/namespaces.js';
import type { BackupSchedule, Cluster, Snapshot, SnapshotPlan } from '../store/model.js';
import { objectIdTime } from '../core/objectid.js';
import { nextPlanFor } from '../core/next-plans.js';
import { mergedPage, type Keyed } from '../core/merged-pages.js';
import { addRetention, DAY } from '../schedules/calendar.js';
import { clusterOfDerivedId, scheduledSnapshotId } from '../schedules/defaults.js';
import { SCHEDULED_RUN_MS, scheduleOf, snapshotWindows } from '../schedules/epochs.js';
import { inWindow } from '../schedules/grid.js';
import { finishPlan } from '../control/plan-input.js';
import { isActive } from '../exports/lifecycle.js';
import type { MockContext } from '../context.js';
import { snapshotGone, snapshotStateAt, type SnapshotState } from './lifecycle.js';
import { completedViews } from './derived-views.js';
import { keepPage, memoPage } from './page-memo.js';
import { scheduledSnapshotAt, scheduledSnapshotById, scheduledTimes, storageSizeOf } from './scheduled.js';
import { retentionRequestSchema, takeSnapshotRequestSchema } from './schemas.js';
import { cachedSnapshotView, shardedSnapshotView2023, type ShardedSnapshotView, type SnapshotView } from './view.js';

export interface SnapshotService {
  /** `origin`: scheme and host of the request, for the absolute `links`. */
  get(groupId: string, clusterName: string, snapshotId: string, origin: string): SnapshotView;
  getSharded(groupId: string, clusterName: string, snapshotId: string, origin: string): ShardedSnapshotView;
  /** `base`: origin and path of the request, for the page links. */
  list(groupId: string, clusterName: string, page: PageQuery, base: string, origin: string): Page<SnapshotView>;
  listSharded(groupId: string, clusterName: string, page: PageQuery, base: string, origin: string): Page<ShardedSnapshotView>;
  take(groupId: string, clusterName: string, body: unknown, origin: string): SnapshotView | ShardedSnapshotView;
  updateRetention(groupId: string, clusterName: string, snapshotId: string, body: unknown, origin: string): SnapshotView;
  remove(groupId: string, clusterName: string, snapshotId: string, sharded?: boolean): void;
  databases(groupId: string, clusterName: string, snapshotId: string, page: PageQuery, base: string): Page<{ name: string }>;
  database(groupId: string, clusterName: string, snapshotId: string, databaseName: string): { name: string };
  collections(groupId: string, clusterName: string, snapshotId: string, databaseName: string, page: PageQuery, base: string): Page<{ name: string }>;
  collection(groupId: string, clusterName: string, snapshotId: string, databaseName: string, collectionName: string): { name: string };
  /** The snapshot of this cluster as it is now, or 404 SNAPSHOT_NOT_FOUND (one of another cluster is as unknown). */
  require(groupId: string, clusterName: string, snapshotId: string): Snapshot;
  /** The snapshot with this id of the cluster, gone or not (a deleted one's export jobs keep their prefix). */
  find(cluster: Cluster, snapshotId: string): Snapshot | undefined;
  /** The snapshot with this id in any cluster (control API), and its cluster. */
  findAnywhere(snapshotId: string): { snapshot: Snapshot; cluster: Cluster } | undefined;
  /** Sets a snapshot's plan (a scheduled one is stored from then on). */
  setPlan(snapshot: Snapshot, plan: SnapshotPlan): void;
}

/** A form in which snapshots are served: its view and the name its cached views go by. */
interface ViewForm<V> {
  kind: string;
  view(s: Snapshot, st: SnapshotState, cluster: Cluster, origin: string): V;
}

const REPLICA: ViewForm<SnapshotView> = { kind: 'replicaSet', view: cachedSnapshotView };
const SHARDED: ViewForm<ShardedSnapshotView> = { kind: 'shardedCluster', view: shardedSnapshotView2023 };

export function createSnapshotService(ctx: MockContext): SnapshotService {
  const { store, clock } = ctx;

  /** The snapshot with this id of the cluster, stored or scheduled, gone or not. */
  const find = (cluster: Cluster, id: string): Snapshot | undefined => {
    const s = store.snapshot(id);
    if (s) return s.groupId === cluster.groupId && s.clusterName === cluster.name ? s : undefined;
    const derived = scheduledSnapshotById(cluster, scheduleOf(store, cluster), id);
    return derived && objectIdTime(id) <= clock.now() ? derived : undefined;
  };

  const visible = (s: Snapshot, now: number): boolean => !snapshotGone(s, snapshotStateAt(s, now), now);

  const requireIn = (cluster: Cluster, id: string): Snapshot => {
    const s = find(cluster, id);
    if (!s || !visible(s, clock.now())) throw atlasError('SNAPSHOT_NOT_FOUND', id, cluster.name);
    return s;
  };

  const require = (groupId: string, clusterName: string, id: string): Snapshot => requireIn(requireCluster(store, groupId, clusterName).cluster, id);

  /**
   * A page of the cluster's snapshots: the one built for the same request at the same mock time and store
   * revision when there is one (`page-memo.ts`), else built now.
   */
  const clusterPage = <V extends object>(cluster: Cluster, query: PageQuery, base: string, form: ViewForm<V>, origin: string): Page<V> => {
    const now = clock.now();
    const schedule = scheduleOf(store, cluster);
    const pageNum = query.pageNum ?? 1;
    const itemsPerPage = query.itemsPerPage ?? DEFAULT_ITEMS_PER_PAGE;
    const memoKey = `${form.kind} ${pageNum} ${itemsPerPage} ${query.includeCount ?? true} ${origin} ${base}`;
    const inputs = { store, now, cluster, schedule };
    const kept = memoPage<V>(memoKey, inputs);
    if (kept) return kept;
    const page = buildClusterPage(cluster, schedule, now, pageNum, itemsPerPage, query, base, form, origin);
    keepPage(memoKey, inputs, page);
    return page;
  };

  /**
   * The cluster's snapshots as a merged, newest-first sequence: stored ones and the schedule's. A scheduled
   * one that has completed is shown by its view kept by time (`derived-views.ts`), so a page of them costs
   * a lookup each rather than a snapshot, its state and its view.
   */
  const buildClusterPage = <V extends object>(cluster: Cluster, schedule: BackupSchedule, now: number, pageNum: number, itemsPerPage: number, query: PageQuery, base: string, form: ViewForm<V>, origin: string): Page<V> => {
    const windows = snapshotWindows(schedule, now);
    const stored: Keyed<Snapshot | number>[] = [];
    const removed = new Set<number>();
    for (const s of store.snapshotsOf(cluster.groupId, cluster.name)) {
      const t = objectIdTime(s.id);
      // A scheduled snapshot a client changed stands for the derived one at its time.
      if (s.scheduled && windows.some((w) => inWindow(w.window, t))) removed.add(t);
      if (visible(s, now)) stored.push({ time: t, id: s.id, value: s });
    }
    const { total, items } = mergedPage<Snapshot | number>(
      {
        derived: scheduledTimes(schedule, now),
        derivedId: (t) => scheduledSnapshotId(cluster.id, t),
        // The time stands for the derived snapshot until its view is needed.
        makeDerived: (t) => t,
        removed,
        stored,
        desc: true,
      },
      (pageNum - 1) * itemsPerPage,
      itemsPerPage,
    );
    const completed = completedViews<V>(form.kind, origin, cluster, schedule);
    const views = items.map((x) => {
      if (typeof x !== 'number') return form.view(x, snapshotStateAt(x, now), cluster, origin);
      // Completed once its run is over (a clock set back before then shows it in flight again).
      const hit = x + SCHEDULED_RUN_MS <= now ? completed.get(x) : undefined;
      if (hit) return hit;
      const s = scheduledSnapshotAt(cluster, schedule, x)!;
      const st = snapshotStateAt(s, now);
      const view = form.view(s, st, cluster, origin);
      if (st.status === 'completed') completed.set(x, view);
      return view;
    });
    return pageOf(views, total, query, base);
  };

  const replicaView = (cluster: Cluster, origin: string) => (s: Snapshot) => REPLICA.view(s, snapshotStateAt(s, clock.now()), cluster, origin);
  const shardedView = (cluster: Cluster, origin: string) => (s: Snapshot) => SHARDED.view(s, snapshotStateAt(s, clock.now()), cluster, origin);

  /** Stores a change of a snapshot: a stored one is replaced, a scheduled one stored from now on. */
  const storeChange = (s: Snapshot, change: Partial<Snapshot>): void => {
    store.addSnapshot({ ...s, ...change });
    store.changed();
  };

  /**
   * The sharded operations answer a replica set's snapshots too, with no members [C: the Terraform provider
   * reads every snapshot through the sharded GET as well, and its replica-set snapshot test, which passes
   * against Atlas, needs a 2xx there to show no drift; clients.md]; the sharded list lists them alike [I].
   */
  const requireSharded = (groupId: string, clusterName: string, id: string): { cluster: Cluster; snapshot: Snapshot } => {
    const { cluster } = requireCluster(store, groupId, clusterName);
    return { cluster, snapshot: requireIn(cluster, id) };
  };

  const requireDatabase = (groupId: string, clusterName: string, snapshotId: string, databaseName: string) => {
    const { cluster } = requireCluster(store, groupId, clusterName);
    requireIn(cluster, snapshotId);
    const db = databasesOf(cluster).find((d) => d.name === databaseName);
    if (!db) throw atlasError('RESOURCE_NOT_FOUND', databaseName);
    return db;
  };

  return {
    get(groupId, clusterName, snapshotId, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      return replicaView(cluster, origin)(requireIn(cluster, snapshotId));
    },
    getSharded(groupId, clusterName, snapshotId, origin) {
      const { cluster, snapshot } = requireSharded(groupId, clusterName, snapshotId);
      return shardedView(cluster, origin)(snapshot);
    },
    list(groupId, clusterName, query, base, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      return clusterPage(cluster, query, base, REPLICA, origin);
    },
    listSharded(groupId, clusterName, query, base, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      return clusterPage(cluster, query, base, SHARDED, origin);
    },
    take(groupId, clusterName, body, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      const req = parseBody(takeSnapshotRequestSchema, body);
      const now = clock.now();
      for (const s of store.snapshotsOf(groupId, clusterName)) {
        if (s.snapshotType !== 'onDemand' || s.deletedAt !== undefined) continue;
        const status = snapshotStateAt(s, now).status;
        if (status === 'queued' || status === 'inProgress') throw atlasError('UNFINISHED_ON_DEMAND_SNAPSHOT');
      }
      const snapshot: Snapshot = {
        id: ctx.ids.next(now),
        groupId,
        clusterName,
        plan: nextPlanFor<SnapshotPlan>(ctx.nextSnapshotPlans, ctx.defaultSnapshotPlan, groupId, clusterName),
        description: req.description ?? '',
        frequencyType: 'ondemand',
        snapshotType: 'onDemand',
        storageSizeBytes: storageSizeOf(cluster),
        retentionMs: (req.retentionInDays ?? 1) * DAY,
      };
      store.addSnapshot(snapshot);
      store.changed();
      return cluster.type === 'SHARDED' ? shardedView(cluster, origin)(snapshot) : replicaView(cluster, origin)(snapshot);
    },
    updateRetention(groupId, clusterName, snapshotId, body, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      const s = requireIn(cluster, snapshotId);
      const req = parseBody(retentionRequestSchema, body);
      const now = clock.now();
      const st = snapshotStateAt(s, now);
      if (st.status !== 'completed') throw atlasError('CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION');
      const expiresAt = req.retentionValue >= 1 ? addRetention(st.endedAt!, req.retentionUnit, req.retentionValue) : -Infinity;
      if (!(expiresAt > now)) throw atlasError('BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID');
      storeChange(s, { expiresAt });
      return replicaView(cluster, origin)(store.snapshot(s.id)!);
    },
    remove(groupId, clusterName, snapshotId, sharded = false) {
      const s = sharded ? requireSharded(groupId, clusterName, snapshotId).snapshot : require(groupId, clusterName, snapshotId);
      const now = clock.now();
      const status = snapshotStateAt(s, now).status;
      if (status === 'queued' || status === 'inProgress') throw atlasError('CANNOT_DELETE_IN_PROGRESS_SNAPSHOT', s.id);
      // Its active exports end Cancelled now (auto-exports derive the same from the deletion, exports/auto.ts).
      for (const job of store.jobsOfSnapshot(s.id)) {
        if (isActive(job, now)) store.setJobPlan(job.id, finishPlan(job, { outcome: 'Cancelled', after: 0 }, now));
      }
      storeChange(s, { deletedAt: now });
    },
    databases(groupId, clusterName, snapshotId, query, base) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      requireIn(cluster, snapshotId);
      return paginate(databasesOf(cluster), query, base, (d) => ({ name: d.name }));
    },
    database(groupId, clusterName, snapshotId, databaseName) {
      return { name: requireDatabase(groupId, clusterName, snapshotId, databaseName).name };
    },
    collections(groupId, clusterName, snapshotId, databaseName, query, base) {
      const db = requireDatabase(groupId, clusterName, snapshotId, databaseName);
      return paginate(db.collections, query, base, (name) => ({ name }));
    },
    collection(groupId, clusterName, snapshotId, databaseName, collectionName) {
      const db = requireDatabase(groupId, clusterName, snapshotId, databaseName);
      if (!db.collections.includes(collectionName)) throw atlasError('RESOURCE_NOT_FOUND', `${databaseName}.${collectionName}`);
      return { name: collectionName };
    },
    require,
    find,
    findAnywhere(snapshotId) {
      const stored = store.snapshot(snapshotId);
      const cluster = stored && store.cluster(stored.groupId, stored.clusterName);
      if (stored && cluster) return { snapshot: stored, cluster };
      const c = clusterOfDerivedId(store, snapshotId, 'scheduled-snapshot');
      const s = c && find(c, snapshotId);
      return s ? { snapshot: s, cluster: c } : undefined;
    },
    setPlan(snapshot, plan) {
      storeChange(snapshot, { plan });
    },
  };
}
