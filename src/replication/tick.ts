/**
 * The one Redis round trip of a replica's event-loop turn. Whatever the requests of one turn need from
 * Redis on their way — a token of their rate-limit bucket, the head of the log (to know whether the
 * replica is behind), their journal entry before the answer leaves, and the commits of GETs answered in
 * one round trip (`one-trip.ts`: head check, token and entry at once) — goes out as **one** script call
 * (`mockTick`, `scripts.ts`) when the turn ends (`setImmediate`), and each request is called back with its
 * part of the answer: no promise, no command and no reply of its own.
 *
 * Why one call per turn (figures of `npm run bench -- --only redis`, a replica profiled with --cpu-prof and
 * Redis's `INFO commandstats`, docs/shared-service.md "Measured"): ioredis spends ~10 µs of the replica's
 * CPU per command (its object, promise, RESP encoding and reply), and Redis ~3 µs per XADD and ~11 µs per
 * bucket take in Lua; one journal XADD per request and one take per request cost more than the rest of the
 * GET. Here the takes of one bucket are one HMGET/HSET (the script returns the bucket's level and the
 * replica works out each request's decision with the same arithmetic), and the journal entries of a turn
 * are one stream entry.
 *
 * The head comes back with every call: when it moved, the replica applies the log up to it once for the
 * whole turn before the requests that wait for it go on (a job created on another replica a moment ago is
 * found).
 */
import type { Clock } from '../core/clock.js';
import type { RateDecision, RateLimitConfig } from '../auth/rate-limiter.js';
import { categoryId, type RateCategory } from '../auth/rate-categories.js';
import type { Keys, ScriptedRedis } from './redis-client.js';

/** Float rounding forgiven, in tokens: the same as auth/rate-limiter.ts (and the script). */
const EPSILON = 1e-9;

export type Done<T = undefined> = (error: unknown, value?: T) => void;

interface Take {
  /** Index of the take's bucket in this turn. */
  bucket: number;
  done: Done<RateDecision>;
}

/** An endpoint set with its limits, made once per set (`SharedRateLimiter.setOf`): a bucket is one of these and a scope key. */
export interface BucketSet {
  /** `categoryId` of the set: the Redis name of a bucket is its scope key, `|`, this. */
  id: string;
  limits: RateLimitConfig;
}

export function bucketSet(category: RateCategory, limits: RateLimitConfig): BucketSet {
  return { id: categoryId(category), limits };
}

/** The Redis name of a bucket: scope key and endpoint set. */
export const bucketField = (key: string, set: BucketSet): string => `${key}|${set.id}`;

/**
 * Buckets of one turn looked for by comparing: a turn's requests are mostly of one or two buckets, and a
 * lookup by name built a string (scope key and set) and hashed it for every request (~0.5 µs a GET in a
 * replica's profile). Past this many buckets in a turn, a Map by name.
 */
const SCAN = 8;

interface Bucket {
  key: string;
  set: BucketSet;
  takes: number;
  /** Commits of this turn on this bucket, in arrival order, and their journal entries. */
  commits: Commit[];
  entries: string[];
}

export interface TickDeps {
  redis: ScriptedRedis;
  keys: Keys;
  clock: Clock;
  /** Entries kept by the journal (0: no journal). */
  journalSize: number;
  /** Brings the replica up to `head` (applies the log); rejects with the error to answer when it cannot. */
  catchUpTo(head: number): Promise<void> | undefined;
  /** Turns any failure to reach Redis into the error a request answers (503). */
  unavailable(): unknown;
}

/**
 * A run of journal entries as the script takes it: one JSON array ('' for none), which the script writes as
 * it comes when it is the turn's only run (a copy of a few KB less in Lua, scripts.ts).
 */
const runOf = (entries: string[]): string => (entries.length === 0 ? '' : `[${entries.join(',')}]`);

/** One rate-limit decision of a bucket that held `tokens` (after its refill), as auth/rate-limiter.ts decides it. */
export function decide(tokens: number, limits: RateLimitConfig): { decision: RateDecision; tokens: number } {
  if (tokens >= 1 - EPSILON) {
    const left = Math.max(0, tokens - 1);
    return { decision: { allowed: true, remaining: Math.floor(left + EPSILON) }, tokens: left };
  }
  const waitMs = ((1 - tokens) * limits.periodMs) / limits.refill;
  return { decision: { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }, tokens };
}

/**
 * Called back with the outcome of a commit (`Tick.commit`): `through` when its token was taken and its
 * entry written (with the bucket's decision, undefined without a bucket); when not, nothing of it was.
 */
export type CommitDone = (error: unknown, through: boolean, decision: RateDecision | undefined) => void;

interface Commit {
  head: number;
  done: CommitDone;
}

export class Tick {
  private takes: Take[] = [];
  private buckets: Bucket[] = [];
  /** Buckets by name once a turn has more than `SCAN` of them. */
  private bucketIndex: Map<string, number> | undefined;
  private heads: Done[] = [];
  private entries: string[] = [];
  private logged: Done[] = [];
  /** Commits without a bucket, and their entries. */
  private free: Commit[] = [];
  private freeEntries: string[] = [];
  /** The lowest head a commit of this turn was answered at (-1: no commit). */
  private commitHead = -1;
  private scheduled = false;

  constructor(private readonly d: TickDeps) {}

  /** Index of a bucket in this turn. */
  private bucketOf(key: string, set: BucketSet): number {
    const { buckets } = this;
    let index = this.bucketIndex;
    if (index === undefined) {
      for (let i = 0; i < buckets.length; i++) {
        const b = buckets[i]!;
        if (b.set === set && b.key === key) return i;
      }
      if (buckets.length < SCAN) return buckets.push({ key, set, takes: 0, commits: [], entries: [] }) - 1;
      index = this.bucketIndex = new Map(buckets.map((b, i) => [bucketField(b.key, b.set), i]));
    }
    const field = bucketField(key, set);
    let bucket = index.get(field);
    if (bucket === undefined) {
      bucket = buckets.push({ key, set, takes: 0, commits: [], entries: [] }) - 1;
      index.set(field, bucket);
    }
    return bucket;
  }

  /** A token of a rate-limit bucket (scope key and endpoint set), once the replica is at the head. */
  take(key: string, set: BucketSet, done: Done<RateDecision>): void {
    const bucket = this.bucketOf(key, set);
    this.buckets[bucket]!.takes++;
    this.takes.push({ bucket, done });
    this.schedule();
  }

  /** Called back once the replica has applied the log up to its head as it is after this call. */
  head(done: Done): void {
    this.heads.push(done);
    this.schedule();
  }

  /** A journal entry (`SharedJournal.encode`), called back once it is in Redis (or could not be written). */
  journal(entry: string, done: Done): void {
    this.entries.push(entry);
    this.logged.push(done);
    this.schedule();
  }

  /**
   * The one round trip of a GET answered from the replica's state at `head` (`one-trip.ts`): if the log's
   * head is still `head`, a token of its bucket (scope `key` of endpoint set `set`; none when undefined) and its journal entry, in
   * one atomic step; otherwise nothing. The commits of one bucket in one turn go through together or not
   * at all (the script does per request nothing but count: its cost grows with its arguments).
   */
  commit(key: string | undefined, set: BucketSet | undefined, head: number, entry: string | undefined, done: CommitDone): void {
    const commit = { head, done };
    if (key !== undefined && set !== undefined) {
      const bucket = this.buckets[this.bucketOf(key, set)]!;
      bucket.commits.push(commit);
      if (entry !== undefined) bucket.entries.push(entry);
    } else {
      this.free.push(commit);
      if (entry !== undefined) this.freeEntries.push(entry);
    }
    // A replica's head only grows: a commit answered at an older head than another of its turn cannot
    // find both current, and the turn's commits are checked against the older one (all of them go again).
    if (this.commitHead < 0 || head < this.commitHead) this.commitHead = head;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const { takes, buckets, heads, entries, logged, free, freeEntries, commitHead } = this;
    this.takes = [];
    this.buckets = [];
    this.bucketIndex = undefined;
    this.heads = [];
    this.entries = [];
    this.logged = [];
    this.free = [];
    this.freeEntries = [];
    this.commitHead = -1;
    this.scheduled = false;
    const { redis, keys, clock } = this.d;
    const args: (string | number)[] = [clock.now(), this.d.journalSize, buckets.length];
    for (const b of buckets) {
      const { limits } = b.set;
      args.push(bucketField(b.key, b.set), limits.capacity, limits.refill, limits.periodMs, b.takes, b.commits.length);
    }
    args.push(commitHead, entries.length, runOf(entries));
    for (const b of buckets) args.push(b.entries.length, runOf(b.entries));
    args.push(freeEntries.length, runOf(freeEntries));
    redis.mockTick(keys.head, keys.buckets, keys.journal, keys.journalMeta, keys.journalIndex, ...args).then(
      (reply) => this.answer(reply as (number | string)[], takes, buckets, heads, free, commitHead, logged),
      (e: unknown) => {
        for (const done of logged) done(e);
        const error = this.d.unavailable();
        for (const b of buckets) for (const c of b.commits) c.done(error, false, undefined);
        for (const c of free) c.done(error, false, undefined);
        for (const t of takes) t.done(error);
        for (const done of heads) done(error);
      },
    );
  };

  private answer(reply: (number | string)[], takes: Take[], buckets: Bucket[], heads: Done[], free: Commit[], commitHead: number, logged: Done[]): void {
    for (const done of logged) done(null);
    const head = Number(reply[0]);
    const fits = commitHead === head;
    // Each bucket's level before this turn's takes; the takes in arrival order, then the commits, as the
    // script made them.
    const levels = buckets.map((_, i) => Number(reply[1 + i]));
    const decisions = takes.map((t) => {
      const { decision, tokens } = decide(levels[t.bucket]!, buckets[t.bucket]!.set.limits);
      levels[t.bucket] = tokens;
      return decision;
    });
    // Plain loops: this runs for every GET of a shared mock.
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i]!;
      const { commits } = b;
      if (commits.length === 0) continue;
      let level = levels[i]!;
      const allowed: RateDecision[] = [];
      if (fits) {
        for (let k = 0; k < commits.length; k++) {
          const { decision, tokens } = decide(level, b.set.limits);
          if (!decision.allowed) break;
          allowed.push(decision);
          level = tokens;
        }
      }
      const through = allowed.length === commits.length;
      for (let k = 0; k < commits.length; k++) commits[k]!.done(null, through, through ? allowed[k] : undefined);
    }
    for (const c of free) c.done(null, fits, undefined);
    if (takes.length === 0 && heads.length === 0) return;
    const go = (error: unknown) => {
      takes.forEach((t, i) => (error ? t.done(error) : t.done(null, decisions[i])));
      for (const done of heads) done(error ?? null);
    };
    const behind = this.d.catchUpTo(head);
    if (behind === undefined) go(null);
    else behind.then(() => go(null), go);
  }
}
