/**
 * Token buckets (contract §6): one per endpoint set (`rate-categories.ts`) and scope key (project, organization
 * or user), holding `capacity` tokens and getting `refill` tokens per `periodMs` of mock time, continuously (a
 * fraction of a token per ms) — no timers: the level is brought up to date when the bucket is next used. O(1)
 * per request. Buckets are kept by scope key first, so a reset of one project drops all its sets at once.
 */
import type { Clock } from '../core/clock.js';
import { categoryId, RATE_CATEGORIES, type RateCategory } from './rate-categories.js';

export interface RateLimitConfig {
  capacity: number;
  refill: number;
  periodMs: number;
}

/** Atlas's "Cloud Backups" endpoint set: capacity 1200, refill 500 per 60 s, scope GROUP [D]. */
export const ATLAS_CLOUD_BACKUPS_LIMIT: RateLimitConfig = Object.freeze({
  capacity: RATE_CATEGORIES.cloudBackups.capacity,
  refill: RATE_CATEGORIES.cloudBackups.refill,
  periodMs: RATE_CATEGORIES.cloudBackups.periodMs,
});

export type RateDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; remaining: 0; retryAfterSeconds: number };

/** Float rounding forgiven, in tokens: far below what one millisecond of any sensible refill rate adds. */
const EPSILON = 1e-9;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  /** Scope key (project, organization or principal id) → endpoint set → bucket. */
  private readonly buckets = new Map<string, Map<string, Bucket>>();
  private readonly limits = new Map<string, RateLimitConfig>();

  /**
   * `config`: the limits of the Cloud Backups set (the export operations; `--rate-limit-*`); `overrides`: the
   * limits of other sets by name (`rateLimit.categories`), else Atlas's numbers.
   */
  constructor(
    private readonly clock: Clock,
    readonly config: RateLimitConfig,
    overrides: Readonly<Record<string, Partial<RateLimitConfig>>> = {},
  ) {
    for (const c of Object.values(RATE_CATEGORIES)) {
      const base = c === RATE_CATEGORIES.cloudBackups ? config : c;
      this.limits.set(categoryId(c), { capacity: base.capacity, refill: base.refill, periodMs: base.periodMs, ...overrides[c.name] });
    }
  }

  /** The limits a category's buckets have here. */
  limitsOf(category: RateCategory): RateLimitConfig {
    return this.limits.get(categoryId(category)) ?? category;
  }

  take(key: string, category: RateCategory = RATE_CATEGORIES.cloudBackups): RateDecision {
    const config = this.limitsOf(category);
    const id = categoryId(category);
    const now = this.clock.now();
    let sets = this.buckets.get(key);
    if (!sets) this.buckets.set(key, (sets = new Map()));
    let b = sets.get(id);
    if (!b) sets.set(id, (b = { tokens: config.capacity, at: now }));
    // A clock moved backwards refills nothing (and does not drain either). Multiply before dividing: one whole
    // period must give exactly `refill` tokens (3 600 000 × (1 / 3 600 000) is 0.9999999999999999 in floats,
    // which refused the request a refill of 1 per hour had just paid for).
    if (now > b.at) b.tokens = Math.min(config.capacity, b.tokens + ((now - b.at) * config.refill) / config.periodMs);
    b.at = now;
    // Sums of partial refills may still land a hair under a whole token: EPSILON tokens are forgiven.
    if (b.tokens >= 1 - EPSILON) {
      b.tokens = Math.max(0, b.tokens - 1);
      return { allowed: true, remaining: Math.floor(b.tokens + EPSILON) };
    }
    const waitMs = ((1 - b.tokens) * config.periodMs) / config.refill;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Full buckets again: all, or those of one scope key (a project, an organization, a principal). */
  reset(key?: string): void {
    if (key === undefined) this.buckets.clear();
    else this.buckets.delete(key);
  }
}
