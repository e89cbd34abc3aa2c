/** Contract §4 (rows of the GET export-job endpoint) and §8: Atlas-shaped errors, headers on every response. */
import { describe, expect, it } from 'vitest';
import { assertSchema } from '../helpers/contract.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

const SECURITY = {
  'strict-transport-security': 'max-age=31536000; includeSubdomains;',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-permitted-cross-domain-policies': 'none',
};

const UNKNOWN_GROUP = '6650a0c1f1d2e3a4b5c6d7e9';

describe('GET export job errors', () => {
  it.each([
    ['well-formed unknown group', jobUrl(IDS.jobSuccessful, 'Cluster0', UNKNOWN_GROUP), 404, 'GROUP_NOT_FOUND', `No group with ID ${UNKNOWN_GROUP} exists.`, [UNKNOWN_GROUP]],
    ['unknown group with a malformed cluster name', jobUrl(IDS.jobSuccessful, '-bad', UNKNOWN_GROUP), 404, 'GROUP_NOT_FOUND', `No group with ID ${UNKNOWN_GROUP} exists.`, [UNKNOWN_GROUP]],
    ['malformed group id', jobUrl(IDS.jobSuccessful, 'Cluster0', 'not-a-group'), 404, 'INVALID_GROUP_ID', 'An invalid group ID not-a-group was specified.', ['not-a-group']],
    ['upper-case hex group id', jobUrl(IDS.jobSuccessful, 'Cluster0', IDS.group.toUpperCase()), 404, 'INVALID_GROUP_ID', `An invalid group ID ${IDS.group.toUpperCase()} was specified.`, [IDS.group.toUpperCase()]],
    ['unknown cluster', jobUrl(IDS.jobSuccessful, 'NoSuchCluster'), 404, 'CLUSTER_NOT_FOUND', `No cluster named NoSuchCluster exists in group ${IDS.group}.`, ['NoSuchCluster', IDS.group]],
    ['cluster name failing the pattern', jobUrl(IDS.jobSuccessful, '-Cluster0'), 404, 'CLUSTER_NOT_FOUND', `No cluster named -Cluster0 exists in group ${IDS.group}.`, ['-Cluster0', IDS.group]],
    ['cluster name with an underscore', jobUrl(IDS.jobSuccessful, 'Cluster_0'), 404, 'CLUSTER_NOT_FOUND', `No cluster named Cluster_0 exists in group ${IDS.group}.`, ['Cluster_0', IDS.group]],
    ['unknown export job', jobUrl('6650a0c1f1d2e3a4b5c6d8ff'), 404, 'RESOURCE_NOT_FOUND', 'Cannot find resource 6650a0c1f1d2e3a4b5c6d8ff.', ['6650a0c1f1d2e3a4b5c6d8ff']],
    ['job of another cluster', jobUrl(IDS.jobSharded, 'Cluster0'), 404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${IDS.jobSharded}.`, [IDS.jobSharded]],
    ['malformed export id', jobUrl('xyz'), 404, 'INVALID_JOB_ID', 'An invalid job ID xyz was specified.', ['xyz']],
    ['bad envelope value', `${jobUrl(IDS.jobQueued)}?envelope=yes`, 400, 'INVALID_QUERY_PARAMETER', 'Invalid query parameter envelope specified.', ['envelope']],
  ])('%s', async (_, url, status, errorCode, detail, parameters) => {
    const { request } = testMock();
    const res = await request({ url });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ detail, error: status, errorCode, parameters, reason: status === 404 ? 'Not Found' : 'Bad Request' });
    expect(Object.keys(res.json())).toEqual(['detail', 'error', 'errorCode', 'parameters', 'reason']);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-error-code']).toBe(errorCode);
    expect(res.headers).toMatchObject(SECURITY);
    assertSchema('ApiError', res.json());
  });

  it('a very long cluster name still reaches the route (404 CLUSTER_NOT_FOUND)', async () => {
    const { request } = testMock();
    const name = `c${'x'.repeat(300)}`;
    const res = await request({ url: jobUrl(IDS.jobQueued, name) });
    expect(res.statusCode).toBe(404);
    expect(res.json().errorCode).toBe('CLUSTER_NOT_FOUND');
  });

  it('a wrong method on a known path is 405 with Allow and an empty body', async () => {
    const { request } = testMock();
    for (const method of ['DELETE', 'PUT', 'PATCH'] as const) {
      const res = await request({ method, url: jobUrl(IDS.jobQueued) });
      expect(res.statusCode).toBe(405);
      expect(res.headers['allow']).toContain('GET');
      expect(res.body).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
    }
  });

  it('an unknown route is an Atlas-shaped 404 RESOURCE_NOT_FOUND', async () => {
    const { request } = testMock();
    const res = await request({ url: '/api/atlas/v2/groups/x/nothing?pretty=false' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Cannot find resource api/atlas/v2/groups/x/nothing.', error: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: ['api/atlas/v2/groups/x/nothing'], reason: 'Not Found' });
    expect(res.headers['x-error-code']).toBe('RESOURCE_NOT_FOUND');
    expect(res.headers).toMatchObject(SECURITY);
  });

  it('a malformed URL is an Atlas-shaped 400, not a framework error', async () => {
    const { request } = testMock();
    const res = await request({ url: '/api/atlas/v2/groups/%zz' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    assertSchema('ApiError', res.json());
    expect(res.json().errorCode).toBe('INVALID_REQUEST');
  });

  it('an unexpected exception is 500 UNEXPECTED_ERROR without a stack trace, and the server keeps serving', async () => {
    const { app, request } = testMock();
    app.get('/api/atlas/v2/boom', () => {
      throw new TypeError('secret internal detail');
    });
    const res = await request({ url: '/api/atlas/v2/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).toBe('{"detail":"Unexpected error.","error":500,"errorCode":"UNEXPECTED_ERROR","parameters":[],"reason":"Internal Server Error"}');
    expect(res.headers['x-error-code']).toBe('UNEXPECTED_ERROR');
    expect((await request({ url: jobUrl(IDS.jobQueued) })).statusCode).toBe(200);
  });
});

describe('headers on every response (contract §8)', () => {
  it('success responses carry the security headers and the versioned Content-Type', async () => {
    const { request } = testMock();
    const res = await request({ url: jobUrl(IDS.jobSuccessful) });
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ ...SECURITY, 'content-type': 'application/vnd.atlas.2023-01-01+json;charset=utf-8', vary: 'Accept' });
    expect(res.headers['x-error-code']).toBeUndefined();
  });
});
