/**
 * Views of completed scheduled snapshots by the time they were taken, so that a page of them costs a map
 * lookup per item. Such a view is fixed once the snapshot has completed: everything in it comes from the
 * cluster, the schedule epoch it was taken in, the request's origin (links) and its time. It stays right
 * until the snapshot expires — a list then no longer reaches its time, since the schedule's windows end at
 * the retention — or the cluster or schedule changes, which gives new objects (the store replaces them,
 * never edits them): a context whose cluster or schedule is not the one it was filled for starts empty.
 * Nothing is written as time passes; a view is made when a request first shows it.
 *
 * Bounded: at most VIEWS_MAX views over all contexts, the oldest dropped first (about 2 KiB each with its
 * JSON: ~20 MiB at most). A year of hourly snapshots is 8 760 of them.
 */
import type { BackupSchedule, Cluster } from '../store/model.js';

export const VIEWS_MAX = 10_000;

interface Context {
  cluster: Cluster;
  schedule: BackupSchedule;
  views: Map<number, object>;
}

/** Per form, origin and cluster (`groupId/name`): the views of one cluster and schedule object. */
const contexts = new Map<string, Context>();
let size = 0;

function drop(key: string, c: Context): void {
  size -= c.views.size;
  contexts.delete(key);
}

/** Drops the oldest view (of the oldest context) until there is room for one more. */
function makeRoom(): void {
  while (size >= VIEWS_MAX) {
    const first = contexts.entries().next();
    if (first.done) return;
    const [key, c] = first.value;
    const oldest = c.views.keys().next();
    if (oldest.done) drop(key, c);
    else {
      c.views.delete(oldest.value);
      size--;
    }
  }
}

/**
 * The completed views of one cluster's scheduled snapshots as the request at `origin` sees them, in one
 * form (`kind`: each form of a snapshot has its own views): `get(t)` the cached view or undefined, `set(t,
 * view)` for a snapshot completed at the time of the request.
 */
export function completedViews<V extends object>(kind: string, origin: string, cluster: Cluster, schedule: BackupSchedule): { get(t: number): V | undefined; set(t: number, view: V): void } {
  const key = `${kind} ${origin} ${cluster.groupId}/${cluster.name}`;
  let c = contexts.get(key);
  if (c && (c.cluster !== cluster || c.schedule !== schedule)) {
    drop(key, c);
    c = undefined;
  }
  const views = c?.views;
  return {
    get: (t) => views?.get(t) as V | undefined,
    set: (t, view) => {
      let ctx = contexts.get(key);
      if (!ctx || ctx.cluster !== cluster || ctx.schedule !== schedule) {
        if (ctx) drop(key, ctx);
        contexts.set(key, (ctx = { cluster, schedule, views: new Map() }));
      }
      if (ctx.views.has(t)) return;
      makeRoom();
      // makeRoom may have dropped this very context (it was the oldest and empty): put it back.
      if (!contexts.has(key)) contexts.set(key, ctx);
      ctx.views.set(t, view);
      size++;
    },
  };
}

/** How many views are kept (tests). */
export const completedViewCount = (): number => size;

/** Empties the cache (tests). */
export function clearCompletedViews(): void {
  contexts.clear();
  size = 0;
}
