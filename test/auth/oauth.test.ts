/**
 * The service-account token endpoint and Bearer tokens (contract §5, EVIDENCE e.2): client credentials in
 * Basic (raw), a signed JWT valid for one hour of mock time, revocation; and every way a Bearer token is
 * refused with the contract's 401.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN_TTL_SECONDS } from '../../src/auth/tokens.js';
import { SECURITY_HEADER_NAMES } from '../helpers/contract.js';
import { basicAuth, CREDENTIALS, IDS, jobUrl, T0, testMock, type TestMock } from '../helpers/mock.js';

const URL = jobUrl(IDS.jobSuccessful);
const SA = CREDENTIALS.serviceAccount;
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

async function token(mock: TestMock, authorization = basicAuth(SA.clientId, SA.clientSecret), payload = 'grant_type=client_credentials') {
  return mock.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { ...FORM, authorization }, payload });
}

async function mint(mock: TestMock): Promise<string> {
  const res = await token(mock);
  expect(res.statusCode).toBe(200);
  return res.json().access_token as string;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** The contract's 401 for a refused Bearer token [I], with its headers. */
function expectInvalidToken(res: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-error-code']).toBe('UNAUTHORIZED');
  expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  for (const h of SECURITY_HEADER_NAMES) expect(res.headers[h]).toBeDefined();
  expect(res.body).toBe('{"detail":"Invalid or expired bearer token.","error":401,"errorCode":"UNAUTHORIZED","parameters":[],"reason":"Unauthorized"}');
}

describe('POST /api/oauth/token', () => {
  it('issues a signed JWT for the raw Basic client credentials', async () => {
    const mock = testMock();
    const res = await token(mock);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    const [head, claims] = (body.access_token as string).split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(head).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(claims).toMatchObject({ aud: 'api://admin', sub: SA.clientId, cid: SA.clientId, actorId: SA.clientId, iat: T0 / 1000, exp: T0 / 1000 + 3600 });
    expect(mock.app.atlasAuth.tokens.verify(body.access_token)).toEqual(claims);
    // A flipped signature character fails verification.
    const forged = body.access_token.slice(0, -2) + (body.access_token.endsWith('AA') ? 'BB' : 'AA');
    expect(mock.app.atlasAuth.tokens.verify(forged)).toBeUndefined();
    await mock.app.close();
  });

  it('issues different tokens for two requests in the same second, the same ones for the same seed', async () => {
    const a = testMock();
    const b = testMock();
    const [a1, a2, b1] = [await mint(a), await mint(a), await mint(b)];
    expect(a1).not.toBe(a2);
    expect(b1).toBe(a1);
    await a.app.close();
    await b.app.close();
  });

  it('accepts client_id / client_secret in the form body too', async () => {
    const mock = testMock();
    const res = await mock.app.inject({
      method: 'POST',
      url: '/api/oauth/token',
      headers: FORM,
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: SA.clientId, client_secret: SA.clientSecret }).toString(),
    });
    expect(res.statusCode).toBe(200);
    await mock.app.close();
  });

  it.each([
    ['a wrong secret', basicAuth(SA.clientId, 'mdb_sa_sk_wrong')],
    ['an unknown client id', basicAuth('mdb_sa_id_000000000000000000000000', SA.clientSecret)],
    ['an API key', basicAuth(CREDENTIALS.owner.publicKey, CREDENTIALS.owner.privateKey)],
    ['form-encoded credentials inside Basic (Atlas wants them raw)', basicAuth(encodeURIComponent(SA.clientId).replace(/_/g, '%5F'), SA.clientSecret)],
    ['no credentials', ''],
    ['Basic without a colon', `Basic ${Buffer.from(SA.clientId).toString('base64')}`],
    ['a Bearer header', 'Bearer abc'],
  ])('answers 401 invalid_client to %s', async (_name, authorization) => {
    const mock = testMock();
    const res = await token(mock, authorization);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-error-code']).toBeUndefined();
    expect(res.body).toBe('{"error":"invalid_client","error_description":"Invalid credentials provided."}');
    await mock.app.close();
  });

  it('answers 400 for another grant type or none, after checking the client', async () => {
    const mock = testMock();
    const other = await token(mock, undefined, 'grant_type=password');
    expect(other.statusCode).toBe(400);
    expect(other.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type password.' });
    const none = await token(mock, undefined, 'scope=x');
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toBe('invalid_request');
    const badClientAndGrant = await token(mock, basicAuth(SA.clientId, 'nope'), 'grant_type=password');
    expect(badClientAndGrant.statusCode).toBe(401);
    await mock.app.close();
  });

  it('is not subject to the IP access list nor to authentication of /api/atlas/v2', async () => {
    const mock = testMock();
    const res = await mock.app.inject({ method: 'POST', url: '/api/oauth/token', remoteAddress: '198.51.100.7', headers: { ...FORM, authorization: basicAuth(SA.clientId, SA.clientSecret) }, payload: 'grant_type=client_credentials' });
    expect(res.statusCode).toBe(200);
    await mock.app.close();
  });
});

describe('Bearer tokens on /api/atlas/v2', () => {
  it('are accepted on the operation', async () => {
    const mock = testMock();
    const res = await mock.request({ url: URL, headers: bearer(await mint(mock)) });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(IDS.jobSuccessful);
    await mock.app.close();
  });

  it('expire after exactly one hour of mock time', async () => {
    const mock = testMock();
    const t = await mint(mock);
    mock.clock.advanceBy(TOKEN_TTL_SECONDS * 1000 - 1);
    expect((await mock.request({ url: URL, headers: bearer(t) })).statusCode).toBe(200);
    mock.clock.advanceBy(1);
    expectInvalidToken(await mock.request({ url: URL, headers: bearer(t) }));
    // A new token works again.
    expect((await mock.request({ url: URL, headers: bearer(await mint(mock)) })).statusCode).toBe(200);
    await mock.app.close();
  });

  it('are refused once revoked; revoking is idempotent and needs the owning client', async () => {
    const mock = testMock();
    const t = await mint(mock);
    const revoke = (authorization: string, payload: string) => mock.app.inject({ method: 'POST', url: '/api/oauth/revoke', headers: { ...FORM, authorization }, payload });

    expect((await revoke(basicAuth(SA.clientId, 'wrong'), `token=${t}`)).statusCode).toBe(401);
    expect((await revoke(basicAuth(SA.clientId, SA.clientSecret), 'token_type_hint=access_token')).statusCode).toBe(400);
    expect((await mock.request({ url: URL, headers: bearer(t) })).statusCode).toBe(200);

    const res = await revoke(basicAuth(SA.clientId, SA.clientSecret), `token=${t}&token_type_hint=access_token`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expectInvalidToken(await mock.request({ url: URL, headers: bearer(t) }));
    expect((await revoke(basicAuth(SA.clientId, SA.clientSecret), `token=${t}`)).statusCode).toBe(200);
    await mock.app.close();
  });

  it('a token of another client is not revoked', async () => {
    const mock = testMock({
      fixtures: (await import('../../src/fixtures/load.js')).parseDataset({
        organizations: [{ id: IDS.org, name: 'o' }],
        projects: [{ id: IDS.group, orgId: IDS.org, name: 'p' }],
        serviceAccounts: [
          { clientId: SA.clientId, clientSecret: SA.clientSecret, orgId: IDS.org, projects: [{ groupId: IDS.group, roles: ['Project Owner'] }] },
          { clientId: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d831', clientSecret: 'mdb_sa_sk_othersecretothersecret', orgId: IDS.org },
        ],
      }),
    });
    const t = await mint(mock);
    const res = await mock.app.inject({ method: 'POST', url: '/api/oauth/revoke', headers: { ...FORM, authorization: basicAuth('mdb_sa_id_6650a0c1f1d2e3a4b5c6d831', 'mdb_sa_sk_othersecretothersecret') }, payload: `token=${t}` });
    expect(res.statusCode).toBe(200);
    expect(mock.app.atlasAuth.tokens.resolve(t)).toBe(SA.clientId);
    await mock.app.close();
  });

  it.each([
    ['an unknown token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'],
    ['a malformed token', 'Bearer not-a-jwt'],
    ['an empty token', 'Bearer '],
    ['the bare scheme', 'Bearer'],
    ['a lower-case scheme with an unknown token', 'bearer abc.def.ghi'],
  ])('refuse %s with the contract 401', async (_name, authorization) => {
    const mock = testMock();
    expectInvalidToken(await mock.request({ url: URL, headers: { authorization } }));
    await mock.app.close();
  });

  it('a token whose service account left the dataset is refused', async () => {
    const mock = testMock();
    const t = await mint(mock);
    mock.app.mock.store.principals.delete(SA.clientId);
    expectInvalidToken(await mock.request({ url: URL, headers: bearer(t) }));
    await mock.app.close();
  });

  it('the 401 honours envelope=true like every Atlas error (contract §3), headers included', async () => {
    const mock = testMock();
    const res = await mock.request({ url: `${URL}?envelope=true`, headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-error-code']).toBe('UNAUTHORIZED');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.json()).toEqual({ content: { detail: 'Invalid or expired bearer token.', error: 401, errorCode: 'UNAUTHORIZED', parameters: [], reason: 'Unauthorized' }, status: 401 });
    await mock.app.close();
  });
});
