/**
 * Lists (contract §7 Lists, EVIDENCE §h): pageNum / itemsPerPage / includeCount, links self / previous / next
 * as absolute URLs on the request's host in the recorded formats, envelope on lists.
 */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { assertSchema } from '../helpers/contract.js';
import { bucketsUrl, errorOf } from '../helpers/flow.js';
import { exportsUrl, IDS, testMock, V2024 } from '../helpers/mock.js';

const HOST = 'localhost:80';
const jobsBase = `http://${HOST}${exportsUrl()}`;
/** Cluster0 of the default dataset holds 5 jobs (ids …820 to …824, in that order). */
const CLUSTER0_JOBS = ['6650a0c1f1d2e3a4b5c6d820', '6650a0c1f1d2e3a4b5c6d821', '6650a0c1f1d2e3a4b5c6d822', '6650a0c1f1d2e3a4b5c6d823', '6650a0c1f1d2e3a4b5c6d824'];

async function list(query: string, headers: Record<string, string> = {}) {
  const mock = testMock();
  const res = await mock.request({ url: `${exportsUrl()}${query}`, headers });
  await mock.app.close();
  return res;
}

describe('list export jobs: pages', () => {
  it('defaults to page 1 of 100 with the count, links rebuilt from the effective parameters', async () => {
    const res = await list('');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    assertSchema('PaginatedApiAtlasDiskBackupExportJobView', body);
    expect(Object.keys(body)).toEqual(['links', 'results', 'totalCount']);
    expect(body.links).toEqual([{ href: `${jobsBase}?includeCount=true&pageNum=1&itemsPerPage=100`, rel: 'self' }]);
    expect(body.results.map((j: { id: string }) => j.id)).toEqual(CLUSTER0_JOBS);
    expect(body.totalCount).toBe(5);
  });

  it('has next but no previous on the first page', async () => {
    const body = (await list('?itemsPerPage=2')).json();
    expect(body.results.map((j: { id: string }) => j.id)).toEqual(CLUSTER0_JOBS.slice(0, 2));
    expect(body.links).toEqual([
      { href: `${jobsBase}?includeCount=true&pageNum=1&itemsPerPage=2`, rel: 'self' },
      { href: `${jobsBase}?includeCount=true&itemsPerPage=2&pageNum=2`, rel: 'next' },
    ]);
  });

  it('has previous and next in the middle', async () => {
    const body = (await list('?itemsPerPage=2&pageNum=2')).json();
    expect(body.results.map((j: { id: string }) => j.id)).toEqual(CLUSTER0_JOBS.slice(2, 4));
    expect(body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'previous', 'next']);
    expect(body.links[1].href).toBe(`${jobsBase}?includeCount=true&itemsPerPage=2&pageNum=1`);
  });

  it('has previous but no next on the last page', async () => {
    const body = (await list('?pageNum=3&itemsPerPage=2')).json();
    expect(body.results.map((j: { id: string }) => j.id)).toEqual(CLUSTER0_JOBS.slice(4));
    expect(body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'previous']);
    expect(body.totalCount).toBe(5);
  });

  it('has no next when the last page is exactly full', async () => {
    const body = (await list('?itemsPerPage=5')).json();
    expect(body.results).toHaveLength(5);
    expect(body.links.map((l: { rel: string }) => l.rel)).toEqual(['self']);
  });

  it('answers an empty page past the end, with previous', async () => {
    const body = (await list('?pageNum=10&itemsPerPage=2')).json();
    expect(body.results).toEqual([]);
    expect(body.totalCount).toBe(5);
    expect(body.links).toEqual([
      { href: `${jobsBase}?includeCount=true&pageNum=10&itemsPerPage=2`, rel: 'self' },
      { href: `${jobsBase}?includeCount=true&itemsPerPage=2&pageNum=9`, rel: 'previous' },
    ]);
  });

  it('omits totalCount with includeCount=false (any case), and says so in the links', async () => {
    for (const v of ['false', 'FALSE']) {
      const body = (await list(`?includeCount=${v}&itemsPerPage=2`)).json();
      expect(Object.keys(body)).toEqual(['links', 'results']);
      assertSchema('PaginatedApiAtlasDiskBackupExportJobView', body);
      expect(body.links.map((l: { href: string }) => l.href)).toEqual([
        `${jobsBase}?includeCount=false&pageNum=1&itemsPerPage=2`,
        `${jobsBase}?includeCount=false&itemsPerPage=2&pageNum=2`,
      ]);
    }
  });

  it.each([
    ['itemsPerPage=501', 'itemsPerPage'],
    ['itemsPerPage=0', 'itemsPerPage'],
    ['itemsPerPage=ten', 'itemsPerPage'],
    ['pageNum=0', 'pageNum'],
    ['pageNum=-1', 'pageNum'],
    ['pageNum=1.5', 'pageNum'],
    ['includeCount=maybe', 'includeCount'],
  ])('refuses %s with 400 INVALID_QUERY_PARAMETER', async (query, param) => {
    const res = await list(`?${query}`);
    expect(errorOf(res)).toEqual({ status: 400, errorCode: 'INVALID_QUERY_PARAMETER', parameters: [param] });
  });

  it('accepts itemsPerPage=500, the maximum', async () => {
    const res = await list('?itemsPerPage=500');
    expect(res.statusCode).toBe(200);
    expect(res.json().links[0].href).toContain('itemsPerPage=500');
  });

  it('builds links on the request’s host, and on the forwarded scheme and host behind a proxy', async () => {
    const direct = (await list('', { host: 'mock.example:9999' })).json();
    expect(direct.links[0].href).toBe(`http://mock.example:9999${exportsUrl()}?includeCount=true&pageNum=1&itemsPerPage=100`);
    const proxied = (await list('', { host: '10.0.0.7:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'atlas-mock.example.com' })).json();
    expect(proxied.links[0].href).toBe(`https://atlas-mock.example.com${exportsUrl()}?includeCount=true&pageNum=1&itemsPerPage=100`);
  });

  it('wraps a list in the envelope by adding status, keys kept alphabetical', async () => {
    const res = await list('?envelope=true&itemsPerPage=2&includeCount=false');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['links', 'results', 'status']);
    expect(body.status).toBe(200);
    const counted = (await list('?envelope=true')).json();
    expect(Object.keys(counted)).toEqual(['links', 'results', 'status', 'totalCount']);
  });

  it('answers 404 for the list of an unknown cluster, and an empty list for a cluster without jobs', async () => {
    const mock = testMock();
    expect(errorOf(await mock.request({ url: exportsUrl(IDS.group, 'Nope') }))).toEqual({ status: 404, errorCode: 'CLUSTER_NOT_FOUND', parameters: ['Nope', IDS.group] });
    const empty = (await mock.request({ url: exportsUrl(IDS.otherGroup) })).json();
    expect(empty.results).toEqual([]);
    expect(empty.totalCount).toBe(0);
    await mock.app.close();
  });
});

describe('list export jobs: generated data (--generate)', () => {
  it('lists faker-made jobs after the fixtures, every one a valid DiskBackupExportJob', async () => {
    const mock = testMock({ generate: 60 });
    const inCluster0 = mock.app.mock.store.jobsOf(IDS.group, 'Cluster0').length;
    expect(inCluster0).toBeGreaterThan(5);
    const body = (await mock.request({ url: `${exportsUrl()}?itemsPerPage=500` })).json();
    assertSchema('PaginatedApiAtlasDiskBackupExportJobView', body);
    expect(body.totalCount).toBe(inCluster0);
    expect(body.results.slice(0, 5).map((j: { id: string }) => j.id)).toEqual(CLUSTER0_JOBS);
    await mock.app.close();
  });
});

describe('list export buckets: pages', () => {
  // 250 AWS buckets in one project: three pages of 100.
  const world = parseDataset({
    organizations: [{ id: 'a0123456789abcdef012345a', name: 'o' }],
    projects: [{ id: 'b0123456789abcdef012345b', orgId: 'a0123456789abcdef012345a', name: 'p' }],
    exportBuckets: Array.from({ length: 250 }, (_, i) => ({
      id: `65566a5f1d4b3b0ca4f3${i.toString(16).padStart(4, '0')}`,
      groupId: 'b0123456789abcdef012345b',
      cloudProvider: 'AWS' as const,
      bucketName: `bucket-${i}`,
      iamRoleId: '60113b99ce5a6a3d72ea7454',
    })),
  });
  const url = bucketsUrl('b0123456789abcdef012345b');

  it('pages buckets in creation order with the recorded link formats', async () => {
    const mock = testMock({ fixtures: world });
    const first = (await mock.request({ url, headers: { accept: V2024 } })).json();
    expect(first.totalCount).toBe(250);
    expect(first.results).toHaveLength(100);
    expect(first.results[0].bucketName).toBe('bucket-0');
    expect(first.links).toEqual([
      { href: `http://${HOST}${url}?includeCount=true&pageNum=1&itemsPerPage=100`, rel: 'self' },
      { href: `http://${HOST}${url}?includeCount=true&itemsPerPage=100&pageNum=2`, rel: 'next' },
    ]);
    const last = (await mock.request({ url: `${url}?pageNum=3`, headers: { accept: V2024 } })).json();
    expect(last.results.map((b: { bucketName: string }) => b.bucketName)).toEqual(Array.from({ length: 50 }, (_, i) => `bucket-${200 + i}`));
    expect(last.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'previous']);
    await mock.app.close();
  });
});
