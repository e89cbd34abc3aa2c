/**
 * `envelope=true` and `pretty=true` (contract §3), applied to whatever a route or the error handler sends:
 * - envelope, single entity or error: HTTP 200, `{"content": <body>, "status": <real status>}`;
 * - envelope, list (a body with `results`): HTTP 200, the list plus `status`, keys kept alphabetical;
 * - envelope, 204: HTTP 200 `{"status": 204}` (see `sendNoContent`);
 * - pretty: Jackson-style printing (`json.ts`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compact, jsonNumber, pretty, type BodySerializer } from './json.js';

export interface ResponseFlags {
  envelope: boolean;
  pretty: boolean;
}

const NO_FLAGS: ResponseFlags = Object.freeze({ envelope: false, pretty: false });

/** Flags from the raw query string: lenient here, the route's query schema rejects bad values with a 400. */
export function flagsOf(query: unknown): ResponseFlags {
  if (query === null || typeof query !== 'object') return NO_FLAGS;
  const q = query as Record<string, unknown>;
  const env = q.envelope;
  const pre = q.pretty;
  if (env === undefined && pre === undefined) return NO_FLAGS;
  return { envelope: isTrue(env), pretty: isTrue(pre) };
}

function isTrue(v: unknown): boolean {
  return typeof v === 'string' ? v.toLowerCase() === 'true' : v === true;
}

export function envelopeBody(payload: unknown, status: number): unknown {
  if (payload !== null && typeof payload === 'object' && Array.isArray((payload as { results?: unknown }).results)) {
    const withStatus: Record<string, unknown> = { ...(payload as object), status };
    return Object.fromEntries(Object.keys(withStatus).sort().map((k) => [k, withStatus[k]]));
  }
  return { content: payload, status };
}

/**
 * Serializes `payload` for this reply: enveloped (HTTP status moved into the body) and/or pretty. `stringify`
 * writes the compact form (default JSON.stringify; an operation's own serializer for its enveloped lists).
 */
export function serializeFlagged(reply: FastifyReply, flags: ResponseFlags | null, payload: unknown, stringify: BodySerializer = compact): string | Buffer {
  if (!flags) return stringify(payload);
  let body = payload;
  if (flags.envelope) {
    body = envelopeBody(payload, reply.statusCode);
    reply.code(200);
  }
  return flags.pretty ? pretty(body) : stringify(body);
}

/**
 * The reply serializer of `envelope=true` (without pretty) for an operation with a compiled serializer of
 * its body: `{"content":<body>,"status":<status>}` written around the compiled output, exactly
 * what `serializeFlagged` writes; a list body (with `results`) goes to `serializeFlagged` itself, written by
 * the operation's serializer (an operation whose handler returns lists has a serializer for any value).
 */
export function envelopedSerializer(reply: FastifyReply, serialize: BodySerializer): (payload: unknown) => string | Buffer {
  return (payload) => {
    if (payload === null || typeof payload !== 'object') return serializeFlagged(reply, ENVELOPE_ONLY, payload);
    if (Array.isArray((payload as { results?: unknown }).results)) return serializeFlagged(reply, ENVELOPE_ONLY, payload, serialize);
    const status = reply.statusCode;
    reply.code(200);
    const content = serialize(payload);
    const tail = `,"status":${jsonNumber(status)}}`;
    return typeof content === 'string' ? `{"content":${content}${tail}` : Buffer.concat([CONTENT_HEAD, content, Buffer.from(tail)]);
  };
}

const ENVELOPE_ONLY: ResponseFlags = Object.freeze({ envelope: true, pretty: false });
const CONTENT_HEAD = Buffer.from('{"content":');

/**
 * A body serializer as Fastify's reply takes it. Its types say text, but it sends bytes from a serializer
 * just as well (lib/reply.js: a serializer's result goes to onSend, which writes a string or a Buffer).
 */
export const replySerializer = (serialize: BodySerializer) => serialize as (payload: unknown) => string;

/** A reply serializer for a request that asked for an envelope and/or pretty printing. */
export function flaggedSerializer(reply: FastifyReply, flags: ResponseFlags): (payload: unknown) => string | Buffer {
  return (payload) => serializeFlagged(reply, flags, payload);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** `envelope` / `pretty` of this request. */
    flags: ResponseFlags;
  }
}

/** Ends a request whose success has no body (204), enveloped when asked. */
export function sendNoContent(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (!request.flags.envelope) return reply.code(204).send();
  const body = { status: 204 };
  return sendSerialized(reply.code(200), request.flags.pretty ? pretty(body) : compact(body));
}

/**
 * Sends an already serialized body as bytes: Fastify then leaves `Content-Type` as set (it appends
 * `; charset=utf-8` to a JSON type for strings and objects, which the recorded error responses do not
 * have) and does not pass it through a reply serializer a second time.
 */
export function sendSerialized(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return reply.send(typeof body === 'string' ? Buffer.from(body) : body);
}

export { NO_FLAGS };
