/**
 * Rate limits (contract §6): one bucket per endpoint set and project (or organization, or principal), shared
 * by the set's operations, capacity and refill by the mock clock, `RateLimit-*` headers, 429
 * RATE_LIMITED_TOKEN_BUCKET with `Retry-After`. The export operations are the Cloud Backups set (1200).
 */
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/auth/rate-limiter.js';
import { RATE_CATEGORIES } from '../../src/auth/rate-categories.js';
import { createClock } from '../../src/core/clock.js';
import { digestInject } from '../helpers/digest.js';
import { CREDENTIALS, IDS, jobUrl, testMock, V2023 } from '../helpers/mock.js';

const URL = jobUrl(IDS.jobSuccessful);

describe('rate limits (defaults: 1200, refill 500 per 60 s)', () => {
  it('every answer on an existing project carries RateLimit-Limit and a decreasing RateLimit-Remaining', async () => {
    const mock = testMock();
    const a = await mock.request({ url: URL });
    const b = await mock.request({ url: jobUrl('ffffffffffffffffffffffff') }); // 404 RESOURCE_NOT_FOUND, same project
    const c = await mock.request({ url: `${URL}?envelope=maybe` }); // 400, same project
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([200, 404, 400]);
    expect([a, b, c].map((r) => [r.headers['ratelimit-limit'], r.headers['ratelimit-remaining']])).toEqual([
      ['1200', '1199'],
      ['1200', '1198'],
      ['1200', '1197'],
    ]);
    await mock.app.close();
  });

  it('no bucket and no headers where no existing project is named (as the recorded 404 GROUP_NOT_FOUND)', async () => {
    const mock = testMock();
    for (const url of [jobUrl(IDS.jobSuccessful, 'Cluster0', 'ffffffffffffffffffffffff'), jobUrl(IDS.jobSuccessful, 'Cluster0', 'bad'), '/api/atlas/v2/unknown']) {
      const res = await mock.request({ url });
      expect([url, res.headers['ratelimit-limit'], res.headers['ratelimit-remaining']]).toEqual([url, undefined, undefined]);
    }
    await mock.app.close();
  });

  it('projects have separate buckets; principals of a project share it', async () => {
    const mock = testMock({ rateLimit: { capacity: 5 } });
    await mock.request({ url: URL });
    const digest = await digestInject(mock.app, CREDENTIALS.owner.publicKey, CREDENTIALS.owner.privateKey, { url: URL, headers: { accept: V2023 } });
    expect(digest.headers['ratelimit-remaining']).toBe('3');
    const other = await digestInject(mock.app, CREDENTIALS.otherOrgOwner.publicKey, CREDENTIALS.otherOrgOwner.privateKey, {
      url: jobUrl(IDS.jobSuccessful, 'Cluster0', IDS.otherGroup),
      headers: { accept: V2023 },
    });
    expect([other.headers['ratelimit-limit'], other.headers['ratelimit-remaining']]).toEqual(['5', '4']);
    await mock.app.close();
  });

  it('each refusal names its own request target, one after the other in the same endpoint set', async () => {
    const mock = testMock({ rateLimit: { capacity: 1, refill: 1, periodMs: 10_000 } });
    expect((await mock.request({ url: URL })).statusCode).toBe(200);
    const other = jobUrl('ffffffffffffffffffffffff');
    for (const url of [URL, URL, other, `${URL}?pretty=false`, URL]) {
      const res = await mock.request({ url });
      const path = url.split('?')[0]!.slice(1);
      expect([res.statusCode, res.headers['retry-after'], JSON.parse(res.body).parameters]).toEqual([429, '10', [path, 10, 1, 1, 10]]);
    }
    await mock.app.close();
  });

  it('answers 429 RATE_LIMITED_TOKEN_BUCKET with Retry-After once empty, and refills by the mock clock', async () => {
    const mock = testMock({ rateLimit: { capacity: 3, refill: 1, periodMs: 10_000 } });
    for (let i = 2; i >= 0; i--) expect((await mock.request({ url: URL })).headers['ratelimit-remaining']).toBe(String(i));
    const limited = await mock.request({ url: URL });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('application/json');
    expect(limited.headers['x-error-code']).toBe('RATE_LIMITED_TOKEN_BUCKET');
    expect(limited.headers['retry-after']).toBe('10');
    expect([limited.headers['ratelimit-limit'], limited.headers['ratelimit-remaining']]).toEqual(['3', '0']);
    const path = URL.slice(1);
    expect(limited.body).toBe(
      JSON.stringify({
        detail: `Rate limit exceeded for ${path}. Please retry after 10 seconds. Request capacity: 3. Refill rate: 1 per 10 seconds.`,
        error: 429,
        errorCode: 'RATE_LIMITED_TOKEN_BUCKET',
        parameters: [path, 10, 3, 1, 10],
        reason: 'Too Many Requests',
      }),
    );
    mock.clock.advanceBy(4_000);
    expect((await mock.request({ url: URL })).headers['retry-after']).toBe('6');
    mock.clock.advanceBy(6_000);
    const again = await mock.request({ url: URL });
    expect([again.statusCode, again.headers['ratelimit-remaining']]).toEqual([200, '0']);
    // A long wait fills the bucket up to its capacity, not beyond.
    mock.clock.advanceBy(3_600_000);
    expect((await mock.request({ url: URL })).headers['ratelimit-remaining']).toBe('2');
    await mock.app.close();
  });

  it('refused callers (401) do not drain the bucket; authentication comes first', async () => {
    const mock = testMock({ rateLimit: { capacity: 2 } });
    for (let i = 0; i < 5; i++) {
      const res = await digestInject(mock.app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { url: URL, headers: { accept: V2023 } });
      expect(res.statusCode).toBe(401);
    }
    expect((await mock.request({ url: URL })).headers['ratelimit-remaining']).toBe('1');
    await mock.app.close();
  });

  it('refused callers (403, IP access list) do not drain the bucket either', async () => {
    const mock = testMock({ rateLimit: { capacity: 2 } });
    const { publicKey, privateKey } = CREDENTIALS.accessListOwner;
    for (let i = 0; i < 5; i++) {
      const res = await digestInject(mock.app, publicKey, privateKey, { url: URL, headers: { accept: V2023 }, remoteAddress: '198.51.100.23' });
      expect([res.statusCode, res.headers['x-error-code']]).toEqual([403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST']);
    }
    // The same principal from an address on its list is served and takes the first token.
    const allowed = await digestInject(mock.app, publicKey, privateKey, { url: URL, headers: { accept: V2023 }, remoteAddress: '203.0.113.9' });
    expect([allowed.statusCode, allowed.headers['ratelimit-remaining']]).toEqual([200, '1']);
    await mock.app.close();
  });

  it('--rate-limit off: no bucket, no headers, no 429', async () => {
    const mock = testMock({ rateLimit: { enabled: false, capacity: 1 } });
    for (let i = 0; i < 3; i++) {
      const res = await mock.request({ url: URL });
      expect([res.statusCode, res.headers['ratelimit-limit']]).toEqual([200, undefined]);
    }
    await mock.app.close();
  });

  it('rejects a capacity or refill below 1', () => {
    expect(() => testMock({ rateLimit: { capacity: 0 } })).toThrow(/capacity/);
    expect(() => testMock({ rateLimit: { refill: -1 } })).toThrow(/refill/);
  });
});

describe('endpoint sets (Atlas docs "API Rate Limits"; recorded Ratelimit-Limit values)', () => {
  const G = `/api/atlas/v2/groups/${IDS.group}`;
  const V = (d: string) => `application/vnd.atlas.${d}+json`;
  const requests: [set: string, url: string, accept: string, limit: string][] = [
    ['Cloud Backups', URL, V2023, '1200'],
    ['Clusters', `${G}/clusters/Cluster0`, V('2024-08-05'), '10000'],
    ['Clusters', `${G}/clusters`, V('2023-02-01'), '10000'],
    ['Cloud Provider Access', `${G}/cloudProviderAccess`, V2023, '2000'],
    ['Flex Clusters', `${G}/flexClusters/Cluster0`, V('2024-11-13'), '1200'],
    ['Flex Snapshots', `${G}/flexClusters/Cluster0/backup/snapshots`, V('2024-11-13'), '1200'],
    ['Projects', G, V2023, '1200'],
    ['Organizations', `/api/atlas/v2/orgs/${IDS.org}`, V2023, '500'],
  ];

  it('every operation answers with the capacity of its set, from a bucket of its own', async () => {
    const mock = testMock();
    for (const [set, url, accept, limit] of requests) {
      const res = await mock.request({ url, headers: { accept } });
      // A fresh bucket per set, although earlier requests were on the same project.
      expect([set, url, res.headers['ratelimit-limit'], res.headers['ratelimit-remaining']]).toEqual([set, url, limit, String(Number(limit) - (url === `${G}/clusters` ? 2 : 1))]);
    }
    await mock.app.close();
  });

  it('an empty set refuses its operations only; its limits are its own (rateLimit.categories), 429 names them', async () => {
    const mock = testMock({ rateLimit: { capacity: 2, categories: { Clusters: { capacity: 1, refill: 3, periodMs: 30_000 } } } });
    const cluster = `${G}/clusters/Cluster0`;
    expect((await mock.request({ url: cluster, headers: { accept: V('2024-08-05') } })).statusCode).toBe(200);
    const limited = await mock.request({ url: `${G}/clusters`, headers: { accept: V('2024-08-05') } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().parameters).toEqual([`api/atlas/v2/groups/${IDS.group}/clusters`, 10, 1, 3, 30]);
    expect([limited.headers['ratelimit-limit'], limited.headers['retry-after']]).toEqual(['1', '10']);
    // Cloud Backups (capacity 2) and the other sets go on.
    expect((await mock.request({ url: URL })).headers['ratelimit-remaining']).toBe('1');
    expect((await mock.request({ url: `${G}/cloudProviderAccess` })).statusCode).toBe(200);
    // Another project's Clusters bucket is full.
    expect((await mock.request({ url: `/api/atlas/v2/groups/${IDS.otherGroup}/clusters/Cluster0`, headers: { accept: V('2024-08-05') } })).statusCode).toBe(200);
    // A reset of the project refills all its sets.
    await mock.app.inject({ method: 'POST', url: '/__mock/reset', headers: { 'content-type': 'application/json' }, payload: { groupId: IDS.group } });
    expect((await mock.request({ url: cluster, headers: { accept: V('2024-08-05') } })).statusCode).toBe(200);
    await mock.app.close();
  });

  it('rejects an unknown set or bad limits in rateLimit.categories', () => {
    expect(() => testMock({ rateLimit: { categories: { Nope: { capacity: 1 } } } })).toThrow(/unknown endpoint set "Nope"/);
    expect(() => testMock({ rateLimit: { categories: { Clusters: { refill: 0 } } } })).toThrow(/rateLimit\.categories\.Clusters\.refill/);
  });

  it('RateLimiter: buckets per set and key; Cloud Backups takes the configured limits, other sets Atlas’s', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const rl = new RateLimiter(clock, { capacity: 2, refill: 1, periodMs: 1000 });
    expect(rl.limitsOf(RATE_CATEGORIES.cloudBackups)).toEqual({ capacity: 2, refill: 1, periodMs: 1000 });
    expect(rl.limitsOf(RATE_CATEGORIES.cloudProviderAccess)).toEqual({ capacity: 2000, refill: 1000, periodMs: 60_000 });
    rl.take('g');
    rl.take('g');
    expect(rl.take('g').allowed).toBe(false);
    expect(rl.take('g', RATE_CATEGORIES.clusters)).toEqual({ allowed: true, remaining: 9999 });
    // Projects at GROUP and at USER scope are distinct buckets (same name, other scope).
    expect(rl.take('g', RATE_CATEGORIES.projects).remaining).toBe(1199);
    expect(rl.take('g', RATE_CATEGORIES.projectsByUser).remaining).toBe(1199);
    rl.reset('g');
    expect(rl.take('g')).toEqual({ allowed: true, remaining: 1 });
  });
});

describe('RateLimiter (bucket math)', () => {
  it('refills continuously, a fraction of a token per ms', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const rl = new RateLimiter(clock, { capacity: 1200, refill: 500, periodMs: 60_000 });
    for (let i = 0; i < 1200; i++) expect(rl.take('g').allowed).toBe(true);
    const denied = rl.take('g');
    expect(denied).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 1 });
    clock.advanceBy(120); // 500/60 000 per ms × 120 ms = 1 token
    expect(rl.take('g')).toEqual({ allowed: true, remaining: 0 });
    clock.advanceBy(60_000);
    expect(rl.take('g')).toEqual({ allowed: true, remaining: 499 });
    expect(rl.take('other')).toEqual({ allowed: true, remaining: 1199 });
  });

  it('one whole period refills exactly `refill` tokens, whatever the float rounding of refill / period', () => {
    const clock = createClock({ mode: 'manual', start: 0 });
    const rl = new RateLimiter(clock, { capacity: 3, refill: 1, periodMs: 3_600_000 }); // 1 / 3 600 000 is not exact
    for (let i = 0; i < 3; i++) rl.take('g');
    expect(rl.take('g')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 3600 });
    clock.advanceBy(3_600_000);
    expect(rl.take('g')).toEqual({ allowed: true, remaining: 0 });
    expect(rl.take('g').allowed).toBe(false);
    // Three partial refills that add up to one token (0.7 + 0.2 + 0.1 is 0.9999999999999999 in floats).
    const tenths = new RateLimiter(clock, { capacity: 1, refill: 10, periodMs: 10 });
    tenths.take('t');
    for (const ms of [0.7, 0.2, 0.1]) {
      expect(tenths.take('t').allowed).toBe(false);
      clock.advanceBy(ms);
    }
    expect(tenths.take('t')).toEqual({ allowed: true, remaining: 0 });
  });

  it('a clock moved backwards neither refills nor breaks the bucket', () => {
    const clock = createClock({ mode: 'manual', start: 1_000_000 });
    const rl = new RateLimiter(clock, { capacity: 2, refill: 1, periodMs: 1000 });
    rl.take('g');
    rl.take('g');
    clock.setTo(0);
    expect(rl.take('g').allowed).toBe(false);
    clock.advanceBy(1000);
    expect(rl.take('g')).toEqual({ allowed: true, remaining: 0 });
  });
});
