/**
 * HTTP Digest against the mock (contract §5, RFC 7616): the response hash is really checked, nonces come
 * and go with the mock clock, nonce counts must increase. Requests are injected with headers computed by
 * the independent client in test/helpers/digest.ts.
 */
import { describe, expect, it } from 'vitest';
import { CHALLENGE_BODY } from '../../src/auth/challenge.js';
import { DEFAULT_NONCE_TTL_MS } from '../../src/auth/nonces.js';
import { SECURITY_HEADER_NAMES } from '../helpers/contract.js';
import { DigestSession, digestAuthorization, parseChallenge } from '../helpers/digest.js';
import { CREDENTIALS, IDS, jobUrl, testMock, V2023, type TestMock } from '../helpers/mock.js';

const URL = jobUrl(IDS.jobSuccessful);
const { owner } = CREDENTIALS;
const CHALLENGE = /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=(true|false)$/;

/** Asserts the exact recorded challenge (contract §5) and returns its `stale` flag. */
function expectChallenge(res: { statusCode: number; headers: Record<string, unknown>; body: string }): 'true' | 'false' {
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['x-error-code']).toBeUndefined();
  for (const h of SECURITY_HEADER_NAMES) expect(res.headers[h]).toBeUndefined();
  expect(res.body).toBe(CHALLENGE_BODY.toString());
  const m = CHALLENGE.exec(String(res.headers['www-authenticate']));
  expect(m, String(res.headers['www-authenticate'])).not.toBeNull();
  return m![1] as 'true' | 'false';
}

const noAuth = { authorization: undefined };

async function handshake(mock: TestMock, session: DigestSession, url = URL): Promise<void> {
  const first = await mock.request({ url, headers: noAuth });
  expect(expectChallenge(first)).toBe('false');
  session.accept(first.headers['www-authenticate'] as string);
}

describe('Digest authentication', () => {
  it('accepts the RFC 7616 response of an API key and answers the operation', async () => {
    const mock = testMock();
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    const res = await mock.request({ url: URL, headers: { authorization: s.next('GET', URL) } });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(IDS.jobSuccessful);
    await mock.app.close();
  });

  it('accepts a nonce reused with an increasing nc, with gaps, across paths and query strings', async () => {
    const mock = testMock();
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    const issued = mock.app.atlasAuth.nonces.issued;
    for (const url of [URL, `${URL}?pretty=true`, jobUrl(IDS.jobQueued), URL]) {
      const res = await mock.request({ url, headers: { authorization: s.next('GET', url) } });
      expect([url, res.statusCode]).toEqual([url, 200]);
    }
    const gap = await mock.request({ url: URL, headers: { authorization: s.withCount('GET', URL, 0x10) } });
    expect(gap.statusCode).toBe(200);
    expect(mock.app.atlasAuth.nonces.issued).toBe(issued);
    await mock.app.close();
  });

  it('refuses a repeated nc and a decreasing nc (replay) with a fresh, non-stale challenge', async () => {
    const mock = testMock();
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    const used = s.nonce;
    const header = s.next('GET', URL);
    expect((await mock.request({ url: URL, headers: { authorization: header } })).statusCode).toBe(200);
    const replay = await mock.request({ url: URL, headers: { authorization: header } });
    expect(expectChallenge(replay)).toBe('false');
    expect(parseChallenge(replay.headers['www-authenticate'] as string).nonce).not.toBe(used);

    expect((await mock.request({ url: URL, headers: { authorization: s.withCount('GET', URL, 5) } })).statusCode).toBe(200);
    expect(expectChallenge(await mock.request({ url: URL, headers: { authorization: s.withCount('GET', URL, 4) } }))).toBe('false');
    expect(expectChallenge(await mock.request({ url: URL, headers: { authorization: s.withCount('GET', URL, 5) } }))).toBe('false');
    // The nonce itself stays usable with a higher count.
    expect((await mock.request({ url: URL, headers: { authorization: s.withCount('GET', URL, 6) } })).statusCode).toBe(200);
    await mock.app.close();
  });

  it('answers stale=true once the nonce expired by the mock clock, and the new nonce works', async () => {
    const mock = testMock();
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    expect((await mock.request({ url: URL, headers: { authorization: s.next('GET', URL) } })).statusCode).toBe(200);
    mock.clock.advanceBy(DEFAULT_NONCE_TTL_MS - 1);
    expect((await mock.request({ url: URL, headers: { authorization: s.next('GET', URL) } })).statusCode).toBe(200);
    mock.clock.advanceBy(1);
    const stale = await mock.request({ url: URL, headers: { authorization: s.next('GET', URL) } });
    expect(expectChallenge(stale)).toBe('true');
    s.accept(stale.headers['www-authenticate'] as string);
    expect((await mock.request({ url: URL, headers: { authorization: s.next('GET', URL) } })).statusCode).toBe(200);
    await mock.app.close();
  });

  it('uses the configured nonce lifetime', async () => {
    const mock = testMock({ auth: { nonceTtlMs: 1000 } });
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    mock.clock.advanceBy(1000);
    expect(expectChallenge(await mock.request({ url: URL, headers: { authorization: s.next('GET', URL) } }))).toBe('true');
    await mock.app.close();
  });

  it('answers stale=true for a correct response on a nonce the mock never issued (RFC 7616 §3.3)', async () => {
    const mock = testMock();
    const header = digestAuthorization({ username: owner.publicKey, password: owner.privateKey, method: 'GET', uri: URL, realm: 'MMS Public API', nonce: 'A'.repeat(32), nc: 1 });
    expect(expectChallenge(await mock.request({ url: URL, headers: { authorization: header } }))).toBe('true');
    await mock.app.close();
  });

  describe.each([
    ['a wrong password', { password: 'not-the-private-key' }, {}],
    ['an unknown public key', { username: 'nobodyxx' }, {}],
    ['a service account used as Digest user', { username: CREDENTIALS.serviceAccount.clientId, password: CREDENTIALS.serviceAccount.clientSecret }, {}],
    ['a wrong realm (response computed for it)', { realm: 'Other Realm' }, {}],
    ['a uri that is not the request target', { uri: jobUrl(IDS.jobQueued) }, {}],
    ['a tampered response', {}, { response: '"0123456789abcdef0123456789abcdef"' }],
    ['a malformed response', {}, { response: '"xyz"' }],
    ['algorithm SHA-256', {}, { algorithm: 'SHA-256' }],
    ['no qop (RFC 2069 style)', {}, { qop: undefined, nc: undefined, cnonce: undefined }],
    ['qop=auth-int', {}, { qop: 'auth-int' }],
    ['a malformed nc', {}, { nc: '1' }],
    ['no username', {}, { username: undefined }],
  ] as const)('refuses %s with the challenge', (_name, input, override) => {
    it('401, stale=false, nonce count not burnt', async () => {
      const mock = testMock();
      const s = new DigestSession(owner.publicKey, owner.privateKey);
      await handshake(mock, s);
      const nonce = s.nonce!;
      const header = digestAuthorization(
        { username: owner.publicKey, password: owner.privateKey, method: 'GET', uri: URL, realm: 'MMS Public API', nonce, nc: 1, ...input },
        override,
      );
      expect(expectChallenge(await mock.request({ url: URL, headers: { authorization: header } }))).toBe('false');
      // The refused attempt did not consume nc=1 of the real client.
      const ok = digestAuthorization({ username: owner.publicKey, password: owner.privateKey, method: 'GET', uri: URL, realm: 'MMS Public API', nonce, nc: 1 });
      expect((await mock.request({ url: URL, headers: { authorization: ok } })).statusCode).toBe(200);
      await mock.app.close();
    });
  });

  it('refuses the response computed for another method', async () => {
    const mock = testMock();
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    expectChallenge(await mock.request({ url: URL, headers: { authorization: s.next('POST', URL) } }));
    await mock.app.close();
  });

  it('accepts quoted algorithm and qop values and any case of the scheme (the Go SDK quotes algorithm)', async () => {
    const mock = testMock();
    const s = new DigestSession(owner.publicKey, owner.privateKey);
    await handshake(mock, s);
    const header = digestAuthorization(
      { username: owner.publicKey, password: owner.privateKey, method: 'GET', uri: URL, realm: 'MMS Public API', nonce: s.nonce!, nc: 1 },
      { algorithm: '"MD5"', qop: '"auth"' },
    ).replace(/^Digest/, 'DIGEST');
    expect((await mock.request({ url: URL, headers: { authorization: header } })).statusCode).toBe(200);
    await mock.app.close();
  });

  describe('answers before anything else', () => {
    it.each([
      ['an unknown path under /api/atlas/v2', { url: '/api/atlas/v2/nothing/here' }],
      ['the bare prefix', { url: '/api/atlas/v2' }],
      ['a wrong method on a known path (405 otherwise)', { url: URL, method: 'DELETE' as const }],
      ['a missing Accept header (406 otherwise)', { url: URL, headers: { accept: undefined } }],
      ['an unknown project (404 otherwise)', { url: jobUrl(IDS.jobSuccessful, 'Cluster0', 'ffffffffffffffffffffffff') }],
      ['a malformed project id (404 otherwise)', { url: jobUrl(IDS.jobSuccessful, 'Cluster0', 'nope') }],
      ['a bad query parameter (400 otherwise)', { url: `${URL}?envelope=maybe` }],
      ['Basic credentials', { url: URL, headers: { authorization: `Basic ${Buffer.from(`${owner.publicKey}:${owner.privateKey}`).toString('base64')}` } }],
    ])('%s → the challenge', async (_name, opts) => {
      const mock = testMock();
      const res = await mock.request({ method: 'GET', ...opts, headers: { authorization: undefined, ...('headers' in opts ? opts.headers : {}) } });
      expectChallenge(res);
      await mock.app.close();
    });

    it('never envelopes the challenge: a Digest client needs the real 401', async () => {
      const mock = testMock();
      const res = await mock.request({ url: `${URL}?envelope=true&pretty=true`, headers: noAuth });
      expectChallenge(res);
      await mock.app.close();
    });

    it('leaves routes outside /api/atlas/v2 alone', async () => {
      const mock = testMock();
      const res = await mock.request({ url: '/openapi/atlas.json', headers: noAuth });
      expect(res.statusCode).toBe(200);
      const notApi = await mock.request({ url: '/api/atlas/v2x', headers: noAuth });
      expect(notApi.statusCode).toBe(404);
      expect(notApi.headers['x-error-code']).toBe('RESOURCE_NOT_FOUND');
      await mock.app.close();
    });
  });

  it('a HEAD request gets the challenge headers without a body', async () => {
    const mock = testMock();
    const res = await mock.request({ method: 'HEAD', url: URL, headers: { ...noAuth, accept: V2023 } });
    expect(res.statusCode).toBe(401);
    expect(String(res.headers['www-authenticate'])).toMatch(CHALLENGE);
    expect(res.body).toBe('');
    await mock.app.close();
  });
});
