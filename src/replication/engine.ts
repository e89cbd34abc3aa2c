/**
 * The Redis engine of the store (`--store redis://…`): a replica of the shared world (`replica.ts`), the
 * per-request state held in Redis (`shared.ts`), and how they hook into the request pipeline:
 *
 * - every route that is not GET / HEAD runs its handler as a write (`replica.write`): the lock, the log
 *   applied up to its head, the handler's world calls recorded and appended before the answer leaves.
 *   Whatever a handler sends is held back until then. New operations are covered without code of their own;
 * - control reads (GET /__mock/…) bring the replica up to the head first; Atlas operations do it with the
 *   head their event-loop turn's round trip returns (`tick.ts`, with their rate-limit takes;
 *   plugins/rate-limit.ts), and authenticate again when that moved the replica (plugins/auth.ts); Atlas
 *   GETs are answered first and checked against the head afterwards, in the round trip that takes their
 *   token and writes their journal entry (`one-trip.ts`).
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AuthService } from '../auth/service.js';
import type { MockContext } from '../context.js';
import type { FaultRegistry } from '../control/faults.js';
import { DEFAULT_JOURNAL_SIZE } from '../control/journal.js';
import type { Dataset } from '../fixtures/schema.js';
import type { AppOptions } from '../options.js';
import type { StoreEngine, StoreHealth } from '../store/engine.js';
import { DEFAULT_NONCE_TTL_MS } from '../auth/nonces.js';
import { RedisReplica } from './replica.js';
import { SharedFaultCounters, SharedJournal, SharedNonces, SharedRateLimiter } from './shared.js';
import { World } from './world.js';
import { SharedWriter } from './writer-lease.js';

export const DEFAULT_STORE_PREFIX = 'atlas-mock';

/**
 * Options of one replica only; every other option is the world's and must be the same on every replica
 * (checked at start through the world's fingerprint): a new option is the world's unless listed here.
 */
const REPLICA_OPTIONS = new Set<keyof AppOptions>([
  'fixtures',
  'logger',
  'requestLogging',
  'bodyLimit',
  'version',
  'maxUrlLength',
  'maxHeaderSize',
  'headersTimeoutMs',
  'requestTimeoutMs',
  'keepAliveTimeoutMs',
  'stateFile',
  'adminToken',
  'allowRemoteControl',
  'store',
  'storePrefix',
]);

/** What replicas of one world must agree on: the version, the seed, the loaded dataset and the world options. */
export function worldFingerprint(version: string, seed: number, dataset: Dataset, options: AppOptions): string {
  const world = Object.fromEntries(Object.entries(options).filter(([k]) => !REPLICA_OPTIONS.has(k as keyof AppOptions)));
  return createHash('sha256').update(JSON.stringify({ version, seed, dataset, world })).digest('hex');
}

export interface RedisEngineOptions {
  url: string;
  prefix: string;
  version: string;
  fingerprint: string;
  ctx: MockContext;
  auth: AuthService;
  /** The control plane's fault rules (created when the control plane plugin runs). */
  faults: () => FaultRegistry;
  hint: (path: string) => string | undefined;
  log: FastifyBaseLogger;
}

export class RedisEngine implements StoreEngine {
  readonly kind = 'redis' as const;
  private replicaOf: RedisReplica | undefined;
  readonly nonces: SharedNonces;
  readonly limiter: SharedRateLimiter | undefined;
  private faultCounters: SharedFaultCounters | undefined;
  readonly journal: SharedJournal | null;

  constructor(private readonly o: RedisEngineOptions) {
    const { ctx, auth } = o;
    // The connection exists from here on (lazily connected at start); the world is installed at start.
    const world = new World(ctx, auth, undefined as unknown as FaultRegistry);
    const size = ctx.options.journalSize ?? DEFAULT_JOURNAL_SIZE;
    const replica = new RedisReplica(world, { url: o.url, prefix: o.prefix, version: o.version, fingerprint: o.fingerprint, seed: ctx.random.seed, log: o.log, journalSize: size });
    this.replicaOf = replica;
    this.nonces = new SharedNonces(replica.redis, replica.keys, ctx.clock, ctx.random, ctx.options.auth?.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS);
    this.limiter = auth.limiter ? new SharedRateLimiter(replica.redis, replica.keys, replica.tick, auth.limiter) : undefined;
    this.journal = size > 0 ? new SharedJournal(replica, size, o.hint) : null;
    // A reset refills the buckets once, by the replica that made it.
    ctx.onReset((groupId) => void replica.effect(() => this.limiter?.reset(groupId) ?? Promise.resolve()));
  }

  get replica(): RedisReplica {
    return this.replicaOf!;
  }

  get faults(): SharedFaultCounters {
    return (this.faultCounters ??= new SharedFaultCounters(this.replica.redis, this.replica.keys, this.o.ctx.random));
  }

  private writerLease: SharedWriter | undefined;

  /** One export-files writer for all replicas (writer-lease.ts); asked for before the start when the mock writes them. */
  exportWriter(): SharedWriter {
    return (this.writerLease ??= new SharedWriter(this.replica, this.o.log));
  }

  async start(): Promise<void> {
    this.replica.world.faults = this.o.faults();
    await this.replica.start();
    this.writerLease?.start();
  }

  async close(): Promise<void> {
    // The writer first (its progress goes to the log), then its lease: another replica takes over at once.
    await this.o.ctx.exportFiles?.stop();
    await this.writerLease?.stop();
    return this.replica.close();
  }

  async health(): Promise<StoreHealth> {
    const health: StoreHealth = await this.replica.health();
    return this.writerLease ? { ...health, exportWriter: this.writerLease.active } : health;
  }

  /** onRoute: the handler of every route that may change the world runs as a write. */
  wrapWrites(route: RouteOptions): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'GET' || m === 'HEAD')) return;
    const handler = route.handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown;
    const replica = this.replica;
    route.handler = function writeHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      let sent: { payload: unknown } | undefined;
      return replica
        .write(() => {
          // What the handler sends leaves once its changes are in the log.
          (reply as { send: unknown }).send = (payload: unknown) => {
            sent = { payload };
            return reply;
          };
          try {
            // Boxed: a handler may return the reply, a thenable that settles only once the reply is sent.
            return { value: handler.call(this, request, reply) };
          } finally {
            delete (reply as { send?: unknown }).send;
          }
        })
        .then((box) => {
          if (sent) return reply.send(sent.payload);
          return box.value;
        });
    };
  }
}
