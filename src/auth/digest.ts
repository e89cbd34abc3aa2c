/**
 * HTTP Digest (RFC 7616) as Atlas speaks it: realm `MMS Public API`, MD5, `qop="auth"` (contract §5,
 * EVIDENCE e.1). This file holds the pure parts: parsing an `Authorization: Digest …` header and computing /
 * checking the response hash. Who the user is and whether the nonce is fresh live in `authenticate.ts` and
 * `nonces.ts`.
 *
 * The server never stores passwords in a form it hashes per request: HA1 = MD5(username:realm:password) is
 * computed once per API key (`principals/compile.ts`), so a check is two MD5s (HA2 and the response).
 */
import * as crypto from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';

export const REALM = 'MMS Public API';

/** The parameters a Digest client sends (RFC 7616 §3.4), as received (quotes removed, escapes resolved). */
export type DigestParams = Readonly<Record<string, string>>;

/** One-shot `crypto.hash` where Node has it (≥ 20.12): no Hash object per call (Digest). */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
export const md5 = oneShot ? (s: string): string => oneShot('md5', s, 'hex') : (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** HA1 of RFC 7616 §3.4.2 for algorithm MD5 (not -sess). */
export const ha1Of = (username: string, realm: string, password: string): string => md5(`${username}:${realm}:${password}`);

/** `response` of RFC 7616 §3.4.1 for qop=auth. */
export function digestResponse(ha1: string, p: { nonce: string; nc: string; cnonce: string; qop: string; method: string; uri: string }): string {
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${md5(`${p.method}:${p.uri}`)}`);
}

/** RFC 7230 `tchar`, by character code. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;
const isTchar = (code: number): boolean => code < 128 && TCHAR[code] === 1;
const SP = 32;
const HTAB = 9;
const COMMA = 44;
const EQUALS = 61;
const DQUOTE = 34;
const BACKSLASH = 92;

/**
 * Parses the credentials of `Authorization: Digest k=v, k="v", …` (RFC 7616 §3.4, RFC 7235 auth-param).
 * Accepts quoted or bare values for every parameter (the Go SDK's transport quotes `algorithm`, curl does
 * not), lower-cases names, resolves `\"` escapes. Returns undefined for anything malformed: a repeated
 * parameter, an unterminated quote, junk between parameters, or no parameters at all.
 * By character code, a quoted value without escapes in one slice (this parser was the largest
 * cost of a Digest request).
 */
export function parseDigestCredentials(header: string): DigestParams | undefined {
  let i = 0;
  const n = header.length;
  const skipWs = () => {
    while (i < n && (header.charCodeAt(i) === SP || header.charCodeAt(i) === HTAB)) i++;
  };
  skipWs();
  if (header.slice(i, i + 6).toLowerCase() !== 'digest') return undefined;
  i += 6;
  if (i >= n || (header.charCodeAt(i) !== SP && header.charCodeAt(i) !== HTAB)) return undefined;
  const out: Record<string, string> = Object.create(null);
  let count = 0;
  for (;;) {
    // Empty list elements are allowed (RFC 7230 §7): skip commas and whitespace.
    while (i < n) {
      const c = header.charCodeAt(i);
      if (c !== SP && c !== HTAB && c !== COMMA) break;
      i++;
    }
    if (i >= n) break;
    const nameStart = i;
    while (i < n && isTchar(header.charCodeAt(i))) i++;
    if (i === nameStart) return undefined;
    const name = header.slice(nameStart, i).toLowerCase();
    skipWs();
    if (header.charCodeAt(i) !== EQUALS) return undefined;
    i++;
    skipWs();
    let value: string;
    if (header.charCodeAt(i) === DQUOTE) {
      i++;
      const close = header.indexOf('"', i);
      const escape = header.indexOf('\\', i);
      if (close !== -1 && (escape === -1 || escape > close)) {
        value = header.slice(i, close);
        i = close + 1;
      } else {
        value = '';
        let closed = false;
        while (i < n) {
          const c = header.charCodeAt(i);
          if (c === BACKSLASH && i + 1 < n) {
            value += header[i + 1];
            i += 2;
          } else if (c === DQUOTE) {
            i++;
            closed = true;
            break;
          } else {
            value += header[i];
            i++;
          }
        }
        if (!closed) return undefined;
      }
    } else {
      const start = i;
      while (i < n && isTchar(header.charCodeAt(i))) i++;
      value = header.slice(start, i);
    }
    if (name in out) return undefined;
    out[name] = value;
    count++;
    skipWs();
    if (i < n && header.charCodeAt(i) !== COMMA) return undefined;
  }
  return count > 0 ? out : undefined;
}

/** Compares two hex digests in constant time (the length of a digest is public). */
export function sameDigest(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, 'latin1');
  const b = Buffer.from(givenHex.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
