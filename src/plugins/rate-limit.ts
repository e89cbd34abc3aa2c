/**
 * Cross-cutting plugin: rate limits (contract §6). Every Atlas operation belongs to an endpoint set
 * (`auth/rate-categories.ts`, declared with the operation) with a scope: an operation on an existing project
 * (GROUP), organization (ORGANIZATION) or, for `/groups` and `/orgs` themselves, the calling principal (USER)
 * takes a token from the bucket of that set and scope key, after authorization (a refused caller does not
 * drain the bucket of the project's owners [I]). The answer — success or error — carries `RateLimit-Limit`
 * (the set's capacity) and `RateLimit-Remaining` [R]; an empty bucket answers 429 `RATE_LIMITED_TOKEN_BUCKET`
 * with `Retry-After` [D]. Requests that name no existing project or organization have no bucket and no headers,
 * like the recorded 404 GROUP_NOT_FOUND. Rejections before routing (401, 403, 406, 410) are not counted [I].
 * The hook is added to the Atlas routes only (compiled per route, `http/route-hooks.ts`).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler, preValidationHookHandler, RouteHandlerMethod } from 'fastify';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { RateCategory } from '../auth/rate-categories.js';
import { AtlasError } from '../errors/atlas-error.js';
import { addRouteHook } from '../http/route-hooks.js';
import { requestPath } from '../http/urls.js';
import { atlasErrorBody, sendAtlasError } from './errors.js';
import type { Store } from '../store/store.js';
import type { RedisEngine } from '../replication/engine.js';
import type { RateDecision } from '../auth/rate-limiter.js';
import { decorateOneTrip, oneTripHandler, type TakeNow } from '../replication/one-trip.js';

export interface RateLimitPluginOptions {
  limiter: RateLimiter | undefined;
  store: Store;
  /**
   * A shared mock: one bucket per project for all replicas (a script in Redis), and the round trip that
   * takes the token also returns the head of the log, which the replica catches up to before the request
   * goes on (a job created on another replica a moment ago is found). Routes without a bucket read the head.
   * A GET takes its token after its answer is prepared, with the head check and its journal entry, in one
   * round trip (replication/one-trip.ts).
   */
  shared?: RedisEngine | undefined;
}

/** The key of the bucket a request takes from in its category's scope, or undefined: no bucket. */
function scopeKey(category: RateCategory, request: FastifyRequest, store: Store): string | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  switch (category.scope) {
    case 'GROUP': {
      const groupId = params?.groupId;
      return typeof groupId === 'string' && store.project(groupId) ? groupId : undefined;
    }
    case 'ORGANIZATION': {
      const orgId = params?.orgId;
      return typeof orgId === 'string' && store.organizations.has(orgId) ? orgId : undefined;
    }
    case 'USER':
      return request.principal?.principal.id;
  }
}

export const rateLimitPlugin = fp(
  async (app: FastifyInstance, { limiter, store, shared }: RateLimitPluginOptions) => {
    if (shared) return sharedBuckets(app, store, shared);
    if (!limiter) return;
    const takeTokenOf = (category: RateCategory): preValidationHookHandler => {
      const { capacity, refill, periodMs } = limiter.limitsOf(category);
      const limit = String(capacity);
      const periodSeconds = periodMs / 1000;
      // The last refusal of this endpoint set, by request target and wait: a client past its limit asks
      // again and again, and the same answer is sent without building the error again (its path, its
      // parameters, its headers: ~1.5 µs of a 429 and its garbage). An AtlasError is never changed once made.
      let lastUrl = '';
      let lastRetry = 0;
      let lastRefusal: AtlasError | undefined;
      return function takeToken(request, reply, done) {
        const key = scopeKey(category, request, store);
        if (key === undefined) return done();
        const decision = limiter.take(key, category);
        reply.header('ratelimit-limit', limit).header('ratelimit-remaining', String(decision.remaining));
        if (decision.allowed) return done();
        const retry = decision.retryAfterSeconds;
        const url = request.url;
        if (lastRefusal === undefined || url !== lastUrl || retry !== lastRetry) {
          const path = requestPath(request).replace(/^\/+/, '');
          lastRefusal = new AtlasError('RATE_LIMITED_TOKEN_BUCKET', [path, retry, capacity, refill, periodSeconds], { 'retry-after': String(retry) });
          lastUrl = url;
          lastRetry = retry;
        }
        // Answered here rather than through done(error): Fastify's error path costs more than the rest of the
        // 429 (http/operation.ts answeringErrors). No done(): the request goes no further.
        sendAtlasError(reply, lastRefusal);
      };
    };
    // One hook per endpoint set, shared by its routes.
    const hooks = new Map<RateCategory, preValidationHookHandler>();
    app.addHook('onRoute', (route) => {
      const category = route.config?.atlas?.rateCategory;
      if (!category) return;
      let hook = hooks.get(category);
      if (!hook) hooks.set(category, (hook = takeTokenOf(category)));
      addRouteHook(route, 'preValidation', hook);
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);

function sharedBuckets(app: FastifyInstance, store: Store, shared: RedisEngine): void {
  const limiter = shared.limiter;
  const replica = shared.replica;
  const tick = replica.tick;
  decorateOneTrip(app);
  app.addHook('onRoute', (route) => {
    const atlas = route.config?.atlas;
    if (!atlas) return;
    const { role, rateCategory: category } = atlas;
    const set = category && limiter ? limiter.setOf(category) : undefined;
    const limits = set?.limits;
    const limit = limits && String(limits.capacity);
    /** The rate-limit headers of a decision; the 429 to answer when it refused. */
    const decided = (request: FastifyRequest, reply: FastifyReply, decision: RateDecision): AtlasError | undefined => {
      reply.header('ratelimit-limit', limit).header('ratelimit-remaining', String(decision.remaining));
      if (decision.allowed) return undefined;
      const retry = decision.retryAfterSeconds;
      const path = requestPath(request).replace(/^\/+/, '');
      return new AtlasError('RATE_LIMITED_TOKEN_BUCKET', [path, retry, limits!.capacity, limits!.refill, limits!.periodMs / 1000], { 'retry-after': String(retry) });
    };
    /**
     * The token (or, without a bucket, the head alone) before the handler; the replica is at the head when
     * `done` is called. With `recheck`, authentication and authorization again when that moved the replica.
     */
    const takeNow: TakeNow = (request, reply, key, recheck, done) => {
      // Callbacks rather than promises: this runs for every request of a shared mock.
      const go = (error: unknown, decision?: RateDecision) => {
        if (error) return done(error as Error);
        if (recheck) {
          const again = app.recheckAuth(request, reply, role);
          if (again === 'answered') return;
          if (again) return done(again);
        }
        if (!decision || !limits) return done();
        done(decided(request, reply, decision));
      };
      // With a bucket, the take's round trip also brings the replica to the head of the log; without, that alone.
      if (key !== undefined) limiter!.take(key, set!, go);
      else tick.head(go);
    };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // GETs answered first and committed in one round trip (replication/one-trip.ts).
    const deferrable = methods.every((m) => m === 'GET' || m === 'HEAD');
    const hook: preValidationHookHandler = function syncAndTake(request, reply, done) {
      const key = limits ? scopeKey(category!, request, store) : undefined;
      if (deferrable && request.authSeq === replica.applied && replica.settled && app.control.faults.empty) {
        request.deferredHead = replica.applied;
        request.deferredKey = key ?? null;
        return done();
      }
      takeNow(request, reply, key, true, done);
    };
    addRouteHook(route, 'preValidation', hook);
    if (!deferrable) return;
    route.handler = oneTripHandler({
      handler: route.handler as RouteHandlerMethod,
      commit: (request, entry, done) => tick.commit(request.deferredKey ?? undefined, set, request.deferredHead, entry, done),
      decided,
      takeNow,
      entryOf: route.config?.journalEntry,
    });
    // An answer that did not come from the handler's synchronous part takes its token once decided (no
    // authentication again: it is decided); a 429 (or the 503 of an unreachable Redis) replaces it, written
    // here: an error given to done() would go to Fastify's fallback error handler once the Atlas one has
    // answered. First of the route's onSend hooks, before the journal's.
    const lateTake: onSendHookHandler = (request, reply, payload, done) => {
      if (request.deferredHead < 0) return done(null, payload);
      request.deferredHead = -1;
      takeNow(request, reply, request.deferredKey ?? undefined, false, (error) => {
        if (!error) return done(null, payload);
        const body = atlasErrorBody(reply, error as AtlasError);
        done(null, typeof body === 'string' ? Buffer.from(body) : body);
      });
    };
    const existing = route.onSend as onSendHookHandler | onSendHookHandler[] | undefined;
    route.onSend = existing === undefined ? [lateTake] : Array.isArray(existing) ? [lateTake, ...existing] : [lateTake, existing];
  });
}
