/**
 * HTTP Digest (RFC 7616) as Atlas speaks it: realm `MMS Public API`, MD5, `qop="auth"` (contract §5,
 * EVIDENCE e.1). This file holds the pure parts: parsing an `Authorization: Digest …` header and computing /
 * checking the response hash. Who the user is and whether the nonce is fresh live in `authenticate.ts` and
 * `nonces.ts`.
 *
 * The server never stores passwords in a form it hashes per request: HA1 = MD5(username:realm:password) is
 * computed once per API key (`principals/compile.ts`), so a check is two MD5s (HA2 and the response).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const REALM = 'MMS Public API';

/** The parameters a Digest client sends (RFC 7616 §3.4), as received (quotes removed, escapes resolved). */
export type DigestParams = Readonly<Record<string, string>>;

export const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** HA1 of RFC 7616 §3.4.2 for algorithm MD5 (not -sess). */
export const ha1Of = (username: string, realm: string, password: string): string => md5(`${username}:${realm}:${password}`);

/** `response` of RFC 7616 §3.4.1 for qop=auth. */
export function digestResponse(ha1: string, p: { nonce: string; nc: string; cnonce: string; qop: string; method: string; uri: string }): string {
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${md5(`${p.method}:${p.uri}`)}`);
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses the credentials of `Authorization: Digest k=v, k="v", …` (RFC 7616 §3.4, RFC 7235 auth-param).
 * Accepts quoted or bare values for every parameter (the Go SDK's transport quotes `algorithm`, curl does
 * not), lower-cases names, resolves `\"` escapes. Returns undefined for anything malformed: a repeated
 * parameter, an unterminated quote, junk between parameters, or no parameters at all.
 */
export function parseDigestCredentials(header: string): DigestParams | undefined {
  let i = 0;
  const n = header.length;
  const skipWs = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  skipWs();
  if (header.slice(i, i + 6).toLowerCase() !== 'digest') return undefined;
  i += 6;
  if (i >= n || (header[i] !== ' ' && header[i] !== '\t')) return undefined;
  const out: Record<string, string> = Object.create(null);
  let count = 0;
  for (;;) {
    // Empty list elements are allowed (RFC 7230 §7): skip commas and whitespace.
    while (i < n && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    if (i === nameStart) return undefined;
    const name = header.slice(nameStart, i).toLowerCase();
    skipWs();
    if (header[i] !== '=') return undefined;
    i++;
    skipWs();
    let value = '';
    if (header[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = header[i]!;
        if (c === '\\' && i + 1 < n) {
          value += header[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) return undefined;
    } else {
      const start = i;
      while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
      value = header.slice(start, i);
    }
    if (name in out) return undefined;
    out[name] = value;
    count++;
    skipWs();
    if (i < n && header[i] !== ',') return undefined;
  }
  return count > 0 ? out : undefined;
}

/** Compares two hex digests in constant time (the length of a digest is public). */
export function sameDigest(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, 'latin1');
  const b = Buffer.from(givenHex.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
