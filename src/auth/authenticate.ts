/**
 * Who is calling (contract §5), from the `Authorization` header of a request to `/api/atlas/v2`:
 *
 * - `Bearer <token>`: a token of the token endpoint, live by the mock clock → its service account; any
 *   other token (unknown, expired, revoked, malformed) → 401 `UNAUTHORIZED` [I].
 * - `Digest …` (RFC 7616, MD5, qop=auth): realm, algorithm, qop, uri (= the request target) and the
 *   response hash are checked, the hash in constant time; then the nonce must be live and its `nc` must
 *   increase. A wrong key, password, realm or uri → the challenge; a valid hash on an expired or unknown
 *   nonce → the challenge with `stale=true` (RFC 7616 §3.3); a repeated or decreasing `nc` → the
 *   challenge (replay, RFC 7616 §5.5).
 * - anything else, or nothing → the challenge (as recorded for a request without credentials).
 *
 * `reason` says why a request was refused (debug logs only; it never holds a secret).
 */
import { digestResponse, parseDigestCredentials, REALM, sameDigest } from './digest.js';
import type { NonceCheck, NonceTable } from './nonces.js';
import type { CompiledPrincipal, PrincipalIndex } from './principals/compile.js';
import type { TokenStore } from './tokens.js';

export type AuthOutcome =
  | { kind: 'ok'; principal: CompiledPrincipal; scheme: 'digest' | 'bearer' }
  | { kind: 'challenge'; stale: boolean; reason: string }
  | { kind: 'invalid-token'; reason: string };

export interface Authenticator {
  index: PrincipalIndex;
  nonces: NonceTable;
  tokens: TokenStore;
}

const NC = /^[0-9a-fA-F]{8}$/;
const RESPONSE = /^[0-9a-fA-F]{32}$/;
/** Compared against when the user is unknown, so that unknown and known users cost the same. */
const DUMMY_HA1 = '00000000000000000000000000000000';

const challenge = (reason: string, stale = false): AuthOutcome => ({ kind: 'challenge', stale, reason });

/**
 * What the credentials say before a Digest nonce is used: an outcome, or a verified Digest response whose
 * nonce must still be used (`nonceOutcome`): in memory at once (`authenticate`), in Redis by a shared mock.
 */
export type Verified = AuthOutcome | { kind: 'nonce'; principal: CompiledPrincipal; nonce: string; nc: number };

export function authenticate(auth: Authenticator, method: string, url: string, header: string | undefined): AuthOutcome {
  const v = verify(auth, method, url, header);
  return v.kind === 'nonce' ? nonceOutcome(v, auth.nonces.use(v.nonce, v.nc)) : v;
}

export function nonceOutcome(v: { principal: CompiledPrincipal }, check: NonceCheck): AuthOutcome {
  switch (check) {
    case 'ok':
      return { kind: 'ok', principal: v.principal, scheme: 'digest' };
    case 'stale':
      return challenge('stale nonce', true);
    case 'replay':
      return challenge('nonce count replayed');
  }
}

export function verify(auth: Pick<Authenticator, 'index' | 'tokens'>, method: string, url: string, header: string | undefined): Verified {
  if (!header) return challenge('no credentials');
  // Scheme names are case-insensitive (RFC 7235 §2.1); leading whitespace is not part of the value.
  let start = 0;
  while (start < header.length && (header[start] === ' ' || header[start] === '\t')) start++;
  const scheme = header.slice(start, start + 7).toLowerCase();
  if (scheme === 'bearer ' || scheme === 'bearer\t') return bearer(auth, header.slice(start + 7).trim());
  if (scheme.startsWith('bearer') && header.slice(start).trim().length === 6) return { kind: 'invalid-token', reason: 'empty bearer token' };
  if (scheme.startsWith('digest')) return digest(auth, method, url, header);
  return challenge('unsupported scheme');
}

function bearer(auth: Pick<Authenticator, 'index' | 'tokens'>, token: string): AuthOutcome {
  const clientId = auth.tokens.resolve(token);
  if (clientId === undefined) return { kind: 'invalid-token', reason: 'unknown, expired or revoked token' };
  const principal = auth.index.get(clientId);
  if (!principal) return { kind: 'invalid-token', reason: 'the token\'s service account no longer exists' };
  return { kind: 'ok', principal, scheme: 'bearer' };
}

function digest(auth: Pick<Authenticator, 'index'>, method: string, url: string, header: string): Verified {
  const p = parseDigestCredentials(header);
  if (!p) return challenge('malformed Digest credentials');
  const { username, realm, nonce, uri, response, qop, nc, cnonce } = p;
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined) return challenge('missing Digest parameter');
  if (realm !== REALM) return challenge('wrong realm');
  if (p.algorithm !== undefined && p.algorithm.toUpperCase() !== 'MD5') return challenge('unsupported algorithm');
  // The challenge offers qop="auth" only; RFC 2069 responses without qop are not accepted.
  if (qop !== 'auth' || nc === undefined || cnonce === undefined || !NC.test(nc)) return challenge('qop=auth with nc and cnonce required');
  if (!RESPONSE.test(response)) return challenge('malformed response');
  if (uri !== url) return challenge('uri does not match the request target');
  const principal = auth.index.get(username);
  const known = principal !== undefined && principal.principal.kind === 'apiKey';
  const expected = digestResponse(known ? principal.ha1 : DUMMY_HA1, { nonce, nc, cnonce, qop, method, uri });
  if (!sameDigest(expected, response) || !known) return challenge('wrong key or password');
  return { kind: 'nonce', principal, nonce, nc: parseInt(nc, 16) };
}
