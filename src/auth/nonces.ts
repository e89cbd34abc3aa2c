/**
 * Digest nonces (RFC 7616 §3.3, §5.5): drawn from the app's seeded random source (32 characters of the
 * base64 alphabet, like every recorded Atlas nonce — EVIDENCE e.1), valid for `ttlMs` of mock time, each
 * with the highest nonce count (`nc`) seen so far.
 *
 * - A nonce is reused with an increasing `nc` by curl and other clients: accepted while fresh.
 * - An `nc` that does not increase is a replay: refused (RFC 7616 §3.4 "nc" and §5.5).
 * - An expired (or forgotten) nonce with an otherwise valid response is "stale": the challenge says
 *   `stale=true` so the client retries with the new nonce without asking for the password again.
 *
 * Bounded memory, no timers: nonces sit in a Map for lookup and in a ring in issue order; every issue drops
 * expired nonces from the ring's head and, past `max`, the oldest nonce. The ring is there because a Map
 * keeps a hole for each deleted entry until it is rebuilt, and finding its oldest entry walks them all: with
 * the table full, every challenge walked tens of thousands of holes (a client without credentials made the
 * 401 slower with each request, 100 to 230 µs of CPU each). A forgotten nonce is answered like an expired one.
 */
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/random.js';

export const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const NONCE_LENGTH = 32;
/** [I] Atlas only says a nonce "is only valid for a short amount of time" (EVIDENCE e.1): 5 minutes. */
export const DEFAULT_NONCE_TTL_MS = 5 * 60_000;
export const DEFAULT_MAX_NONCES = 100_000;

export type NonceCheck = 'ok' | 'stale' | 'replay';

interface NonceEntry {
  issuedAt: number;
  /** Highest nonce count accepted so far (0: none yet). */
  nc: number;
}

export class NonceTable {
  private readonly entries = new Map<string, NonceEntry>();
  /** Issued nonces, oldest first, from `head` (a circular buffer of `max` slots, grown as needed). */
  private ring: string[] = [];
  private head = 0;
  private length = 0;
  /** Nonces issued since start (diagnostics and tests). */
  issued = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
    readonly ttlMs: number = DEFAULT_NONCE_TTL_MS,
    private readonly max: number = DEFAULT_MAX_NONCES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  issue(): string {
    const now = this.clock.now();
    this.sweep(now);
    if (this.length >= this.max) this.entries.delete(this.shift());
    let nonce = this.random.string(NONCE_LENGTH, NONCE_ALPHABET);
    while (this.entries.has(nonce)) nonce = this.random.string(NONCE_LENGTH, NONCE_ALPHABET);
    this.entries.set(nonce, { issuedAt: now, nc: 0 });
    this.push(nonce);
    this.issued++;
    return nonce;
  }

  /**
   * Uses `nonce` with nonce count `nc`, after the response hash was verified (an unverified request must
   * not burn a count of the real client). Expired and unknown nonces are `stale`.
   */
  use(nonce: string, nc: number): NonceCheck {
    const entry = this.entries.get(nonce);
    if (!entry) return 'stale';
    if (this.expired(entry, this.clock.now())) {
      this.entries.delete(nonce);
      return 'stale';
    }
    if (nc <= entry.nc) return 'replay';
    entry.nc = nc;
    return 'ok';
  }

  clear(): void {
    this.entries.clear();
    this.ring = [];
    this.head = 0;
    this.length = 0;
  }

  /** As new (a mock that `startAtlasMock` reuses). */
  renew(): void {
    this.clear();
    this.issued = 0;
  }

  private expired(entry: NonceEntry, now: number): boolean {
    return now - entry.issuedAt >= this.ttlMs;
  }

  /**
   * Drops expired nonces from the head (oldest first); stops at the first live one. A nonce `use` already
   * dropped (expired) is no longer in the Map: its slot just goes.
   */
  private sweep(now: number): void {
    while (this.length > 0) {
      const nonce = this.ring[this.head]!;
      const entry = this.entries.get(nonce);
      if (entry !== undefined && !this.expired(entry, now)) return;
      this.entries.delete(nonce);
      this.shift();
    }
  }

  private push(nonce: string): void {
    if (this.length === this.ring.length) {
      // Full (or empty): unroll from head into a larger buffer.
      this.ring = [...this.ring.slice(this.head), ...this.ring.slice(0, this.head), nonce];
      this.head = 0;
      this.length++;
      if (this.ring.length < this.max) this.ring.length = Math.min(this.max, Math.max(16, this.ring.length * 2));
      return;
    }
    this.ring[(this.head + this.length) % this.ring.length] = nonce;
    this.length++;
  }

  /** Takes the oldest nonce off the ring. */
  private shift(): string {
    const nonce = this.ring[this.head]!;
    this.head = (this.head + 1) % this.ring.length;
    this.length--;
    return nonce;
  }
}
