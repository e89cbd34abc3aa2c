/**
 * Bugs found by the property fuzz and schemathesis, one regression test each. The socket-level
 * ones (Atlas-shaped 400 / 408 / 431, Expect) are in limits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { assertSchema } from '../helpers/contract.js';
import { basicAuth, CREDENTIALS, exportsUrl, IDS, testMock, V2024 } from '../helpers/mock.js';

const bucketsUrl = `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets`;

describe('regressions', () => {
  it('a body with a __proto__ key is accepted like any unknown attribute (was MALFORMED_JSON), and pollutes nothing', async () => {
    const mock = testMock();
    for (const type of ['application/json', 'application/vnd.atlas.2024-05-30+json']) {
      const res = await mock.request({
        method: 'POST',
        url: bucketsUrl,
        headers: { accept: V2024, 'content-type': type },
        payload: `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"p": 1}}, "cloudProvider": "GCP", "bucketName": "proto-bucket", "roleId": "${IDS.gcpRole}"}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    await mock.app.close();
  });

  it('an Azure serviceUrl with a malformed escape names its container as written (was a 500); without a container, bucketName is required', async () => {
    const mock = testMock();
    const create = (body: object) => mock.request({ method: 'POST', url: bucketsUrl, headers: { accept: V2024, 'content-type': 'application/json' }, payload: body });
    const escaped = await create({ cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl: 'https://mockacct.blob.core.windows.net/%zz' });
    expect(escaped.statusCode).toBe(200);
    expect(escaped.json()).toMatchObject({ bucketName: '%zz' });
    // The rule the document states as a pattern: a path segment after the host names the container.
    for (const serviceUrl of ['https://mockacct.blob.core.windows.net', 'https://mockacct.blob.core.windows.net/', 'https://mockacct.blob.core.windows.net/?x=1']) {
      const res = await create({ cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl });
      expect([serviceUrl, res.statusCode]).toEqual([serviceUrl, 400]);
      assertSchema('ApiError', res.json());
      expect(res.json()).toMatchObject({ errorCode: 'MISSING_ATTRIBUTE', parameters: ['bucketName'] });
    }
    expect((await create({ cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl: 'https://mockacct.blob.core.windows.net/', bucketName: 'named' })).statusCode).toBe(200);
    await mock.app.close();
  });

  it('a method Fastify wants a body for (QUERY) on a known path is a 405 with Allow, not a 400', async () => {
    const mock = testMock();
    const res = await mock.request({ method: 'QUERY' as 'GET', url: exportsUrl() });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST,GET,OPTIONS');
    expect(res.body).toBe('');
    await mock.app.close();
  });

  it('pageNum up to 2147483647 is a page (empty), above it 400 INVALID_QUERY_PARAMETER; the document says so', async () => {
    const mock = testMock();
    const big = await mock.request({ url: `${exportsUrl()}?pageNum=2147483647` });
    expect(big.statusCode).toBe(200);
    expect(big.json().results).toEqual([]);
    const over = await mock.request({ url: `${exportsUrl()}?pageNum=2147483648` });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ errorCode: 'INVALID_QUERY_PARAMETER', parameters: ['pageNum'] });
    const doc = (await mock.app.openApiDocument()) as unknown as { paths: Record<string, Record<string, { parameters: { name: string; schema: { maximum?: number } }[] }>> };
    const pageNum = doc.paths['/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports']!.get!.parameters.find((p) => p.name === 'pageNum')!;
    expect(pageNum.schema.maximum).toBe(2147483647);
    await mock.app.close();
  });

  it('the clock cannot leave the ObjectId time range (was: 500s once mock time passed what Date can print)', async () => {
    const mock = testMock();
    const move = (body: unknown) => mock.app.inject({ method: 'POST', url: '/__mock/clock', headers: { 'content-type': 'application/json' }, payload: body as object });
    for (const body of [{ setTo: '+275760-09-13T00:00:00.000Z' }, { setTo: '2106-02-08T00:00:00Z' }, { advanceBy: 9e15 }, { advanceBy: 'P200Y' }]) {
      const res = await move(body);
      expect([JSON.stringify(body), res.statusCode]).toEqual([JSON.stringify(body), 400]);
      expect(res.json().errorCode).toBe('CONTROL_INVALID_REQUEST');
    }
    expect((await move({ setTo: '2106-02-07T06:28:15Z' })).statusCode).toBe(200);
    expect((await mock.request({ url: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports/${IDS.jobSuccessful}` })).statusCode).toBe(200);
    expect((await mock.app.inject({ url: '/__mock/health' })).statusCode).toBe(200);
    await mock.app.close();
  });

  it('revoke: an unknown token_type_hint is ignored (RFC 7009 §2.1) and the 200 has no body, as documented', async () => {
    const mock = testMock();
    const SA = CREDENTIALS.serviceAccount;
    const res = await mock.app.inject({
      method: 'POST',
      url: '/api/oauth/revoke',
      headers: { authorization: basicAuth(SA.clientId, SA.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=abc&token_type_hint=refresh_token',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const doc = (await mock.app.openApiDocument()) as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    expect(doc.paths['/api/oauth/revoke']!.post!.responses['200']!.content).toBeUndefined();
    await mock.app.close();
  });
});
