/**
 * Two plugins:
 * - `controlPlanePlugin` (cross-cutting, registered early so that it sees every API route, the token
 *   endpoint included): per API route, a preHandler that applies fault rules and an onResponse hook that
 *   writes the journal, both built once per route with what they need captured (operation alias and id),
 *   so a request pays no lookup; plus one global onResponse hook that journals unmatched requests.
 * - `controlRoutesPlugin` (encapsulated, prefix `/__mock`): the control API, behind the admin guard, with
 *   its own error reading (CONTROL_* codes) in front of the Atlas error handler.
 */
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler, onResponseHookHandler, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import { resolveSchema } from '../core/lazy-schema.js';
import { zodValidatorCompiler } from '../http/validation.js';
import type { RedisEngine } from '../replication/engine.js';
import type { SharedJournal } from '../replication/shared.js';
import type { FaultTarget } from './faults.js';
import { Journal, type JournalSlot } from './journal.js';
import type { MockContext } from '../context.js';
import { sendAtlasError } from '../plugins/errors.js';
import { CONTROL_TAG } from '../plugins/openapi.js';
import { adminGuard, type AdminOptions } from './admin.js';
import { controlError } from './errors.js';
import { faultHook, type RouteFacts } from './fault-hook.js';
import { controlHandlers } from './handlers.js';
import { principalId } from './principal.js';
import { createControlPlane, type ControlPlane } from './plane.js';
import { CONTROL_ERROR_RESPONSES, CONTROL_PREFIX, controlRoutes } from './routes.js';
import { createControlService } from './service.js';

/** A 204 in the OpenAPI document: a `null` schema makes @fastify/swagger write a response without content. */
const NO_CONTENT = z.null().meta({ description: 'No Content.' });

type Params = { groupId?: string; clusterName?: string; exportId?: string } | undefined;

/** Project and cluster of an unmatched request, read from its path (only unmatched requests pay this). */
const GROUP_IN_PATH = /\/groups\/([a-f0-9]{24})(?:\/clusters\/([^/?]+))?/;

type Slot = Omit<JournalSlot, 'seq'>;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Shared mock: journals a request answered on the raw response (the Digest challenge, which no onSend
     * hook sees) with the status it is about to get; resolves once the entry is in Redis. Undefined when
     * the journal is in process (its onResponse hooks see such answers) or off.
     */
    journalRaw?: (request: FastifyRequest, reply: FastifyReply, status: number) => Promise<void>;
  }
  interface FastifyContextConfig {
    /** Shared mock: what the journal writes of this route's requests (operation alias and id). */
    journalFacts?: RouteFacts;
  }
}

function journalWriter(plane: ControlPlane) {
  const journal = plane.journal!;
  const clock = plane.ctx.clock;
  // The in-process journal fills a slot of its ring. A shared journal (Redis) encodes the entry at once
  // (SharedJournal.encode/add) and keeps nothing of the object: one object serves every entry.
  const scratch = {} as Slot;
  const slot = journal instanceof Journal ? () => journal.slot() : () => scratch;
  return (request: FastifyRequest, reply: FastifyReply, facts: RouteFacts | null, status: number): Slot => {
    const e = slot();
    e.at = clock.now();
    e.method = request.method;
    e.url = request.url;
    e.status = status;
    e.state = request.servedState;
    e.principal = principalId(request);
    e.fault = request.mockFault;
    e.durationMs = Math.max(0, reply.elapsedTime);
    if (facts) {
      const p = request.params as Params;
      e.matched = true;
      e.operation = facts.operation;
      e.operationId = facts.operationId;
      e.groupId = p?.groupId ?? null;
      e.clusterName = p?.clusterName ?? null;
      e.exportId = p?.exportId ?? null;
    } else {
      const m = GROUP_IN_PATH.exec(request.url);
      e.matched = false;
      e.operation = null;
      e.operationId = null;
      e.groupId = m?.[1] ?? null;
      e.clusterName = m?.[2] ?? null;
      e.exportId = null;
    }
    return e;
  };
}

function append<T>(existing: T | T[] | undefined, hook: T): T[] {
  return existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

export interface ControlPlaneOptions {
  ctx: MockContext;
  version: string;
  /** A shared mock: fault counters and the journal in Redis. */
  shared?: RedisEngine | undefined;
}

export const controlPlanePlugin = fp(
  async (app: FastifyInstance, { ctx, version, shared }: ControlPlaneOptions) => {
    const plane = createControlPlane(ctx, { version, hint: (path) => app.routeTable?.nearest(path), shared });
    app.decorate('control', plane);
    app.decorateRequest('servedState', null);
    app.decorateRequest('mockFault', null);
    if (shared) return sharedControlPlane(app, plane, shared);
    const write = plane.journal ? journalWriter(plane) : undefined;

    app.addHook('onRoute', (route) => {
      const atlas = route.config?.atlas;
      // A method guard answers as an unmatched request (journaled as one, no faults of a route).
      if ((!atlas && !route.url.startsWith('/api/')) || route.config?.methodGuard) return;
      const operationId = atlas?.operationId ?? (route.schema as { operationId?: string } | undefined)?.operationId ?? null;
      const facts: RouteFacts = { operation: atlas?.alias ?? operationId, operationId };
      const faults: preHandlerHookHandler = faultHook(facts, {
        faults: plane.faults,
        random: ctx.random,
        onDrop: (request, reply) => write?.(request, reply, facts, 0),
      });
      route.preHandler = append(route.preHandler as preHandlerHookHandler | preHandlerHookHandler[] | undefined, faults);
      if (write) {
        const journal: onResponseHookHandler = (request, reply, done) => {
          write(request, reply, facts, reply.statusCode);
          done();
        };
        route.onResponse = append(route.onResponse as onResponseHookHandler | onResponseHookHandler[] | undefined, journal);
      }
    });

    if (write) {
      app.addHook('onResponse', (request, reply, done) => {
        if (request.is404) write(request, reply, null, reply.statusCode);
        done();
      });
    }
  },
  { name: 'control-plane' },
);

/**
 * The same hooks for a shared mock: fault rules counted in Redis (a rule used up is then removed from the
 * rule list by a write of its own), and the journal written before the response leaves (onSend, with the
 * other Redis needs of its event-loop turn: replication/tick.ts), so a client that got its answer finds
 * its request in the journal of any replica. A GET answered in one round trip has its entry written with
 * its token (`config.journalEntry`, replication/one-trip.ts) and none here.
 */
function sharedControlPlane(app: FastifyInstance, plane: ControlPlane, shared: RedisEngine): void {
  const journal = plane.journal as SharedJournal | null;
  const write = journal ? journalWriter(plane) : undefined;
  /** Journals a request; `then` runs once the entry is in Redis (or could not be written: logged). */
  const record = (request: FastifyRequest, reply: FastifyReply, facts: RouteFacts | null, status: number, then?: () => void): void => {
    journal!.add(write!(request, reply, facts, status), (e) => {
      if (e) request.log.warn({ err: (e as Error).message }, 'request not journaled (Redis)');
      then?.();
    });
  };
  const removing = new Set<string>();
  const pickShared = async (target: FaultTarget) => {
    const { rule, exhausted } = await shared.faults.pick(plane.faults, target);
    for (const id of exhausted) {
      if (removing.has(id)) continue;
      removing.add(id);
      void shared.replica
        .write(() => plane.faults.remove(id))
        .catch(() => undefined)
        .finally(() => removing.delete(id));
    }
    return rule;
  };

  if (write) {
    app.decorate('journalRaw', (request: FastifyRequest, reply: FastifyReply, status: number) =>
      new Promise<void>((resolve) => record(request, reply, request.is404 ? null : (request.routeOptions.config.journalFacts ?? null), status, resolve)),
    );
  }

  app.addHook('onRoute', (route) => {
    const atlas = route.config?.atlas;
    if (!atlas && !route.url.startsWith('/api/')) return;
    const operationId = atlas?.operationId ?? (route.schema as { operationId?: string } | undefined)?.operationId ?? null;
    const facts: RouteFacts = { operation: atlas?.alias ?? operationId, operationId };
    if (route.config) route.config.journalFacts = facts;
    else route.config = { journalFacts: facts };
    const faults: preHandlerHookHandler = faultHook(facts, {
      faults: plane.faults,
      random: plane.ctx.random,
      pickShared,
      onDrop: (request, reply) => write && record(request, reply, facts, 0),
    });
    route.preHandler = append(route.preHandler as preHandlerHookHandler | preHandlerHookHandler[] | undefined, faults);
    if (write) {
      journal!.codec.addRoute(facts.operation, facts.operationId, route.url);
      // A GET answered in one round trip has its entry written with its token (replication/one-trip.ts).
      if (atlas) route.config!.journalEntry = (request, reply, status) => journal!.encode(write(request, reply, facts, status));
      const onSend: onSendHookHandler = (request, reply, payload, done) => {
        if (request.journaled) return done(null, payload);
        record(request, reply, facts, reply.statusCode, () => done(null, payload));
      };
      route.onSend = append(route.onSend as onSendHookHandler | onSendHookHandler[] | undefined, onSend);
    }
  });
  if (write) {
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.is404) record(request, reply, null, reply.statusCode, () => done(null, payload));
      else done(null, payload);
    });
  }
}

/**
 * The validator of a control route's schema stand-in (routes.ts): the app's zod validator, compiled from
 * the family's schema at the route's first request rather than when the route is registered.
 */
const lazyValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  let validate: ((data: unknown) => unknown) | undefined;
  return (data) => (validate ??= zodValidatorCompiler({ ...route, schema: resolveSchema(route.schema) as z.ZodType }) as (data: unknown) => unknown)(data) as never;
};

export const controlRoutesPlugin = async (scope: FastifyInstance, options: AdminOptions & { plane: ControlPlane }): Promise<void> => {
  scope.addHook('onRequest', adminGuard(options));
  // A shared mock: a control read first brings the replica to the head of the log (writes do it themselves;
  // the health check looks at Redis itself).
  const shared = options.plane.shared;
  if (shared) {
    scope.addHook('preHandler', async (request) => {
      if ((request.method === 'GET' || request.method === 'HEAD') && !request.routeOptions.config.controlPublic) await shared.replica.sync();
    });
  }
  // An empty body is no body (curl -X POST …/reset with a JSON content type); anything else must be JSON.
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      (e as { statusCode?: number }).statusCode = 400;
      done(e as Error, undefined);
    }
  });
  scope.setErrorHandler((err, _request, reply) => {
    const mapped = controlError(err as Error);
    if (mapped) return sendAtlasError(reply, mapped);
    throw err;
  });

  const handlers = controlHandlers(createControlService(options.plane));
  for (const r of controlRoutes(handlers)) {
    const [status, body] = r.success;
    scope.route({
      method: r.method,
      url: r.url,
      config: { controlPublic: r.public === true },
      validatorCompiler: lazyValidatorCompiler,
      schema: {
        tags: [CONTROL_TAG],
        operationId: r.operationId,
        summary: r.summary,
        ...(r.description && { description: r.description }),
        ...(r.params && { params: r.params }),
        ...(r.querystring && { querystring: r.querystring }),
        ...(r.body && { body: r.body }),
        response: { [status]: body ?? NO_CONTENT, ...CONTROL_ERROR_RESPONSES, ...r.extraErrors },
      },
      handler: r.handler as never,
    });
  }
};

export { CONTROL_PREFIX };
