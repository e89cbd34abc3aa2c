/**
 * Plans queued per cluster for the next resources created there (control API `POST /__mock/plans/next` for
 * export jobs, `POST /__mock/snapshots/plans/next` for on-demand snapshots): the first plan queued for a
 * cluster is used `times` times in a row and then dropped; when nothing is queued, the default plan.
 * Generic over the plan type, so export jobs and snapshots share the queueing and its rules.
 */

/** A plan waiting in a cluster's queue, for the next `remaining` resources created there. */
export interface QueuedPlan<P> {
  plan: P;
  remaining: number;
}

export interface ClusterQueue<P> {
  groupId: string;
  clusterName: string;
  plans: readonly QueuedPlan<P>[];
}

const key = (groupId: string, clusterName: string): string => `${groupId}/${clusterName}`;

/** The queues of next-plans, one per cluster (cluster names cannot hold `/`, so the key is unambiguous). */
export class NextPlans<P> {
  private readonly queues = new Map<string, { groupId: string; clusterName: string; plans: QueuedPlan<P>[] }>();

  /** Queues `plan` for the next `times` resources created on the cluster, after the plans already queued there. */
  push(groupId: string, clusterName: string, plan: P, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    const k = key(groupId, clusterName);
    let q = this.queues.get(k);
    if (!q) this.queues.set(k, (q = { groupId, clusterName, plans: [] }));
    q.plans.push({ plan, remaining: times });
  }

  /** The plan of the next resource created on the cluster, consumed; undefined when nothing is queued. */
  take(groupId: string, clusterName: string): P | undefined {
    if (this.queues.size === 0) return undefined;
    const k = key(groupId, clusterName);
    const q = this.queues.get(k);
    const head = q?.plans[0];
    if (!q || !head) return undefined;
    if (--head.remaining <= 0) q.plans.shift();
    if (q.plans.length === 0) this.queues.delete(k);
    return head.plan;
  }

  list(): ClusterQueue<P>[] {
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

/**
 * The plan of a resource being created now on a cluster: the cluster's next queued plan (consumed), else
 * the default plan. Returns a copy the resource owns: changing a plan later never moves it.
 */
export function nextPlanFor<P extends object>(queues: NextPlans<P>, defaultPlan: P, groupId: string, clusterName: string): P {
  return { ...(queues.take(groupId, clusterName) ?? defaultPlan) };
}
