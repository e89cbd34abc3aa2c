/**
 * The client side of HTTP Digest (RFC 7616, MD5, qop=auth) as curl and the Go SDK do it: one challenge,
 * then the nonce reused with an increasing `nc` on every request.
 */
import { createHash, randomBytes } from 'node:crypto';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export interface DigestChallenge {
  realm: string;
  nonce: string;
  qop: string;
}

export function parseChallenge(header: string): DigestChallenge {
  const get = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(header)?.[1] ?? '';
  return { realm: get('realm'), nonce: get('nonce'), qop: get('qop') };
}

/** A per-connection signer: each call returns the Authorization header of the next request. */
export function digestSigner(user: string, password: string, challenge: DigestChallenge): (method: string, uri: string) => string {
  let nc = 0;
  const cnonce = randomBytes(8).toString('hex');
  const ha1 = md5(`${user}:${challenge.realm}:${password}`);
  return (method, uri) => {
    nc++;
    const ncHex = nc.toString(16).padStart(8, '0');
    const response = md5(`${ha1}:${challenge.nonce}:${ncHex}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
    return `Digest username="${user}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=${ncHex}, cnonce="${cnonce}"`;
  };
}
