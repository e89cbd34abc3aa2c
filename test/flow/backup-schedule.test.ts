/**
 * Backup schedules (contract §9) and what derives from them as mock time passes: scheduled snapshots (one
 * per policy item time, kept by retention) and auto-export jobs, listed and read like stored ones.
 */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { errorOf } from '../helpers/flow.js';
import { generateOpenApi } from '../helpers/openapi.js';
import { VALID_INTERVALS } from '../../src/schedules/grid.js';
import { exportsUrl, IDS, T0, testMock, type TestMock } from '../helpers/mock.js';
import { allPages, DAY, HOUR, patchSchedule, scheduleUrl, snapshotsUrl, V2023, V2024_08 } from '../helpers/workflow.js';

/** A cluster created at T0 (its id's time): its default policy dates from then, with no snapshot yet. */
const FRESH = 'Fresh0';
const FRESH_ID = Math.floor(T0 / 1000).toString(16) + '0000000000000001';

function freshMock(): TestMock {
  const mock = testMock();
  mock.app.mock.load(parseDataset({ clusters: [{ id: FRESH_ID, groupId: IDS.group, name: FRESH, collections: 4 }] }));
  return mock;
}

const hourly = (retentionValue = 1, retentionUnit = 'days') => ({ policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 1, retentionUnit, retentionValue }] }] });
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('the backup schedule', () => {
  it('a cluster has Atlas\'s default policy from its creation, at both resource versions', async () => {
    const mock = testMock();
    const old = await mock.request({ url: scheduleUrl(), headers: { accept: V2023 } });
    expect([old.statusCode, old.headers['deprecation'], old.headers['sunset']]).toEqual([200, 'Mon, 5 Aug 2024 00:00:00 GMT', 'Thu, 1 Jul 2027 00:00:00 GMT']);
    const res = await mock.request({ url: scheduleUrl(), headers: { accept: V2024_08 } });
    expect([res.statusCode, res.headers['deprecation'], res.headers['content-type']]).toEqual([200, undefined, 'application/vnd.atlas.2024-08-05+json;charset=utf-8']);
    const s = res.json();
    expect(Object.keys(s)).toEqual(['autoExportEnabled', 'clusterId', 'clusterName', 'copyPolicyItemsEnabled', 'copySettings', 'links', 'nextSnapshot', 'policies', 'referenceHourOfDay', 'referenceMinuteOfHour', 'restoreWindowDays', 'useOrgAndGroupNamesInExportPrefix']);
    // Cluster0's id time is 2024-05-24T14:14:25Z: reference 14:14, snapshots at :26 every 6 hours.
    expect([s.clusterId, s.referenceHourOfDay, s.referenceMinuteOfHour, s.nextSnapshot]).toEqual(['6650a0c1f1d2e3a4b5c6d7e2', 14, 14, '2026-08-10T08:14:26Z']);
    expect(s.policies[0].policyItems.map((p: any) => `${p.frequencyType}/${p.frequencyInterval}/${p.retentionValue} ${p.retentionUnit}`)).toEqual(['hourly/6/7 days', 'daily/1/7 days', 'weekly/6/4 weeks', 'monthly/40/12 months', 'yearly/12/1 years']);
    await mock.app.close();
  });

  it('scheduled snapshots appear one per policy item time as time passes, and expire by retention', async () => {
    const mock = freshMock();
    expect((await patchSchedule(mock, hourly(1), V2024_08, FRESH)).statusCode).toBe(200);
    expect((await allPages(mock, snapshotsUrl(FRESH))).totalCount).toBe(0);
    mock.clock.advanceBy(5 * HOUR + 30 * 60_000);
    const page = await allPages(mock, snapshotsUrl(FRESH));
    // 03:00:01 is the minute the policy was set (no snapshot then); 04:00:01 … 08:00:01.
    expect(page.results.map((s) => s.createdAt)).toEqual([5, 4, 3, 2, 1].map((h) => iso(T0 + h * HOUR + 1000)));
    expect(page.results.every((s) => s.snapshotType === 'scheduled' && s.frequencyType === 'hourly' && s.status === 'completed' && s.policyItems.length === 1)).toBe(true);
    const one = await mock.request({ url: `${snapshotsUrl(FRESH)}/${page.results[2].id}` });
    expect(one.json()).toEqual(page.results[2]);
    mock.clock.advanceBy(DAY);
    const later = await allPages(mock, snapshotsUrl(FRESH));
    // Kept one day after completion: the 24 most recent hours.
    expect(later.totalCount).toBe(24);
    expect((await mock.request({ url: `${snapshotsUrl(FRESH)}/${page.results[4].id}` })).statusCode).toBe(404);
    await mock.app.close();
  });

  it('pages through a month of hourly snapshots: every one once, newest first, counts consistent', async () => {
    const mock = freshMock();
    await patchSchedule(mock, hourly(60), V2024_08, FRESH);
    mock.clock.advanceBy(30 * DAY + 90 * 60_000);
    const all = await allPages(mock, snapshotsUrl(FRESH), 97);
    expect(all.totalCount).toBe(30 * 24 + 1);
    expect(new Set(all.results.map((s) => s.id)).size).toBe(all.totalCount);
    const times = all.results.map((s) => Date.parse(s.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const page5 = (await mock.request({ url: `${snapshotsUrl(FRESH)}?itemsPerPage=97&pageNum=5` })).json();
    expect(page5.results.map((s: { id: string }) => s.id)).toEqual(all.results.slice(4 * 97, 5 * 97).map((s) => s.id));
    await mock.app.close();
  });

  it('a time several items share is one snapshot: labelled by the least frequent, kept the longest', async () => {
    const mock = testMock();
    // The default policy: 2026-07-31 (a Friday) is the last day of July: hourly, daily and monthly at 14:14:26.
    const all = await allPages(mock, snapshotsUrl());
    const monthly = all.results.find((s) => s.createdAt === '2026-07-31T14:14:26Z');
    expect(monthly).toMatchObject({ frequencyType: 'monthly', snapshotType: 'scheduled', expiresAt: '2027-07-31T14:15:39Z' });
    expect(monthly.policyItems).toHaveLength(3);
    // The 6-hourly ones of the last week, one daily a day among them, weeklies on Saturdays, monthlies, one yearly.
    expect(all.results.filter((s) => s.frequencyType === 'yearly').map((s) => s.createdAt)).toEqual(['2025-12-01T14:14:26Z']);
    await mock.app.close();
  });

  it.each([
    ['a reference hour out of range', { referenceHourOfDay: 24 }, 'INVALID_REFERENCE_HOUR_OF_DAY', []],
    ['a reference minute out of range', { referenceMinuteOfHour: -1 }, 'INVALID_REFERENCE_MINUTE_OF_HOUR', []],
    ['a restore window of 0 days', { restoreWindowDays: 0 }, 'INVALID_RESTORE_WINDOW', []],
    ['two policies', { policies: [{ policyItems: [] }, { policyItems: [] }] }, 'INVALID_NUM_OF_POLICIES', []],
    ['another policy id', { policies: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', policyItems: [] }] }, 'INVALID_POLICY_ID', ['aaaaaaaaaaaaaaaaaaaaaaaa']],
    ['no policy item', { policies: [{ policyItems: [] }] }, 'INVALID_NUM_OF_POLICY_ITEMS', []],
    ['an unknown policy item id', { policies: [{ policyItems: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 1 }] }] }, 'INVALID_POLICY_ITEM_ID', ['aaaaaaaaaaaaaaaaaaaaaaaa']],
    ['an hourly interval of 5', { policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 5, retentionUnit: 'days', retentionValue: 1 }] }] }, 'INVALID_BACKUP_POLICY', ['frequencyInterval 5 is not valid for a hourly policy item']],
    ['a retention of 0', { policies: [{ policyItems: [{ frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 0 }] }] }, 'BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID', []],
    ['an unknown export bucket', { export: { exportBucketId: 'aaaaaaaaaaaaaaaaaaaaaaaa', frequencyType: 'daily' } }, 'EXPORT_BUCKET_NOT_FOUND', ['aaaaaaaaaaaaaaaaaaaaaaaa']],
    ['auto export without an export policy', { autoExportEnabled: true }, 'MISSING_ATTRIBUTE', ['export.exportBucketId']],
    ['an hourly export frequency', { export: { exportBucketId: IDS.bucket, frequencyType: 'hourly' } }, 'INVALID_ATTRIBUTE', ['export.frequencyType']],
  ])('PATCH refuses %s', async (_name, body, errorCode, parameters) => {
    const mock = testMock();
    const res = await patchSchedule(mock, body);
    expect(errorOf(res)).toEqual({ status: errorCode === 'EXPORT_BUCKET_NOT_FOUND' ? 404 : 400, errorCode, parameters });
    // Nothing changed.
    expect((await mock.request({ url: scheduleUrl(), headers: { accept: V2024_08 } })).json().policies[0].policyItems).toHaveLength(5);
    await mock.app.close();
  });

  it('the OpenAPI document states the bounds PATCH checks, and a value at a bound is accepted (found by schemathesis: the document allowed any integer)', async () => {
    type Schema = { properties: Record<string, any> };
    const doc = JSON.parse((await generateOpenApi()).atlas) as { components: { schemas: Record<string, Schema> } };
    for (const name of ['DiskBackupSnapshotScheduleRequest', 'DiskBackupSnapshotSchedule20240805Request']) {
      const p = doc.components.schemas[name]!.properties;
      expect([p.referenceHourOfDay.minimum, p.referenceHourOfDay.maximum, p.referenceMinuteOfHour.minimum, p.referenceMinuteOfHour.maximum, p.restoreWindowDays.minimum]).toEqual([0, 23, 0, 59, 1]);
      expect([p.policies.minItems, p.policies.maxItems, p.policies.items.properties.policyItems.minItems]).toEqual([1, 1, 1]);
      const item = p.policies.items.properties.policyItems.items.properties;
      expect(item.retentionValue.minimum).toBe(1);
      expect(item.frequencyInterval.enum).toEqual([...new Set(Object.values(VALID_INTERVALS).flat())].sort((a, b) => a - b));
    }
    expect(doc.components.schemas.BackupSnapshotRetention!.properties.retentionValue.minimum).toBe(1);
    const mock = testMock();
    for (const body of [{ referenceHourOfDay: 0, referenceMinuteOfHour: 0 }, { referenceHourOfDay: 23, referenceMinuteOfHour: 59, restoreWindowDays: 1 }, hourly(1), { policies: [{ policyItems: [{ frequencyType: 'monthly', frequencyInterval: 40, retentionUnit: 'months', retentionValue: 1 }] }] }]) {
      const res = await patchSchedule(mock, body);
      expect([JSON.stringify(body), res.statusCode]).toEqual([JSON.stringify(body), 200]);
    }
    await mock.app.close();
  });

  it('PATCH keeps what it does not name; an item keeps its id and may not change its frequency', async () => {
    const mock = testMock();
    const before = (await mock.request({ url: scheduleUrl(), headers: { accept: V2024_08 } })).json();
    const [h, d] = before.policies[0].policyItems;
    const res = await patchSchedule(mock, { referenceHourOfDay: 5, policies: [{ id: before.policies[0].id, policyItems: [{ ...d, retentionValue: 9 }, h] }] });
    const after = res.json();
    expect([after.referenceHourOfDay, after.referenceMinuteOfHour, after.restoreWindowDays]).toEqual([5, before.referenceMinuteOfHour, 7]);
    // Most frequent first, as Atlas lists them.
    expect(after.policies[0].policyItems).toEqual([h, { ...d, retentionValue: 9 }]);
    expect(errorOf(await patchSchedule(mock, { policies: [{ policyItems: [{ ...h, frequencyType: 'daily', frequencyInterval: 1 }] }] }))).toEqual({ status: 400, errorCode: 'INVALID_FREQUENCY_TYPE_CHANGE', parameters: [] });
    await mock.app.close();
  });

  it('DELETE removes the policy items: no next snapshot, none taken after, earlier ones kept until they expire', async () => {
    const mock = freshMock();
    await patchSchedule(mock, hourly(2), V2024_08, FRESH);
    mock.clock.advanceBy(3 * HOUR + 30_000);
    const res = await mock.request({ method: 'DELETE', url: scheduleUrl(FRESH), headers: { accept: V2024_08 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().policies[0].policyItems).toEqual([]);
    expect(res.json().nextSnapshot).toBeUndefined();
    const count = async () => (await allPages(mock, snapshotsUrl(FRESH))).totalCount;
    expect(await count()).toBe(3);
    mock.clock.advanceBy(10 * HOUR);
    expect(await count()).toBe(3);
    mock.clock.advanceBy(2 * DAY);
    expect(await count()).toBe(0);
    await mock.app.close();
  });

  it('updateSnapshots applies a changed retention to the snapshots already taken', async () => {
    const mock = freshMock();
    const set = (await patchSchedule(mock, hourly(1), V2024_08, FRESH)).json();
    mock.clock.advanceBy(2 * HOUR);
    const first = (await allPages(mock, snapshotsUrl(FRESH))).results.at(-1);
    const item = set.policies[0].policyItems[0];
    await patchSchedule(mock, { updateSnapshots: true, policies: [{ policyItems: [{ ...item, retentionValue: 3 }] }] }, V2024_08, FRESH);
    const again = (await mock.request({ url: `${snapshotsUrl(FRESH)}/${first.id}` })).json();
    expect(Date.parse(again.expiresAt) - Date.parse(first.expiresAt)).toBe(2 * DAY);
    await mock.app.close();
  });
});

describe('scheduled snapshots a client changes', () => {
  it('a scheduled snapshot can be re-retained and deleted like any other; the list follows', async () => {
    const mock = freshMock();
    await patchSchedule(mock, hourly(1), V2024_08, FRESH);
    mock.clock.advanceBy(4 * HOUR);
    const [newest, , third] = (await allPages(mock, snapshotsUrl(FRESH))).results;
    const patched = await mock.request({ method: 'PATCH', url: `${snapshotsUrl(FRESH)}/${third.id}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ retentionUnit: 'MONTHS', retentionValue: 1 }) });
    expect(patched.statusCode).toBe(200);
    expect((await mock.request({ method: 'DELETE', url: `${snapshotsUrl(FRESH)}/${newest.id}` })).statusCode).toBe(204);
    expect((await mock.request({ url: `${snapshotsUrl(FRESH)}/${newest.id}` })).statusCode).toBe(404);
    mock.clock.advanceBy(2 * DAY);
    // The hourly ones of the last day, and the one kept a month.
    const all = await allPages(mock, snapshotsUrl(FRESH));
    expect(all.results.at(-1).id).toBe(third.id);
    expect(all.results.at(-1).expiresAt).toBe(patched.json().expiresAt);
    expect(all.totalCount).toBe(all.results.length);
    expect(all.results.map((s) => s.id)).not.toContain(newest.id);
    await mock.app.close();
  });
});

describe('auto export', () => {
  const exportDaily = { autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'daily' }, policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 6, retentionUnit: 'days', retentionValue: 2 }, { frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 7 }] }] };

  it('exports each snapshot of the policy\'s frequency by itself; the jobs list and read like stored ones', async () => {
    const mock = freshMock();
    const set = await patchSchedule(mock, exportDaily, V2024_08, FRESH);
    expect(set.json().export).toEqual({ exportBucketId: IDS.bucket, frequencyType: 'daily' });
    mock.clock.advanceBy(3 * DAY + HOUR);
    const jobs = await allPages(mock, exportsUrl(IDS.group, FRESH));
    // One daily snapshot a day at 03:00:01 (not the first minute's): 11, 12, 13 August.
    expect(jobs.totalCount).toBe(3);
    const snapshots = (await allPages(mock, snapshotsUrl(FRESH))).results;
    for (const job of jobs.results) {
      const snapshot = snapshots.find((s) => s.id === job.snapshotId);
      expect(snapshot.frequencyType).toBe('daily');
      expect(job).toMatchObject({ exportBucketId: IDS.bucket, customData: [], exportStatus: { totalCollections: 4 } });
      // Created when the snapshot completed; the prefix names its time.
      expect(Date.parse(job.createdAt)).toBe(Date.parse(snapshot.createdAt) + 73_000);
      expect(job.prefix).toBe(`exported_snapshots/${IDS.org}/${IDS.group}/${FRESH}/${snapshot.createdAt.slice(0, 13)}${snapshot.createdAt.slice(14, 16)}/${Date.parse(job.createdAt) / 1000}`);
      expect((await mock.request({ url: `${exportsUrl(IDS.group, FRESH)}/${job.id}` })).json()).toEqual(job);
    }
    expect(jobs.results.map((j) => j.state)).toEqual(['Successful', 'Successful', 'Successful']);
    await mock.app.close();
  });

  it('a running auto-export blocks a manual export of its snapshot (409), and moves Queued → InProgress → Successful', async () => {
    const mock = freshMock();
    await patchSchedule(mock, exportDaily, V2024_08, FRESH);
    mock.clock.advanceBy(DAY + 2 * 60_000);
    const [job] = (await allPages(mock, exportsUrl(IDS.group, FRESH))).results;
    expect(job.state).toBe('Queued');
    const manual = await mock.request({ method: 'POST', url: exportsUrl(IDS.group, FRESH), headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ snapshotId: job.snapshotId, exportBucketId: IDS.bucket }) });
    expect(errorOf(manual)).toEqual({ status: 409, errorCode: 'EXPORT_ALREADY_IN_PROGRESS', parameters: [job.snapshotId] });
    mock.clock.advanceBy(5 * 60_000);
    expect((await mock.request({ url: `${exportsUrl(IDS.group, FRESH)}/${job.id}` })).json().state).toBe('InProgress');
    mock.clock.advanceBy(15 * 60_000);
    expect((await mock.request({ url: `${exportsUrl(IDS.group, FRESH)}/${job.id}` })).json().state).toBe('Successful');
    await mock.app.close();
  });

  it('useOrgAndGroupNamesInExportPrefix: names in the prefixes of jobs created from then on, ids before', async () => {
    const mock = freshMock();
    await patchSchedule(mock, exportDaily, V2024_08, FRESH);
    mock.clock.advanceBy(DAY + HOUR);
    await patchSchedule(mock, { useOrgAndGroupNamesInExportPrefix: true }, V2024_08, FRESH);
    mock.clock.advanceBy(DAY);
    const [before, after] = (await allPages(mock, exportsUrl(IDS.group, FRESH))).results;
    expect(before.prefix.startsWith(`exported_snapshots/${IDS.org}/${IDS.group}/${FRESH}/`)).toBe(true);
    // "Mock Org" / "mock-project": spaces become underscores [D].
    expect(after.prefix.startsWith(`exported_snapshots/Mock_Org/mock-project/${FRESH}/`)).toBe(true);
    await mock.app.close();
  });

  it('deleting a scheduled snapshot while its export runs cancels the export', async () => {
    const mock = freshMock();
    await patchSchedule(mock, exportDaily, V2024_08, FRESH);
    mock.clock.advanceBy(DAY + 5 * 60_000);
    const [job] = (await allPages(mock, exportsUrl(IDS.group, FRESH))).results;
    expect(job.state).toBe('InProgress');
    expect((await mock.request({ method: 'DELETE', url: `${snapshotsUrl(FRESH)}/${job.snapshotId}` })).statusCode).toBe(204);
    mock.clock.advanceBy(HOUR);
    const after = (await mock.request({ url: `${exportsUrl(IDS.group, FRESH)}/${job.id}` })).json();
    expect([after.state, after.prefix]).toEqual(['Cancelled', job.prefix]);
    await mock.app.close();
  });

  it('a bucket auto export writes to cannot be deleted; once auto export is off it can, and the policy forgets it', async () => {
    const mock = freshMock();
    await patchSchedule(mock, exportDaily, V2024_08, FRESH);
    const bucket = `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets/${IDS.bucket}`;
    // The fixtures' pinned Queued / InProgress jobs use the bucket too: finish them first.
    for (const id of [IDS.jobQueued, IDS.jobInProgress]) await mock.app.inject({ method: 'PUT', url: `/__mock/exports/${id}/plan`, payload: { pin: { state: 'Successful' } } });
    expect(errorOf(await mock.request({ method: 'DELETE', url: bucket })).errorCode).toBe('EXPORT_BUCKET_DELETE_FAILED_BUCKET_IN_USE');
    await patchSchedule(mock, { autoExportEnabled: false }, V2024_08, FRESH);
    expect((await mock.request({ method: 'DELETE', url: bucket })).statusCode).toBe(204);
    const s = (await mock.request({ url: scheduleUrl(FRESH), headers: { accept: V2024_08 } })).json();
    expect([s.autoExportEnabled, s.export]).toEqual([false, undefined]);
    await mock.app.close();
  });

  it('jobsActiveIn: stored and derived jobs active or finishing in a period', async () => {
    const mock = freshMock();
    await patchSchedule(mock, exportDaily, V2024_08, FRESH);
    mock.clock.advanceBy(2 * DAY + HOUR);
    const exports = mock.app.mock.exports;
    const derived = (await allPages(mock, exportsUrl(IDS.group, FRESH))).results;
    const dayTwo = Date.parse(derived[1].createdAt);
    const ids = (from: number, to: number) => [...exports.jobsActiveIn(from, to)].map((j) => j.id);
    // The pinned Queued / InProgress fixture jobs are active for ever; the second auto-export only around its day.
    expect(ids(dayTwo - 60_000, dayTwo + 60_000)).toEqual(expect.arrayContaining([IDS.jobQueued, IDS.jobInProgress, derived[1].id]));
    expect(ids(dayTwo - 60_000, dayTwo + 60_000)).not.toContain(derived[0].id);
    expect(ids(dayTwo + 2 * HOUR, dayTwo + 3 * HOUR)).not.toContain(derived[1].id);
    await mock.app.close();
  });
});

describe('a bucket an auto-export job writes to', () => {
  it('can be deleted once auto export is off, like the bucket of any export job, while the job still runs: the job keeps its id', async () => {
    const mock = testMock();
    const fresh = Math.floor(T0 / 1000).toString(16) + '0000000000000003';
    mock.app.mock.load(parseDataset({ clusters: [{ id: fresh, groupId: IDS.group, name: 'Fresh2', collections: 2 }] }));
    await patchSchedule(mock, { autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'daily' }, policies: [{ policyItems: [{ frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 7 }] }] }, V2024_08, 'Fresh2');
    mock.clock.advanceBy(DAY + 5 * 60_000);
    const bucket = `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets/${IDS.bucket}`;
    expect(errorOf(await mock.request({ method: 'DELETE', url: bucket })).errorCode).toBe('EXPORT_BUCKET_DELETE_FAILED_BUCKET_IN_USE');
    await patchSchedule(mock, { autoExportEnabled: false }, V2024_08, 'Fresh2');
    const [job] = (await allPages(mock, exportsUrl(IDS.group, 'Fresh2'))).results;
    expect(job.state).not.toMatch(/Successful|Failed|Cancelled/);
    expect((await mock.request({ method: 'DELETE', url: bucket })).statusCode).toBe(204);
    expect((await mock.request({ url: `${exportsUrl(IDS.group, 'Fresh2')}/${job.id}` })).json().exportBucketId).toBe(IDS.bucket);
    await mock.app.close();
  });
});
