/**
 * Property: whatever a client sends — method, path segments, query (envelope, pretty,
 * pagination), Accept, Content-Type, Authorization, body, extra headers — the answer is well formed
 * (test/helpers/invariants.ts: an Atlas error valid against the official ApiError schema, the exact Digest
 * challenge, a 405 without body, or a success), never a 500, and the mock keeps serving: a known job still
 * reads 200 after each batch. Through `inject` (fast, thousands of cases); fuzz-socket.test.ts sends what
 * `inject` and fetch refuse over raw sockets. A fixed seed and number of cases (test/helpers/fuzz.ts:
 * FUZZ_SEED=<seed> replays or changes the seed, FUZZ_RUNS=<n> widens the run).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accept, authorization, body, contentType, extraHeaders, fuzzParams, fuzzTimeoutMs, method, operationTarget, path, query, withBearer } from '../helpers/fuzz.js';
import { assertWellFormed } from '../helpers/invariants.js';
import { IDS, jobUrl, ownerAuth, testMock, V2023, type TestMock } from '../helpers/mock.js';

describe('fuzzed requests through inject', () => {
  let mock: TestMock;

  beforeAll(async () => {
    // A large bucket: the rate limit is tested elsewhere; here it would turn most cases into 429s.
    mock = testMock({ rateLimit: { capacity: 1_000_000_000 } });
  });
  afterAll(async () => {
    await mock.app.close();
  });

  async function healthy(): Promise<void> {
    const res = await mock.app.inject({ url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023, ...(await ownerAuth(mock.app)) } });
    expect(res.statusCode).toBe(200);
  }

  const target = fc.oneof(fc.record({ method, path }), operationTarget);
  const request = fc.record({
    target,
    query,
    accept: fc.option(accept, { nil: undefined, freq: 8 }),
    contentType: fc.option(contentType, { nil: undefined }),
    body: fc.option(body, { nil: undefined }),
    authorization,
    extra: extraHeaders,
    advanceMs: fc.option(fc.integer({ min: 0, max: 900_000 }), { nil: undefined, freq: 4 }),
  });

  const RUNS = 1500;

  it('every answer is well formed, never a 500, and the mock keeps serving', async () => {
    let batch = 0;
    const seen = new Map<string, number>();
    const params = fuzzParams('fuzz-inject', RUNS);
    await fc.assert(
      fc.asyncProperty(request, fc.context(), async (r, ctx) => {
        if (r.advanceMs !== undefined) mock.clock.advanceBy(r.advanceMs);
        const auth = withBearer(r.authorization, (await ownerAuth(mock.app)).authorization!);
        const { method: m, path: p } = r.target;
        const url = r.query ? `${p}?${r.query}` : p;
        const headers: Record<string, string> = { ...r.extra };
        if (r.accept !== undefined) headers.accept = r.accept;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (auth !== undefined) headers.authorization = auth;
        ctx.log(`${m} ${url.slice(0, 200)} ${JSON.stringify(headers).slice(0, 300)}`);
        const res = await mock.app.inject({ method: m as 'GET', url, headers, ...(r.body !== undefined && m !== 'GET' && m !== 'HEAD' && { payload: r.body }) });
        assertWellFormed({ method: m, url }, { status: res.statusCode, headers: res.headers, body: res.body });
        const key = `${res.statusCode} ${res.headers['x-error-code'] ?? ''}`.trim();
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (++batch % 100 === 0) await healthy();
      }),
      params,
    );
    expect(batch, 'cases run').toBe(params.numRuns);
    await healthy();
    // The generators reach past authentication, negotiation and validation into the services.
    const statuses = new Set([...seen.keys()].map((k) => Number(k.split(' ')[0])));
    for (const st of [200, 400, 401, 404, 405, 406]) expect(statuses, JSON.stringify([...seen])).toContain(st);
    if (process.env.FUZZ_STATS) console.log([...seen].sort((a, b) => b[1] - a[1]));
  }, fuzzTimeoutMs(RUNS));
});
