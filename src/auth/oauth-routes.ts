/**
 * The service-account token endpoint (contract §5, EVIDENCE e.2):
 *
 *   POST /api/oauth/token   Authorization: Basic base64(clientId:clientSecret)   grant_type=client_credentials
 *     200 {"access_token": <JWT>, "expires_in": 3600, "token_type": "Bearer"}
 *     401 {"error": "invalid_client", "error_description": "Invalid credentials provided."}
 *     400 {"error": "unsupported_grant_type" | "invalid_request", …}
 *   POST /api/oauth/revoke  same Basic auth   token=<access_token>&token_type_hint=access_token   → 200
 *
 * The Basic credentials are compared raw, not form-decoded: Atlas expects the raw `clientId:secret`
 * (EVIDENCE e.2, the MCP server's note); the Go SDK's encoding leaves these ids and secrets unchanged.
 * Credentials in the form body (`client_id` / `client_secret`, RFC 6749 §2.3.1) are accepted too [I].
 * The client is checked before the grant type (RFC 6749 §5.2 lists both; client authentication comes
 * first) [I]. IP access lists do not apply here, only to the use of the token [D]. With `--auth off` any
 * caller gets a token (of the named client, else of the first Owner principal).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ERROR_CONTENT_TYPE } from '../http/headers.js';
import { compact } from '../http/json.js';
import { secretHash } from './principals/compile.js';
import type { AuthService } from './service.js';

export const SERVICE_ACCOUNTS_TAG = 'Service Accounts';
export const TOKEN_PATH = '/api/oauth/token';
export const REVOKE_PATH = '/api/oauth/revoke';

const FORM = 'application/x-www-form-urlencoded';

const oauthError = z
  .object({ error: z.string(), error_description: z.string() })
  .meta({ id: 'OAuthError', description: 'OAuth 2.0 error (RFC 6749 §5.2).' });
const errorContent = (description: string) => ({ description, content: { 'application/json': { schema: oauthError } } });

// Documentation only (the routes attach validation failures and answer OAuth errors themselves); loose, so
// that validation never strips a field the handler reads.
const bodyClient = {
  client_id: z.string().optional().meta({ description: 'Alternative to Basic: the client id in the body (RFC 6749 §2.3.1).' }),
  client_secret: z.string().optional().meta({ description: 'Alternative to Basic: the client secret in the body.' }),
};
const tokenBody = z.looseObject({
  grant_type: z.literal('client_credentials').meta({ description: 'Always `client_credentials`.' }),
  ...bodyClient,
});
const revokeBody = z.looseObject({
  token: z.string().min(1).meta({ description: 'The access token to revoke.' }),
  // RFC 7009 §2.1: a hint the server does not know is no error (it searches all its tokens anyway).
  token_type_hint: z.string().optional().meta({ description: 'Hint of the token type (`access_token`); any other value is ignored (RFC 7009 §2.1).' }),
  ...bodyClient,
});
const tokenResponse = z
  .object({ access_token: z.string(), expires_in: z.number().int(), token_type: z.literal('Bearer') })
  .meta({ id: 'OAuthToken', description: 'A Bearer token (a JWT) valid for `expires_in` seconds of mock time.' });

interface ClientCredentials {
  id: string;
  secret: string;
}

/** `Basic base64(id:secret)`, split at the first colon; undefined when absent or malformed. */
export function basicCredentials(header: string | undefined): ClientCredentials | undefined {
  if (!header) return undefined;
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  // RFC 6749 §5.1: token responses must not be cached.
  return reply.code(status).header('content-type', ERROR_CONTENT_TYPE).header('cache-control', 'no-store').header('pragma', 'no-cache').send(Buffer.from(compact(body)));
}

const invalidClient = (reply: FastifyReply) => sendJson(reply, 401, { error: 'invalid_client', error_description: 'Invalid credentials provided.' });

export async function oauthRoutes(app: FastifyInstance, { service }: { service: AuthService }): Promise<void> {
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  /** The service account calling, or undefined (→ 401 invalid_client). */
  const client = (authorization: string | undefined, body: Record<string, unknown>): ClientCredentials | undefined => {
    const creds =
      basicCredentials(authorization) ??
      (typeof body.client_id === 'string' && typeof body.client_secret === 'string' ? { id: body.client_id, secret: body.client_secret } : undefined);
    if (!service.enabled) return { id: creds?.id || (service.index.firstOwner()?.principal.id ?? ''), secret: '' };
    if (!creds) return undefined;
    const principal = service.index.get(creds.id);
    // Hash then compare: constant time whatever the secret's length; the hash is computed for unknown ids too.
    const given = secretHash(creds.secret);
    const ok = principal !== undefined && principal.principal.kind === 'serviceAccount' && timingSafeEqual(principal.secretHash, given);
    return ok ? creds : undefined;
  };

  const formOf = (body: unknown): Record<string, unknown> => (body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {});

  app.post(
    TOKEN_PATH,
    {
      attachValidation: true,
      schema: {
        operationId: 'createServiceAccountToken',
        summary: 'Generate a Service Account Access Token',
        description:
          'OAuth 2.0 client credentials: `Authorization: Basic base64(clientId:clientSecret)` (raw, not form-encoded) and the form body `grant_type=client_credentials`. ' +
          'The token is valid for 3600 s of mock time and is accepted as `Authorization: Bearer <token>` on every /api/atlas/v2 operation.',
        tags: [SERVICE_ACCOUNTS_TAG],
        security: [],
        consumes: [FORM],
        body: tokenBody,
        response: {
          200: { description: 'OK', content: { 'application/json': { schema: tokenResponse } } },
          400: errorContent('`invalid_request` (no grant_type) or `unsupported_grant_type`.'),
          401: errorContent('`invalid_client`: unknown client id or wrong secret.'),
        },
      },
    },
    async (request, reply) => {
      const body = formOf(request.body);
      const creds = client(request.headers.authorization, body);
      if (!creds) return invalidClient(reply);
      const grant = body.grant_type;
      if (typeof grant !== 'string' || grant === '') return sendJson(reply, 400, { error: 'invalid_request', error_description: 'The grant_type parameter is missing.' });
      if (grant !== 'client_credentials') return sendJson(reply, 400, { error: 'unsupported_grant_type', error_description: `Unsupported grant type ${grant}.` });
      const token = service.tokens.issue(creds.id);
      return sendJson(reply, 200, { access_token: token.accessToken, expires_in: token.expiresIn, token_type: 'Bearer' });
    },
  );

  app.post(
    REVOKE_PATH,
    {
      attachValidation: true,
      schema: {
        operationId: 'revokeServiceAccountToken',
        summary: 'Revoke a Service Account Access Token',
        description:
          'RFC 7009 token revocation, with the same Basic client authentication as the token endpoint. Answers 200 with no body, also for a token that is unknown, ' +
          'already expired or issued to another client (which is left alone).',
        tags: [SERVICE_ACCOUNTS_TAG],
        security: [],
        consumes: [FORM],
        body: revokeBody,
        response: {
          // No body: documented without content (passed through as is by the OpenAPI transform).
          200: { type: 'null', description: 'OK: the token is no longer accepted. No body.' },
          400: errorContent('`invalid_request`: no token.'),
          401: errorContent('`invalid_client`: unknown client id or wrong secret.'),
        },
      },
    },
    async (request, reply) => {
      const body = formOf(request.body);
      const creds = client(request.headers.authorization, body);
      if (!creds) return invalidClient(reply);
      if (typeof body.token !== 'string' || body.token === '') return sendJson(reply, 400, { error: 'invalid_request', error_description: 'The token parameter is missing.' });
      service.tokens.revoke(body.token, creds.id);
      return reply.code(200).header('cache-control', 'no-store').send();
    },
  );
}
