/**
 * Cross-cutting plugin: authentication and authorization of every `/api/atlas/v2` request (contract §5),
 * for every route present and future, read from the URL prefix and the route's `config.atlas`:
 *
 * - onRequest (after the security headers, before version negotiation): who is calling
 *   (`auth/authenticate.ts`), so that a request without valid credentials gets the Digest challenge or
 *   401 UNAUTHORIZED before anything else answers — unknown paths, 405s, 406s and 410s included. The IP
 *   access list is checked here too [I]: it belongs to the principal, not to a project, so an address
 *   outside it gets 403 for any path, before the version and the project are looked at.
 * - preValidation (raw path parameters, before they are validated): organization and role on the
 *   project (`auth/principals/authorize.ts`), only when the group id is well formed and the project
 *   exists — an unknown project is the operation's 404 GROUP_NOT_FOUND (recorded), a malformed id its 404;
 *   for operations on `/orgs/{orgId}` (an organization role), membership of that organization, when it exists.
 *
 * Both are compiled per route (`http/route-hooks.ts`): routes under `/api/atlas/v2` get them as
 * route-level hooks (the role captured); requests that match no route (404, 405) get authentication from
 * one global hook that lets every matched request through at once.
 *
 * The token endpoint (`/api/oauth/*`) authenticates its clients itself (`auth/oauth-routes.ts`).
 * With `--auth off` every request is accepted as the dataset's first Owner principal, unchecked.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, preValidationHookHandler } from 'fastify';
import { authenticate, nonceOutcome, verify, type AuthOutcome } from '../auth/authenticate.js';
import { sendChallenge } from '../auth/challenge.js';
import { authorize, authorizeOrg } from '../auth/principals/authorize.js';
import type { CompiledPrincipal } from '../auth/principals/compile.js';
import type { AuthService } from '../auth/service.js';
import { AtlasError } from '../errors/atlas-error.js';
import { flagsOf } from '../http/envelope.js';
import { addRouteHook } from '../http/route-hooks.js';
import { ORG_ROLES, type OperationRole, type OrgRole, type Role } from '../store/model.js';
import type { Store } from '../store/store.js';
import type { RedisEngine } from '../replication/engine.js';
import { sendAtlasError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated principal of an Atlas API request (null elsewhere, or before authentication). */
    principal: CompiledPrincipal | null;
    /** Shared mock: the log entry the replica had applied when the request was authenticated. */
    authSeq: number;
  }
}

export interface AuthPluginOptions {
  service: AuthService;
  store: Store;
  /** A shared mock (`--store redis://…`): nonces in Redis, and a replica that may be behind the log. */
  shared?: RedisEngine | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared mock: authentication and authorization again when the replica moved during the request. */
    recheckAuth(request: FastifyRequest, reply: FastifyReply, role: OperationRole | undefined): AtlasError | 'answered' | null;
  }
}

const PREFIX = '/api/atlas/v2';

/** True for `/api/atlas/v2`, `/api/atlas/v2/…` and `/api/atlas/v2?…` (the raw request target). */
export function isAtlasApiPath(url: string): boolean {
  if (!url.startsWith(PREFIX)) return false;
  const next = url.charCodeAt(PREFIX.length);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63 /* ? */;
}

/** RFC 6750 §3.1 [I]: the mock names the failed Bearer scheme; Atlas's own header here is not recorded. */
const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/** The client address as Atlas would print it: IPv4-mapped IPv6 addresses as plain IPv4. */
export function clientAddress(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** Errors answered before negotiation still honour `envelope` / `pretty` (contract §3). */
function sendEarly(request: FastifyRequest, reply: FastifyReply, error: AtlasError): FastifyReply {
  request.flags = flagsOf(request.query);
  return sendAtlasError(reply, error);
}

export const authPlugin = fp(
  async (app: FastifyInstance, { service, store, shared }: AuthPluginOptions) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('authSeq', 0);

    /** Acts on an outcome; returns the nonce-issuing challenge to send, or nothing when answered / accepted. */
    const apply = (request: FastifyRequest, reply: FastifyReply, outcome: AuthOutcome): { stale: boolean } | 'answered' | 'ok' => {
      switch (outcome.kind) {
        case 'ok': {
          const principal = outcome.principal;
          if (principal.accessList && !principal.accessList.allows(request.ip)) {
            const address = clientAddress(request.ip);
            request.log.debug({ principal: principal.principal.id, address }, 'address not on the access list');
            sendEarly(request, reply, new AtlasError('IP_ADDRESS_NOT_ON_ACCESS_LIST', [address]));
            return 'answered';
          }
          request.principal = principal;
          return 'ok';
        }
        case 'invalid-token':
          request.log.debug({ reason: outcome.reason }, 'bearer token refused');
          sendEarly(request, reply, new AtlasError('UNAUTHORIZED', [], { 'www-authenticate': INVALID_TOKEN_CHALLENGE }));
          return 'answered';
        case 'challenge':
          request.log.debug({ reason: outcome.reason, stale: outcome.stale }, 'digest challenge');
          return { stale: outcome.stale };
      }
    };

    const authenticateRequest: onRequestHookHandler = (request, reply, done) => {
      if (!service.enabled) {
        request.principal = service.index.firstOwner() ?? null;
        return done();
      }
      const result = apply(request, reply, authenticate(service, request.method, request.url, request.headers.authorization));
      if (result === 'ok') return done();
      if (result !== 'answered') sendChallenge(reply, service.nonces.issue(), result.stale);
    };

    /**
     * Shared mock: the same, with nonces in Redis. A refusal is only answered once the replica is known to
     * be up to date (the key or token may have been created on another replica a moment ago); an acceptance
     * is checked again once the request's round trip told the head of the log (`recheck`).
     */
    const authenticateShared = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
      const replica = shared!.replica;
      request.authSeq = replica.applied;
      if (!service.enabled) {
        request.principal = service.index.firstOwner() ?? null;
        return false;
      }
      const header = request.headers.authorization;
      let v = verify(service, request.method, request.url, header);
      if (v.kind === 'challenge' || v.kind === 'invalid-token') {
        await replica.sync();
        if (replica.applied !== request.authSeq) v = verify(service, request.method, request.url, header);
        request.authSeq = replica.applied;
      }
      const outcome = v.kind === 'nonce' ? nonceOutcome(v, (await shared!.nonces.use(v.nonce, v.nc)).check) : v;
      const result = apply(request, reply, outcome);
      if (result === 'ok') return false;
      if (result !== 'answered') {
        const nonce = await shared!.nonces.issue();
        // Written on the raw response, which no onSend hook sees: journaled first, as every other answer.
        await app.journalRaw?.(request, reply, 401);
        sendChallenge(reply, nonce, result.stale);
      }
      return true;
    };
    const authenticateHook: onRequestHookHandler = shared
      ? function authenticateSharedHook(request, reply, done) {
          // A Bearer token known here goes on at once (checked again if the request's round trip moves the
          // replica); a Digest response (its nonce is in Redis) or a refusal takes the asynchronous path.
          if (service.enabled) {
            const v = verify(service, request.method, request.url, request.headers.authorization);
            if (v.kind === 'ok') {
              request.authSeq = shared.replica.applied;
              const result = apply(request, reply, v);
              if (result === 'ok') return done();
              if (result === 'answered') return;
            }
          }
          // Answered or not by what it decided: an answer still in its onSend hooks (the journal's round
          // trip) is not `reply.sent` yet, and the request must not go on to the handler as well.
          authenticateShared(request, reply).then((answered) => {
            if (!answered) done();
          }, done);
        }
      : authenticateRequest;

    /**
     * Shared mock, after the request's round trip brought the replica to the head of the log: if that
     * applied anything since the request was authenticated, authenticate and authorize it again on the new
     * state (a token revoked, a key or a role removed on another replica). Answers and returns false when
     * the request is now refused.
     */
    app.decorate('recheckAuth', function recheckAuth(request: FastifyRequest, reply: FastifyReply, role: OperationRole | undefined): AtlasError | 'answered' | null {
      if (!service.enabled || shared === undefined || shared.replica.applied === request.authSeq) return null;
      request.authSeq = shared.replica.applied;
      const v = verify(service, request.method, request.url, request.headers.authorization);
      const outcome: AuthOutcome = v.kind === 'nonce' ? { kind: 'ok', principal: v.principal, scheme: 'digest' } : v;
      const result = apply(request, reply, outcome);
      if (result === 'answered') return 'answered';
      if (result !== 'ok') return new AtlasError('UNAUTHORIZED', []);
      if (role === undefined) return null;
      const params = request.params as Record<string, unknown> | undefined;
      if ((ORG_ROLES as readonly string[]).includes(role)) {
        const org = typeof params?.orgId === 'string' ? store.organizations.get(params.orgId) : undefined;
        return org ? (authorizeOrg(request.principal!, org, role as OrgRole) ?? null) : null;
      }
      const project = typeof params?.groupId === 'string' ? store.project(params.groupId) : undefined;
      return project ? (authorize(request.principal!, project, role as Role) ?? null) : null;
    });

    const authorizeRequest = (role: Role): preValidationHookHandler =>
      function authorizeRequest(request, _reply, done) {
        const principal = request.principal;
        if (!service.enabled || !principal) return done();
        const groupId = (request.params as Record<string, unknown> | undefined)?.groupId;
        const project = typeof groupId === 'string' ? store.project(groupId) : undefined;
        if (!project) return done();
        const refusal = authorize(principal, project, role);
        if (refusal) request.log.debug({ principal: principal.principal.id, groupId, role, code: refusal.errorCode }, 'authorization refused');
        done(refusal);
      };

    // Operations on `/orgs/{orgId}`: the organization's membership, when the organization exists.
    const authorizeOrgRequest = (role: OrgRole): preValidationHookHandler =>
      function authorizeOrgRequest(request, _reply, done) {
        const principal = request.principal;
        if (!service.enabled || !principal) return done();
        const orgId = (request.params as Record<string, unknown> | undefined)?.orgId;
        const org = typeof orgId === 'string' ? store.organizations.get(orgId) : undefined;
        if (!org) return done();
        const refusal = authorizeOrg(principal, org, role);
        if (refusal) request.log.debug({ principal: principal.principal.id, orgId, role, code: refusal.errorCode }, 'authorization refused');
        done(refusal);
      };
    const isOrgRole = (role: OperationRole): role is OrgRole => (ORG_ROLES as readonly string[]).includes(role);

    app.addHook('onRoute', (route) => {
      const atlas = route.config?.atlas;
      if (!atlas && !isAtlasApiPath(route.url)) return;
      addRouteHook(route, 'onRequest', authenticateHook);
      if (atlas) addRouteHook(route, 'preValidation', isOrgRole(atlas.role) ? authorizeOrgRequest(atlas.role) : authorizeRequest(atlas.role));
    });

    // Requests that match no route: unknown paths and wrong methods under /api/atlas/v2 still need credentials.
    app.addHook('onRequest', (request, reply, done) => {
      if (!request.is404 || !isAtlasApiPath(request.url)) return done();
      authenticateHook.call(app, request, reply, done);
    });
  },
  { name: 'auth', dependencies: ['security-headers'] },
);
