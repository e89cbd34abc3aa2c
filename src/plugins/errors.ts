/**
 * Cross-cutting plugin: every error leaves as an Atlas-shaped body (contract §4) — the services' AtlasErrors,
 * failed validations, Fastify's own errors (bad JSON, body too large, unsupported media type), unknown
 * routes (404 RESOURCE_NOT_FOUND) and wrong methods on known paths (405 with `Allow`, empty body, as
 * recorded). Anything unexpected is a 500 UNEXPECTED_ERROR without a stack trace; the server keeps serving.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AtlasError, atlasError, serializeErrorBody } from '../errors/atlas-error.js';
import { sendSerialized, serializeFlagged } from '../http/envelope.js';
import { ERROR_CONTENT_TYPE, SECURITY_HEADERS } from '../http/headers.js';
import { RequestValidationError, validationToAtlas } from '../http/validation.js';
import { OBJECT_ID } from '../core/objectid.js';
import type { Store } from '../store/store.js';

export interface ErrorsOptions {
  store: Store;
  bodyLimit: number;
}

/** Methods registered per URL pattern, to tell a 405 from a 404 (and to hint at the nearest route). */
export class RouteTable {
  private readonly routes: { pattern: RegExp; method: string; segments: string[]; url: string }[] = [];

  add(method: string | string[], url: string): void {
    const segments = url.split('/');
    const source = segments.map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    const pattern = new RegExp(`^${source}$`);
    for (const m of Array.isArray(method) ? method : [method]) this.routes.push({ pattern, method: m, segments, url });
  }

  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.routes) if (r.pattern.test(path)) methods.add(r.method);
    return [...methods];
  }

  /**
   * The registered URL nearest to `path` (for the journal's hint on unmatched requests): the most leading
   * segments in common (a `:param` matches any non-empty segment), then the closest length. Parameters are
   * shown as `{}`.
   */
  nearest(path: string): string | undefined {
    let best: { url: string; score: number } | undefined;
    const want = path.split('/');
    for (const r of this.routes) {
      let score = 0;
      for (let i = 0; i < Math.min(r.segments.length, want.length); i++) {
        const seg = r.segments[i]!;
        if (seg === want[i] || (seg.startsWith(':') && want[i])) score++;
        else break;
      }
      score -= Math.abs(r.segments.length - want.length) * 0.5;
      if (!best || score > best.score) best = { url: r.segments.map((s) => (s.startsWith(':') ? '{}' : s)).join('/'), score };
    }
    return best?.url;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteTable;
  }
}

function fastifyErrorToAtlas(err: FastifyError, request: FastifyRequest, options: ErrorsOptions): AtlasError {
  if (err instanceof AtlasError) return err;
  if (err instanceof RequestValidationError) {
    const params = (request.params ?? {}) as Record<string, string>;
    // A well-formed but unknown project answers GROUP_NOT_FOUND before anything about the rest of the path.
    if (err.part === 'params' && err.issues[0]?.path[0] !== 'groupId' && typeof params.groupId === 'string' && OBJECT_ID.test(params.groupId) && !options.store.project(params.groupId))
      return atlasError('GROUP_NOT_FOUND', params.groupId);
    return validationToAtlas(err, params);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return atlasError('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return atlasError('PAYLOAD_TOO_LARGE', options.bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return atlasError('UNSUPPORTED_MEDIA_TYPE', String(request.headers['content-type'] ?? ''));
    default:
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return atlasError('MALFORMED_JSON');
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) return new AtlasError('INVALID_REQUEST', [err.message.replace(/\.$/, '')], {}, status);
  return atlasError('UNEXPECTED_ERROR');
}

/**
 * Writes an AtlasError on a reply: status, `Content-Type: application/json` exactly (no charset, as
 * recorded), `X-Error-Code`, the error's own headers.
 */
export function sendAtlasError(reply: FastifyReply, error: AtlasError): FastifyReply {
  reply.code(error.status).header('content-type', ERROR_CONTENT_TYPE).header('x-error-code', error.errorCode);
  for (const name in error.headers) reply.header(name, error.headers[name]!);
  const flags = reply.request.flags ?? null;
  const body = error.body();
  return sendSerialized(reply, flags === null || (!flags.envelope && !flags.pretty) ? serializeErrorBody(body) : serializeFlagged(reply, flags, body));
}

export const errorsPlugin = fp(
  async (app: FastifyInstance, options: ErrorsOptions) => {
    const table = new RouteTable();
    app.decorate('routeTable', table);
    app.addHook('onRoute', (route) => {
      if (route.method !== 'HEAD') table.add(route.method as string | string[], route.url);
    });

    // Bodies may come as application/json or application/vnd.atlas.<date>+json (contract §2); anything else,
    // text/plain included (Fastify parses it by default), is 415 UNSUPPORTED_MEDIA_TYPE (contract §4).
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(/^application\/vnd\.atlas\.[^+]+\+json/i, { parseAs: 'string' }, app.getDefaultJsonParser('remove', 'remove'));

    app.setErrorHandler((err: FastifyError, request, reply) => {
      // A request that matched no route answers as unmatched (405 / 404) whatever else is wrong with it: e.g.
      // Fastify wants a Content-Type for a QUERY method before the not-found handler runs (found by schemathesis).
      if (request.is404) return notFound(request, reply);
      const error = fastifyErrorToAtlas(err, request, options);
      if (error.status >= 500 && !(err instanceof AtlasError)) request.log.error({ err }, 'unexpected error answered as 500 UNEXPECTED_ERROR');
      return sendAtlasError(reply, error);
    });

    const notFound = (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?', 1)[0]!;
      const allow = table.allowed(path);
      if (allow.length > 0) {
        // Recorded: 405 with an Allow header and an empty body, no Content-Type (contract §4).
        reply.removeHeader('content-type');
        return reply.code(405).header('allow', allow.join(',')).send();
      }
      return sendAtlasError(reply, atlasError('RESOURCE_NOT_FOUND', path.replace(/^\/+/, '')));
    };
    app.setNotFoundHandler(notFound);
  },
  { name: 'errors' },
);

/**
 * For Fastify's `frameworkErrors`, raised by the router before any hook has run: bad URL encoding (400
 * INVALID_REQUEST) and a path segment over the URL length limit (414 URI_TOO_LONG, http/limits.ts).
 */
export function frameworkErrorHandler(maxUrlLength: number) {
  return (err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void => {
    reply.headers(SECURITY_HEADERS);
    if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return void sendAtlasError(reply, atlasError('URI_TOO_LONG', maxUrlLength));
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
    void sendAtlasError(reply, new AtlasError('INVALID_REQUEST', [err.message.replace(/\.$/, '')], {}, status));
  };
}
