/** planFor: the plan a created job gets — the cluster's queued next-plans first (consumed), then the default. */
import { describe, expect, it } from 'vitest';
import { NextPlans, planFor, type PlanSource } from '../../src/exports/plans.js';
import type { JobPlan, TimedPlan } from '../../src/store/model.js';
import { IDS, testMock } from '../helpers/mock.js';

const DEFAULT: TimedPlan = { kind: 'timed', queuedMs: 150_000, runningMs: 720_000, outcome: 'Successful' };
const FAIL: JobPlan = { kind: 'timed', queuedMs: 1000, runningMs: 2000, outcome: 'Failed', stateReason: { errorCode: 'X', message: 'boom' } };
const PIN: JobPlan = { kind: 'pinned', state: 'Cancelled' };

const source = (): PlanSource => ({ defaultPlan: DEFAULT, nextPlans: new NextPlans() });

describe('planFor', () => {
  it('gives the default plan when nothing is queued, as a copy the job owns', () => {
    const ctx = source();
    const plan = planFor(ctx, IDS.group, 'Cluster0');
    expect(plan).toEqual(DEFAULT);
    expect(plan).not.toBe(DEFAULT);
  });

  it('consumes the queue of its own cluster in order, `times` jobs per plan, then falls back to the default', () => {
    const ctx = source();
    ctx.nextPlans.push(IDS.group, 'Cluster0', FAIL, 2);
    ctx.nextPlans.push(IDS.group, 'Cluster0', PIN);
    // Another cluster and another project are not affected.
    expect(planFor(ctx, IDS.group, 'Sharded0')).toEqual(DEFAULT);
    expect(planFor(ctx, IDS.otherGroup, 'Cluster0')).toEqual(DEFAULT);
    expect(planFor(ctx, IDS.group, 'Cluster0')).toEqual(FAIL);
    expect(planFor(ctx, { groupId: IDS.group, name: 'Cluster0' })).toEqual(FAIL);
    expect(planFor(ctx, IDS.group, 'Cluster0')).toEqual(PIN);
    expect(planFor(ctx, IDS.group, 'Cluster0')).toEqual(DEFAULT);
    expect(ctx.nextPlans.size).toBe(0);
  });

  it('follows a replaced default plan', () => {
    const ctx = source();
    ctx.defaultPlan = { ...DEFAULT, outcome: 'Cancelled' };
    expect(planFor(ctx, IDS.group, 'Cluster0')).toMatchObject({ outcome: 'Cancelled' });
  });

  it('works on the app context, whose queue the control API fills', async () => {
    const { app } = testMock();
    await app.ready();
    const res = await app.inject({
      method: 'POST',
      url: '/__mock/plans/next',
      payload: { groupId: IDS.group, clusterName: 'Cluster0', plan: { outcome: 'Failed', stateReason: { errorCode: 'EXPORT_FAILED', message: 'disk full' } } },
    });
    expect(res.statusCode).toBe(201);
    // Missing durations come from the default plan.
    expect(planFor(app.mock, IDS.group, 'Cluster0')).toEqual({ ...app.mock.defaultPlan, outcome: 'Failed', stateReason: { errorCode: 'EXPORT_FAILED', message: 'disk full' } });
    expect(planFor(app.mock, IDS.group, 'Cluster0')).toEqual(app.mock.defaultPlan);
  });
});

describe('NextPlans', () => {
  it('lists and clears per cluster / project and refuses a non-positive count', () => {
    const q = new NextPlans();
    q.push(IDS.group, 'Cluster0', FAIL, 3);
    q.push(IDS.group, 'Sharded0', PIN);
    q.push(IDS.otherGroup, 'Cluster0', PIN);
    expect(q.list().map((c) => [c.groupId, c.clusterName, c.plans[0]!.remaining])).toEqual([
      [IDS.group, 'Cluster0', 3],
      [IDS.group, 'Sharded0', 1],
      [IDS.otherGroup, 'Cluster0', 1],
    ]);
    expect(q.clear(IDS.group, 'Sharded0')).toBe(1);
    expect(q.clear(IDS.group)).toBe(1);
    expect(q.list().map((c) => c.groupId)).toEqual([IDS.otherGroup]);
    expect(() => q.push(IDS.group, 'Cluster0', PIN, 0)).toThrow(RangeError);
  });
});
