/**
 * The tick's buckets (replication/tick.ts): a turn's takes and commits of one bucket (scope key and
 * endpoint set) are counted together under the bucket's Redis name, whether the turn has few buckets
 * (found by comparing) or many (past `SCAN`, by name), and each request gets the decision of its own bucket.
 */
import { describe, expect, it } from 'vitest';
import { RATE_CATEGORIES } from '../../src/auth/rate-categories.js';
import { RateLimiter, type RateDecision } from '../../src/auth/rate-limiter.js';
import { SharedRateLimiter } from '../../src/replication/shared.js';
import { bucketSet, decide, Tick } from '../../src/replication/tick.js';
import type { Keys, ScriptedRedis } from '../../src/replication/redis-client.js';

const keys = { head: 'h', buckets: 'b', journal: 'j', journalMeta: 'm', journalIndex: 'i' } as unknown as Keys;
const backups = bucketSet(RATE_CATEGORIES.cloudBackups, RATE_CATEGORIES.cloudBackups);
const clusters = bucketSet(RATE_CATEGORIES.clusters, RATE_CATEGORIES.clusters);

/** A tick on a Redis whose every bucket holds `level(name)` tokens; the script's arguments are kept. */
function tickOn(level: (field: string) => number) {
  const calls: (string | number)[][] = [];
  const redis = {
    mockTick: (...args: (string | number)[]) => {
      calls.push(args);
      const nb = Number(args[7]);
      const fields = Array.from({ length: nb }, (_, b) => String(args[8 + b * 6]));
      return Promise.resolve([0, ...fields.map((f) => String(level(f)))]);
    },
  } as unknown as ScriptedRedis;
  const tick = new Tick({ redis, keys, clock: { now: () => 1000 } as never, journalSize: 0, catchUpTo: () => undefined, unavailable: () => new Error('503') });
  return { tick, calls };
}

const take = (tick: Tick, key: string, set: typeof backups) =>
  new Promise<RateDecision>((resolve, reject) => tick.take(key, set, (e, d) => (e ? reject(e as Error) : resolve(d!))));

describe('tick buckets', () => {
  for (const projects of [3, 20]) {
    it(`${projects} projects in one turn, two endpoint sets each: one bucket each, its own decisions`, async () => {
      const { tick, calls } = tickOn((field) => Number(field.slice(1, field.indexOf('|'))) + 1);
      const asked: Promise<RateDecision>[][] = [];
      // Each project's buckets are taken from twice, the two takes far apart in the turn.
      for (let round = 0; round < 2; round++)
        for (let p = 0; p < projects; p++) {
          asked[p] ??= [];
          asked[p]!.push(take(tick, `p${p}`, backups), take(tick, `p${p}`, clusters));
        }
      const decisions = await Promise.all(asked.map((a) => Promise.all(a)));
      expect(calls).toHaveLength(1);
      const args = calls[0]!;
      const nb = Number(args[7]);
      expect(nb).toBe(projects * 2);
      const fields = Array.from({ length: nb }, (_, b) => String(args[8 + b * 6]));
      expect(new Set(fields).size).toBe(nb);
      expect(fields).toContain(`p0|Cloud Backups/GROUP`);
      expect(fields).toContain(`p${projects - 1}|Clusters/GROUP`);
      // Two takes of every bucket.
      for (let b = 0; b < nb; b++) expect(args[8 + b * 6 + 4]).toBe(2);
      // Project p's buckets hold p + 1 tokens: p0 has one for its first take of each set only.
      decisions.forEach((d, p) => {
        const [backupsFirst, clustersFirst, backupsSecond, clustersSecond] = d;
        expect(backupsFirst).toEqual({ allowed: true, remaining: p });
        expect(clustersFirst).toEqual({ allowed: true, remaining: p });
        expect(backupsSecond!.allowed).toBe(p > 0);
        expect(clustersSecond!.allowed).toBe(p > 0);
      });
    });
  }

  it('routes of one endpoint set share its set object, so a turn carries their project as one bucket', async () => {
    const limits = new RateLimiter({ now: () => 1000 } as never, { capacity: 5, refill: 1, periodMs: 1000 });
    const { tick, calls } = tickOn(() => 5);
    const limiter = new SharedRateLimiter(null as never, keys, tick, limits);
    // As rate-limit.ts asks once per route: the GET of a job and the list, both Cloud Backups.
    const jobRoute = limiter.setOf(RATE_CATEGORIES.cloudBackups);
    const listRoute = limiter.setOf(RATE_CATEGORIES.cloudBackups);
    expect(listRoute).toBe(jobRoute);
    expect(jobRoute.limits).toEqual({ capacity: 5, refill: 1, periodMs: 1000 });
    await Promise.all([take(tick, 'p', jobRoute), take(tick, 'p', listRoute)]);
    expect(calls).toHaveLength(1);
    expect(calls[0]![7]).toBe(1);
    expect(calls[0]![8 + 4]).toBe(2);
  });

  /** Commits of one turn and bucket after `takes` takes: the decisions `decide` makes one token at a time, all or none. */
  function expected(level: number, takes: number, commits: number): (RateDecision | undefined)[] {
    for (let t = 0; t < takes; t++) level = decide(level, backups.limits).tokens;
    const out: RateDecision[] = [];
    for (let k = 0; k < commits; k++) {
      const { decision, tokens } = decide(level, backups.limits);
      if (!decision.allowed) return Array.from({ length: commits }, () => undefined);
      out.push(decision);
      level = tokens;
    }
    return out;
  }

  // Levels at the edges of a token (float rounding forgiven as `decide` forgives it), with and without takes
  // of the same bucket before the commits in the turn.
  for (const level of [0, 0.5, 1 - 1e-10, 1, 2.5, 3 - 1e-10, 3, 3.7, 10])
    for (const takes of [0, 1])
      it(`commits of a bucket holding ${level} tokens after ${takes} take(s): all through with decide's decisions, or none`, async () => {
        const { tick } = tickOn(() => level);
        const decided: Promise<RateDecision>[] = [];
        for (let t = 0; t < takes; t++) decided.push(take(tick, 'p', backups));
        const commits = Array.from({ length: 3 }, () => new Promise<[boolean, RateDecision | undefined]>((resolve, reject) => tick.commit('p', backups, 0, 'e', (e, through, d) => (e ? reject(e as Error) : resolve([through, d])))));
        const got = await Promise.all(commits);
        await Promise.all(decided);
        const want = expected(level, takes, 3);
        expect(got.map(([, d]) => d)).toEqual(want);
        expect(got.map(([through]) => through)).toEqual(want.map((d) => d !== undefined));
      });

  it('commits answered at a head the log has left go through nowhere, whatever the bucket holds', async () => {
    const { tick } = tickOn(() => 10);
    const got = await new Promise<[boolean, RateDecision | undefined]>((resolve) => tick.commit('p', backups, 5, 'e', (_e, through, d) => resolve([through, d])));
    expect(got).toEqual([false, undefined]);
  });
});
