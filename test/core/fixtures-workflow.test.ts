/**
 * The fixture format of the export workflow's data (src/fixtures/schema.ts): backup schedules, snapshots
 * with plans, retention and deletion, changed scheduled snapshots and auto-export job plans — validated
 * like the other keys (JSON path and what is wrong), references checked, and served as given.
 */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { DatasetError } from '../../src/fixtures/apply.js';
import { IDS, testMock } from '../helpers/mock.js';
import { scheduleUrl, snapshotsUrl, V2024_08 } from '../helpers/workflow.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('workflow fixtures', () => {
  it('refuses bad values with their JSON path', () => {
    expect(problemsOf(() => parseDataset({ backupSchedules: [{ groupId: IDS.group, clusterName: 'Cluster0', policyItems: [{ frequencyType: 'hourly', frequencyInterval: 3, retentionUnit: 'days', retentionValue: 1 }] }] }))).toEqual([
      '$.backupSchedules[0].policyItems[0].frequencyInterval: frequencyInterval is not one this frequencyType allows (hourly 1 2 4 6 8 12; daily 1; weekly 1-7; monthly 1-28 or 40; yearly 1-12)',
    ]);
    expect(problemsOf(() => parseDataset({ backupSchedules: [{ groupId: IDS.group, clusterName: 'Cluster0', autoExportEnabled: true }] }))).toEqual(['$.backupSchedules[0].export: autoExportEnabled needs export.exportBucketId and export.frequencyType']);
    expect(problemsOf(() => parseDataset({ snapshots: [{ id: IDS.snapshotCompleted, groupId: IDS.group, clusterName: 'Cluster0', status: 'queued', plan: {} }] }))).toEqual(['$.snapshots[0].plan: give either plan or status / completesAfter / completesAt, not both']);
  });

  it('checks references against the store: cluster, bucket of the project, derived ids', async () => {
    const mock = testMock();
    const load = (ds: unknown) => problemsOf(() => mock.app.mock.load(parseDataset(ds), { transient: true }));
    expect(load({ backupSchedules: [{ groupId: IDS.group, clusterName: 'Nope' }] })).toEqual([`$.backupSchedules[0].clusterName: unknown cluster Nope in project ${IDS.group}`]);
    expect(load({ backupSchedules: [{ groupId: IDS.otherGroup, clusterName: 'Cluster0', export: { exportBucketId: IDS.bucket, frequencyType: 'daily' } }] })).toEqual([
      `$.backupSchedules[0].export.exportBucketId: export bucket ${IDS.bucket} belongs to project ${IDS.group}`,
    ]);
    expect(load({ snapshots: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', groupId: IDS.group, clusterName: 'Cluster0', scheduled: true }] })).toEqual(['$.snapshots[0].id: aaaaaaaaaaaaaaaaaaaaaaaa is not the id of a scheduled snapshot of cluster Cluster0']);
    expect(load({ autoExportJobPlans: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', groupId: IDS.group, clusterName: 'Cluster0', pin: { state: 'Failed' } }] })).toEqual(['$.autoExportJobPlans[0].id: aaaaaaaaaaaaaaaaaaaaaaaa is not the id of an auto-export job of cluster Cluster0']);
    expect(load({ backupSchedules: [{ groupId: IDS.group, clusterName: 'Cluster0' }, { groupId: IDS.group, clusterName: 'Cluster0' }] })[0]).toMatch(/duplicate backup schedule of/);
    await mock.app.close();
  });

  it('serves a fixture schedule: what it leaves out is the default; a snapshot with a retention expires, one without is kept', async () => {
    const mock = testMock();
    mock.app.mock.load(
      parseDataset({
        backupSchedules: [{ groupId: IDS.group, clusterName: 'Sharded0', referenceHourOfDay: 2, policyItems: [{ frequencyType: 'weekly', frequencyInterval: 7, retentionUnit: 'weeks', retentionValue: 3 }], restoreWindowDays: 2 }],
        snapshots: [
          { id: '6a7943462c88faeba59cc001', groupId: IDS.group, clusterName: 'Cluster0', createdAt: '2026-08-10T02:00:00Z', retention: 'PT2H' },
          { id: '6a7943462c88faeba59cc002', groupId: IDS.group, clusterName: 'Cluster0', createdAt: '2026-08-10T02:00:00Z' },
        ],
      }),
    );
    const s = (await mock.request({ url: scheduleUrl('Sharded0'), headers: { accept: V2024_08 } })).json();
    expect([s.referenceHourOfDay, s.restoreWindowDays, s.policies[0].policyItems.map((p: { frequencyType: string }) => p.frequencyType)]).toEqual([2, 2, ['weekly']]);
    // Both taken at 02:00 with a fixed completed status: the first kept 2 h from then, the second for ever.
    mock.clock.advanceBy(3 * 3_600_000);
    expect((await mock.request({ url: `${snapshotsUrl()}/6a7943462c88faeba59cc001` })).statusCode).toBe(404);
    expect((await mock.request({ url: `${snapshotsUrl()}/6a7943462c88faeba59cc002` })).statusCode).toBe(200);
    await mock.app.close();
  });
});
