/**
 * A GET on a replica in one Redis round trip (src/replication/one-trip.ts, docs/shared-service.md): answered
 * from the replica's state, then one script call checks the log's head, takes the token and writes the
 * journal entry. Two replicas in this process on one redis-server (`buildApp` with `store`), so that a test
 * can count the script calls and put a write of the other replica between an answer and its call.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import type { AppOptions } from '../../src/options.js';
import type { RedisEngine } from '../../src/replication/engine.js';
import type { CommitDone } from '../../src/replication/tick.js';
import { IDS, T0, V2023 } from '../helpers/mock.js';
import { SA, startRedis, type RedisServer } from './harness.js';

const EXPORTS = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports`;
const JOB = `${EXPORTS}/${IDS.jobSuccessful}`;
/** Cloud Backups' bucket of the small world: two requests, then 429 for an hour. */
const SMALL = { capacity: 2, refill: 1, periodMs: 3_600_000 };

let redis: RedisServer;
const apps: FastifyInstance[] = [];

function replica(prefix: string, options: AppOptions = {}): FastifyInstance {
  const app = buildApp({ store: redis.url, storePrefix: prefix, ...options }, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(7) });
  apps.push(app);
  return app;
}

async function bearer(app: FastifyInstance): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: { authorization: `Basic ${Buffer.from(`${SA.id}:${SA.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
  expect(res.statusCode).toBe(200);
  return (res.json() as { access_token: string }).access_token;
}

const call = (app: FastifyInstance, token: string, url: string, opts: Partial<InjectOptions> = {}) =>
  app.inject({ method: 'GET', url, ...opts, headers: { accept: V2023, authorization: `Bearer ${token}`, ...(opts.headers as Record<string, string> | undefined) } });

/** Counts the replica's script calls of the tick (one per event-loop turn that needs Redis). */
function countTicks(app: FastifyInstance): { readonly calls: number } {
  const redis = (app.storeEngine as RedisEngine).replica.redis;
  const tick = redis.mockTick.bind(redis);
  const counter = { calls: 0 };
  redis.mockTick = (...args) => {
    counter.calls++;
    return tick(...args);
  };
  return counter;
}

async function journal(app: FastifyInstance, query = '') {
  const res = await app.inject({ method: 'GET', url: `/__mock/requests${query}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { requests: { seq: number; method: string; path: string; status: number; state: string | null }[] }).requests;
}

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await redis?.stop();
});

describe('a GET on a replica: one round trip', () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    a = replica(`onetrip-${process.pid}`);
    b = replica(`onetrip-${process.pid}`);
    await a.ready();
    await b.ready();
    token = await bearer(a);
  });

  it('one script call per GET (token, head and journal entry together), the journal in the order answered', async () => {
    await call(a, token, JOB);
    await call(b, token, JOB);
    const ticksA = countTicks(a);
    const ticksB = countTicks(b);
    const remaining: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await call(i % 2 === 0 ? a : b, token, JOB);
      expect(res.statusCode).toBe(200);
      expect(res.json().id).toBe(IDS.jobSuccessful);
      remaining.push(Number(res.headers['ratelimit-remaining']));
    }
    // Before: a take with the head before the handler, and the journal entry before the answer (two calls).
    expect(ticksA.calls + ticksB.calls).toBe(6);
    // One token each, in the order answered (the manual clock does not refill).
    expect(remaining).toEqual(remaining.map((_, i) => remaining[0]! - i));
    const gets = (await journal(b, '?operation=getBackupExport')).slice(-6);
    expect(gets.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(gets.map((e) => e.state)).toEqual(Array(6).fill('Successful'));
    const seqs = gets.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it('the head moved between the answer and its call: the answer is made again on the new state, one token, one entry', async () => {
    const before = await call(a, token, EXPORTS);
    const jobs = before.json().totalCount as number;
    const remainingBefore = Number(before.headers['ratelimit-remaining']);
    // A's next commit waits for a write made on B (a new export job): the list A prepared is one short.
    const tick = (a.storeEngine as RedisEngine).replica.tick;
    const commit = tick.commit.bind(tick);
    let created: string | undefined;
    tick.commit = (key: string | undefined, set: Parameters<typeof commit>[1], head: number, entry: string | undefined, done: CommitDone) => {
      tick.commit = commit;
      void call(b, token, EXPORTS, { method: 'POST', payload: { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket } }).then((res) => {
        expect(res.statusCode).toBe(200);
        created = res.json().id;
        commit(key, set, head, entry, done);
      });
    };
    const after = await call(a, token, EXPORTS);
    expect(after.statusCode).toBe(200);
    expect(created).toBeDefined();
    expect(after.json().totalCount).toBe(jobs + 1);
    expect(after.json().results.map((j: { id: string }) => j.id)).toContain(created);
    // The POST's token and the GET's: none for the answer discarded.
    expect(Number(after.headers['ratelimit-remaining'])).toBe(remainingBefore - 2);
    const last = (await journal(a)).slice(-2);
    expect(last.map((e) => `${e.method} ${e.status}`)).toEqual(['POST 200', 'GET 200']);
    expect(last[1]!.seq).toBe(last[0]!.seq + 1);
  });

  it('an answer decided before the handler (an invalid query parameter) takes its token once and is journaled once', async () => {
    const first = await call(a, token, JOB);
    const res = await call(a, token, `${EXPORTS}?itemsPerPage=many`);
    expect(res.statusCode).toBe(400);
    expect(Number(res.headers['ratelimit-remaining'])).toBe(Number(first.headers['ratelimit-remaining']) - 1);
    const last = (await journal(a)).slice(-2);
    expect(last.map((e) => e.status)).toEqual([200, 400]);
  });
});

describe('a GET refused by its bucket on a replica', () => {
  it('is the 429 of a take before the handler: same body and headers, and its journal entry is the 429', async () => {
    const prefix = `onetrip-small-${process.pid}`;
    const a = replica(prefix, { rateLimit: SMALL });
    const b = replica(prefix, { rateLimit: SMALL });
    await a.ready();
    await b.ready();
    const memory = buildApp({ rateLimit: SMALL }, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(7) });
    apps.push(memory);
    await memory.ready();
    const token = await bearer(a);
    const memoryToken = await bearer(memory);
    const statuses = [(await call(a, token, JOB)).statusCode, (await call(b, token, JOB)).statusCode];
    const refused = await call(a, token, JOB);
    statuses.push(refused.statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    await call(memory, memoryToken, JOB);
    await call(memory, memoryToken, JOB);
    const expected = await call(memory, memoryToken, JOB);
    expect(expected.statusCode).toBe(429);
    expect(refused.body).toBe(expected.body);
    const same = ['content-type', 'x-error-code', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining'];
    expect(Object.fromEntries(same.map((h) => [h, refused.headers[h]]))).toEqual(Object.fromEntries(same.map((h) => [h, expected.headers[h]])));
    const entries = (await journal(b, '?operation=getBackupExport')).slice(-3);
    expect(entries.map((e) => `${e.status} ${e.state}`)).toEqual(['200 Successful', '200 Successful', '429 null']);
    // An answer decided before the handler (a validation error) is replaced by the 429 as well.
    const invalid = `${EXPORTS}?itemsPerPage=many`;
    const [late, lateExpected] = [await call(b, token, invalid), await call(memory, memoryToken, invalid)];
    expect(lateExpected.statusCode).toBe(429);
    expect(late.statusCode).toBe(429);
    expect(late.body).toBe(lateExpected.body);
    expect(Object.fromEntries(same.map((h) => [h, late.headers[h]]))).toEqual(Object.fromEntries(same.map((h) => [h, lateExpected.headers[h]])));
    expect((await journal(a)).at(-1)).toMatchObject({ method: 'GET', status: 429 });
  });
});
