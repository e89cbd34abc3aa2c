/**
 * Contract §7 lifecycle, derived from the plan and the clock: a manual clock walks planned jobs through
 * Queued → InProgress → Successful, and → Failed, checking every field at each step.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activeUntil, isActive, stateAt, timeline } from '../../src/exports/lifecycle.js';
import { parseDataset } from '../../src/fixtures/load.js';
import type { ExportJob } from '../../src/store/model.js';
import { assertSchema } from '../helpers/contract.js';
import { IDS, jobUrl, T0, testMock } from '../helpers/mock.js';

const CREATED = '2026-08-10T03:00:00Z';
const ID_OK = '6a793eb0aaaaaaaaaaaa0001'; // 0x6a793eb0 = 2026-08-10T03:00:00Z
const ID_FAIL = '6a793eb0aaaaaaaaaaaa0002';
const ID_SHARDED = '6a793eb0aaaaaaaaaaaa0003';

const planned = parseDataset({
  exportJobs: [
    { id: ID_OK, groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, plan: { queued: 'PT2M30S', running: 'PT12M', outcome: 'Successful' } },
    {
      id: ID_FAIL,
      groupId: IDS.group,
      clusterName: 'Cluster0',
      snapshotId: IDS.snapshotCompleted,
      exportBucketId: IDS.bucket,
      customData: [{ key: 'k', value: 'v' }],
      plan: { queued: '60s', running: '10m', outcome: 'Failed', stateReason: { errorCode: 'BUCKET_ACCESS_DENIED', message: 'denied' } },
    },
    { id: ID_SHARDED, groupId: IDS.group, clusterName: 'Sharded0', snapshotId: IDS.snapshotSharded, exportBucketId: IDS.bucket, plan: { queued: '1m', running: '1m' } },
  ],
});

const base = (id: string) => ({
  createdAt: CREATED,
  exportBucketId: IDS.bucket,
  id,
  prefix: `exported_snapshots/${IDS.org}/${IDS.group}/Cluster0/2024-05-24T1410/${T0 / 1000}`,
  snapshotId: IDS.snapshotCompleted,
});

describe('a planned job under a manual clock', () => {
  it('walks Queued → InProgress → Successful', async () => {
    const mock = testMock();
    mock.app.mock.load(planned);
    const get = async () => {
      const res = await mock.request({ url: jobUrl(ID_OK) });
      expect(res.statusCode).toBe(200);
      assertSchema('DiskBackupExportJob', res.json());
      return res.json();
    };
    const steps: [number, object][] = [
      [0, { state: 'Queued', exportStatus: { exportedCollections: 0, totalCollections: 42 } }],
      [149_999, { state: 'Queued', exportStatus: { exportedCollections: 0, totalCollections: 42 } }],
      [1, { state: 'InProgress', exportStatus: { exportedCollections: 0, totalCollections: 42 } }],
      [360_000, { state: 'InProgress', exportStatus: { exportedCollections: 21, totalCollections: 42 } }],
      [359_999, { state: 'InProgress', exportStatus: { exportedCollections: 41, totalCollections: 42 } }],
      [1, { state: 'Successful', exportStatus: { exportedCollections: 42, totalCollections: 42 }, finishedAt: '2026-08-10T03:14:30Z' }],
      [86_400_000, { state: 'Successful', exportStatus: { exportedCollections: 42, totalCollections: 42 }, finishedAt: '2026-08-10T03:14:30Z' }],
    ];
    for (const [advance, expected] of steps) {
      mock.clock.advanceBy(advance);
      expect(await get()).toEqual({ ...base(ID_OK), customData: [], ...expected });
    }
  });

  it('walks Queued → InProgress → Failed with its stateReason', async () => {
    const mock = testMock();
    mock.app.mock.load(planned);
    const get = async () => (await mock.request({ url: jobUrl(ID_FAIL) })).json();
    const common = { ...base(ID_FAIL), customData: [{ key: 'k', value: 'v' }] };
    expect(await get()).toEqual({ ...common, state: 'Queued', exportStatus: { exportedCollections: 0, totalCollections: 42 } });
    mock.clock.advanceBy(60_000);
    expect(await get()).toEqual({ ...common, state: 'InProgress', exportStatus: { exportedCollections: 0, totalCollections: 42 } });
    mock.clock.advanceBy(300_000);
    expect(await get()).toEqual({ ...common, state: 'InProgress', exportStatus: { exportedCollections: 21, totalCollections: 42 } });
    mock.clock.advanceBy(300_000);
    const failed = await get();
    expect(failed).toEqual({
      ...common,
      state: 'Failed',
      exportStatus: { exportedCollections: 21, totalCollections: 42 },
      finishedAt: '2026-08-10T03:11:00Z',
      stateReason: { errorCode: 'BUCKET_ACCESS_DENIED', message: 'denied' },
    });
    assertSchema('DiskBackupExportJob', failed);
  });

  it('a sharded job shows components in every state and never exportStatus', async () => {
    const mock = testMock();
    mock.app.mock.load(planned);
    for (const [advance, state] of [[0, 'Queued'], [60_000, 'InProgress'], [60_000, 'Successful']] as const) {
      mock.clock.advanceBy(advance);
      const body = (await mock.request({ url: jobUrl(ID_SHARDED, 'Sharded0') })).json();
      expect(body.state).toBe(state);
      expect(body.components).toHaveLength(2);
      expect(body.exportStatus).toBeUndefined();
    }
  });
});

describe('stateAt and timeline', () => {
  const job = (plan: ExportJob['plan']): ExportJob => ({ id: ID_OK, groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, createdAt: T0, customData: [], plan });

  it('Cancelled ends with finishedAt and no stateReason', () => {
    const j = job({ kind: 'timed', queuedMs: 1000, runningMs: 1000, outcome: 'Cancelled' });
    expect(stateAt(j, T0 + 2000, 10)).toEqual({ state: 'Cancelled', exportedCollections: 5, totalCollections: 10, finishedAt: T0 + 2000 });
  });

  it('Never stays InProgress for ever: the count rises over the running time, then holds at total − 1', () => {
    const j = job({ kind: 'timed', queuedMs: 1000, runningMs: 1000, outcome: 'Never' });
    expect(stateAt(j, T0 + 1500, 10)).toEqual({ state: 'InProgress', exportedCollections: 5, totalCollections: 10 });
    for (const now of [T0 + 2000, T0 + 3000, T0 + 10 * 365 * 86_400_000]) expect(stateAt(j, now, 10)).toEqual({ state: 'InProgress', exportedCollections: 9, totalCollections: 10 });
    expect(timeline(j)).toEqual([{ state: 'Queued', at: T0 }, { state: 'InProgress', at: T0 + 1000 }]);
  });

  it('a Failed plan without a reason gets the default one; timeline lists each state with its time', () => {
    const j = job({ kind: 'timed', queuedMs: 5, runningMs: 10, outcome: 'Failed' });
    expect(stateAt(j, T0 + 15, 0).stateReason?.errorCode).toBe('EXPORT_FAILED');
    expect(timeline(j)).toEqual([{ state: 'Queued', at: T0 }, { state: 'InProgress', at: T0 + 5 }, { state: 'Failed', at: T0 + 15 }]);
  });

  it('an empty cluster exports 0 of 0, as recorded', () => {
    const j = job({ kind: 'timed', queuedMs: 5, runningMs: 10, outcome: 'Successful' });
    expect(stateAt(j, T0 + 7, 0)).toEqual({ state: 'InProgress', exportedCollections: 0, totalCollections: 0 });
    expect(stateAt(j, T0 + 15, 0)).toEqual({ state: 'Successful', exportedCollections: 0, totalCollections: 0, finishedAt: T0 + 15 });
  });

  it('a pinned job ignores the clock: the pinned state and count at any time', () => {
    const j = job({ kind: 'pinned', state: 'InProgress', exportedCollections: 3 });
    for (const now of [T0 - 86_400_000, T0, T0 + 1, T0 + 1e12]) expect(stateAt(j, now, 10)).toEqual({ state: 'InProgress', exportedCollections: 3, totalCollections: 10 });
    expect(timeline(j)).toEqual([{ state: 'InProgress' }]);
    // Terminal: the pinned finishedAt whatever the time.
    const failed = job({ kind: 'pinned', state: 'Failed', exportedCollections: 4, finishedAt: T0 + 5000, stateReason: { errorCode: 'X', message: 'pinned' } });
    for (const now of [T0, T0 + 1e12])
      expect(stateAt(failed, now, 10)).toEqual({ state: 'Failed', exportedCollections: 4, totalCollections: 10, finishedAt: T0 + 5000, stateReason: { errorCode: 'X', message: 'pinned' } });
  });
});

describe('activeUntil', () => {
  it('is when isActive turns false: isActive(job, now) === now < activeUntil(job), for any plan and instant', () => {
    const state = fc.constantFrom('Queued', 'InProgress', 'Successful', 'Failed', 'Cancelled');
    const plan = fc.oneof(
      fc.record({ kind: fc.constant('timed' as const), queuedMs: fc.nat(1_000_000), runningMs: fc.nat(1_000_000), outcome: fc.constantFrom('Successful', 'Failed', 'Cancelled', 'Never') }),
      fc.record({ kind: fc.constant('pinned' as const), state }),
    );
    fc.assert(
      fc.property(plan, fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: -3_000_000, max: 3_000_000 }), (p, createdAt, offset) => {
        const job = { id: 'x', groupId: 'g', clusterName: 'c', snapshotId: 's', exportBucketId: 'b', createdAt, customData: [], plan: p } as unknown as ExportJob;
        const now = createdAt + offset;
        expect(isActive(job, now)).toBe(now < activeUntil(job));
      }),
      { numRuns: 20_000 },
    );
  });
});
