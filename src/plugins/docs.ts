/**
 * Swagger UI at `/docs`, over the mock's whole OpenAPI document (Atlas operations and the `Mock control`
 * API). Its assets are served from the installed @fastify/swagger-ui package: nothing is fetched from the
 * network (and the online validator badge is off).
 *
 * Swagger UI lives in the document app (`plugins/openapi.ts`), built on the first request for it (so
 * start-up no longer loads it). `/docs` and everything under it is answered by that app through
 * `inject`, then sent by this one, so the answer goes through this app's hooks and handlers as when Swagger
 * UI was registered here: security headers, `pretty` / `envelope` on its JSON, and this app's 404 for
 * paths Swagger UI does not serve.
 */
import { createRequire } from 'node:module';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DOCS_PREFIX = '/docs';

/** Connection-level headers of the inner answer: this app's own response sets them. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'date', 'transfer-encoding', 'content-length']);

export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    app.extendDocumentApp(async (documentApp) => {
      // require, not import(): see plugins/openapi.ts.
      const swaggerUi = createRequire(import.meta.url)('@fastify/swagger-ui') as typeof import('@fastify/swagger-ui').default;
      await documentApp.register(swaggerUi, {
        routePrefix: DOCS_PREFIX,
        uiConfig: { validatorUrl: null, docExpansion: 'list', deepLinking: true, tryItOutEnabled: false },
        staticCSP: false,
      });
    });

    const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const documentApp = await app.documentApp();
      // Always a GET: for a HEAD this app sends the headers of the full answer without its body.
      const res = await documentApp.inject({ method: 'GET', url: request.url, headers: request.headers });
      if (res.statusCode === 404) return reply.callNotFound();
      // JSON (the document, the UI config) goes out as a value, serialized here as Swagger UI's were.
      const json = /^application\/json/i.test(String(res.headers['content-type'] ?? ''));
      reply.code(res.statusCode);
      for (const [name, value] of Object.entries(res.headers)) {
        if (value === undefined || NOT_FORWARDED.has(name) || (json && name === 'content-type')) continue;
        reply.header(name, value);
      }
      if (json) return res.json();
      // No body (a redirect): nothing to send, so no Content-Type is added either; a HEAD gets the length 0 too.
      return res.rawPayload.length === 0 ? reply.header('content-length', '0').send() : reply.send(res.rawPayload);
    };
    const hidden = { schema: { hide: true } };
    app.route({ method: ['GET', 'HEAD'], url: DOCS_PREFIX, ...hidden, handler: forward });
    app.route({ method: ['GET', 'HEAD'], url: `${DOCS_PREFIX}/*`, ...hidden, handler: forward });
  },
  { name: 'docs', dependencies: ['openapi'] },
);
