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
import type { RateDecision, RateLimitConfig, RateLimiter } from '../auth/rate-limiter.js';
import { categoryId, RATE_CATEGORIES, type RateCategory } from '../auth/rate-categories.js';
import type { FaultRegistry, FaultRule, FaultTarget, FaultView } from '../control/faults.js';
import { listJournal, type JournalEntry, type JournalQuery, type JournalScope, type JournalSlot } from '../control/journal.js';
import type { Keys, ScriptedRedis } from './redis-client.js';
import { unavailable, type RedisReplica } from './replica.js';
import { Batcher } from './batcher.js';

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
 * with the limits the in-process limiter computed (Atlas's numbers, `--rate-limit-*`, overrides).
 */
export class SharedRateLimiter {
  private readonly batch: Batcher<{ field: string; limits: RateLimitConfig }, { decision: RateDecision; head: number }>;

  constructor(
    private readonly redis: ScriptedRedis,
    private readonly keys: Keys,
    private readonly clock: Clock,
    readonly limits: RateLimiter,
  ) {
    this.batch = new Batcher(async (items) => {
      const args: (string | number)[] = [this.clock.now()];
      for (const { field, limits: l } of items) args.push(field, l.capacity, l.refill, l.periodMs);
      const out = (await call(this.redis.mockTake(this.keys.buckets, this.keys.head, ...args))) as number[];
      const head = Number(out[0]);
      return items.map((_, i) => {
        const allowed = Number(out[1 + 2 * i]) === 1;
        const value = Number(out[2 + 2 * i]);
        return { decision: allowed ? { allowed: true as const, remaining: value } : { allowed: false as const, remaining: 0 as const, retryAfterSeconds: value }, head };
      });
    });
  }

  /** Takes a token of a bucket shared by all replicas; also returns the head of the log. */
  take(key: string, category: RateCategory = RATE_CATEGORIES.cloudBackups): Promise<{ decision: RateDecision; head: number }> {
    return this.batch.push({ field: `${key}|${categoryId(category)}`, limits: this.limits.limitsOf(category) });
  }

  /** Full buckets again: all, or every set of one scope key (a project, an organization, a principal). */
  async reset(key?: string): Promise<void> {
    if (key === undefined) await call(this.redis.del(this.keys.buckets));
    else await call(this.redis.hdel(this.keys.buckets, ...Object.values(RATE_CATEGORIES).flatMap((c) => [`${key}|${categoryId(c)}:t`, `${key}|${categoryId(c)}:a`])));
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

/** A journal stream id `<ms>-<n>` as one increasing number. */
const seqOf = (id: string): number => {
  const dash = id.indexOf('-');
  return Number(id.slice(0, dash)) * 1000 + Number(id.slice(dash + 1));
};

/** The request journal as a capped stream: every replica's requests, in one order. */
export class SharedJournal {
  private readonly redis: ScriptedRedis;
  private readonly keys: Keys;

  constructor(
    private readonly replica: RedisReplica,
    readonly capacity: number,
    private readonly hint: (path: string) => string | undefined,
  ) {
    this.redis = replica.redis;
    this.keys = replica.keys;
  }

  /**
   * Adds an entry: a plain XADD (no script: a tenth of the CPU in Redis), trimmed approximately (`~`, whole
   * stream nodes); the entry's `seq` is its stream id (milliseconds × 1000 + sequence: increasing across
   * replicas, as Redis orders the stream).
   */
  async add(slot: Omit<JournalSlot, 'seq'>): Promise<void> {
    await this.redis.xadd(this.keys.journal, 'MAXLEN', '~', this.capacity, '*', 'g', slot.groupId ?? '', 'j', JSON.stringify(slot));
  }

  private async slots(): Promise<JournalSlot[]> {
    const raw = ((await call(this.redis.xrevrange(this.keys.journal, '+', '-', 'COUNT', this.capacity))) as [string, string[]][]).reverse();
    return raw.map(([id, fields]) => ({ ...(JSON.parse(fields[3]!) as JournalSlot), seq: seqOf(id) }));
  }

  async list(query: JournalQuery = {}): Promise<JournalEntry[]> {
    return listJournal(await this.slots(), query, this.hint);
  }

  async size(): Promise<number> {
    return Math.min(this.capacity, await call(this.redis.xlen(this.keys.journal)));
  }

  /** Inside a write (a reset), done by the replica that makes it and awaited before it answers. */
  clear(scope: JournalScope = {}): Promise<number> {
    return this.replica.effect(() => this.clearNow(scope)) ?? Promise.resolve(0);
  }

  private async clearNow(scope: JournalScope): Promise<number> {
    if (scope.groupId === undefined) {
      const [[, n]] = (await call(this.redis.multi().xlen(this.keys.journal).del(this.keys.journal).exec())) as [[unknown, number]];
      return Math.min(this.capacity, Number(n));
    }
    return Number(await call(this.redis.mockJournalClear(this.keys.journal, scope.groupId)));
  }
}
