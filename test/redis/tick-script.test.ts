/**
 * The tick's script (`mockTick`, src/replication/scripts.ts) against a plain model of what it must do, on a
 * real redis-server, through the replica's own `Tick` (its arguments as a replica builds them). The script is
 * written for Redis's CPU (levels not formatted in Lua, whole levels as integer replies, runs written as they
 * come, the index read in slices when trimming): these check that nothing of that changes a value.
 * - Bucket levels, fractional ones included, come back and are stored to the last bit of the double that the
 *   arithmetic of auth/rate-limiter.ts gives, through takes, commits and a clock that goes back.
 * - The journal, over hundreds of turns of mixed runs and many trims (one-request entries among them, so a
 *   trim reads the index in several slices), shows the newest `size` requests with their `seq`, holds what
 *   its meta says, and stays within its bound; a meta deleted by hand starts it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { RATE_CATEGORIES } from '../../src/auth/rate-categories.js';
import type { RateDecision, RateLimitConfig } from '../../src/auth/rate-limiter.js';
import { createRedisClient, keysOf, type ScriptedRedis } from '../../src/replication/redis-client.js';
import { bucketField, bucketSet, decide, Tick } from '../../src/replication/tick.js';
import { startRedis, type RedisServer } from './harness.js';

const EPSILON = 1e-9;
let server: RedisServer;
let redis: ScriptedRedis;

beforeAll(async () => {
  server = await startRedis();
  redis = createRedisClient(server.url);
  await redis.connect();
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

/** A tick on `prefix` with a clock the test moves; the script's replies are kept. */
function tickOn(prefix: string, journalSize: number) {
  const keys = keysOf(prefix);
  const time = { now: 1_764_820_000_000 };
  const replies: (string | number)[][] = [];
  const scripted = Object.create(redis) as ScriptedRedis;
  scripted.mockTick = (...args) =>
    redis.mockTick(...args).then((r) => {
      replies.push(r as (string | number)[]);
      return r;
    });
  const tick = new Tick({ redis: scripted, keys, clock: { now: () => time.now } as Clock, journalSize, catchUpTo: () => undefined, unavailable: () => new Error('unavailable') });
  return { tick, keys, time, replies };
}

const promised = <T>(f: (done: (e: unknown, v?: T) => void) => void) => new Promise<T>((resolve, reject) => f((e, v) => (e ? reject(e as Error) : resolve(v as T))));
const commit = (tick: Tick, key: string | undefined, set: ReturnType<typeof bucketSet> | undefined, head: number, entry: string | undefined) =>
  new Promise<boolean>((resolve, reject) => tick.commit(key, set, head, entry, (e, through) => (e ? reject(e as Error) : resolve(through))));

describe('the tick script', () => {
  it('bucket levels, fractional ones included, come back and are stored exactly', async () => {
    const { tick, keys, time, replies } = tickOn(`tick-levels-${process.pid}`, 0);
    const cases: RateLimitConfig[] = [
      { capacity: 5, refill: 7, periodMs: 60_000 },
      { capacity: 3, refill: 1, periodMs: 3_600_000 },
      { capacity: 1_000_000_000, refill: 1_000_000_000, periodMs: 60_000 },
    ];
    const sets = cases.map((limits) => bucketSet(RATE_CATEGORIES.cloudBackups, limits));
    const model = cases.map(() => ({ tokens: NaN, at: NaN, fresh: true }));
    const steps = [1 / 3, 250, 0.1, 8571.5, 1, 0, -3, 60_000, 1e-3, 7777.7, 13, 2 / 7];
    let fractional = 0;
    for (let turn = 0; turn < 240; turn++) {
      time.now += steps[turn % steps.length]!;
      const now = time.now;
      const b = turn % sets.length;
      const takes = 1 + (turn % 3);
      const commits = turn % 4;
      const asked = Array.from({ length: takes }, () => promised<RateDecision>((done) => tick.take(`p${b}`, sets[b]!, done)));
      const committed = Array.from({ length: commits }, () => commit(tick, `p${b}`, sets[b]!, 0, undefined));
      const [decisions, through] = await Promise.all([Promise.all(asked), Promise.all(committed)]);
      // The model: auth/rate-limiter.ts's refill, then the takes, then the commits all or none.
      const m = model[b]!;
      const { capacity, refill, periodMs } = cases[b]!;
      if (m.fresh) Object.assign(m, { tokens: capacity, at: now, fresh: false });
      if (now > m.at) m.tokens = Math.min(capacity, m.tokens + ((now - m.at) * refill) / periodMs);
      m.at = now;
      const level = m.tokens;
      if (level % 1 !== 0) fractional++;
      const expected = Array.from({ length: takes }, () => {
        const d = decide(m.tokens, cases[b]!);
        m.tokens = d.tokens;
        return d.decision;
      });
      let left: number | undefined = m.tokens;
      for (let k = 0; k < commits && left !== undefined; k++) left = left >= 1 - EPSILON ? Math.max(0, left - 1) : undefined;
      if (left !== undefined) m.tokens = left;
      const reply = replies.at(-1)!;
      expect(Object.is(Number(reply[1]), level), `turn ${turn}: level ${reply[1]} against ${level}`).toBe(true);
      expect(decisions).toEqual(expected);
      expect(through).toEqual(Array.from({ length: commits }, () => left !== undefined));
      const field = bucketField(`p${b}`, sets[b]!);
      const [t, a] = await redis.hmget(keys.buckets, `${field}:t`, `${field}:a`);
      expect(Object.is(Number(t), m.tokens), `turn ${turn}: stored ${t} against ${m.tokens}`).toBe(true);
      expect(Number(a)).toBe(now);
    }
    expect(fractional).toBeGreaterThan(50);
  });

  for (const size of [5, 40]) {
    it(`the journal (size ${size}) shows the newest requests with their seq through many trims`, async () => {
      const { tick, keys } = tickOn(`tick-journal-${size}-${process.pid}`, size);
      const set = bucketSet(RATE_CATEGORIES.cloudBackups, { capacity: 1_000_000_000, refill: 1_000_000_000, periodMs: 60_000 });
      const bound = size + Math.max(64, Math.ceil(size / 16));
      let all: string[] = [];
      let trims = 0;
      let last = 0;
      let entries = 0;
      let mostGone = 0;
      for (let turn = 0; turn < 600; turn++) {
        if (turn === 451) {
          // A meta deleted by hand: the stream is ahead of it, and the journal starts again from seq 1.
          await redis.del(keys.journalMeta);
          all = [];
        }
        const entry = (kind: string, i: number) => JSON.stringify([kind, turn, i]);
        // Mostly one run (as a GET bench's turn), now and then one-request turns and mixed runs; for a while
        // only one-request turns (a trim then reads the index in several slices).
        const shape = turn >= 150 && turn < 300 ? 5 : turn % 7;
        const plain = shape === 3 ? 2 : shape === 5 ? 1 : 0;
        const commits = shape < 3 ? 1 + ((turn * 7) % 25) : shape === 4 ? 3 : 0;
        const free = shape === 4 || shape === 6 ? 1 + (turn % 2) : 0;
        const stale = turn % 11 === 10;
        const written: string[] = [];
        const waits: Promise<unknown>[] = [];
        for (let i = 0; i < plain; i++) {
          written.push(entry('plain', i));
          waits.push(promised((done) => tick.journal(entry('plain', i), done)));
        }
        for (let i = 0; i < commits; i++) waits.push(commit(tick, 'p', set, stale ? 1 : 0, entry('commit', i)));
        for (let i = 0; i < free; i++) waits.push(commit(tick, undefined, undefined, stale ? 1 : 0, entry('free', i)));
        if (!stale) {
          for (let i = 0; i < commits; i++) written.push(entry('commit', i));
          for (let i = 0; i < free; i++) written.push(entry('free', i));
        }
        await Promise.all(waits);
        all.push(...written);
        // Read as SharedJournal.slots() reads it.
        const raw = (await redis.xrange(keys.journal, '-', '+')) as [string, string[]][];
        const shown: string[] = [];
        for (const [id, fields] of raw) (JSON.parse(fields[3]!) as unknown[]).forEach((v, i) => shown.push(`${parseInt(id, 10) + i} ${JSON.stringify(v)}`));
        const held = Number(await redis.hget(keys.journalMeta, 'held'));
        expect(held, `turn ${turn}`).toBe(shown.length);
        expect(held).toBeLessThanOrEqual(bound);
        // A trim drops index entries; one-request entries make it read the index in several slices (8, 16, …).
        if (held < last && turn !== 451) {
          trims++;
          mostGone = Math.max(mostGone, entries + 1 - raw.length);
        }
        last = held;
        entries = raw.length;
        const expected = all.map((e, i) => `${i + 1} ${e}`).slice(-size);
        expect(shown.slice(-size), `turn ${turn}`).toEqual(expected);
      }
      expect(trims).toBeGreaterThan(size === 5 ? 20 : 10);
      expect(mostGone).toBeGreaterThan(8 + 16);
    });
  }
});
