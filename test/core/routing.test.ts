/**
 * Routing as Atlas does it (FIDELITY.md: Routing; src/http/route-table.ts): a trailing slash names the same
 * resource, a wrong method is a 405 whose `Allow` lists the path's methods and OPTIONS (not HEAD) in the
 * order of the recorded `Allow: POST,GET,OPTIONS`, OPTIONS is answered with `Allow`, HEAD is served wherever
 * GET is, and the journal's hint names a route only when the path is one edit away from it.
 */
import { describe, expect, it } from 'vitest';
import { javaHashSetOrder, methodGuards, RouteTable } from '../../src/http/route-table.js';
import { bucketsUrl, bucketUrl, createBucket, awsBucket } from '../helpers/flow.js';
import { exportsUrl, IDS, jobUrl, testMock, V2024 } from '../helpers/mock.js';
import { snapshotsUrl } from '../helpers/workflow.js';

const SECURITY_NAMES = ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'x-permitted-cross-domain-policies'];

describe('405 and Allow', () => {
  it('lists the methods of the path and OPTIONS, without HEAD, as the recorded Allow: POST,GET,OPTIONS (EVIDENCE f.1)', async () => {
    const mock = testMock();
    // `/exports` has GET and POST, as `/groups` (the recorded path) has.
    const res = await mock.request({ method: 'DELETE', url: exportsUrl() });
    expect([res.statusCode, res.headers.allow, res.body, res.headers['content-type']]).toEqual([405, 'POST,GET,OPTIONS', '', undefined]);
    expect((await mock.request({ method: 'POST', url: jobUrl(IDS.jobQueued) })).headers.allow).toBe('GET,OPTIONS');
    expect((await mock.request({ method: 'PUT', url: bucketUrl(IDS.bucket) })).headers.allow).toBe('DELETE,GET,OPTIONS');
    await mock.app.close();
  });

  it('orders methods as a Java HashSet iterates them (Jersey writes its method set into Allow)', () => {
    expect(javaHashSetOrder(['GET', 'POST', 'OPTIONS'])).toEqual(['POST', 'GET', 'OPTIONS']);
    expect(javaHashSetOrder(['OPTIONS', 'POST', 'GET'])).toEqual(['POST', 'GET', 'OPTIONS']);
    expect(javaHashSetOrder(['GET', 'DELETE', 'OPTIONS', 'HEAD'])).toEqual(['HEAD', 'DELETE', 'GET', 'OPTIONS']);
    expect(javaHashSetOrder(['GET', 'PATCH', 'DELETE', 'OPTIONS'])).toEqual(['DELETE', 'GET', 'OPTIONS', 'PATCH']);
  });
});

describe('a path two templates match (JAX-RS: the most literal characters win, then the method is looked for)', () => {
  // `…/snapshots/shardedClusters` (GET) and `…/snapshots/{snapshotId}` (GET, PATCH, DELETE) both match it.
  const sharded = () => `${snapshotsUrl()}/shardedClusters`;

  it('lists the methods of the most specific template only (found by schemathesis: Allow listed DELETE and PATCH)', async () => {
    const mock = testMock();
    const options = await mock.request({ method: 'OPTIONS', url: sharded() });
    expect([options.statusCode, options.headers.allow]).toEqual([200, 'HEAD,GET,OPTIONS']);
    // The template of a snapshot id keeps its own methods.
    expect((await mock.request({ method: 'OPTIONS', url: `${snapshotsUrl()}/${IDS.snapshotCompleted}` })).headers.allow).toBe('HEAD,DELETE,GET,OPTIONS,PATCH');
    await mock.app.close();
  });

  it('answers a method that template lacks with its 405, not with the operation of the other template (a snapshot id `shardedClusters`)', async () => {
    const mock = testMock();
    for (const method of ['DELETE', 'PATCH'] as const) {
      const res = await mock.request({ method, url: sharded(), headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect([method, res.statusCode, res.headers.allow, res.body, res.headers['content-type']]).toEqual([method, 405, 'GET,OPTIONS', '', undefined]);
      // With a trailing slash too, and after authentication like any unmatched request.
      expect((await mock.request({ method, url: `${sharded()}/` })).statusCode).toBe(405);
      const anonymous = await mock.request({ method, url: sharded(), headers: { authorization: undefined } });
      expect(anonymous.statusCode).toBe(401);
    }
    expect((await mock.request({ url: sharded() })).statusCode).toBe(200);
    const deleted = await mock.request({ method: 'DELETE', url: `${snapshotsUrl()}/${IDS.snapshotReady}` });
    expect(deleted.statusCode).toBe(204);
    // Journaled as an unmatched request, as any 405.
    const entries = (await mock.app.inject({ url: '/__mock/requests?matched=false' })).json().requests as { method: string; status: number; operation: string | null }[];
    expect(entries.filter((e) => e.status === 405).map((e) => [e.method, e.operation])).toEqual([['DELETE', null], ['DELETE', null], ['PATCH', null], ['PATCH', null]]);
    await mock.app.close();
  });

  it('methodGuards: the (method, template) pairs Fastify would route to a less specific template', () => {
    const snapshots = '/g/:groupId/snapshots';
    const routes = [
      { method: 'GET', url: `${snapshots}/:snapshotId` },
      { method: 'PATCH', url: `${snapshots}/:snapshotId` },
      { method: 'DELETE', url: `${snapshots}/:snapshotId` },
      { method: 'HEAD', url: `${snapshots}/:snapshotId` },
      { method: 'GET', url: `${snapshots}/shardedClusters` },
      { method: 'GET', url: `${snapshots}/shardedCluster/:snapshotId` },
      { method: 'DELETE', url: `${snapshots}/shardedCluster/:snapshotId` },
      { method: 'GET', url: `${snapshots}/:snapshotId/databases` },
    ];
    expect(methodGuards(routes)).toEqual([
      { method: 'PATCH', url: `${snapshots}/shardedClusters` },
      { method: 'DELETE', url: `${snapshots}/shardedClusters` },
    ]);
    // Templates of different lengths, or whose literals differ, never shadow each other.
    expect(methodGuards([{ method: 'GET', url: '/a/:x' }, { method: 'POST', url: '/a/:x/b' }, { method: 'DELETE', url: '/c/:x' }])).toEqual([]);
  });
});

describe('OPTIONS', () => {
  it('answers 200 with Allow (HEAD included where GET is, as Jersey does), no body, no Content-Type', async () => {
    const mock = testMock();
    for (const [url, allow] of [
      [exportsUrl(), 'HEAD,POST,GET,OPTIONS'],
      [jobUrl(IDS.jobQueued), 'HEAD,GET,OPTIONS'],
      [bucketUrl(IDS.bucket), 'HEAD,DELETE,GET,OPTIONS'],
      ['/api/oauth/token', 'POST,OPTIONS'],
    ] as const) {
      const res = await mock.request({ method: 'OPTIONS', url });
      expect([url, res.statusCode, res.headers.allow, res.body, res.headers['content-type']]).toEqual([url, 200, allow, '', undefined]);
      expect(res.headers['content-length']).toBe('0');
      for (const h of SECURITY_NAMES) expect([h, typeof res.headers[h]]).toEqual([h, 'string']);
    }
    await mock.app.close();
  });

  it('needs credentials under /api/atlas/v2 like any request, and an unknown path is still a 404', async () => {
    const mock = testMock();
    const anonymous = await mock.request({ method: 'OPTIONS', url: exportsUrl(), headers: { authorization: undefined } });
    expect([anonymous.statusCode, String(anonymous.headers['www-authenticate']).startsWith('Digest ')]).toEqual([401, true]);
    const unknown = await mock.request({ method: 'OPTIONS', url: '/api/atlas/v2/nowhere' });
    expect([unknown.statusCode, unknown.json().errorCode]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    await mock.app.close();
  });
});

describe('HEAD', () => {
  it('is served wherever GET is: the GET answer without its body', async () => {
    const mock = testMock();
    const get = await mock.request({ url: jobUrl(IDS.jobSuccessful) });
    const head = await mock.request({ method: 'HEAD', url: jobUrl(IDS.jobSuccessful) });
    expect([head.statusCode, head.body, head.headers['content-type']]).toEqual([200, '', get.headers['content-type']]);
    const post = await mock.request({ method: 'HEAD', url: '/api/oauth/token' });
    expect([post.statusCode, post.headers.allow]).toEqual([405, 'POST,OPTIONS']);
    await mock.app.close();
  });
});

describe('a trailing slash', () => {
  it('names the same resource as the path without it, for collections and single resources alike', async () => {
    const mock = testMock();
    const list = await mock.request({ url: exportsUrl() });
    const listSlash = await mock.request({ url: `${exportsUrl()}/` });
    expect(listSlash.statusCode).toBe(200);
    expect(listSlash.json().results).toEqual(list.json().results);
    // Links follow the URL the client sent, as for any list.
    expect(listSlash.json().links[0].href).toContain('/backup/exports/?');

    const job = await mock.request({ url: `${jobUrl(IDS.jobQueued)}/` });
    expect([job.statusCode, job.json().id]).toEqual([200, IDS.jobQueued]);

    const created = await mock.request({ method: 'POST', url: `${exportsUrl()}/`, headers: { 'content-type': 'application/json' }, payload: { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket } });
    expect([created.statusCode, created.json().state]).toEqual([200, 'Queued']);

    const bucket = (await createBucket(mock, awsBucket, V2024)).json();
    expect((await mock.request({ url: `${bucketsUrl()}/`, headers: { accept: V2024 } })).json().results.map((b: { _id: string }) => b._id)).toContain(bucket._id);
    expect((await mock.request({ method: 'DELETE', url: `${bucketUrl(bucket._id)}/` })).statusCode).toBe(204);

    // Wrong methods with a trailing slash: the 405 of the path without it (the recorded `DELETE …/groups/`).
    expect((await mock.request({ method: 'DELETE', url: `${exportsUrl()}/` })).headers.allow).toBe('POST,GET,OPTIONS');
    expect((await mock.request({ method: 'DELETE', url: `${jobUrl(IDS.jobQueued)}/` })).headers.allow).toBe('GET,OPTIONS');
    await mock.app.close();
  });

  it('is one slash: an empty segment is no parameter value, so the path names no resource (404 RESOURCE_NOT_FOUND)', async () => {
    const mock = testMock();
    for (const url of [`${exportsUrl()}//`, `/api/atlas/v2/groups//backup/exportBuckets`, `/api/atlas/v2/groups/${IDS.group}/clusters//backup/exports`]) {
      const res = await mock.request({ url });
      expect([url, res.statusCode, res.json()]).toEqual([url, 404, { detail: `Cannot find resource ${url.slice(1)}.`, error: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: [url.slice(1)], reason: 'Not Found' }]);
    }
    await mock.app.close();
  });
});

describe("the journal's hint for an unmatched request", () => {
  const table = new RouteTable();
  table.add(['GET', 'POST'], '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/exports');
  table.add('GET', '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/exports/:exportId');
  table.add('GET', '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/snapshots/:snapshotId');
  table.add(['GET', 'POST'], '/api/atlas/v2/groups/:groupId/backup/exportBuckets');
  table.add(['GET', 'DELETE'], '/api/atlas/v2/groups/:groupId/backup/exportBuckets/:exportBucketId');
  const g = IDS.group;

  it.each([
    ['a mistyped segment', `/api/atlas/v2/groups/${g}/clusters/C/backup/exportz/${IDS.jobQueued}`, '/api/atlas/v2/groups/{}/clusters/{}/backup/exports/{}'],
    ['another case', `/api/atlas/v2/groups/${g}/backup/exportbuckets`, '/api/atlas/v2/groups/{}/backup/exportBuckets'],
    ['a singular for a plural', `/api/atlas/v2/groups/${g}/backup/exportBucket/${IDS.bucket}`, '/api/atlas/v2/groups/{}/backup/exportBuckets/{}'],
    ['another API version', `/api/atlas/v1/groups/${g}/backup/exportBuckets`, '/api/atlas/v2/groups/{}/backup/exportBuckets'],
    ['a segment missing', `/api/atlas/v2/groups/${g}/clusters/C/exports`, '/api/atlas/v2/groups/{}/clusters/{}/backup/exports'],
    ['one segment too many', `/api/atlas/v2/groups/${g}/clusters/C/backup/exports/${IDS.jobQueued}/cancel`, '/api/atlas/v2/groups/{}/clusters/{}/backup/exports/{}'],
  ])('names the route for %s', (_case, path, hint) => {
    expect(table.nearest(path)).toBe(hint);
  });

  it.each([
    ['a flex cluster’s snapshot (another resource)', `/api/atlas/v2/groups/${g}/flexClusters/F/backup/snapshots/${IDS.snapshotCompleted}`],
    ['a cluster', `/api/atlas/v2/groups/${g}/clusters/C`],
    ['a project', `/api/atlas/v2/groups/${g}`],
    ['the backup schedule', `/api/atlas/v2/groups/${g}/clusters/C/backup/schedule`],
    ['something else', '/api/atlas/v2/orgs'],
  ])('names none for %s', (_case, path) => {
    expect(table.nearest(path)).toBeUndefined();
  });

  it('comes from the mock’s own routes: a close match gets a hint, an unrelated path none', async () => {
    const mock = testMock();
    await mock.request({ url: `/api/atlas/v2/groups/${g}/clusters/Cluster0/backup/exportz/${IDS.jobQueued}` });
    await mock.request({ url: `/api/atlas/v2/groups/${g}/serverlessInstances/F/backup/snapshots/${IDS.snapshotCompleted}` });
    const entries = (await mock.app.inject({ url: '/__mock/requests?matched=false' })).json().requests as { path: string; hint: string | null }[];
    expect(entries.map((e) => e.hint)).toEqual(['/api/atlas/v2/groups/{}/clusters/{}/backup/exports/{}', null]);
    await mock.app.close();
  });
});
