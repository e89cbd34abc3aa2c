/**
 * Security of the mock:
 * - the control API's admin token is compared in constant time: `timingSafeEqual` on two SHA-256 digests
 *   of equal length, whatever the length of the token presented (a plain `===` or a length check first
 *   would tell an attacker the token's length or prefix);
 * - `/__mock` refuses non-loopback clients unless a token is set or --allow-remote-control, and a client
 *   cannot talk its way onto loopback with X-Forwarded-For (no trustProxy);
 * - no secret in the logs: at debug level with every request logged, Digest and Bearer requests, token
 *   mints (Basic and form), revocations and control requests with the admin token leave no password,
 *   client secret, token, admin token or Authorization value in the log.
 */
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: { a: number; b: number }[] = [];
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push({ a: a.byteLength, b: b.byteLength });
      return real.timingSafeEqual(a, b);
    },
  };
});

const { buildApp } = await import('../../src/app.js');
const { createClock } = await import('../../src/core/clock.js');
const { digestInject } = await import('../helpers/digest.js');
const { basicAuth, CREDENTIALS, IDS, jobUrl, T0, V2023 } = await import('../helpers/mock.js');

const ADMIN_TOKEN = 'adm-7f3c9e1b5d2a4c6e8f0a1b3c5d7e9f11';

describe('admin token', () => {
  beforeEach(() => void (calls.length = 0));

  it('is compared with timingSafeEqual on equal-length digests, for right, wrong, short and long tokens', async () => {
    const app = buildApp({ adminToken: ADMIN_TOKEN }, { clock: createClock({ mode: 'manual', start: T0 }) });
    const tries: [string, number][] = [
      [ADMIN_TOKEN, 200],
      [ADMIN_TOKEN.slice(0, -1) + '2', 401],
      ['a', 401],
      [ADMIN_TOKEN + 'x'.repeat(500), 401],
      ['', 401],
    ];
    for (const [token, status] of tries) {
      calls.length = 0;
      const res = await app.inject({ url: '/__mock/clock', headers: { 'x-mock-admin-token': token } });
      expect([token.slice(0, 8), res.statusCode]).toEqual([token.slice(0, 8), status]);
      if (status === 401) expect(res.json()).toMatchObject({ errorCode: 'CONTROL_UNAUTHORIZED' });
      // One comparison, of two 32-byte digests: the presented token's length never changes the work.
      expect(calls).toEqual([{ a: 32, b: 32 }]);
    }
    calls.length = 0;
    expect((await app.inject({ url: '/__mock/clock', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode).toBe(200);
    expect(calls).toEqual([{ a: 32, b: 32 }]);
    await app.close();
  });
});

describe('control API from other addresses', () => {
  it('is refused to non-loopback clients (403 CONTROL_FORBIDDEN) whatever X-Forwarded-For says; a token or --allow-remote-control opens it', async () => {
    const clock = createClock({ mode: 'manual', start: T0 });
    const closed = buildApp({}, { clock });
    for (const remoteAddress of ['203.0.113.9', '10.0.0.1', '::ffff:192.0.2.1', '2001:db8::1']) {
      const res = await closed.inject({ method: 'POST', url: '/__mock/reset', remoteAddress, headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' } });
      expect([remoteAddress, res.statusCode]).toEqual([remoteAddress, 403]);
      expect(res.json()).toMatchObject({ errorCode: 'CONTROL_FORBIDDEN' });
    }
    for (const remoteAddress of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect((await closed.inject({ url: '/__mock/clock', remoteAddress })).statusCode).toBe(200);
    const withToken = buildApp({ adminToken: ADMIN_TOKEN }, { clock });
    expect((await withToken.inject({ url: '/__mock/clock', remoteAddress: '203.0.113.9' })).statusCode).toBe(401);
    expect((await withToken.inject({ url: '/__mock/clock', remoteAddress: '203.0.113.9', headers: { 'x-mock-admin-token': ADMIN_TOKEN } })).statusCode).toBe(200);
    const open = buildApp({ allowRemoteControl: true }, { clock });
    expect((await open.inject({ url: '/__mock/clock', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    await Promise.all([closed.close(), withToken.close(), open.close()]);
  });
});

describe('logs at debug level', () => {
  it('hold no password, secret, token, admin token or Authorization value', async () => {
    let log = '';
    const stream = new Writable({
      write(chunk, _enc, cb) {
        log += chunk.toString();
        cb();
      },
    });
    const app = buildApp({ logger: { level: 'debug', stream }, requestLogging: true, adminToken: ADMIN_TOKEN }, { clock: createClock({ mode: 'manual', start: T0 }) });
    const SA = CREDENTIALS.serviceAccount;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const minted = await app.inject({ method: 'POST', url: '/api/oauth/token', headers: { ...form, authorization: basicAuth(SA.clientId, SA.clientSecret) }, payload: 'grant_type=client_credentials' });
    const token = minted.json().access_token as string;
    await app.inject({ method: 'POST', url: '/api/oauth/token', headers: form, payload: `grant_type=client_credentials&client_id=${SA.clientId}&client_secret=${SA.clientSecret}` });
    await app.inject({ method: 'POST', url: '/api/oauth/token', headers: { ...form, authorization: basicAuth(SA.clientId, 'mdb_sa_sk_wrongwrongwrong') }, payload: 'grant_type=client_credentials' });
    expect((await app.inject({ url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023, authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    await app.inject({ url: `${jobUrl(IDS.jobSuccessful)}?envelope=true`, headers: { accept: V2023, authorization: `Bearer ${token}tampered` } });
    const digest = await digestInject(app, CREDENTIALS.owner.publicKey, CREDENTIALS.owner.privateKey, { url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023 } });
    expect(digest.statusCode).toBe(200);
    await digestInject(app, CREDENTIALS.owner.publicKey, 'not-the-private-key-0000', { url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023 } });
    // A 500 is logged with its error: a body with a secret must not end up there either (fault rule).
    expect((await app.inject({ method: 'POST', url: '/__mock/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload: { operation: 'getBackupExport', times: 1, error: 'UNEXPECTED_ERROR' } })).statusCode).toBe(201);
    expect((await app.inject({ url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023, authorization: `Bearer ${token}` } })).statusCode).toBe(500);
    expect((await app.inject({ url: '/__mock/requests', headers: { 'x-mock-admin-token': ADMIN_TOKEN } })).statusCode).toBe(200);
    await app.inject({ url: '/__mock/requests', headers: { 'x-mock-admin-token': `${ADMIN_TOKEN}-wrong` } });
    await app.inject({ method: 'POST', url: '/api/oauth/revoke', headers: { ...form, authorization: basicAuth(SA.clientId, SA.clientSecret) }, payload: `token=${token}` });
    await app.close();

    expect(log).toContain('"msg":"incoming request"');
    expect(log.split('\n').length).toBeGreaterThan(20);
    const secrets = [
      SA.clientSecret,
      CREDENTIALS.owner.privateKey,
      'not-the-private-key-0000',
      'mdb_sa_sk_wrongwrongwrong',
      token,
      token.split('.')[2]!,
      ADMIN_TOKEN,
      basicAuth(SA.clientId, SA.clientSecret).slice(6),
      'response=',
      'Bearer ',
      'Digest ',
    ];
    for (const secret of secrets) expect(log.includes(secret), `the log holds ${secret.slice(0, 10)}…`).toBe(false);
  });
});
