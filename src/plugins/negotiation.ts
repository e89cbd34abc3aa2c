/**
 * Cross-cutting plugin: security headers on every response, the resource version of each Atlas request
 * (406 / 410, `Content-Type`, `Vary`, `Deprecation` / `Sunset`), and the envelope / pretty flags
 * (contract §2, §3, §8). Handlers only return entities.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { atlasError } from '../errors/atlas-error.js';
import { envelopedSerializer, flaggedSerializer, flagsOf, NO_FLAGS, replySerializer } from '../http/envelope.js';
import { SECURITY_HEADERS } from '../http/headers.js';
import { addRouteHook } from '../http/route-hooks.js';
import type { ResourceVersion } from '../http/versioning.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Resource version the request resolved to (Atlas operations only). */
    atlasVersion: ResourceVersion | null;
  }
}

export interface NegotiationOptions {
  clock: Clock;
}

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      done();
    });
  },
  { name: 'security-headers' },
);

export const negotiationPlugin = fp(
  async (app: FastifyInstance, { clock }: NegotiationOptions) => {
    app.decorateRequest('atlasVersion', null);
    app.decorateRequest('flags', null as never);
    // Every request: the flags.
    app.addHook('onRequest', (request, reply, done) => {
      const flags = flagsOf(request.query);
      request.flags = flags;
      if (flags !== NO_FLAGS && (flags.envelope || flags.pretty)) reply.serializer(replySerializer(flaggedSerializer(reply, flags)));
      done();
    });
    // Atlas operations: the resource version, by a hook compiled for the route (after authentication,
    // whose route-level hook the auth plugin added first).
    app.addHook('onRoute', (route) => {
      const atlas = route.config?.atlas;
      if (!atlas) return;
      addRouteHook(route, 'onRequest', function negotiateVersion(request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
        const version = atlas.resolve(request.headers.accept);
        if (!version) return done(atlasError('INVALID_VERSION_DATE'));
        request.atlasVersion = version;
        // The operation's compiled serializer for this version, set on the reply: Fastify then skips its
        // per-send lookup of a schema serializer by status and media type. Flags have their own serializer.
        const serialize = atlas.serializers[version.date];
        if (serialize !== undefined && !request.flags.pretty) reply.serializer(replySerializer(request.flags.envelope ? envelopedSerializer(reply, serialize) : serialize));
        reply.header('content-type', version.contentType);
        reply.header('vary', 'Accept');
        for (const name in version.headers) reply.header(name, version.headers[name]!);
        if (version.sunsetMs !== Infinity && clock.now() >= version.sunsetMs) {
          const path = request.url.split('?', 1)[0]!.replace(/^\/+/, '');
          return done(atlasError('VERSION_GONE', version.date, path));
        }
        done();
      });
    });
  },
  { name: 'negotiation', dependencies: ['security-headers'] },
);
