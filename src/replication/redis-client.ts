/**
 * The Redis connection of a replica: ioredis (pinned in package.json), loaded only with `--store redis://…`
 * (a memory mock never pays for it), with the options that turn an unreachable Redis into fast failures
 * (503 SERVICE_UNAVAILABLE) instead of requests queued for ever, and reconnection for ever in the
 * background, so a replica serves again by itself when Redis is back.
 *
 * Why ioredis: auto-pipelining batches the commands of concurrent requests into one write, it reconnects
 * and re-subscribes by itself, and it parses `redis://user:password@host:port/db` and `rediss://` (TLS) URLs
 * as they are. Its types ship with it.
 *
 * The Lua scripts run by EVALSHA with their SHA-1 computed here, loaded again after a NOSCRIPT (a restarted
 * Redis): ioredis's own `defineCommand` sends the whole script source (EVAL) whenever the command goes
 * through an auto-pipeline (it remembers loaded scripts per socket, and a pipeline is a new one each time),
 * which cost ~1 KB per call and most of a replica's CPU under writes (measured with --cpu-prof).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { SCRIPTS, type ScriptName } from './scripts.js';

export type { RedisClient };

/** The script commands `defineCommand` adds, typed loosely (replies are checked where they are read). */
export type ScriptedRedis = RedisClient & { [K in ScriptName]: (...args: (string | number)[]) => Promise<unknown> };

export const STORE_URL = /^rediss?:\/\//i;

/** `redis://user:password@host:6379/0` → `redis://user:***@host:6379/0` (for logs and health). */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/i, (_m, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`);
}

function loadIoredis(): typeof import('ioredis') {
  return createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
}

export interface ClientOptions {
  /** Milliseconds a command may take before it fails (Redis unreachable → 503). */
  commandTimeoutMs?: number;
  /** For the subscriber connection (no scripts, no timeout: it waits for messages). */
  subscriber?: boolean;
}

export function createRedisClient(url: string, opts: ClientOptions = {}): ScriptedRedis {
  const { Redis } = loadIoredis();
  const options: RedisOptions = {
    lazyConnect: true,
    // A command while disconnected fails at once (→ 503) rather than waiting in a queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    // Reconnect for ever, at most one attempt per second: serving again by itself when Redis is back.
    retryStrategy: (times: number) => Math.min(50 * times, 1000),
    // Auto-pipelining gathers the plain commands of one turn into one write; the scripts go straight out: the
    // requests of a turn already share one (tick.ts), and a pipeline of one command (its Pipeline object, the
    // nextTick that sends it, its promise) cost the GET bench's replica 51–73 µs of CPU a request against 42–53
    // µs sent directly (five interleaved rounds each, /proc CPU time).
    ...(opts.subscriber ? {} : { commandTimeout: opts.commandTimeoutMs ?? 3000, enableAutoPipelining: true, autoPipeliningIgnoredCommands: ['evalsha'] }),
  };
  const client = new Redis(url, options) as ScriptedRedis;
  if (!opts.subscriber) {
    for (const [name, [numberOfKeys, lua]] of Object.entries(SCRIPTS)) {
      const sha = createHash('sha1').update(lua).digest('hex');
      (client as unknown as Record<string, unknown>)[name] = async (...args: (string | number)[]) => {
        try {
          return await client.evalsha(sha, numberOfKeys, ...args);
        } catch (e) {
          if (!String((e as Error).message).startsWith('NOSCRIPT')) throw e;
          await client.script('LOAD', lua);
          return client.evalsha(sha, numberOfKeys, ...args);
        }
      };
    }
  }
  // Errors are answered where commands fail; the connection's own errors would otherwise be unhandled events.
  client.on('error', () => undefined);
  return client;
}

/** Key names of one mock world (`--store-prefix`). */
export function keysOf(prefix: string) {
  const k = (name: string) => `${prefix}:${name}`;
  return {
    meta: k('meta'),
    head: k('head'),
    log: k('log'),
    lock: k('lock'),
    checkpoint: k('checkpoint'),
    replicas: k('replicas'),
    changes: k('changes'),
    buckets: k('rl'),
    nonce: (n: string) => k(`n:${n}`),
    faults: k('faults'),
    journal: k('journal'),
    journalMeta: k('jmeta'),
    journalIndex: k('jidx'),
    writer: k('writer'),
    writerChannel: k('writer:settle'),
  };
}

export type Keys = ReturnType<typeof keysOf>;
