/**
 * Secrets never appear in logs: with every request logged at trace level, the lines written for
 * token requests, Digest and Bearer requests, refusals and revocations hold no secret, no token and no
 * Digest response — and the auth decisions are still explained (debug lines with a reason).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { digestInject } from '../helpers/digest.js';
import { basicAuth, CREDENTIALS, IDS, jobUrl, T0, V2023 } from '../helpers/mock.js';

describe('logs', () => {
  it('hold no credentials, tokens or digests', async () => {
    let log = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        log += chunk.toString();
        cb();
      },
    });
    const app = buildApp({ logger: { level: 'trace', stream }, requestLogging: true }, { clock: createClock({ mode: 'manual', start: T0 }) });
    const SA = CREDENTIALS.serviceAccount;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const tokenRes = await app.inject({ method: 'POST', url: '/api/oauth/token', headers: { ...form, authorization: basicAuth(SA.clientId, SA.clientSecret) }, payload: 'grant_type=client_credentials' });
    const token = tokenRes.json().access_token as string;
    await app.inject({ method: 'POST', url: '/api/oauth/token', headers: form, payload: `grant_type=client_credentials&client_id=${SA.clientId}&client_secret=${SA.clientSecret}` });
    await app.inject({ url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023, authorization: `Bearer ${token}` } });
    await app.inject({ url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023, authorization: `Bearer ${token}x` } });
    const digest = await digestInject(app, CREDENTIALS.owner.publicKey, CREDENTIALS.owner.privateKey, { url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023 } });
    expect(digest.statusCode).toBe(200);
    await digestInject(app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023 } });
    await digestInject(app, CREDENTIALS.owner.publicKey, 'a-wrong-password-value', { url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023 } });
    await app.inject({ method: 'POST', url: '/api/oauth/revoke', headers: { ...form, authorization: basicAuth(SA.clientId, SA.clientSecret) }, payload: `token=${token}` });
    await app.close();

    expect(log).toContain('"msg":"incoming request"');
    expect(log).toContain('"reason":"wrong key or password"');
    expect(log).toContain('"code":"USER_UNAUTHORIZED"');
    for (const secret of [SA.clientSecret, CREDENTIALS.owner.privateKey, CREDENTIALS.readOnly.privateKey, 'a-wrong-password-value', token, token.split('.')[2]!, 'response=', basicAuth(SA.clientId, SA.clientSecret).slice(6)]) {
      expect(log.includes(secret), `log holds ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
