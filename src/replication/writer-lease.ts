/**
 * One export-files writer for all the replicas of a shared mock (`--store redis://…`). Every replica follows
 * the same world, so every replica's writer would write the same objects into the same buckets; instead the
 * replica that holds a **lease** in Redis (`P:writer`, taken with SET NX PX, renewed every second, given up
 * when the replica closes) writes, and the others wait. Its progress (`ctx.exportProgress`) and the jobs a
 * failed write fails are changes of the shared world (writes of the log, made after the objects they count
 * were written, in groups: one log entry for the changes made while the previous group was being logged):
 * when the holder stops or is killed, its lease runs out within LEASE_TTL_MS, another replica takes it and
 * goes on from the progress in the log — none is missed, and only the objects written but not yet logged
 * when the holder died are written again (a progress change counts an object once: export-files/progress.ts).
 *
 * `settled()` (a clock move of the control API answers once the files it implies are written) asks the holder
 * over pub/sub (`P:writer:settle`): "settle <id> <head>"; the holder applies the log up to `head` (the clock
 * move), waits for its writer, and answers "settled <id> <its head>" (its progress is in the log up to there).
 * A replica with no holder to ask takes the lease.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WriterCoordination } from '../export-files/writer.js';
import type { RedisReplica } from './replica.js';

/** The lease runs out this long after its holder last renewed it (ms): the longest a killed holder blocks writes. */
export const LEASE_TTL_MS = 5000;
/** The holder renews, and the others try to take the lease, this often (ms). */
const RENEW_MS = 1000;
/** `settled()` waits this many seconds at most for the holder's writer. */
const SETTLE_WAIT_S = 300;

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SharedWriter implements WriterCoordination {
  private held = false;
  private writer: { wake: () => void; settledHere: () => Promise<void> } | undefined;
  private renewal: NodeJS.Timeout | undefined;
  /** Ends the lease here when no renewal succeeded for a while (Redis unreachable): the others may take it. */
  private expiry: NodeJS.Timeout | undefined;
  private readonly answers = new Map<string, (head: number) => void>();
  private asked = 0;
  private stopped = false;

  constructor(
    private readonly replica: RedisReplica,
    private readonly log: FastifyBaseLogger,
  ) {
    replica.listen(replica.keys.writerChannel, (message) => this.message(message));
  }

  get active(): boolean {
    return this.held && !this.stopped;
  }

  attach(writer: { wake: () => void; settledHere: () => Promise<void> }): void {
    this.writer = writer;
  }

  /** After the replica started: takes the lease if nobody holds it, and keeps trying every second. */
  start(): void {
    void this.renew();
    this.renewal = setInterval(() => void this.renew(), RENEW_MS);
    this.renewal.unref();
  }

  /** Gives the lease up (the writer has stopped): another replica takes it over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.renewal);
    clearTimeout(this.expiry);
    if (!this.held) return;
    this.held = false;
    await this.replica.redis.mockLeaseRelease(this.replica.keys.writer, this.token, this.replica.keys.writerChannel).catch(() => undefined);
  }

  private get token(): string {
    return String(this.replica.replica);
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    let ours: boolean;
    try {
      ours = Number(await this.replica.redis.mockLease(this.replica.keys.writer, this.token, LEASE_TTL_MS)) === 1;
    } catch {
      return; // Redis unreachable: the lease ends here when `expiry` fires.
    }
    if (this.stopped) return;
    if (!ours) {
      if (this.held) this.log.warn('export files: another replica holds the writer now');
      this.held = false;
      return;
    }
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => {
      this.held = false;
      this.log.warn('export files: the writer lease could not be renewed (Redis): this replica stops writing');
    }, LEASE_TTL_MS - RENEW_MS);
    this.expiry.unref();
    if (!this.held) {
      this.held = true;
      this.log.info({ replica: this.replica.replica }, 'export files: this replica writes them now (writer lease)');
      this.writer?.wake();
    }
  }

  /** Progress changes not yet logged, and the group being logged. */
  private queued: (() => void)[] = [];
  private logging: Promise<void> | null = null;
  private failure: unknown = null;

  commit(change: () => void): void {
    this.queued.push(change);
    this.logging ??= this.logQueued();
  }

  /** One write (one log entry) for the changes queued while the previous one was being logged. */
  private async logQueued(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const group = this.queued.splice(0);
        try {
          await this.replica.write(() => {
            for (const change of group) change();
          });
        } catch (e) {
          // Not logged: the objects they record are written again by the next turn (never counted unwritten).
          this.failure ??= e;
        }
      }
    } finally {
      this.logging = null;
    }
  }

  async flush(): Promise<void> {
    while (this.logging) await this.logging;
    const failure = this.failure;
    this.failure = null;
    if (failure !== null) throw failure;
  }

  async settled(): Promise<void> {
    let head: number;
    try {
      head = await this.replica.committed();
    } catch {
      head = this.replica.applied;
    }
    const keys = this.replica.keys;
    let waited = 0;
    let holder: string | null | undefined;
    while (waited < SETTLE_WAIT_S && !this.stopped) {
      if (this.active && this.writer) {
        await this.replica.catchUpTo(head);
        return this.writer.settledHere();
      }
      if (holder === null) {
        // Nobody writes (the holder closed, or died and its lease ran out): this replica does.
        await this.renew();
        if (!this.active) await pause(50);
        holder = undefined;
        continue;
      }
      const id = `${this.replica.replica}.${++this.asked}`;
      const answered = new Promise<number>((resolve) => this.answers.set(id, resolve));
      try {
        // Asked at once (the holder answers with the head once its writes are logged); who holds the lease is
        // looked at only when no answer came within a second.
        await this.replica.redis.publish(keys.writerChannel, `settle ${id} ${head}`);
        for (;;) {
          let timer: NodeJS.Timeout | undefined;
          const logged = await Promise.race([answered, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 1000)))]);
          clearTimeout(timer);
          if (logged !== undefined) {
            await this.replica.catchUpTo(logged)?.catch(() => undefined);
            return;
          }
          waited++;
          const now = await this.replica.redis.get(keys.writer);
          // Another holder (ask it), none (take the lease), or the same one still writing (wait on).
          if (now !== holder || now === null || waited >= SETTLE_WAIT_S) {
            holder = now;
            break;
          }
        }
      } catch {
        return;
      } finally {
        this.answers.delete(id);
      }
    }
    if (!this.stopped) this.log.warn(`export files: the replica writing them did not settle within ${SETTLE_WAIT_S} s`);
  }

  private message(message: string): void {
    const [kind, id, head] = message.split(' ');
    if (kind === 'settled') return this.answers.get(id!)?.(Number(head));
    if (kind === 'free') return void this.renew();
    if (kind !== 'settle' || !this.active || !this.writer) return;
    const writer = this.writer;
    void (async () => {
      await this.replica.catchUpTo(Number(head))?.catch(() => undefined);
      await writer.settledHere();
      await this.replica.redis.publish(this.replica.keys.writerChannel, `settled ${id} ${this.replica.applied}`);
    })().catch(() => undefined);
  }
}
