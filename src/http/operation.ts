/**
 * An Atlas operation, declared once: method, URL, resource versions, required role, zod schemas and a thin
 * handler. `registerOperations` turns each into a Fastify route whose `config.atlas` carries what the
 * cross-cutting plugins need (versioning, auth, rate limits, faults, journal), so handlers never repeat it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { OperationRole } from '../store/model.js';
import type { LazySchema } from '../core/lazy-schema.js';
import { AtlasError } from '../errors/atlas-error.js';
import { sendAtlasError } from '../plugins/errors.js';
import { RATE_CATEGORIES, type RateCategory, type RateCategoryKey } from '../auth/rate-categories.js';
import type { BodySerializer } from './json.js';
import { commonErrorResponses, extraErrorResponses, type ExtraErrorStatus } from './schemas.js';
import { compileVersions, versionResolver, type ResourceVersion, type VersionSpec } from './versioning.js';
import { methodGuards } from './route-table.js';

/** The spec's tag of the export operations, and the default of `OperationSpec.tag`. */
export const ATLAS_TAG = 'Cloud Backups';

export interface OperationSpec<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  /** Current operationId of the spec, e.g. `getGroupClusterBackupExport`. */
  operationId: string;
  /** Its short name (`x-xgen-operation-id-override`, e.g. `getBackupExport`): used by the journal and faults. */
  alias: string;
  summary: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  /** Fastify URL with `:params`. */
  url: string;
  versions: readonly VersionSpec[];
  /** Role needed on the project (contract §1; Project Owner holds every role) or, for `/orgs/{orgId}`, on the organization. */
  role: OperationRole;
  /** The spec's tag (OpenAPI grouping). Default `Cloud Backups`. */
  tag?: string;
  /** The rate-limit endpoint set (`auth/rate-categories.ts`). Default `cloudBackups`. */
  rateLimit?: RateCategoryKey;
  /** HTTP status of success (200, or 204 for deletes); `none`: an operation the mock does not simulate (boundary/). */
  successStatus: 200 | 204 | 'none';
  params: P;
  querystring: Q;
  /** Validated before the handler; omit when the body schema depends on the resource version. */
  body?: B;
  /**
   * Request body per resource version, for the OpenAPI document only (one `requestBody.content` entry per
   * `application/vnd.atlas.<date>+json`). The service validates the body itself with `parseBody`, after the
   * lookups of the path and with the schema of the version the Accept header resolved to (contract §2: the
   * Content-Type of a body may be plain `application/json`, so it cannot pick the schema).
   */
  requestBodies?: Record<string, z.ZodType>;
  /** Error statuses this operation can give besides the common ones (documented in OpenAPI). */
  extraErrors?: readonly ExtraErrorStatus[];
  /** Success body schema per version date (omitted for 204); documentation only, so it may be built on first use. */
  response?: Record<string, z.ZodType | LazySchema>;
  /**
   * Compiled serializers of the success body per version date, for the hot operations: each must
   * write exactly what `JSON.stringify` writes for the bodies its handler returns (or what Atlas writes where
   * the two differ: `http/json.ts` javaJson). An operation that returns lists gets its lists enveloped by it
   * too (`envelope=true`). Default: JSON.stringify.
   */
  serializers?: Record<string, BodySerializer>;
  /**
   * Returns the success body (or sends the reply itself). An Atlas error is thrown, or returned: hot reads
   * return theirs (no exception to unwind: `store/lookup.ts` clusterOrError).
   */
  handler: (request: FastifyRequest<{ Params: z.output<P>; Querystring: z.output<Q>; Body: z.output<B> }>, reply: FastifyReply) => unknown;
}

/** What every hook finds in `request.routeOptions.config.atlas`. */
export interface AtlasRoute {
  operationId: string;
  alias: string;
  method: string;
  url: string;
  role: OperationRole;
  /** The rate-limit endpoint set the operation belongs to. */
  rateCategory: RateCategory;
  versions: readonly ResourceVersion[];
  resolve(accept: string | undefined): ResourceVersion | undefined;
  /** `OperationSpec.serializers`: compiled serializers of the success body per version date. */
  serializers: Readonly<Record<string, BodySerializer>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    atlas?: AtlasRoute;
    /** `OperationSpec.requestBodies`, read by the OpenAPI transform. */
    atlasRequestBodies?: Record<string, z.ZodType>;
    /** A route of `methodGuards`: the request is answered as one that matched no route (a 405). */
    methodGuard?: true;
  }
}

/** The date of the resource version the request's Accept header resolved to (set by the negotiation plugin). */
export function resolvedVersion(request: FastifyRequest): string {
  const v = request.atlasVersion;
  if (!v) throw new Error(`no resource version resolved for ${request.method} ${request.url}`);
  return v.date;
}

/** Identity helper that keeps the zod generics of a spec. */
export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType = z.ZodType>(spec: OperationSpec<P, Q, B>): OperationSpec<P, Q, B> {
  return spec;
}

const mediaType = (date: string) => `application/vnd.atlas.${date}+json`;
type Handler = OperationSpec['handler'];

/**
 * The operation's handler, an AtlasError it throws or returns answered on the spot with `sendAtlasError`,
 * which is what the error handler (plugins/errors.ts) does with one, without Fastify's error path: that path
 * deletes the reply's Content-Type and Content-Length (the headers object turns into a slow dictionary) and
 * walks the error-handler chain, and made a 404 cost ~40 µs of CPU more than a 200 (110 against 68 µs per
 * request on the test machine). A rejected promise of an async handler still takes that path.
 */
function answeringErrors(handler: Handler): Handler {
  return function (this: unknown, request, reply) {
    let result: unknown;
    try {
      result = handler.call(this, request, reply);
    } catch (e) {
      if (!(e instanceof AtlasError)) throw e;
      result = e;
    }
    if (!(result instanceof AtlasError)) return result;
    sendAtlasError(reply, result);
    return undefined;
  };
}

export function registerOperations(app: FastifyInstance, operations: readonly OperationSpec<any, any, any>[]): void {
  for (const op of operations) {
    const versions = compileVersions(op.versions);
    const atlas: AtlasRoute = {
      operationId: op.operationId,
      alias: op.alias,
      method: op.method,
      url: op.url,
      role: op.role,
      rateCategory: RATE_CATEGORIES[op.rateLimit ?? 'cloudBackups'],
      versions,
      resolve: versionResolver(versions),
      serializers: op.serializers ?? {},
    };
    const success =
      op.successStatus === 'none'
        ? {}
        : op.successStatus === 204
          ? // `type: 'null'`: documented without content; the 204 still carries the versioned Content-Type (recorded).
            { [op.successStatus]: { type: 'null', description: 'No Content. This endpoint does not return a response body.' } }
          : {
              [op.successStatus]: {
                description: 'OK',
                content: Object.fromEntries(Object.entries(op.response ?? {}).map(([date, schema]) => [mediaType(date), { schema }])),
              },
            };
    app.route({
      method: op.method,
      url: op.url,
      config: { atlas, ...(op.requestBodies && { atlasRequestBodies: op.requestBodies }) },
      schema: {
        operationId: op.operationId,
        summary: op.summary,
        tags: [op.tag ?? ATLAS_TAG],
        description:
          `Resource versions: ${op.versions.map((v) => v.date + (v.deprecated ? ` (deprecated ${v.deprecated}` + (v.sunset ? `, sunset ${v.sunset})` : ')') : '')).join(', ')}. Required role: ${op.role}.` +
          (op.requestBodies
            ? ' The request body follows the resource version the Accept header resolves to; send it as application/json or application/vnd.atlas.<date>+json.'
            : '') +
          (op.successStatus === 'none' ? ' Not simulated by the mock: answers 501 OPERATION_NOT_SIMULATED once the project, organization or cluster of the path is found (docs/workflow-access.md).' : ''),
        params: op.params,
        querystring: op.querystring,
        ...(op.body && { body: op.body }),
        response: { ...success, ...commonErrorResponses, ...Object.fromEntries((op.extraErrors ?? []).map((st) => [st, extraErrorResponses[st]])) },
      },
      handler: answeringErrors(op.handler) as never,
    });
  }
  // JAX-RS picks a path's template before its method (route-table.ts): a method that the most specific
  // template lacks is a 405 there, even where a less specific template of the same path has it.
  for (const guard of methodGuards(operations)) {
    app.route({ method: guard.method, url: guard.url, config: { methodGuard: true }, schema: { hide: true }, handler: (_request, reply) => void reply.callNotFound() });
  }
}
