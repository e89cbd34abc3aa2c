/**
 * Which plan a newly created export job gets ("the next export on Cluster0 fails with this
 * stateReason"): the first plan queued for its cluster by the control API (`POST /__mock/plans/next`), used
 * `times` jobs in a row and then dropped; when nothing is queued, the default plan (`--queued`, `--running`,
 * `--outcome`, or `PUT /__mock/plans/default`).
 *
 * The create operation calls `planFor(ctx, groupId, clusterName)` (or `planFor(ctx, cluster)`) once per job
 * it creates. The job keeps its own copy: changing a plan later never moves jobs already created.
 */
import type { JobPlan, TimedPlan } from '../store/model.js';
import { nextPlanFor, NextPlans as GenericNextPlans, type ClusterQueue as GenericClusterQueue, type QueuedPlan as GenericQueuedPlan } from '../core/next-plans.js';

/** A plan waiting in a cluster's queue, for the next `remaining` jobs created there. */
export type QueuedPlan = GenericQueuedPlan<JobPlan>;
export type ClusterQueue = GenericClusterQueue<JobPlan>;

/** The queues of next-plans of export jobs, one per cluster (`core/next-plans.ts`). */
export class NextPlans extends GenericNextPlans<JobPlan> {}

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
  return nextPlanFor<JobPlan>(ctx.nextPlans, ctx.defaultPlan, groupId, name);
}
