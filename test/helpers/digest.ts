/**
 * A small HTTP Digest client (RFC 7616, MD5, qop=auth) for tests: parse a challenge, compute the response
 * the RFC way, and keep a session that reuses one nonce with an increasing nonce count, like curl and
 * other clients do. Independent of the server's own code on purpose (its MD5 is `node:crypto` directly).
 */
import { createHash } from 'node:crypto';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export interface Challenge {
  realm: string;
  domain?: string;
  nonce: string;
  algorithm?: string;
  qop?: string;
  stale?: string;
  opaque?: string;
}

/** The parameters of a `WWW-Authenticate: Digest …` header (quoted or bare values). */
export function parseChallenge(header: string | string[] | undefined): Challenge {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text || !/^Digest\s/i.test(text)) throw new Error(`not a Digest challenge: ${String(text)}`);
  const params: Record<string, string> = {};
  for (const m of text.slice(7).matchAll(/([a-zA-Z]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  if (params.realm === undefined || params.nonce === undefined) throw new Error(`challenge without realm or nonce: ${text}`);
  return params as unknown as Challenge;
}

export interface DigestInput {
  username: string;
  password: string;
  method: string;
  uri: string;
  realm: string;
  nonce: string;
  /** Nonce count as a number (written as 8 hex digits). */
  nc: number;
  cnonce?: string;
  qop?: string;
  algorithm?: string;
}

/** `response` of RFC 7616 §3.4.1 for algorithm MD5 and qop=auth. */
export function digestResponse(i: DigestInput): string {
  const ha1 = md5(`${i.username}:${i.realm}:${i.password}`);
  const ha2 = md5(`${i.method}:${i.uri}`);
  return md5(`${ha1}:${i.nonce}:${ncHex(i.nc)}:${i.cnonce ?? 'f00dfeedc0ffee42'}:${i.qop ?? 'auth'}:${ha2}`);
}

export const ncHex = (nc: number): string => nc.toString(16).padStart(8, '0');

/**
 * `Authorization: Digest …` as curl writes it. `override` replaces or adds parameters after the response
 * is computed (to send a wrong realm, uri, response…); a parameter set to undefined is left out.
 */
export function digestAuthorization(i: DigestInput, override: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    username: `"${i.username}"`,
    realm: `"${i.realm}"`,
    nonce: `"${i.nonce}"`,
    uri: `"${i.uri}"`,
    cnonce: `"${i.cnonce ?? 'f00dfeedc0ffee42'}"`,
    nc: ncHex(i.nc),
    qop: i.qop ?? 'auth',
    response: `"${digestResponse(i)}"`,
    algorithm: i.algorithm ?? 'MD5',
    ...override,
  };
  return `Digest ${Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
}

/** One client's Digest state: the current nonce and its count. */
export class DigestSession {
  private challenge: Challenge | undefined;
  private nc = 0;

  constructor(
    readonly username: string,
    readonly password: string,
  ) {}

  /** Takes the nonce of a 401 challenge (the count restarts at 1). */
  accept(wwwAuthenticate: string | string[] | undefined): Challenge {
    this.challenge = parseChallenge(wwwAuthenticate);
    this.nc = 0;
    return this.challenge;
  }

  get nonce(): string | undefined {
    return this.challenge?.nonce;
  }

  /** The header for the next request on the current nonce (nc + 1). */
  next(method: string, uri: string): string {
    if (!this.challenge) throw new Error('no challenge yet');
    this.nc++;
    return digestAuthorization({ username: this.username, password: this.password, method, uri, realm: this.challenge.realm, nonce: this.challenge.nonce, nc: this.nc });
  }

  /** The header for an explicit count on the current nonce (replays). */
  withCount(method: string, uri: string, nc: number): string {
    if (!this.challenge) throw new Error('no challenge yet');
    return digestAuthorization({ username: this.username, password: this.password, method, uri, realm: this.challenge.realm, nonce: this.challenge.nonce, nc });
  }
}

interface Injectable {
  inject(opts: { method?: string; url: string; headers?: Record<string, string>; remoteAddress?: string; payload?: unknown }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string; json(): any }>;
}

/**
 * One request the way a Digest client makes it: without credentials first, then with the response to the
 * challenge (RFC 7616 §3.4). `headers` should carry the Accept header; the method defaults to GET.
 */
export async function digestInject(
  app: Injectable,
  username: string,
  password: string,
  opts: { method?: string; url: string; headers?: Record<string, string>; remoteAddress?: string; payload?: unknown },
) {
  const method = opts.method ?? 'GET';
  const first = await app.inject({ ...opts, method });
  if (first.statusCode !== 401 || !String(first.headers['www-authenticate'] ?? '').startsWith('Digest')) return first;
  const s = new DigestSession(username, password);
  s.accept(first.headers['www-authenticate'] as string);
  return app.inject({ ...opts, method, headers: { ...(opts.headers ?? {}), authorization: s.next(method, opts.url) } });
}
