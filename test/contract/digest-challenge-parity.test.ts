/**
 * Parity with real Atlas: the recorded Digest challenge (`digest-401-challenge.http`) — status, every
 * header the recording has except infrastructure ones (Date, Server, Vary: Accept-Encoding from the
 * gateway's compression, X-Envoy-*), and the body byte for byte. The nonce differs by nature: it is
 * compared by shape, the rest of `WWW-Authenticate` character for character. The recording has no
 * `X-Error-Code` and none of the security headers; the mock must not send them either.
 */
import { expect, it } from 'vitest';
import { describeWithEvidence, recorded, SECURITY_HEADER_NAMES } from '../helpers/contract.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

const INFRASTRUCTURE = new Set(['date', 'server', 'vary', 'x-envoy-upstream-service-time']);
const NONCE = /nonce="([^"]*)"/;

describeWithEvidence('parity with digest-401-challenge.http', () => {
  it.each([
    ['a request without credentials', jobUrl(IDS.jobSuccessful), {}],
    ['a wrong Digest password', jobUrl(IDS.jobSuccessful), { authorization: 'Digest username="mockownr", realm="MMS Public API", nonce="x", uri="/", response="0", qop=auth, nc=00000001, cnonce="c"' }],
    ['an unknown path under /api/atlas/v2', '/api/atlas/v2/no/such/path', {}],
  ])('answers %s like Atlas did', async (_case, url, headers) => {
    const rec = recorded('digest-401-challenge.http');
    const mock = testMock({}, { start: Date.parse(rec.headers['date']!) });
    const res = await mock.request({ url, headers: { authorization: undefined, ...headers } });

    expect(res.statusCode).toBe(rec.status);
    for (const [name, value] of Object.entries(rec.headers)) {
      if (INFRASTRUCTURE.has(name)) continue;
      if (name === 'www-authenticate') {
        const sent = String(res.headers[name]);
        expect(sent.replace(NONCE, 'nonce="*"')).toBe(value.replace(NONCE, 'nonce="*"'));
        expect(NONCE.exec(sent)![1]).toMatch(/^[A-Za-z0-9+/]{32}$/);
      } else {
        expect([name, res.headers[name]]).toEqual([name, value]);
      }
    }
    expect(res.headers['x-error-code']).toBeUndefined();
    for (const h of SECURITY_HEADER_NAMES) expect([h, res.headers[h]]).toEqual([h, undefined]);
    expect(res.body).toBe(rec.body);
    await mock.app.close();
  });
});
