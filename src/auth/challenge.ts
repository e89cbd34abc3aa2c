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
import { pretty } from '../http/json.js';
import { ERROR_CONTENT_TYPE } from '../http/headers.js';
import { REALM } from './digest.js';

/** Body bytes, built once: `pretty` writes the keys in the recorded order. */
export const CHALLENGE_BODY = Buffer.from(
  pretty({ error: 401, reason: 'Unauthorized', detail: 'You are not authorized for this resource.', errorCode: 'UNEXPECTED_ERROR' }),
);

const CHALLENGE_LENGTH = String(CHALLENGE_BODY.length);

export function challengeHeader(nonce: string, stale: boolean): string {
  return `Digest realm="${REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale}`;
}

/**
 * Written on the raw response, with the headers Fastify would have written in the same order (Content-Type,
 * WWW-Authenticate, Content-Length; Node adds Date and the keep-alive ones after them either way). Through
 * the reply, the security headers its first hook set would be deleted one by one from the reply's header
 * object, which leaves V8 a dictionary to write the rest into (~1 µs of a 401's CPU, measured). The reply
 * is hijacked so Fastify sends nothing more; its onResponse hooks (the journal) still run when the
 * response finishes. A HEAD gets the headers only (Node drops the body of a response to HEAD).
 */
export function sendChallenge(reply: FastifyReply, nonce: string, stale: boolean): FastifyReply {
  reply.hijack();
  reply.raw.writeHead(401, { 'content-type': ERROR_CONTENT_TYPE, 'www-authenticate': challengeHeader(nonce, stale), 'content-length': CHALLENGE_LENGTH });
  reply.raw.end(CHALLENGE_BODY);
  return reply;
}
