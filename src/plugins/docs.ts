/**
 * Swagger UI at `/docs`, over the mock's whole OpenAPI document (Atlas operations and the `Mock control`
 * API). Its assets are served from the installed @fastify/swagger-ui package: nothing is fetched from the
 * network (and the online validator badge is off).
 */
import fp from 'fastify-plugin';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const DOCS_PREFIX = '/docs';

export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      uiConfig: { validatorUrl: null, docExpansion: 'list', deepLinking: true, tryItOutEnabled: false },
      staticCSP: false,
    });
  },
  { name: 'docs', dependencies: ['openapi'] },
);
