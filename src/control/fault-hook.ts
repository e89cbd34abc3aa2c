/**
 * Applying fault rules to Atlas requests. The hook runs at the preHandler stage of each Atlas route (and of
 * any other `/api/` route such as the token endpoint): after every onRequest / preValidation hook, so after
 * authentication (a fault never lets an unauthenticated request through), and after the request
 * was validated. Effects:
 * - error: an Atlas error of the catalogue, through the ordinary error handler (envelope, pretty, headers);
 * - latency: a real timer, so it is wall time, not mock time (a client's timeout is wall time too) [I];
 * - drop: the socket is destroyed without a response (the client sees a reset / "socket hang up").
 */
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { RandomSource } from '../core/random.js';
import type { ErrorParameter } from '../errors/atlas-error.js';
import type { ErrorCode } from '../errors/catalogue.js';
import { ShapedError } from './errors.js';
import type { FaultErrorSpec, FaultRegistry, FaultRule, FaultTarget } from './faults.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Id of the fault rule applied to this request (for the journal). */
    mockFault: string | null;
  }
}

/** What a route tells the hook about itself (captured once when the route is registered). */
export interface RouteFacts {
  operation: string | null;
  operationId: string | null;
}

type Params = { groupId?: string; clusterName?: string; exportId?: string } | undefined;

/** Parameters of the detail template filled from the request when the rule gives none. */
function defaultParameters(code: ErrorCode, t: FaultTarget, retryAfter: number): ErrorParameter[] {
  switch (code) {
    case 'GROUP_NOT_FOUND':
    case 'INVALID_GROUP_ID':
      return [t.groupId ?? ''];
    case 'CLUSTER_NOT_FOUND':
      return [t.clusterName ?? '', t.groupId ?? ''];
    case 'RESOURCE_NOT_FOUND':
    case 'INVALID_JOB_ID':
      return [t.exportId ?? t.path.replace(/^\/+/, '')];
    case 'RATE_LIMITED_TOKEN_BUCKET':
      // Contract §6 numbers: capacity 1200, refill 500 per 60 s.
      return [t.groupId ?? '', retryAfter, 1200, 500, 60];
    default:
      return [];
  }
}

export function faultError(spec: FaultErrorSpec, t: FaultTarget): ShapedError {
  const retryDefault = spec.errorCode === 'RATE_LIMITED_TOKEN_BUCKET' || spec.errorCode === 'SERVICE_UNAVAILABLE' || spec.status === 429 || spec.status === 503;
  const retryAfter = spec.retryAfter ?? (retryDefault ? 60 : undefined);
  const headers: Record<string, string> = retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {};
  return new ShapedError(spec.errorCode, spec.parameters ?? defaultParameters(spec.errorCode, t, retryAfter ?? 60), {
    headers,
    ...(spec.status !== undefined && { status: spec.status }),
    ...(spec.detail !== undefined && { detail: spec.detail }),
  });
}

export interface FaultHookDeps {
  faults: FaultRegistry;
  /** A shared mock: the rule that fires, counted in Redis across replicas (`replication/shared.ts`). */
  pickShared?: (target: FaultTarget) => Promise<FaultRule | undefined>;
  random: RandomSource;
  /** Records a dropped request in the journal (no onResponse hook runs for it). */
  onDrop(request: FastifyRequest, reply: FastifyReply, rule: FaultRule): void;
}

export function faultHook(route: RouteFacts, deps: FaultHookDeps): preHandlerHookHandler {
  const { faults, random } = deps;
  return function applyFaults(request, reply, done) {
    if (faults.empty) return done();
    const params = request.params as Params;
    const q = request.url.indexOf('?');
    const target: FaultTarget = {
      method: request.method,
      path: q === -1 ? request.url : request.url.slice(0, q),
      operation: route.operation,
      operationId: route.operationId,
      groupId: params?.groupId,
      clusterName: params?.clusterName,
      exportId: params?.exportId,
    };
    const fire = (rule: FaultRule): void => {
      request.mockFault = rule.id;
      const effect = () => {
        if (rule.input.drop) return drop(request, reply, rule, deps);
        if (rule.error) return done(faultError(rule.error, target));
        done();
      };
      const delay = rule.latencyMs(random);
      if (delay > 0) setTimeout(effect, delay);
      else effect();
    };
    if (deps.pickShared) {
      deps.pickShared(target).then((rule) => (rule ? fire(rule) : done()), done);
      return;
    }
    const rule = faults.pick(target);
    if (!rule) return done();
    fire(rule);
  };
}

function drop(request: FastifyRequest, reply: FastifyReply, rule: FaultRule, deps: FaultHookDeps): void {
  reply.hijack();
  deps.onDrop(request, reply, rule);
  // Destroying the response destroys its socket: the client sees the connection reset, no status line.
  reply.raw.destroy();
}
