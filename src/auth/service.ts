/**
 * The authentication state of one app instance: principals (compiled from the store), Digest nonces,
 * issued tokens and rate-limit buckets (per endpoint set and project), with the options that switch them on or off. Plugins
 * and the token routes share it through `app.atlasAuth`; the control API can `reset()` it.
 */
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';
import type { AuthOptions, RateLimitOptions } from '../options.js';
import type { Store } from '../store/store.js';
import { DEFAULT_NONCE_TTL_MS, NonceTable } from './nonces.js';
import { PrincipalIndex } from './principals/compile.js';
import { ATLAS_CLOUD_BACKUPS_LIMIT, RateLimiter, type RateLimitConfig } from './rate-limiter.js';
import { RATE_CATEGORIES } from './rate-categories.js';
import { TokenStore } from './tokens.js';

export interface AuthService {
  /** false (`--auth off`): every request is accepted as `index.firstOwner()`, no role or access-list check. */
  readonly enabled: boolean;
  readonly index: PrincipalIndex;
  readonly nonces: NonceTable;
  readonly tokens: TokenStore;
  /** Undefined with `--rate-limit off`. */
  readonly limiter: RateLimiter | undefined;
  /** Forgets nonces and tokens and refills every bucket. */
  reset(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    atlasAuth: AuthService;
  }
}

export function rateLimitConfig(o: RateLimitOptions = {}): RateLimitConfig {
  const c = { capacity: o.capacity ?? ATLAS_CLOUD_BACKUPS_LIMIT.capacity, refill: o.refill ?? ATLAS_CLOUD_BACKUPS_LIMIT.refill, periodMs: o.periodMs ?? ATLAS_CLOUD_BACKUPS_LIMIT.periodMs };
  checkLimits('rateLimit', c);
  return c;
}

function checkLimits(prefix: string, c: Partial<RateLimitConfig>): void {
  for (const [k, v] of Object.entries(c)) if (v !== undefined && (!Number.isFinite(v) || v < 1)) throw new RangeError(`${prefix}.${k} must be a number ≥ 1, got ${v}`);
}

/** `rateLimit.categories`, checked: known set names, numbers ≥ 1. */
export function rateLimitOverrides(o: RateLimitOptions = {}): Record<string, Partial<RateLimitConfig>> {
  const names = new Set(Object.values(RATE_CATEGORIES).map((c) => c.name));
  for (const [name, limits] of Object.entries(o.categories ?? {})) {
    if (!names.has(name)) throw new RangeError(`rateLimit.categories: unknown endpoint set ${JSON.stringify(name)} (known: ${[...names].join(', ')})`);
    checkLimits(`rateLimit.categories.${name}`, limits);
  }
  return o.categories ?? {};
}

export function createAuthService(store: Store, clock: Clock, random: RandomSource, auth: AuthOptions = {}, rateLimit: RateLimitOptions = {}): AuthService {
  const nonceTtl = auth.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS;
  if (!Number.isFinite(nonceTtl) || nonceTtl < 1) throw new RangeError(`auth.nonceTtlMs must be a positive number, got ${nonceTtl}`);
  const nonces = new NonceTable(clock, random, nonceTtl);
  const tokens = new TokenStore(clock, random.seed);
  const limiter = rateLimit.enabled === false ? undefined : new RateLimiter(clock, rateLimitConfig(rateLimit), rateLimitOverrides(rateLimit));
  return {
    enabled: auth.enabled !== false,
    index: new PrincipalIndex(store),
    nonces,
    tokens,
    limiter,
    reset() {
      nonces.clear();
      tokens.clear();
      limiter?.reset();
    },
  };
}
