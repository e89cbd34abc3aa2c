/**
 * Cross-cutting plugin: every error leaves as an Atlas-shaped body (contract §4) — the services' AtlasErrors,
 * failed validations, Fastify's own errors (bad JSON, body too large, unsupported media type), unknown
 * routes (404 RESOURCE_NOT_FOUND) and wrong methods on known paths (405 with `Allow`, empty body, as
 * recorded; OPTIONS answered with `Allow`: http/route-table.ts). Anything unexpected is a 500
 * UNEXPECTED_ERROR without a stack trace; the server keeps serving.
 */
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AtlasError, atlasError, errorBodyJson } from '../errors/atlas-error.js';
import { serializeFlagged } from '../http/envelope.js';
import { ERROR_CONTENT_TYPE, SECURITY_HEADERS } from '../http/headers.js';
import { RequestValidationError, validationToAtlas } from '../http/validation.js';
import { OBJECT_ID } from '../core/objectid.js';
import { RouteTable } from '../http/route-table.js';
import type { Store } from '../store/store.js';

export interface ErrorsOptions {
  store: Store;
  bodyLimit: number;
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

/** A reply serializer that leaves the text it is given as it is. */
const asIs = (text: unknown): string => text as string;

/**
 * Writes an AtlasError on a reply: status, `Content-Type: application/json` exactly (no charset, as
 * recorded), `X-Error-Code`, the error's own headers. The prepared JSON text goes out as it is: with a reply
 * serializer that returns its input, Fastify neither serializes it again (the route's own serializer may be
 * set already) nor appends a charset to the JSON type, which it does for text sent without a serializer.
 */
export function sendAtlasError(reply: FastifyReply, error: AtlasError): FastifyReply {
  const body = atlasErrorBody(reply, error);
  return typeof body === 'string' ? reply.serializer(asIs).send(body) : reply.send(body);
}

/**
 * The same without sending: sets the status and headers and returns the body (the prepared JSON text, or
 * the bytes of an enveloped or pretty body), for an onSend hook that answers an error in place of the
 * payload (a shared mock's late rate-limit take, plugins/rate-limit.ts).
 */
export function atlasErrorBody(reply: FastifyReply, error: AtlasError): string | Buffer {
  reply.code(error.status).header('content-type', ERROR_CONTENT_TYPE).header('x-error-code', error.errorCode);
  for (const name in error.headers) reply.header(name, error.headers[name]!);
  const flags = reply.request.flags ?? null;
  if (flags === null || (!flags.envelope && !flags.pretty)) return errorBodyJson(error);
  const body = serializeFlagged(reply, flags, error.body());
  return typeof body === 'string' ? Buffer.from(body) : body;
}

export const errorsPlugin = fp(
  async (app: FastifyInstance, options: ErrorsOptions) => {
    const table = new RouteTable();
    app.decorate('routeTable', table);
    // A method guard (http/operation.ts) answers as unmatched: it is no method of its path.
    app.addHook('onRoute', (route) => {
      if (!route.config?.methodGuard) table.add(route.method as string | string[], route.url);
    });

    // Bodies may come as application/json or application/vnd.atlas.<date>+json (contract §2); anything else,
    // text/plain included (Fastify parses it by default), is 415 UNSUPPORTED_MEDIA_TYPE (contract §4).
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(/^application\/vnd\.atlas\.[^+]+\+json/i, { parseAs: 'string' }, app.getDefaultJsonParser('remove', 'remove'));

    app.setErrorHandler((err: FastifyError, request, reply) => {
      // A request that matched no route answers as unmatched (405 / 404) whatever else is wrong with it: e.g.
      // Fastify wants a Content-Type for a QUERY method before the not-found handler runs (found by schemathesis).
      if (request.is404) return notFound(request, reply);
      // An empty path segment is no value of a parameter (`…/exports//`): the path names no resource.
      if (err instanceof RequestValidationError && err.part === 'params' && Object.values((request.params ?? {}) as Record<string, unknown>).includes('')) return notFound(request, reply);
      const error = fastifyErrorToAtlas(err, request, options);
      if (error.status >= 500 && !(err instanceof AtlasError)) request.log.error({ err }, 'unexpected error answered as 500 UNEXPECTED_ERROR');
      return sendAtlasError(reply, error);
    });

    const notFound = (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?', 1)[0]!;
      const allow = table.allowed(path);
      if (allow) {
        reply.removeHeader('content-type');
        // Jersey's own OPTIONS: 200, the methods in Allow, no body [I: the framework the recorded 405 shows].
        if (request.method === 'OPTIONS') return reply.code(200).header('allow', allow.options).header('content-length', '0').send();
        // Recorded: 405 with an Allow header and an empty body, no Content-Type (contract §4).
        return reply.code(405).header('allow', allow.notAllowed).send();
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
