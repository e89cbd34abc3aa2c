/**
 * The mock's own OpenAPI document, generated from the routes' zod schemas by @fastify/swagger. Atlas
 * operations carry the `Cloud Backups` tag (and `Service Accounts` for the token endpoint); the control API
 * has its own `Mock control` tag and is left out of the Atlas document (`atlasDocument`). Served at
 * `/openapi.json` (everything) and `/openapi/atlas.json` (Atlas operations only); checked in under
 * `openapi/` and kept current by a test.
 */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const CONTROL_TAG = 'Mock control';

export interface OpenApiOptions {
  version: string;
}

type Doc = { paths?: Record<string, Record<string, { tags?: string[] }>>; tags?: { name: string }[] } & Record<string, unknown>;

/** The document without the control API: what a client of Atlas sees. */
export function atlasDocument<T extends object>(doc: T): T {
  const d = structuredClone(doc) as unknown as Doc;
  for (const [path, ops] of Object.entries(d.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) if (op?.tags?.includes(CONTROL_TAG)) delete ops[method];
    if (Object.keys(ops).length === 0) delete d.paths![path];
  }
  d.tags = (d.tags ?? []).filter((t) => t.name !== CONTROL_TAG);
  pruneComponents(d);
  return d as unknown as T;
}

/** Drops the component schemas no remaining path refers to (directly or through other components). */
function pruneComponents(d: Doc): void {
  const schemas = (d.components as { schemas?: Record<string, unknown> } | undefined)?.schemas;
  if (!schemas) return;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(v);
    }
  };
  visit(d.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

export const openApiPlugin = fp(
  async (app: FastifyInstance, { version }: OpenApiOptions) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'atlas-export-mock',
          description:
            'A stateful test double of the MongoDB Atlas Administration API v2 Cloud Backup snapshot export endpoints. ' +
            'Atlas operations follow the published contract; the control API for tests lives under /__mock.',
          version,
        },
        tags: [
          { name: 'Cloud Backups', description: 'Atlas Administration API v2 operations, as Atlas answers them.' },
          { name: 'Service Accounts', description: 'OAuth 2.0 client-credentials token endpoint.' },
          { name: CONTROL_TAG, description: 'Control API of the mock (clock, scenarios, faults, journal). Not part of Atlas.' },
        ],
        components: {
          securitySchemes: {
            DigestAuth: { type: 'http', scheme: 'digest' },
            ServiceAccounts: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/api/oauth/token', scopes: {} } } },
          },
        },
        security: [{ ServiceAccounts: [] }, { DigestAuth: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    app.get('/openapi/atlas.json', { schema: { hide: true } }, async () => atlasDocument(app.swagger()));
  },
  { name: 'openapi' },
);
