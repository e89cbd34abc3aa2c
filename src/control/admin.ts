/**
 * Who may use the control API (`/__mock`), which can rewrite the mock's whole state:
 * - with an admin token (`--admin-token` / ATLAS_MOCK_ADMIN_TOKEN): every control request must carry it, as
 *   `Authorization: Bearer <token>` or `X-Mock-Admin-Token: <token>`, from any address; compared in constant
 *   time (hashes of equal length, `timingSafeEqual`);
 * - without one: loopback clients only, unless `--allow-remote-control` opens it to every address.
 * `GET /__mock/health` is always open (container health checks; it shows counts and the clock, no data) [I].
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import { atlasError } from '../errors/atlas-error.js';

export interface AdminOptions {
  adminToken?: string;
  allowRemoteControl?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A control route open to anyone (health). */
    controlPublic?: boolean;
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The token a control request presents, if any. */
function presented(headers: Record<string, string | string[] | undefined>): string | undefined {
  const own = headers['x-mock-admin-token'];
  if (typeof own === 'string') return own;
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  return undefined;
}

export function adminGuard(options: AdminOptions): onRequestHookHandler {
  const expected = options.adminToken ? digest(options.adminToken) : undefined;
  return function controlAccess(request, _reply, done) {
    if (request.routeOptions.config.controlPublic) return done();
    if (expected) {
      const token = presented(request.headers);
      if (token === undefined || !timingSafeEqual(digest(token), expected)) return done(atlasError('CONTROL_UNAUTHORIZED'));
      return done();
    }
    if (!options.allowRemoteControl && !isLoopback(request.ip)) return done(atlasError('CONTROL_FORBIDDEN', request.ip));
    done();
  };
}
