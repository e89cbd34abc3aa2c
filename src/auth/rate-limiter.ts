/**
 * Per-project token buckets (contract §6): every Cloud Backups operation on a project takes one token from
 * that project's bucket; the bucket holds `capacity` tokens and gets `refill` tokens per `periodMs` of mock
 * time, continuously (a fraction of a token per ms) — no timers: the level is brought up to date when the
 * bucket is next used. O(1) per request.
 */
import type { Clock } from '../core/clock.js';

export interface RateLimitConfig {
  capacity: number;
  refill: number;
  periodMs: number;
}

/** Atlas's "Cloud Backups" endpoint set: capacity 1200, refill 500 per 60 s, scope GROUP [D]. */
export const ATLAS_CLOUD_BACKUPS_LIMIT: RateLimitConfig = Object.freeze({ capacity: 1200, refill: 500, periodMs: 60_000 });

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
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    readonly config: RateLimitConfig,
  ) {}

  take(key: string): RateDecision {
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: this.config.capacity, at: now }));
    // A clock moved backwards refills nothing (and does not drain either). Multiply before dividing: one whole
    // period must give exactly `refill` tokens (3 600 000 × (1 / 3 600 000) is 0.9999999999999999 in floats,
    // which refused the request a refill of 1 per hour had just paid for).
    if (now > b.at) b.tokens = Math.min(this.config.capacity, b.tokens + ((now - b.at) * this.config.refill) / this.config.periodMs);
    b.at = now;
    // Sums of partial refills may still land a hair under a whole token: EPSILON tokens are forgiven.
    if (b.tokens >= 1 - EPSILON) {
      b.tokens = Math.max(0, b.tokens - 1);
      return { allowed: true, remaining: Math.floor(b.tokens + EPSILON) };
    }
    const waitMs = ((1 - b.tokens) * this.config.periodMs) / this.config.refill;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Full buckets again: all projects, or one. */
  reset(key?: string): void {
    if (key === undefined) this.buckets.clear();
    else this.buckets.delete(key);
  }
}
