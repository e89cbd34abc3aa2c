/**
 * The state a shared mock keeps in Redis itself rather than in the log, because every request touches it:
 * Digest nonces with their nonce counts, rate-limit buckets, fault-rule counters and the request journal.
 * Each operation is one atomic script (`scripts.ts`) with the same arithmetic as the in-process classes
 * (`auth/nonces.ts`, `auth/rate-limiter.ts`, `control/faults.ts`, `control/journal.ts`); the scripts that
 * a request makes anyway also return the head of the log, so the request learns whether its replica is
 * behind without another round trip.
 */
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import { NONCE_ALPHABET, NONCE_LENGTH, type NonceCheck } from '../auth/nonces.js';
import type { RateDecision, RateLimiter } from '../auth/rate-limiter.js';
import { categoryId, RATE_CATEGORIES, type RateCategory } from '../auth/rate-categories.js';
import type { FaultRegistry, FaultRule, FaultTarget, FaultView } from '../control/faults.js';
import { listJournal, type JournalEntry, type JournalQuery, type JournalScope, type JournalSlot } from '../control/journal.js';
import { JournalCodec, type EncodedEntry } from './journal-codec.js';
import type { Keys, ScriptedRedis } from './redis-client.js';
import { unavailable, type RedisReplica } from './replica.js';
import { bucketField, bucketSet, type BucketSet, type Done, type Tick } from './tick.js';

/**
 * Wall-time bound of a nonce in Redis: its mock-time lifetime is checked by the script, this only keeps
 * forgotten nonces from piling up (the in-process table forgets past 100 000 nonces instead) [I].
 */
export const NONCE_WALL_TTL_MS = 24 * 3600_000;

/** Any Redis failure on a request's path is a 503. */
async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch {
    throw unavailable();
  }
}

export class SharedNonces {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly clock: Clock,
    private readonly random: RandomSource,
    readonly ttlMs: number,
  ) {}

  /** A new nonce, known to every replica before the challenge that carries it is sent. */
  async issue(): Promise<string> {
    for (let i = 0; i < 8; i++) {
      const nonce = this.random.string(NONCE_LENGTH, NONCE_ALPHABET);
      const set = await call(this.redis.set(this.keys.nonce(nonce), `${this.clock.now()}:0`, 'PX', NONCE_WALL_TTL_MS, 'NX'));
      if (set === 'OK') return nonce;
    }
    throw unavailable();
  }

  /** Uses a nonce with its count (after the response hash was verified); also returns the head of the log. */
  async use(nonce: string, nc: number): Promise<{ check: NonceCheck; head: number }> {
    const [check, head] = (await call(this.redis.mockNonceUse(this.keys.nonce(nonce), this.keys.head, nc, this.clock.now(), this.ttlMs))) as [NonceCheck, number];
    return { check, head: Number(head) };
  }
}

/**
 * The rate-limit buckets of every replica (one per endpoint set and scope key, `auth/rate-categories.ts`),
 * with the limits the in-process limiter computed (Atlas's numbers, `--rate-limit-*`, overrides). A take
 * goes with the other Redis needs of its event-loop turn (`tick.ts`).
 */
export class SharedRateLimiter {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly tick: Tick,
    readonly limits: RateLimiter,
  ) {}

  /** Each endpoint set's, by its Redis name: one object per set, so that the routes sharing a bucket share it. */
  private readonly sets = new Map<string, BucketSet>();

  /**
   * An endpoint set with its limits, as the tick names its buckets. One object per set, whatever the route:
   * the tick finds a bucket of its turn by the set's identity, and two objects for one set would carry one
   * Redis bucket as two entries of a turn (still atomic, the script reads each after the last's write, but
   * no longer the turn's takes first and its commits after).
   */
  setOf(category: RateCategory): BucketSet {
    const id = categoryId(category);
    let set = this.sets.get(id);
    if (set === undefined) this.sets.set(id, (set = bucketSet(category, this.limits.limitsOf(category))));
    return set;
  }

  /**
   * Takes a token of a bucket shared by all replicas (scope key `key` of the endpoint set `set`); called back
   * with the decision once the replica is at the head of the log (as it is after the request arrived).
   */
  take(key: string, set: BucketSet, done: Done<RateDecision>): void {
    this.tick.take(key, set, done);
  }

  /** Full buckets again: all, or every set of one scope key (a project, an organization, a principal). */
  async reset(key?: string): Promise<void> {
    if (key === undefined) await call(this.redis.del(this.keys.buckets));
    else await call(this.redis.hdel(this.keys.buckets, ...Object.values(RATE_CATEGORIES).flatMap((c) => {
      const field = bucketField(key, this.setOf(c));
      return [`${field}:t`, `${field}:a`];
    })));
  }
}

/** Fault rules are in the log (their definitions); how often each was seen and applied is counted here. */
export class SharedFaultCounters {
  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly random: RandomSource,
  ) {}

  /**
   * The rule that fires on a request (as `FaultRegistry.pick`, counted across replicas), and the rules whose
   * `times` are used up (the caller removes them from the rule list).
   */
  async pick(faults: FaultRegistry, target: FaultTarget): Promise<{ rule: FaultRule | undefined; exhausted: string[] }> {
    const candidates = faults.candidates(target);
    if (candidates.length === 0) return { rule: undefined, exhausted: [] };
    const args: (string | number)[] = [];
    for (const r of candidates) {
      const p = r.input.probability;
      args.push(r.id, r.input.after ?? 0, r.input.times ?? -1, p !== undefined && p < 1 && this.random.next() >= p ? '0' : '1');
    }
    const [fired, ...exhausted] = (await call(this.redis.mockFaultPick(this.keys.faults, ...args))) as string[];
    return { rule: candidates.find((r) => r.id === fired), exhausted };
  }

  /** The rules with their counters from Redis, those used up left out. */
  async list(faults: FaultRegistry): Promise<FaultView[]> {
    const counters = await call(this.redis.hgetall(this.keys.faults));
    const out: FaultView[] = [];
    for (const v of faults.list()) {
      const remaining = counters[`${v.id}:r`] !== undefined ? Number(counters[`${v.id}:r`]) : v.remaining;
      if (remaining !== null && remaining <= 0) continue;
      out.push({ ...v, seen: Number(counters[`${v.id}:s`] ?? 0), applied: Number(counters[`${v.id}:a`] ?? 0), remaining });
    }
    return out;
  }
}

type Slot = Omit<JournalSlot, 'seq'>;

/**
 * The request journal in Redis: every replica's requests, in one order. A request's entry goes with the
 * other Redis needs of its event-loop turn (`tick.ts`: the entries of a turn are one stream entry) before
 * its answer leaves, so a client that got an answer finds its request in the journal of any replica. `seq`
 * counts the requests of the world (1, 2, 3, … as the in-process journal).
 */
export class SharedJournal {
  private readonly redis: ScriptedRedis;
  private readonly keys: Keys;
  /** The entries' form in Redis; its routes are added as they are registered (control/plugin.ts). */
  readonly codec = new JournalCodec();

  constructor(
    private readonly replica: RedisReplica,
    readonly capacity: number,
    private readonly hint: (path: string) => string | undefined,
  ) {
    this.redis = replica.redis;
    this.keys = replica.keys;
  }

  /** An entry as the tick carries it to Redis. Neither this nor `add` keeps `slot` (control/plugin.ts reuses one object). */
  encode(slot: Slot): string {
    return this.codec.encode(slot);
  }

  /** Adds an entry; called back once it is in Redis, or with the error when it could not be written. */
  add(slot: Slot, done: Done): void {
    this.replica.tick.journal(this.codec.encode(slot), done);
  }

  /** The newest `capacity` entries, oldest first. */
  private async slots(): Promise<JournalSlot[]> {
    const raw = (await call(this.redis.xrange(this.keys.journal, '-', '+'))) as [string, string[]][];
    const out: JournalSlot[] = [];
    for (const [id, fields] of raw) {
      const first = parseInt(id, 10);
      (JSON.parse(fields[3]!) as EncodedEntry[]).forEach((v, i) => out.push(this.codec.decode(v, first + i)));
    }
    return out.length > this.capacity ? out.slice(out.length - this.capacity) : out;
  }

  async list(query: JournalQuery = {}): Promise<JournalEntry[]> {
    return listJournal(await this.slots(), query, this.hint);
  }

  async size(): Promise<number> {
    return Math.min(this.capacity, Number((await call(this.redis.hget(this.keys.journalMeta, 'held'))) ?? 0));
  }

  /** Inside a write (a reset), done by the replica that makes it and awaited before it answers. */
  clear(scope: JournalScope = {}): Promise<number> {
    return this.replica.effect(() => this.clearNow(scope)) ?? Promise.resolve(0);
  }

  private async clearNow(scope: JournalScope): Promise<number> {
    return Number(await call(this.redis.mockJournalClear(this.keys.journal, this.keys.journalMeta, this.keys.journalIndex, this.capacity, scope.groupId ?? '')));
  }
}
