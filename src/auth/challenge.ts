/**
 * The Digest challenge exactly as Atlas sends it (recorded `digest-401-challenge.http`, contract §5):
 *
 *   401, `Content-Type: application/json`,
 *   `WWW-Authenticate: Digest realm="MMS Public API", domain="", nonce="<32>", algorithm=MD5, qop="auth", stale=false`
 *   body, pretty-printed in this order: error, reason, detail, errorCode.
 *
 * It is produced before routing, so it carries no `X-Error-Code` and none of the security headers, and it
 * is never enveloped [I]: a Digest client only answers a real 401 (with `envelope=true` a 200 would end
 * curl's and the Go SDK's handshake).
 */
import type { FastifyReply } from 'fastify';
import { SECURITY_HEADERS } from '../http/headers.js';
import { pretty } from '../http/json.js';
import { ERROR_CONTENT_TYPE } from '../http/headers.js';
import { REALM } from './digest.js';

/** Body bytes, built once: `pretty` writes the keys in the recorded order. */
export const CHALLENGE_BODY = Buffer.from(
  pretty({ error: 401, reason: 'Unauthorized', detail: 'You are not authorized for this resource.', errorCode: 'UNEXPECTED_ERROR' }),
);

const SECURITY_HEADER_NAMES = Object.keys(SECURITY_HEADERS);

export function challengeHeader(nonce: string, stale: boolean): string {
  return `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;
}

export function sendChallenge(reply: FastifyReply, nonce: string, stale: boolean): FastifyReply {
  for (const name of SECURITY_HEADER_NAMES) reply.removeHeader(name);
  reply.code(401).header('content-type', ERROR_CONTENT_TYPE).header('www-authenticate', challengeHeader(nonce, stale));
  return reply.send(CHALLENGE_BODY);
}
