/**
 * Which plan a newly created export job gets (issue 5 "the next export on Cluster0 fails with this
 * stateReason"): the first plan queued for its cluster by the control API (`POST /__mock/plans/next`), used
 * `times` jobs in a row and then dropped; when nothing is queued, the default plan (`--queued`, `--running`,
 * `--outcome`, or `PUT /__mock/plans/default`).
 *
 * The create operation calls `planFor(ctx, groupId, clusterName)` (or `planFor(ctx, cluster)`) once per job
 * it creates. The job keeps its own copy: changing a plan later never moves jobs already created.
 */
import type { JobPlan, TimedPlan } from '../store/model.js';

/** A plan waiting in a cluster's queue, for the next `remaining` jobs created there. */
export interface QueuedPlan {
  plan: JobPlan;
  remaining: number;
}

export interface ClusterQueue {
  groupId: string;
  clusterName: string;
  plans: readonly QueuedPlan[];
}

const key = (groupId: string, clusterName: string): string => `${groupId}/${clusterName}`;

/** The queues of next-plans, one per cluster (cluster names cannot hold `/`, so the key is unambiguous). */
export class NextPlans {
  private readonly queues = new Map<string, { groupId: string; clusterName: string; plans: QueuedPlan[] }>();

  /** Queues `plan` for the next `times` jobs created on the cluster, after the plans already queued there. */
  push(groupId: string, clusterName: string, plan: JobPlan, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    const k = key(groupId, clusterName);
    let q = this.queues.get(k);
    if (!q) this.queues.set(k, (q = { groupId, clusterName, plans: [] }));
    q.plans.push({ plan, remaining: times });
  }

  /** The plan of the next job created on the cluster, consumed; undefined when nothing is queued. */
  take(groupId: string, clusterName: string): JobPlan | undefined {
    if (this.queues.size === 0) return undefined;
    const k = key(groupId, clusterName);
    const q = this.queues.get(k);
    const head = q?.plans[0];
    if (!q || !head) return undefined;
    if (--head.remaining <= 0) q.plans.shift();
    if (q.plans.length === 0) this.queues.delete(k);
    return head.plan;
  }

  list(): ClusterQueue[] {
    return [...this.queues.values()].map((q) => ({ groupId: q.groupId, clusterName: q.clusterName, plans: q.plans.map((p) => ({ ...p })) }));
  }

  /** Drops the queues of one cluster, of one project, or all; returns how many plans were dropped. */
  clear(groupId?: string, clusterName?: string): number {
    let dropped = 0;
    for (const [k, q] of this.queues) {
      if (groupId !== undefined && q.groupId !== groupId) continue;
      if (clusterName !== undefined && q.clusterName !== clusterName) continue;
      dropped += q.plans.length;
      this.queues.delete(k);
    }
    return dropped;
  }

  get size(): number {
    return this.queues.size;
  }
}

/** What `planFor` needs of the context (`MockContext` has both). */
export interface PlanSource {
  defaultPlan: TimedPlan;
  readonly nextPlans: NextPlans;
}

/**
 * The plan of a job being created now on a cluster: the cluster's next queued plan (consumed), else the
 * default plan. Returns a copy the job owns.
 */
export function planFor(ctx: PlanSource, groupId: string, clusterName: string): JobPlan;
export function planFor(ctx: PlanSource, cluster: { groupId: string; name: string }): JobPlan;
export function planFor(ctx: PlanSource, groupOrCluster: string | { groupId: string; name: string }, clusterName?: string): JobPlan {
  const [groupId, name] = typeof groupOrCluster === 'string' ? [groupOrCluster, clusterName ?? ''] : [groupOrCluster.groupId, groupOrCluster.name];
  const plan = ctx.nextPlans.take(groupId, name) ?? ctx.defaultPlan;
  return { ...plan };
}
