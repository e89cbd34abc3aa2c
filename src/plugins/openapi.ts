/**
 * The mock's own OpenAPI document, generated from the routes' zod schemas by @fastify/swagger. Atlas
 * operations carry the spec's tags (`Cloud Backups`, `Clusters`, …; `Service Accounts` for the token endpoint); the control API
 * has its own `Mock control` tag and is left out of the Atlas document (`atlasDocument`). Served at
 * `/openapi.json` (everything) and `/openapi/atlas.json` (Atlas operations only); checked in under
 * `openapi/` and kept current by a test. Swagger UI at `/docs` (`plugins/docs.ts`) shows it.
 *
 * Built on first use (loading @fastify/swagger, Swagger UI and their dependencies was a third of
 * the start-up): the plugin records every route as it is added; the first request for the document (or
 * for /docs) builds the *document app*, a Fastify instance that never listens, with @fastify/swagger and
 * Swagger UI registered first and every recorded route added again (same method, URL, schema, config) —
 * the document @fastify/swagger writes from them is the one it wrote when it lived in the main app.
 */
import { createRequire } from 'node:module';
import fp from 'fastify-plugin';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { jsonSchemaTransform as JsonSchemaTransform } from 'fastify-type-provider-zod';
import { compact } from '../http/json.js';
import { zodValidatorCompiler } from '../http/validation.js';
import { buildAllSchemaFamilies, resolveRouteSchema } from '../core/lazy-schema.js';

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
  // Schemas only the control API used (Mock*) go too.
  return tidyComponents(d) as unknown as T;
}

type TransformInput = Parameters<typeof JsonSchemaTransform>[0] & { route?: { config?: { atlasRequestBodies?: Record<string, unknown> } } };

/**
 * jsonSchemaTransform, plus two things the zod provider cannot do by itself:
 * - responses without a body (204: `{type: 'null', description}`) pass through as they are;
 * - request bodies documented per resource version: an operation whose body depends on the version (validated
 *   in its service) declares `requestBodies`, and the document gets one `requestBody.content` entry per
 *   `application/vnd.atlas.<date>+json`, as the official spec has.
 */
function versionedBodyTransform(jsonSchemaTransform: typeof JsonSchemaTransform, input: TransformInput): ReturnType<typeof JsonSchemaTransform> {
  // Responses without a body (204: a description only) are not zod schemas: set aside, put back as they are.
  const schema = input.schema as { response?: Record<string, unknown> } | undefined;
  const bodiless: Record<string, unknown> = {};
  let toZod = input;
  if (schema?.response) {
    const withSchema: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(schema.response)) {
      if (r && typeof r === 'object' && !('content' in r) && !('_zod' in r)) bodiless[status] = r;
      else withSchema[status] = r;
    }
    if (Object.keys(bodiless).length > 0) toZod = { ...input, schema: { ...schema, response: withSchema } } as TransformInput;
  }
  const transformed = jsonSchemaTransform(toZod);
  const out = Object.keys(bodiless).length > 0 && transformed.schema
    ? { ...transformed, schema: { ...transformed.schema, response: { ...bodiless, ...(transformed.schema as { response?: object }).response } } }
    : transformed;
  const bodies = input.route?.config?.atlasRequestBodies;
  if (!bodies || !out.schema) return out;
  const content: Record<string, { schema: unknown }> = {};
  for (const [date, body] of Object.entries(bodies)) {
    const one = jsonSchemaTransform({ ...input, schema: { body } } as TransformInput);
    content[`application/vnd.atlas.${date}+json`] = { schema: (one.schema as { body: unknown }).body };
  }
  return { ...out, schema: { ...out.schema, body: { content } } };
}

const REF = '#/components/schemas/';

/**
 * The zod provider emits every registered schema twice (`X` for output, `XInput` for input) whether used or
 * not. Keep only the components the paths reach, and name an input schema `X` rather than `XInput` when no
 * output schema `X` is used (request bodies such as `DiskBackupExportJobRequest` keep the spec's names).
 */
export function tidyComponents(doc: Doc): Doc {
  const components = doc.components as { schemas?: Record<string, unknown> } | undefined;
  const schemas = components?.schemas;
  if (!schemas) return doc;
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) {
        const name = v.slice(REF.length);
        if (!reached.has(name)) {
          reached.add(name);
          visit(schemas[name]);
        }
      } else visit(v);
    }
  };
  visit(doc.paths);
  const rename = new Map<string, string>();
  for (const name of reached) if (name.endsWith('Input') && !reached.has(name.slice(0, -5))) rename.set(name, name.slice(0, -5));
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && rename.has(v.slice(REF.length)) ? REF + rename.get(v.slice(REF.length)) : rewrite(v)]),
    );
  };
  const kept = Object.fromEntries(Object.keys(schemas).filter((n) => reached.has(n)).map((n) => [rename.get(n) ?? n, rewrite(schemas[n])]));
  return { ...doc, paths: rewrite(doc.paths) as Doc['paths'], components: { ...components, schemas: kept } };
}

function swaggerOptions(version: string, zod: typeof import('fastify-type-provider-zod')): FastifyDynamicSwaggerOptions {
  return {
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
        { name: 'Clusters', description: "The project's clusters, read only (docs/workflow-access.md)." },
        { name: 'Flex Clusters', description: 'Probes of the Atlas CLI: the mock holds dedicated clusters only.' },
        { name: 'Flex Snapshots', description: 'Probes of the Atlas CLI: the mock holds dedicated clusters only.' },
        { name: 'Cloud Provider Access', description: 'The roles export buckets name (iamRoleId, roleId).' },
        { name: 'Projects', description: 'Project reads; creating, changing or deleting projects is not simulated.' },
        { name: 'Organizations', description: 'Organization reads; creating, changing or deleting organizations is not simulated.' },
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
    transform: (input) => versionedBodyTransform(zod.jsonSchemaTransform, input as TransformInput),
    transformObject: (input) => tidyComponents(zod.jsonSchemaTransformObject(input) as Doc) as never,
  };
}

/** A route as recorded for the document: what @fastify/swagger reads of it. */
type RecordedRoute = Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'>;

/** Registers more plugins on the document app (Swagger UI) before the routes are added again. */
export type DocumentAppExtension = (app: FastifyInstance) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenAPI document of this app (built on first call). */
    openApiDocument(): Promise<Record<string, unknown>>;
    /** The document app (built on first call): the one that answers /docs. */
    documentApp(): Promise<FastifyInstance>;
    /** Adds a plugin to the document app (before it is first built). */
    extendDocumentApp(extension: DocumentAppExtension): void;
  }
}

async function buildDocumentApp(routes: readonly RecordedRoute[], version: string, extensions: readonly DocumentAppExtension[]): Promise<FastifyInstance> {
  // require, not import(): the bundled CLI runs as a vm.Script (src/cli.ts), which Node 20 before 20.18 gives no import().
  const swagger = createRequire(import.meta.url)('@fastify/swagger') as typeof import('@fastify/swagger').default;
  const zod = await import('fastify-type-provider-zod');
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(() => compact);
  await app.register(swagger, swaggerOptions(version, zod));
  for (const extend of extensions) await extend(app);
  // Schemas built on first use (core/lazy-schema.ts) are built now, all of them: the document is made from zod's registry.
  buildAllSchemaFamilies();
  for (const r of routes) app.route({ method: r.method, url: r.url, schema: resolveRouteSchema(r.schema), config: r.config, handler: async () => undefined });
  await app.ready();
  return app;
}

export const openApiPlugin = fp(
  async (app: FastifyInstance, { version }: OpenApiOptions) => {
    const routes: RecordedRoute[] = [];
    const extensions: DocumentAppExtension[] = [];
    // HEAD routes are Fastify's copies of GET routes: the document app makes its own. Hidden routes (the
    // document's own, /docs) are in no document.
    app.addHook('onRoute', (route) => {
      const schema = route.schema as ({ hide?: boolean; response?: unknown } & Record<string, unknown>) | undefined;
      if (route.method !== 'HEAD' && schema?.hide !== true) routes.push({ method: route.method, url: route.url, schema, config: route.config });
      // Response schemas are documentation here (the views build bodies in schema order; the hot operations
      // set their compiled serializers per request, http/operation.ts): the document app has them, the
      // routes that answer do not, so Fastify neither normalizes them nor compiles serializers for each
      // status and media type of ~130 routes at start-up, and a reply serializes with JSON.stringify at
      // once. This hook runs before any other plugin's (the first plugin registered).
      if (schema?.response !== undefined) {
        const { response: _documented, ...answering } = schema;
        route.schema = answering;
      }
    });
    let built: Promise<FastifyInstance> | undefined;
    app.decorate('documentApp', () => {
      built ??= buildDocumentApp(routes, version, extensions).catch((e: unknown) => {
        built = undefined;
        throw e;
      });
      return built;
    });
    app.decorate('extendDocumentApp', (extension: DocumentAppExtension) => void extensions.push(extension));
    app.decorate('openApiDocument', async () => (await app.documentApp()).swagger() as unknown as Record<string, unknown>);
    app.addHook('onClose', async () => {
      if (built) await (await built.catch(() => undefined))?.close();
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.openApiDocument());
    app.get('/openapi/atlas.json', { schema: { hide: true } }, async () => atlasDocument(await app.openApiDocument()));
  },
  { name: 'openapi' },
);
