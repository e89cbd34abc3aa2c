/**
 * Which plan a newly created export job gets: the cluster's "next plan" when one is set, else the default
 * plan (`--queued`, `--running`, `--outcome`; about 2.5 min queued, 12 min in progress, Successful).
 *
 * HOOK for the control API (issue 5: "the next export on Cluster0 fails with this stateReason"): it fills
 * `ctx.nextPlans` (key `clusterPlanKey(groupId, clusterName)`), and may delete the entry once used if it wants
 * one-shot plans. The job keeps a copy: changing a plan later never moves jobs already created.
 */
import type { Cluster, JobPlan, TimedPlan } from '../store/model.js';

export const clusterPlanKey = (groupId: string, clusterName: string): string => `${groupId}/${clusterName}`;

export interface PlanSource {
  defaultPlan: TimedPlan;
  readonly nextPlans: Map<string, JobPlan>;
}

export function planFor(ctx: PlanSource, cluster: Cluster): JobPlan {
  const plan = ctx.nextPlans.get(clusterPlanKey(cluster.groupId, cluster.name)) ?? ctx.defaultPlan;
  return { ...plan };
}
