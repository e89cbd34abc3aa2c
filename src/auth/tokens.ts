/**
 * Service-account access tokens (contract §5, EVIDENCE e.2): JWTs shaped like Atlas's (claims `iss`, `aud`
 * `api://admin`, `sub` / `cid` / `actorId` = client id, `iat`, `exp` = iat + 3600, `jti`), valid for one
 * hour of mock time, revocable.
 *
 * Verification on the hot path is one Map lookup: every issued token is kept with its client id and expiry,
 * so a token the mock did not issue (or forgot, or revoked) is simply unknown. The Map is keyed by the
 * token's signature (its last segment, 43 characters, unique per token) and the entry compared with the
 * whole token: a request's token is a fresh string, and hashing all of its ~430 characters on every
 * request cost more than the rest of the lookup. The JWT is still properly
 * signed so clients and tests can decode and check it: HS256 [I] (Atlas signs with ES512, whose signatures
 * are not reproducible) with a key derived from the seed, so a seed always makes the same tokens. Minting
 * does not draw from the shared random source: a token request never shifts the ids a test expects.
 *
 * Bounded: tokens sit in issue order; expired ones are dropped from the head when a new one is issued, and
 * past `max` live tokens the oldest is forgotten (then unknown → 401).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';

/** `expires_in` of the token endpoint [D]. */
export const TOKEN_TTL_SECONDS = 3600;
export const DEFAULT_MAX_TOKENS = 100_000;
/** [I] The docs' sample token comes from cloud-dev; the mock names the production issuer. */
export const TOKEN_ISSUER = 'https://cloud.mongodb.com';
export const TOKEN_AUDIENCE = 'api://admin';

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

interface TokenEntry {
  token: string;
  clientId: string;
  expiresAt: number;
}

/** The Map key of a token: its signature (everything after the last dot; the whole string when it has none). */
const keyOf = (token: string): string => token.slice(token.lastIndexOf('.') + 1);

export interface JwtClaims {
  iss: string;
  aud: string;
  sub: string;
  cid: string;
  actorId: string;
  iat: number;
  exp: number;
  jti: string;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export class TokenStore {
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly key: Buffer;
  private readonly kid: string;
  private counter = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    seed: number,
    private readonly max: number = DEFAULT_MAX_TOKENS,
  ) {
    this.key = createHash('sha256').update(`atlas-export-mock/jwt/${seed}`).digest();
    this.kid = createHash('sha256').update(this.key).digest('hex').slice(0, 16);
  }

  get size(): number {
    return this.tokens.size;
  }

  issue(clientId: string): IssuedToken {
    const nowMs = this.clock.now();
    this.sweep(nowMs);
    if (this.tokens.size >= this.max) this.tokens.delete(this.tokens.keys().next().value!);
    const iat = Math.floor(nowMs / 1000);
    const jti = createHmac('sha256', this.key).update(`jti/${++this.counter}`).digest('hex').slice(0, 32);
    const claims: JwtClaims = { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: clientId, cid: clientId, actorId: clientId, iat, exp: iat + TOKEN_TTL_SECONDS, jti };
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: this.kid }))}.${b64url(JSON.stringify(claims))}`;
    const accessToken = `${head}.${this.sign(head)}`;
    this.tokens.set(keyOf(accessToken), { token: accessToken, clientId, expiresAt: nowMs + TOKEN_TTL_SECONDS * 1000 });
    this.changed();
    return { accessToken, expiresIn: TOKEN_TTL_SECONDS };
  }

  /** The client id of a live token; undefined for unknown, revoked or expired (by the mock clock) tokens. */
  resolve(token: string): string | undefined {
    const key = keyOf(token);
    const entry = this.tokens.get(key);
    if (!entry || entry.token !== token) return undefined;
    if (this.clock.now() >= entry.expiresAt) {
      this.tokens.delete(key);
      return undefined;
    }
    return entry.clientId;
  }

  /** Revokes `token` if it was issued to `clientId` (RFC 7009 §2.1); true when something was revoked. */
  revoke(token: string, clientId: string): boolean {
    const key = keyOf(token);
    const entry = this.tokens.get(key);
    if (!entry || entry.token !== token || entry.clientId !== clientId) return false;
    this.tokens.delete(key);
    this.changed();
    return true;
  }

  /** Live tokens in issue order, with the count of tokens minted so far (`--state-file`). */
  entries(): { token: string; clientId: string; expiresAt: number }[] {
    return Array.from(this.tokens.values(), (e) => ({ token: e.token, clientId: e.clientId, expiresAt: e.expiresAt }));
  }

  get minted(): number {
    return this.counter;
  }

  /** Puts saved tokens back (a restarted mock keeps accepting them until they expire or are revoked). */
  restore(entries: readonly { token: string; clientId: string; expiresAt: number }[], minted: number): void {
    this.tokens.clear();
    for (const e of entries) this.tokens.set(keyOf(e.token), { token: e.token, clientId: e.clientId, expiresAt: e.expiresAt });
    // Exactly the saved count: a shared mock's replica reloading the world mints the next token as the others do.
    this.counter = minted;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Checks the signature of a JWT of this store and returns its claims (for tests and diagnostics). */
  verify(token: string): JwtClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtClaims;
    } catch {
      return undefined;
    }
  }

  clear(): void {
    this.tokens.clear();
    this.changed();
  }

  /** As new: no token, none minted (a mock that `startAtlasMock` reuses mints what a new one would). */
  renew(): void {
    this.tokens.clear();
    this.counter = 0;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  private sweep(nowMs: number): void {
    for (const [key, entry] of this.tokens) {
      if (nowMs < entry.expiresAt) return;
      this.tokens.delete(key);
    }
  }
}
