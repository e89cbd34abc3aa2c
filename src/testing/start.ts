/**
 * `startAtlasMock()`: a mock for a test suite, in the test's own process — a server on a free loopback port
 * with a manual clock and seed 1 by default — plus the typed control helpers (`connectAtlasMock`) and the
 * credentials of its dataset. `close()` when done (e.g. in `afterAll`). Export jobs write their files
 * (docs/export-files.md) into a folder of this mock only unless `exportFiles` says otherwise;
 * `mock.exportFiles.list(exportId)` lists them.
 *
 *   const mock = await startAtlasMock();
 *   await mock.faults.add({ operation: 'getBackupExport', times: 2, error: 'UNEXPECTED_ERROR' });
 *   await mock.clock.advanceBy('PT20M');
 *   await mock.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, renewable, renewApp } from '../app.js';
import { createClock, type ClockMode } from '../core/clock.js';
import { createRandom } from '../core/random.js';
import type { AppOptions } from '../options.js';
import { controlOver, type ControlTransport, type MockControl } from './client.js';
import { emptyFolder, keep, poolKey, take, type Kept } from './pool.js';

export interface StartOptions extends AppOptions {
  /** Clock of the mock (default: manual, starting at the wall clock's now). */
  clock?: { mode?: ClockMode; speed?: number; start?: string | number | Date };
  /** Seed of the random source (default 1). */
  seed?: number;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
}

export interface ApiKeyCredential {
  publicKey: string;
  privateKey: string;
  orgId: string;
  description: string;
  projects: { groupId: string; roles: string[] }[];
}

export interface ServiceAccountCredential {
  clientId: string;
  clientSecret: string;
  orgId: string;
  description: string;
  projects: { groupId: string; roles: string[] }[];
}

export interface MockCredentials {
  /** HTTP Digest: public key as username, private key as password. */
  apiKeys: ApiKeyCredential[];
  /** OAuth client credentials for `POST /api/oauth/token`. */
  serviceAccounts: ServiceAccountCredential[];
}

export interface AtlasMock extends MockControl {
  /** The principals of the loaded dataset (as they are at start). */
  readonly credentials: MockCredentials;
  /** The Fastify instance, for `inject` or anything the control API does not cover. */
  readonly app: FastifyInstance;
  /**
   * Headers that authenticate a request as the dataset's first service account: a Bearer token from the
   * mock's token endpoint. A mock without the token endpoint accepts requests without credentials, and
   * this answers `{}` [I].
   */
  authHeaders(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export function credentialsOf(app: FastifyInstance): MockCredentials {
  const apiKeys: ApiKeyCredential[] = [];
  const serviceAccounts: ServiceAccountCredential[] = [];
  for (const p of app.mock.store.principals.values()) {
    const common = { orgId: p.orgId, description: p.description, projects: p.projects.map((g) => ({ groupId: g.groupId, roles: [...g.roles] })) };
    if (p.kind === 'apiKey') apiKeys.push({ publicKey: p.id, privateKey: p.secret, ...common });
    else serviceAccounts.push({ clientId: p.id, clientSecret: p.secret, ...common });
  }
  return { apiKeys, serviceAccounts };
}

export async function startAtlasMock(options: StartOptions = {}): Promise<AtlasMock> {
  const { clock: clockOptions = {}, seed = 1, host = '127.0.0.1', port = 0, ...rest } = options;
  const start = clockOptions.start === undefined ? undefined : new Date(clockOptions.start).getTime();
  const clock = createClock({ mode: clockOptions.mode ?? 'manual', ...(clockOptions.speed !== undefined && { speed: clockOptions.speed }), ...(start !== undefined && { start }) });
  const key = poolKey(rest, seed);
  // The app of a closed mock with the same options (testing/pool.ts), renewed at this start's time…
  let k = key === undefined ? undefined : take(key);
  if (k) {
    renewApp(k.app, clock.image());
    k.app.mock.exportFiles?.resume();
    await listenAgain(k.app, host, port);
  } else {
    // …or a new one. Export files are on, by default into a folder of this mock only (emptied or removed by
    // close()): mocks of parallel test files never share a bucket folder. Give `exportFiles.dir` to keep
    // them, `enabled: false` for none.
    const ownDir = rest.exportFiles?.dir === undefined && rest.exportFiles?.enabled !== false ? mkdtempSync(join(tmpdir(), 'atlas-export-mock-')) : undefined;
    const appOptions: AppOptions = { ...rest, exportFiles: { ...rest.exportFiles, ...(ownDir !== undefined && { dir: ownDir }) } };
    const app = buildApp(appOptions, { clock, random: createRandom(seed) });
    app.addHook('onClose', async () => void closedApps.add(app));
    await app.listen({ host, port });
    k = { app, ownDir };
  }
  const { app } = k;
  const address = app.server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : port}`;
  // In the same process: the helpers go through Fastify's inject (same routes, hooks and answers, no socket).
  const inject: ControlTransport = async (method, path, headers, body) => {
    const res = await app.inject({ method: method as 'GET', url: `/__mock${path}`, headers, ...(body !== undefined && { payload: body }) });
    return { status: res.statusCode, text: res.body };
  };
  const control = controlOver(url, inject, rest.adminToken ? { adminToken: rest.adminToken } : {});
  const credentials = credentialsOf(app);

  let token: { value: string } | null | undefined;
  const authHeaders = async (): Promise<Record<string, string>> => {
    if (token === undefined) token = await fetchToken(app, credentials.serviceAccounts[0]);
    return token ? { authorization: `Bearer ${token.value}` } : {};
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeMock(app, key, k));
  return { ...control, credentials, app, authHeaders, close };
}

/** Apps closed through `app.close()` (by a test holding `mock.app`): never kept. */
const closedApps = new WeakSet<FastifyInstance>();

/** Stops serving, then keeps the app for the next start with the same options (or closes it for good). */
async function closeMock(app: FastifyInstance, key: string | undefined, k: Kept): Promise<void> {
  if (key !== undefined && renewable(app) && !closedApps.has(app)) {
    await stopListening(app);
    await app.mock.exportFiles?.stop();
    if (k.ownDir !== undefined) emptyFolder(k.ownDir);
    if (keep(key, k)) return;
  }
  await app.close();
  if (k.ownDir !== undefined) rmSync(k.ownDir, { recursive: true, force: true });
}

/**
 * The server stops listening and its connections end: idle keep-alive ones at once, busy ones once their
 * response is sent (as `app.close()` does; clients see their connection closed, then refused).
 */
function stopListening(app: FastifyInstance): Promise<void> {
  const server = app.server;
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** A kept app listens again, on a new port unless the start names one. */
function listenAgain(app: FastifyInstance, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = app.server;
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

/**
 * A Bearer token for a service account from the mock's token endpoint (through inject, like the control
 * helpers), or null when the mock has no token endpoint (404).
 */
async function fetchToken(app: FastifyInstance, account: ServiceAccountCredential | undefined): Promise<{ value: string } | null> {
  if (!account) return null;
  const res = await app.inject({
    method: 'POST',
    url: '/api/oauth/token',
    headers: {
      authorization: `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    payload: 'grant_type=client_credentials',
  });
  if (res.statusCode === 404) return null;
  if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`POST /api/oauth/token answered ${res.statusCode}: ${res.body}`);
  const body = JSON.parse(res.body) as { access_token: string };
  return { value: body.access_token };
}
