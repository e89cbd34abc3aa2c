/**
 * The snapshot list keeps the views of completed scheduled snapshots and the bodies of recent pages
 * (src/snapshots/derived-views.ts, view.ts). Whatever happened before, a list answered from them must be the
 * very bytes the mock answers with them empty: checked after every kind of change that can alter a page
 * (time passing and set back, schedule retention changed, a snapshot re-retained, deleted, taken), on other
 * hosts, page sizes and flags.
 */
import { describe, expect, it } from 'vitest';
import { clearCompletedViews, completedViewCount, VIEWS_MAX } from '../../src/snapshots/derived-views.js';
import { clearPageBodies, serializeSnapshotPage, type SnapshotView } from '../../src/snapshots/view.js';
import { clearPageMemo } from '../../src/snapshots/page-memo.js';
import { DAY, HOUR, patchSchedule, snapshotsUrl, takeSnapshot, V2024_08 } from '../helpers/workflow.js';
import { IDS, testMock, type TestMock } from '../helpers/mock.js';

const QUERIES = ['', '?itemsPerPage=10', '?itemsPerPage=10&pageNum=3', '?includeCount=false&itemsPerPage=7&pageNum=2', '?envelope=true&itemsPerPage=5', '?pretty=true&itemsPerPage=2', '?itemsPerPage=500&pageNum=2'];
const HOSTS = ['localhost:80', 'mock.example:8443'];

/** Every page of QUERIES on every host, answered twice: warm, then with the caches emptied. */
async function expectCachesInvisible(mock: TestMock, step: string): Promise<number> {
  let compared = 0;
  for (const host of HOSTS) {
    for (const q of QUERIES) {
      const url = `${snapshotsUrl()}${q}`;
      // Twice warm: the first may fill the caches, the second is answered from them.
      await mock.request({ url, headers: { host } });
      const warm = await mock.request({ url, headers: { host } });
      clearCompletedViews();
      clearPageBodies();
      clearPageMemo();
      const cold = await mock.request({ url, headers: { host } });
      expect([warm.statusCode, warm.headers['content-length']], `${step}: ${host} ${q}`).toEqual([cold.statusCode, cold.headers['content-length']]);
      expect(warm.body, `${step}: ${host} ${q}`).toBe(cold.body);
      compared++;
    }
  }
  return compared;
}

describe('the snapshot list from its caches', () => {
  it('answers the same bytes as with empty caches, through every change a page can see', async () => {
    const mock = testMock();
    const hourly = (retentionValue: number) => ({ policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 1, retentionUnit: 'days', retentionValue }] }] });
    const set = await patchSchedule(mock, hourly(3), V2024_08);
    expect(set.statusCode).toBe(200);
    mock.clock.advanceBy(2 * DAY + 30 * 60_000);
    await expectCachesInvisible(mock, 'two days of hourly snapshots');

    // The newest one within its run (in progress), then completed.
    const newest = Date.parse((await mock.request({ url: `${snapshotsUrl()}?itemsPerPage=1` })).json().results[0].createdAt);
    mock.clock.setTo(newest + 30_000);
    expect((await mock.request({ url: `${snapshotsUrl()}?itemsPerPage=1` })).json().results[0].status).toBe('inProgress');
    await expectCachesInvisible(mock, 'newest in progress');
    mock.clock.setTo(newest + HOUR - 1000);
    await expectCachesInvisible(mock, 'newest completed');

    // The item's retention changed for the snapshots it already took: every expiresAt moves.
    const item = set.json().policies[0].policyItems[0];
    const before = (await mock.request({ url: snapshotsUrl() })).json().results[5].expiresAt;
    await patchSchedule(mock, { updateSnapshots: true, policies: [{ policyItems: [{ ...item, retentionValue: 5 }] }] }, V2024_08);
    expect(Date.parse((await mock.request({ url: snapshotsUrl() })).json().results[5].expiresAt) - Date.parse(before)).toBe(2 * DAY);
    await expectCachesInvisible(mock, 'retention of the schedule changed');

    // One scheduled snapshot re-retained, another deleted, one taken on demand.
    const [, second, third] = (await mock.request({ url: snapshotsUrl() })).json().results;
    const patched = await mock.request({ method: 'PATCH', url: `${snapshotsUrl()}/${second.id}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ retentionUnit: 'DAYS', retentionValue: 9 }) });
    expect(patched.statusCode).toBe(200);
    expect((await mock.request({ method: 'DELETE', url: `${snapshotsUrl()}/${third.id}` })).statusCode).toBe(204);
    expect((await takeSnapshot(mock)).statusCode).toBe(200);
    await expectCachesInvisible(mock, 'changed, deleted, taken');

    // Days later: the oldest ones expired; then the clock set back a day.
    mock.clock.advanceBy(3 * DAY);
    await expectCachesInvisible(mock, 'expiries');
    mock.clock.setTo(mock.clock.now() - DAY);
    expect(await expectCachesInvisible(mock, 'clock set back')).toBe(HOSTS.length * QUERIES.length);
    await mock.app.close();
  });

  it('keeps at most VIEWS_MAX views, and a list longer than that still pages right', async () => {
    const mock = testMock();
    await patchSchedule(mock, { policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 1, retentionUnit: 'years', retentionValue: 2 }] }] }, V2024_08);
    mock.clock.advanceBy(Math.ceil(VIEWS_MAX / 24 + 30) * DAY);
    const ids: string[] = [];
    let total = 0;
    for (let page = 1; ; page++) {
      const body = (await mock.request({ url: `${snapshotsUrl()}?itemsPerPage=500&pageNum=${page}` })).json();
      total = body.totalCount;
      ids.push(...body.results.map((s: { id: string }) => s.id));
      if (body.results.length < 500) break;
    }
    expect(total).toBeGreaterThan(VIEWS_MAX);
    expect(new Set(ids).size).toBe(total);
    expect(completedViewCount()).toBe(VIEWS_MAX);
    // Page 1 again, after the cache dropped its oldest views: still the same bytes as from empty caches.
    const url = `${snapshotsUrl()}?itemsPerPage=500`;
    const warm = (await mock.request({ url })).body;
    clearCompletedViews();
    clearPageBodies();
    clearPageMemo();
    expect((await mock.request({ url })).body).toBe(warm);
    await mock.app.close();
  });
});

describe('the page memo', () => {
  it('gives the same page object again only while the store revision, the time and the request are the same', async () => {
    const mock = testMock();
    await patchSchedule(mock, { policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 3 }] }] }, V2024_08);
    mock.clock.advanceBy(DAY);
    const { snapshots, store } = mock.app.mock;
    const base = 'http://localhost/api/atlas/v2/groups/g/clusters/Cluster0/backup/snapshots';
    const list = (query = { itemsPerPage: 10 }, origin = 'http://localhost') => snapshots.list(IDS.group, 'Cluster0', query, base, origin);
    const first = list();
    expect(list()).toBe(first);
    expect(list({ itemsPerPage: 10, pageNum: 2 } as never)).not.toBe(first);
    expect(list(undefined, 'http://other')).not.toBe(first);
    expect(snapshots.listSharded(IDS.group, 'Cluster0', { itemsPerPage: 10 }, base, 'http://localhost')).not.toBe(first);
    store.changed();
    const afterChange = list();
    expect(afterChange).not.toBe(first);
    expect(afterChange).toStrictEqual(first);
    mock.clock.advanceBy(1);
    expect(list()).not.toBe(afterChange);
    await mock.app.close();
  });
});

describe('the snapshot list with envelope=true', () => {
  it('carries its status among the keys, as every enveloped list does', async () => {
    const mock = testMock();
    const body = (await mock.request({ url: `${snapshotsUrl()}?envelope=true&itemsPerPage=2` })).json();
    expect(Object.keys(body)).toEqual(['links', 'results', 'status', 'totalCount']);
    expect(body.status).toBe(200);
    await mock.app.close();
  });
});

describe('serializeSnapshotPage', () => {
  const view = (id: string): SnapshotView => ({ copyRegions: [], expiresAt: '2027-01-01T00:00:00Z', frequencyType: 'hourly', id, links: [], policyItems: [], snapshotType: 'scheduled', status: 'completed', storageSizeBytes: 1, type: 'replicaSet', description: 'é "q" \u2028' });

  it('writes exactly JSON.stringify of any page, in the key order it has, from its caches or not', () => {
    const views = ['a', 'b', 'c'].map(view);
    const pages = [
      { links: [{ href: 'h', rel: 'self' }], results: views, totalCount: 3 },
      { links: [], results: views, status: 200, totalCount: 3 },
      { links: [], results: views },
      { links: [], results: [], totalCount: 0 },
      { results: views.slice(1), links: [] },
      { links: [], results: views, totalCount: undefined },
    ];
    for (let pass = 0; pass < 2; pass++) for (const p of pages) expect(serializeSnapshotPage(p as never).toString()).toBe(JSON.stringify(p));
    // The same views in another order, or one view fewer, are other bodies.
    expect(serializeSnapshotPage({ links: [], results: [...views].reverse() }).toString()).toBe(JSON.stringify({ links: [], results: [...views].reverse() }));
    expect(serializeSnapshotPage({ links: [], results: views.slice(0, 2) }).toString()).toBe(JSON.stringify({ links: [], results: views.slice(0, 2) }));
  });
});
