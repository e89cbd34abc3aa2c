/**
 * One replica of a shared mock (`--store redis://…`): the whole world in this process's memory (reads cost
 * what they cost in memory mode), kept equal to every other replica's by a replicated, ordered log of the
 * world's changes in a Redis stream (docs/shared-service.md explains the design and its guarantees).
 *
 * - A write (any request that may change the world: every non-GET route) takes the write lock, applies the
 *   log up to its head, runs with its world calls recorded (`capture.ts`), appends them as one entry and
 *   releases the lock in one script, and only then answers. So writes are serialized across replicas, each
 *   sees every write before it, and an answered write is in Redis.
 * - A read learns the head of the log from the one round trip it makes anyway (its rate-limit bucket, or
 *   the head alone), and applies what it lacks before it answers: a client that created on A and reads on B
 *   finds its job. An Atlas GET is answered first and sent only if that round trip finds the head it was
 *   answered at (`one-trip.ts`). Replicas also follow the log as it grows (pub/sub), so a read rarely waits.
 * - Checkpoints (the whole state, `world.ts`) every CHECKPOINT_EVERY entries let the log be trimmed; a replica
 *   starts from the latest checkpoint and the entries after it.
 * - Redis unreachable: every request that needs it answers 503 SERVICE_UNAVAILABLE and the health check is
 *   unhealthy; the client reconnects by itself. A write whose append got no answer may or may not be in the
 *   log: the replica then reloads the world from Redis before it serves again.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { AtlasError } from '../errors/atlas-error.js';
import { createRandom } from '../core/random.js';
import { decode, encode, type Step } from './capture.js';
import { createRedisClient, keysOf, redactUrl, type Keys, type ScriptedRedis } from './redis-client.js';
import type { World, WorldImage } from './world.js';
import type { ClockAnchor } from '../core/clock.js';
import { Tick } from './tick.js';

/** A checkpoint after this many log entries (then the log before the previous checkpoint is trimmed). */
export const CHECKPOINT_EVERY = 1000;
/** Lifetime of the write lock, ms: a replica killed while writing blocks the others this long at most. */
export const LOCK_TTL_MS = 5000;
/** Waiting for the write lock longer than this (in pauses of up to 25 ms, or 20 000 tries) answers 503. */
const LOCK_WAIT_MS = 10_000;
const LOCK_TRIES = 20_000;
/** Entries read per XRANGE while catching up. */
const BATCH = 500;
/** Writes run under one lock and appended at once, at most. */
const MAX_BATCH = 100;

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface ReplicaOptions {
  url: string;
  prefix: string;
  /** Package version and world options: replicas of one world must agree (`worldFingerprint`). */
  version: string;
  fingerprint: string;
  seed: number;
  log: FastifyBaseLogger;
  /** Attempts to connect at start (one per ~second) before giving up. Default 30. */
  connectTries?: number;
  /** Requests the shared journal keeps (0: none). */
  journalSize: number;
}

/** One log entry: the steps of a write, its tape, the clock anchor when the write moved it, the replica. */
interface Entry {
  s: Step[];
  t: unknown[];
  c?: ClockAnchor;
  r: number;
}

export interface StoreHealth {
  engine: 'redis';
  healthy: boolean;
  url: string;
  prefix: string;
  replica: number;
  /** Log entries applied by this replica. */
  applied: number;
  /** Why it is unhealthy. */
  problem: string | null;
}

/** Thrown for anything that needs Redis while Redis cannot be used: 503 SERVICE_UNAVAILABLE, Retry-After 1. */
export function unavailable(): AtlasError {
  return new AtlasError('SERVICE_UNAVAILABLE', [], { 'retry-after': '1' });
}

export class StoreStartError extends Error {
  override name = 'StoreStartError';
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs async sections one after the other (the log is applied in order, never twice). */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

export class RedisReplica {
  readonly kind = 'redis' as const;
  readonly redis: ScriptedRedis;
  private readonly subscriber: ScriptedRedis;
  readonly keys: Keys;
  /** This replica's number in the world (1, 2, …; a restarted replica gets a new one). */
  replica = 0;
  /** Last log entry applied to the local state. */
  applied = 0;
  private checkpointSeq = 0;
  private readonly serial = new Serial();
  private lockCounter = 0;
  /** The local state may differ from the log (an append without an answer): reload before serving. */
  private needsReload = false;
  private reloading: Promise<void> | undefined;
  private started = false;
  private closed = false;
  /** Changes made outside any write (a bug: they reach no other replica). */
  unreplicated = 0;
  /** Effects on Redis-held state (buckets, journal) of the write being run, awaited before it answers. */
  private effects: Promise<unknown>[] | null = null;
  /** The one round trip of each event-loop turn: rate-limit takes, journal entries, the head of the log. */
  readonly tick: Tick;

  constructor(
    readonly world: World,
    private readonly opts: ReplicaOptions,
  ) {
    this.redis = createRedisClient(opts.url);
    this.subscriber = createRedisClient(opts.url, { subscriber: true });
    this.keys = keysOf(opts.prefix);
    this.tick = new Tick({
      redis: this.redis,
      keys: this.keys,
      clock: world.ctx.clock,
      journalSize: opts.journalSize,
      catchUpTo: (head) => this.catchUpTo(head),
      unavailable,
    });
    const noteChange = () => {
      if (this.world.capture.recordingNow) this.world.capture.noteChange();
      else if (this.started && !this.world.capture.replaying && !this.restoring) {
        this.unreplicated++;
        opts.log.error('a change of the world was made outside a write: other replicas will not see it (docs/shared-service.md, "For developers")');
      }
    };
    world.ctx.store.onChange(noteChange);
    world.auth.tokens.onChange(noteChange);
    world.ctx.exportProgress.onChange(noteChange);
  }

  private restoring = false;

  /** The local state is the log's up to `applied` (false while it must be reloaded from Redis). */
  get settled(): boolean {
    return !this.needsReload;
  }

  get log(): FastifyBaseLogger {
    return this.opts.log;
  }

  // ---- start and stop ---------------------------------------------------------------------------------

  async start(): Promise<void> {
    const tries = this.opts.connectTries ?? 30;
    for (let i = 1; ; i++) {
      try {
        await this.redis.connect();
        break;
      } catch (e) {
        if (i >= tries) throw new StoreStartError(`cannot reach Redis at ${redactUrl(this.opts.url)} (${(e as Error).message}); tried ${tries} times`);
        this.redis.disconnect();
        await pause(1000);
      }
    }
    this.replica = await this.redis.incr(this.keys.replicas);
    // A stream of this replica's own for ids and nonces (the world's seed, mixed with the replica number).
    const mixed = parseInt(createHash('sha256').update(`${this.opts.seed}/${this.replica}`).digest('hex').slice(0, 12), 16);
    this.world.install(createRandom(mixed));

    await this.openWorld();
    await this.serial.run(() => this.reload());
    await this.subscriber.connect();
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.keys.changes) return this.listeners.get(channel)?.(message);
      // A write ended somewhere (the lock is free): a waiting write of this replica tries again at once.
      const wake = this.lockWaiters.splice(0);
      for (const w of wake) w();
      const head = Number(message);
      if (Number.isInteger(head) && head > this.applied) void this.catchUpTo(head)?.catch(() => undefined);
    });
    await this.subscriber.subscribe(this.keys.changes, ...this.listeners.keys());
    // After a reconnection the replica may have missed messages: look at the head again.
    this.redis.on('ready', () => void this.sync().catch(() => undefined));
    this.started = true;
  }

  private readonly listeners = new Map<string, (message: string) => void>();

  /** Messages of a pub/sub channel of the world (before `start`). */
  listen(channel: string, handler: (message: string) => void): void {
    this.listeners.set(channel, handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriber.disconnect();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  /** Creates the world from this replica's start-up state unless it exists; refuses a world of other options. */
  private async openWorld(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      const meta = await this.redis.hgetall(this.keys.meta);
      if (meta.fingerprint === undefined) {
        if (await this.seed('created')) return;
        continue;
      }
      if (meta.fingerprint !== this.opts.fingerprint) {
        throw new StoreStartError(
          `the mock world "${this.opts.prefix}" in Redis was made by atlas-export-mock ${meta.version ?? '?'} with other world options (fixtures, seed, plans, limits…) than this replica's.\n` +
            "  Start every replica of a world with the same version, fixtures and options, or use another --store-prefix (or delete the world's keys) to start a new one.",
        );
      }
      return;
    }
  }

  /**
   * Writes this replica's whole state as the world (meta, head, checkpoint; one script), if no world is
   * there: at its creation (sequence 0), and when Redis lost it (restarted without persistence; from what
   * this replica applied). False when a world was there.
   */
  private async seed(why: 'created' | 'restored'): Promise<boolean> {
    const seq = why === 'created' ? 0 : this.applied;
    const doc = JSON.stringify(this.world.image());
    let written: boolean;
    try {
      written = Number(await this.redis.mockSeed(this.keys.meta, this.keys.head, this.keys.checkpoint, this.keys.log, this.opts.version, this.opts.fingerprint, seq, doc)) === 1;
    } catch {
      throw unavailable();
    }
    if (written) {
      this.checkpointSeq = seq;
      this.log.warn({ prefix: this.opts.prefix, seq }, why === 'created' ? 'shared mock world created in Redis' : 'Redis had lost the shared mock world: written again from this replica');
    }
    return written;
  }

  // ---- following the log -----------------------------------------------------------------------------

  /** Brings this replica up to the head of the log (read in this event-loop turn's round trip, `tick.ts`). */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => this.tick.head((e) => (e ? reject(e) : resolve())));
  }

  /**
   * Applies the log up to `head`, read from Redis by the caller after its request arrived; undefined when
   * there is nothing to do (the common case: no promise). A head below what was applied is an old answer
   * (this replica appended since it was read): nothing to do. That Redis lost entries (restarted without
   * persistence) is found by the next write, under the lock (`commit`).
   */
  catchUpTo(head: number): Promise<void> | undefined {
    if (!this.needsReload && head <= this.applied) return undefined;
    return this.catchUpNow(head);
  }

  private async catchUpNow(head: number): Promise<void> {
    if (this.needsReload) await this.reloadNow();
    if (head <= this.applied) return;
    await this.serial.run(async () => {
      if (head > this.applied) await this.catchUp(head);
    });
  }

  /** Inside `serial`: applies the entries after `applied` up to `head`. */
  private async catchUp(head: number): Promise<void> {
    while (this.applied < head) {
      let entries: [string, string[]][];
      try {
        entries = (await this.redis.xrange(this.keys.log, `${this.applied + 1}-0`, `${head}-0`, 'COUNT', BATCH)) as [string, string[]][];
      } catch {
        throw unavailable();
      }
      if (entries.length === 0 || parseInt(entries[0]![0], 10) !== this.applied + 1) {
        // Trimmed after a newer checkpoint: start from it.
        await this.reload();
        return;
      }
      for (const [id, fields] of entries) {
        const seq = parseInt(id, 10);
        if (seq !== this.applied + 1) {
          await this.reload();
          return;
        }
        this.applyEntry(JSON.parse(fields[1]!) as Entry, seq);
      }
    }
  }

  private applyEntry(entry: Entry, seq: number): void {
    const problems = this.world.capture.apply(entry.s, entry.t);
    if (entry.c) this.world.ctx.clock.setAnchor(entry.c);
    this.applied = seq;
    if (problems.length > 0) this.log.error({ seq, origin: entry.r, problems }, 'a log entry did not apply here as it did on its replica: replicas may differ (same version and options on every replica?)');
  }

  /**
   * Under the write lock, the head is below what this replica applied: Redis lost data (restarted without
   * persistence, or from an older snapshot).
   */
  private async behind(): Promise<void> {
    let meta: Record<string, string>;
    try {
      meta = await this.redis.hgetall(this.keys.meta);
    } catch {
      throw unavailable();
    }
    if (meta.fingerprint === undefined && (await this.seed('restored'))) return;
    await this.reload();
  }

  /** Inside `serial`: the latest checkpoint, then the log after it. */
  private async reload(again = true): Promise<void> {
    let cp: Record<string, string>;
    let head: number;
    try {
      [cp, head] = await Promise.all([this.redis.hgetall(this.keys.checkpoint), this.redis.get(this.keys.head).then((h) => Number(h ?? 0))]);
    } catch {
      throw unavailable();
    }
    if (cp.doc === undefined) {
      // No world (Redis lost it): this replica's state becomes the world again, or another replica's did.
      if (!(await this.seed('restored'))) {
        if (again) return this.reload(false);
        throw unavailable();
      }
      this.needsReload = false;
      return;
    }
    this.restoring = true;
    try {
      this.world.restore(JSON.parse(cp.doc) as WorldImage);
    } finally {
      this.restoring = false;
    }
    this.applied = Number(cp.seq);
    this.checkpointSeq = this.applied;
    this.needsReload = false;
    if (head > this.applied) await this.catchUp(head);
  }

  private reloadNow(): Promise<void> {
    this.reloading ??= this.serial.run(() => this.reload()).finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  // ---- writes ----------------------------------------------------------------------------------------

  private lockToken(): string {
    return `${this.replica}:${++this.lockCounter}`;
  }

  private readonly lockWaiters: (() => void)[] = [];

  /**
   * Takes the write lock; returns the head of the log. While another replica holds it, tries again when a
   * write ends (its append or unlock publishes on the changes channel), or after a pause that grows to 25 ms
   * (a lost message, a holder that died: its lock expires).
   */
  private async lock(token: string): Promise<number> {
    let paused = 0;
    for (let i = 0; i < LOCK_TRIES && paused < LOCK_WAIT_MS; i++) {
      let head: number;
      try {
        head = Number(await this.redis.mockLock(this.keys.lock, this.keys.head, token, LOCK_TTL_MS));
      } catch {
        throw unavailable();
      }
      if (head >= 0) return head;
      await new Promise<void>((resolve) => {
        const ms = Math.min(25, 1 + i);
        const timer = setTimeout(() => {
          paused += ms;
          done();
        }, ms);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.lockWaiters.push(done);
      });
    }
    this.log.error('the write lock of the shared mock stayed taken for ~10 s');
    throw unavailable();
  }

  /**
   * Runs a change of the world: `run` (synchronous: its world calls are recorded) on the state at the head
   * of the log, under the write lock; its steps appended to the log before the result is given back. An
   * error of `run` is given back too (after appending what it changed, if anything).
   *
   * Writes that arrive while this replica waits for the lock or runs a batch go in the next batch: one lock
   * and one append for all of them (group commit), each still its own entry, run in arrival order.
   */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private readonly pending: PendingWrite[] = [];
  private flushing = false;
  /** While a batch of writes runs: resolves with the head once its entries are in the log. */
  private appending: Promise<number> | null = null;

  /**
   * Inside a write (its synchronous part): resolves once the entries of its batch are in the log, with the
   * head then (rejects if they could not be logged). Outside: the head this replica has applied.
   */
  committed(): Promise<number> {
    return this.appending ?? Promise.resolve(this.applied);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) await this.commit(this.pending.splice(0, MAX_BATCH));
    } finally {
      this.flushing = false;
    }
  }

  private async commit(batch: PendingWrite[]): Promise<void> {
    const settled: (() => void)[] = [];
    try {
      if (this.needsReload) await this.reloadNow().catch(() => undefined);
      if (this.needsReload) throw unavailable();
      const token = this.lockToken();
      const head = await this.lock(token);
      let unlocked = false;
      try {
        await this.serial.run(async () => {
          if (head > this.applied) await this.catchUp(head);
          else if (head < this.applied) await this.behind();
          const entries: string[] = [];
          const effects: Promise<unknown>[] = [];
          let appended!: (seq: number) => void;
          let notAppended!: (e: unknown) => void;
          this.appending = new Promise<number>((resolve, reject) => ((appended = resolve), (notAppended = reject)));
          this.appending.catch(() => undefined);
          try {
            for (const w of batch) {
              const { entry, result, failure } = this.runOne(w.run, effects);
              if (entry) entries.push(JSON.stringify(entry));
              settled.push(failure === undefined ? () => w.resolve(result) : () => w.reject(failure));
            }
          } finally {
            this.appending = null;
          }
          if (entries.length > 0) {
            let seq: number;
            try {
              seq = Number(await this.redis.mockAppend(this.keys.head, this.keys.log, this.keys.lock, token, this.applied, this.keys.changes, ...entries));
              unlocked = true;
            } catch (e) {
              // Logged or not, nobody knows: the local state is reloaded from Redis before serving again.
              this.needsReload = true;
              this.log.error({ err: (e as Error).message }, 'writes could not be logged: reloading the world from Redis');
              notAppended(e);
              throw unavailable();
            }
            this.applied = seq;
            appended(seq);
            if (seq - this.checkpointSeq >= CHECKPOINT_EVERY) await this.checkpoint(seq);
          } else appended(this.applied);
          await Promise.all(effects);
        });
      } finally {
        if (!unlocked) await this.redis.mockUnlock(this.keys.lock, this.keys.head, token, this.keys.changes).catch(() => undefined);
      }
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    for (const s of settled) s();
  }

  /** Runs one write with its world calls recorded: the log entry it needs (none if it changed nothing). */
  private runOne(run: () => unknown, effects: Promise<unknown>[]): { entry: Entry | undefined; result: unknown; failure: unknown } {
    const capture = this.world.capture;
    const clock = this.world.ctx.clock;
    const before = encode(clock.anchor());
    let result: unknown;
    let failure: unknown;
    let recording;
    this.effects = effects;
    try {
      ({ result, recording } = capture.record(run));
    } catch (e) {
      failure = e;
      recording = (e as { recording?: ReturnType<typeof capture.record>['recording'] }).recording;
    } finally {
      this.effects = null;
    }
    const anchor = clock.anchor();
    const clockMoved = encode(anchor) !== before;
    const steps = recording?.steps ?? [];
    const entry = (steps.length > 0 && (failure === undefined || recording?.changed)) || clockMoved ? { s: steps, t: recording?.tape ?? [], r: this.replica, ...(clockMoved && { c: anchor }) } : undefined;
    return { entry, result, failure };
  }

  /** Inside `serial`, right after writing entry `seq`: the whole state, and the log before the previous checkpoint trimmed. */
  private async checkpoint(seq: number): Promise<void> {
    const previous = this.checkpointSeq;
    const doc = JSON.stringify(this.world.image());
    try {
      const current = Number((await this.redis.hget(this.keys.checkpoint, 'seq')) ?? -1);
      if (current >= seq) return;
      await this.redis.multi().hset(this.keys.checkpoint, 'seq', seq, 'doc', doc).xtrim(this.keys.log, 'MINID', `${previous + 1}-0`).exec();
      this.checkpointSeq = seq;
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'checkpoint not written (the next write tries again)');
    }
  }

  /**
   * A change of state that lives in Redis itself (rate-limit buckets, the journal) made by a world method:
   * done once, by the replica that runs the write (not by those applying its entry), and awaited before
   * the write answers. Outside a write it is simply done.
   */
  effect<T>(start: () => Promise<T>): Promise<T> | undefined {
    if (this.world.capture.replaying) return undefined;
    const p = start();
    if (this.effects) this.effects.push(p.catch(() => undefined));
    return p;
  }

  // ---- health -----------------------------------------------------------------------------------------

  /** Healthy when Redis answers (a round trip) and the local state follows the log. */
  async health(): Promise<StoreHealth> {
    let problem: string | null = null;
    if (this.closed) problem = 'closed';
    else {
      try {
        await this.sync();
      } catch {
        problem = `Redis at ${redactUrl(this.opts.url)} does not answer`;
      }
      if (problem === null && this.needsReload) problem = 'reloading the world from Redis';
    }
    return { engine: 'redis', healthy: problem === null, url: redactUrl(this.opts.url), prefix: this.opts.prefix, replica: this.replica, applied: this.applied, problem };
  }
}

/** Decodes the steps of an entry for diagnostics (tests). */
export const decodeStep = decode;
