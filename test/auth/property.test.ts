/**
 * Property: whatever a client puts in `Authorization`, a request to the API is answered with a well-formed
 * 401 — the exact Digest challenge, or the contract's 401 UNAUTHORIZED for a Bearer token — and the server
 * keeps serving (a valid request still gets 200 afterwards).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_BODY } from '../../src/auth/challenge.js';
import { fuzzParams, fuzzTimeoutMs } from '../helpers/fuzz.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

const URL = jobUrl(IDS.jobSuccessful);
const CHALLENGE = /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=(true|false)$/;
const UNAUTHORIZED = '{"detail":"Invalid or expired bearer token.","error":401,"errorCode":"UNAUTHORIZED","parameters":[],"reason":"Unauthorized"}';

/** Characters a header value may carry on the wire (RFC 9110 field-value: VCHAR, SP, HTAB, obs-text). */
const fieldChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '\t', ',', '=', '"', '\\') },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
);
const text = (max: number) => fc.array(fieldChar, { maxLength: max }).map((a) => a.join(''));
const quoted = text(40).map((s) => `"${s}"`);
const digestParam = fc.tuple(
  fc.constantFrom('username', 'realm', 'nonce', 'uri', 'response', 'qop', 'nc', 'cnonce', 'algorithm', 'opaque', 'userhash', 'x'),
  fc.oneof(quoted, text(40), fc.constant('"mockownr"'), fc.constant('"MMS Public API"'), fc.constant('00000001'), fc.constant('auth')),
);
const authorization = fc.oneof(
  text(200),
  text(120).map((t) => `Bearer ${t}`),
  text(120).map((t) => `bearer\t${t}`),
  fc.array(digestParam, { maxLength: 12 }).map((ps) => `Digest ${ps.map(([k, v]) => `${k}=${v}`).join(', ')}`),
  fc.array(digestParam, { maxLength: 12 }).map((ps) => `Digest ${ps.map(([k, v]) => `${k}=${v}`).join(' ')}`),
  text(80).map((t) => `Basic ${Buffer.from(t).toString('base64')}`),
  fc.constantFrom('', 'Digest', 'Bearer', 'Digest ,,,', 'Digest a="', 'Bearer a.b.c', 'Negotiate abc'),
);

const RUNS = 400;

describe('arbitrary Authorization headers', () => {
  it('always get a well-formed 401 and the server stays up', async () => {
    const mock = testMock();
    let count = 0;
    const params = fuzzParams('auth/property', RUNS);
    await fc.assert(
      fc.asyncProperty(authorization, fc.constantFrom('GET', 'POST', 'DELETE', 'HEAD'), async (header, method) => {
        count++;
        const res = await mock.request({ method: method as 'GET', url: URL, headers: { authorization: header } });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toBe('application/json');
        const www = String(res.headers['www-authenticate']);
        if (www.startsWith('Digest')) {
          expect(www).toMatch(CHALLENGE);
          expect(res.headers['x-error-code']).toBeUndefined();
          if (method !== 'HEAD') expect(res.body).toBe(CHALLENGE_BODY.toString());
        } else {
          expect(www).toBe('Bearer error="invalid_token"');
          expect(res.headers['x-error-code']).toBe('UNAUTHORIZED');
          if (method !== 'HEAD') expect(res.body).toBe(UNAUTHORIZED);
        }
      }),
      params,
    );
    expect(count, 'cases run').toBe(params.numRuns);
    expect((await mock.request({ url: URL })).statusCode).toBe(200);
    await mock.app.close();
  }, fuzzTimeoutMs(RUNS));
});
