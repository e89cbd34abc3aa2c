/**
 * Cross-cutting plugin: rate limits per project (contract §6). Every Atlas operation on an existing project
 * takes a token from that project's bucket after authorization (a refused caller does not drain the
 * bucket of the project's owners [I]); the answer — success or error — carries `RateLimit-Limit` and
 * `RateLimit-Remaining` [R]; an empty bucket answers 429 `RATE_LIMITED_TOKEN_BUCKET` with `Retry-After`
 * [D]. Requests that name no existing project have no bucket and no headers, like the recorded 404
 * GROUP_NOT_FOUND. Rejections before routing (401, 403, 406, 410) are not counted [I].
 * The hook is added to the Atlas routes only (issue 7: compiled per route, `http/route-hooks.ts`).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import type { RateLimiter } from '../auth/rate-limiter.js';
import { AtlasError } from '../errors/atlas-error.js';
import { addRouteHook } from '../http/route-hooks.js';
import type { Store } from '../store/store.js';
import type { RedisEngine } from '../replication/engine.js';
import type { RateDecision } from '../auth/rate-limiter.js';

export interface RateLimitPluginOptions {
  limiter: RateLimiter | undefined;
  store: Store;
  /**
   * A shared mock: one bucket per project for all replicas (a script in Redis), and the round trip that
   * takes the token also returns the head of the log, which the replica catches up to before the request
   * goes on (a job created on another replica a moment ago is found). Routes without a bucket read the head.
   */
  shared?: RedisEngine | undefined;
}

export const rateLimitPlugin = fp(
  async (app: FastifyInstance, { limiter, store, shared }: RateLimitPluginOptions) => {
    if (shared) return sharedBuckets(app, store, shared);
    if (!limiter) return;
    const { capacity, refill, periodMs } = limiter.config;
    const limit = String(capacity);
    const periodSeconds = periodMs / 1000;
    const takeToken: preValidationHookHandler = function takeToken(request, reply, done) {
      const groupId = (request.params as Record<string, unknown> | undefined)?.groupId;
      if (typeof groupId !== 'string' || !store.project(groupId)) return done();
      const decision = limiter.take(groupId);
      reply.header('ratelimit-limit', limit).header('ratelimit-remaining', String(decision.remaining));
      if (decision.allowed) return done();
      const retry = decision.retryAfterSeconds;
      const path = request.url.split('?', 1)[0]!.replace(/^\/+/, '');
      done(new AtlasError('RATE_LIMITED_TOKEN_BUCKET', [path, retry, capacity, refill, periodSeconds], { 'retry-after': String(retry) }));
    };
    app.addHook('onRoute', (route) => {
      if (route.config?.atlas) addRouteHook(route, 'preValidation', takeToken);
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);

function sharedBuckets(app: FastifyInstance, store: Store, shared: RedisEngine): void {
  const limiter = shared.limiter;
  const config = limiter?.config;
  const limit = String(config?.capacity ?? 0);
  const takeOrSync = async (request: FastifyRequest): Promise<RateDecision | undefined> => {
    const groupId = (request.params as Record<string, unknown> | undefined)?.groupId;
    if (limiter && typeof groupId === 'string' && store.project(groupId)) {
      const { decision, head } = await limiter.take(groupId);
      await shared.replica.catchUpTo(head);
      return decision;
    }
    await shared.replica.sync();
    return undefined;
  };
  app.addHook('onRoute', (route) => {
    const atlas = route.config?.atlas;
    if (!atlas) return;
    const role = atlas.role;
    const hook: preValidationHookHandler = function syncAndTake(request, reply, done) {
      takeOrSync(request).then((decision) => {
        const again = app.recheckAuth(request, reply, role);
        if (again === 'answered') return;
        if (again) return done(again);
        if (!decision || !config) return done();
        reply.header('ratelimit-limit', limit).header('ratelimit-remaining', String(decision.remaining));
        if (decision.allowed) return done();
        const retry = decision.retryAfterSeconds;
        const path = request.url.split('?', 1)[0]!.replace(/^\/+/, '');
        done(new AtlasError('RATE_LIMITED_TOKEN_BUCKET', [path, retry, config.capacity, config.refill, config.periodMs / 1000], { 'retry-after': String(retry) }));
      }, done);
    };
    addRouteHook(route, 'preValidation', hook);
  });
}
