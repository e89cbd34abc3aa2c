/**
 * Limits of the HTTP layer and the Atlas-shaped answers to requests that break them, so that no
 * client ever sees a framework-shaped body (contract §4):
 *
 * - URL length (`maxUrlLength`, default 8192 characters [I], like common proxies): 414 URI_TOO_LONG. Checked
 *   by the router for one path segment (`maxParamLength` is set to the same value, so a segment can only be
 *   too long when the URL is) and by an onRequest hook for the whole target, before authentication [I: a
 *   limit of the server, as a proxy in front of Atlas would apply it].
 * - header size (`maxHeaderSize`, Node's default 16 KiB; the request line counts): Node's parser raises a
 *   client error, answered 431 REQUEST_HEADER_FIELDS_TOO_LARGE.
 * - slow clients: `headersTimeoutMs` (default 10 s) to receive the request head, `requestTimeoutMs` (default
 *   30 s) the whole request; checked every second (Node checks every 30 s by default), answered 408
 *   REQUEST_TIMEOUT and the connection closed. `keepAliveTimeoutMs` (default 72 s, Fastify's) closes idle
 *   keep-alive connections.
 * - malformed HTTP (bad request line, bad header, conflicting framing): 400 INVALID_REQUEST naming the
 *   parser's reason.
 * These answers are written on the raw socket (there is no request object yet): status line, the security
 * headers, `Content-Type: application/json`, `X-Error-Code`, `Connection: close`, the ApiError body.
 */
import { STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { atlasError, type AtlasError } from '../errors/atlas-error.js';
import { ERROR_CONTENT_TYPE, SECURITY_HEADERS } from './headers.js';
import { compact } from './json.js';
import type { AppOptions } from '../options.js';

export const DEFAULT_MAX_URL_LENGTH = 8192;
export const DEFAULT_MAX_HEADER_SIZE = 16_384;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 72_000;

export interface HttpLimits {
  maxUrlLength: number;
  maxHeaderSize: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export function httpLimits(o: AppOptions): HttpLimits {
  const limits: HttpLimits = {
    maxUrlLength: o.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH,
    maxHeaderSize: o.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
    headersTimeoutMs: o.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: o.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  };
  for (const [k, v] of Object.entries(limits)) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${v}`);
  // Node refuses a head timeout above the request timeout; the request timeout is the outer bound.
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return limits;
}

/** Options of `http.createServer` (Fastify's `http`); Fastify sets `requestTimeout` / `keepAliveTimeout` itself. */
export function httpServerOptions(l: HttpLimits): ServerOptions {
  return {
    maxHeaderSize: l.maxHeaderSize,
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    // Node looks for timed-out requests every 30 s by default: a slow client would hold its socket that long.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(l.headersTimeoutMs / 2))),
  };
}

/** The bytes of an Atlas error answered on a raw socket (HTTP/1.1, connection closed after it). */
export function rawAtlasError(error: AtlasError): Buffer {
  const body = compact(error.body());
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    ...Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}`),
    `content-type: ${ERROR_CONTENT_TYPE}`,
    `x-error-code: ${error.errorCode}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
}

interface ClientError extends Error {
  code?: string;
  reason?: string;
}

/** The answer to a request Node's parser refused or timed out; undefined when nothing should be written. */
export function clientErrorAnswer(err: ClientError, l: HttpLimits): AtlasError | undefined {
  switch (err.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return atlasError('REQUEST_HEADER_FIELDS_TOO_LARGE', l.maxHeaderSize);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return atlasError('REQUEST_TIMEOUT', l.headersTimeoutMs, l.requestTimeoutMs);
    default: {
      const reason = (err.reason ?? err.message ?? 'parse error').replace(/^Parse Error: /, '').replace(/\.$/, '');
      return atlasError('INVALID_REQUEST', `malformed HTTP request (${reason}${err.code ? `, ${err.code}` : ''})`);
    }
  }
}

/**
 * Fastify's `clientErrorHandler`: Node's `clientError` (no request object exists). Like Node's own handler,
 * it writes only when no response of an earlier request on this connection has started (a pipelined request
 * must not corrupt it), then closes the connection once the bytes are flushed.
 */
export function clientErrorHandler(limits: HttpLimits) {
  return function onClientError(this: FastifyInstance, err: ClientError, socket: Socket): void {
    const answer = clientErrorAnswer(err, limits);
    if (!answer || socket.destroyed) return;
    this.log.debug({ code: err.code, status: answer.status }, 'client error');
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const timer = setTimeout(() => socket.destroy(), 1000);
      timer.unref();
      socket.end(rawAtlasError(answer), () => {
        clearTimeout(timer);
        socket.destroy();
      });
    } else {
      socket.destroy();
    }
  };
}

/** onRequest: the whole request target over `maxUrlLength` → 414 URI_TOO_LONG. */
export function urlLengthHook(limits: HttpLimits) {
  const max = limits.maxUrlLength;
  return (request: { url: string }, _reply: unknown, done: (err?: Error) => void): void => {
    if (request.url.length > max) return done(atlasError('URI_TOO_LONG', max));
    done();
  };
}
