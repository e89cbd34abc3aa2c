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
import { TOKEN_PATH } from '../auth/oauth-routes.js';
import { controlOver, type ControlTransport, type MockControl } from './client.js';
import { emptyFolder, keep, park, poolKey, take, trackConnections, unpark, type Kept } from './pool.js';

export interface StartOptions extends AppOptions {
  /** Clock of the mock (default: manual, starting at the wall clock's now). */
  clock?: { mode?: ClockMode; speed?: number; start?: string | number | Date };
  /** Seed of the random source (default 1). */
  seed?: number;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /**
   * With port 0 (default true): `close()` keeps the port, parked, and the next start with the same options
   * gets it back, with the keep-alive connections its clients hold; a request reaching a parked port is
   * answered 503 `SERVICE_UNAVAILABLE` ("this mock was closed…"). False: `close()` closes the port (new
   * connections refused) and the start listens on a port the system picks.
   */
  reusePort?: boolean;
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
   * Headers that authenticate a request as the dataset's first service account: a Bearer token minted in
   * the mock's token store, as `POST /api/oauth/token` issues it (the same JWT, valid 3600 s of mock time,
   * revocable), but without a request: the journal holds only what the code under test sent. One token per
   * mock; `{}` when the dataset has no service account.
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
  const { clock: clockOptions = {}, seed = 1, host = '127.0.0.1', port = 0, reusePort = true, ...rest } = options;
  const start = clockOptions.start === undefined ? undefined : new Date(clockOptions.start).getTime();
  const clock = createClock({ mode: clockOptions.mode ?? 'manual', ...(clockOptions.speed !== undefined && { speed: clockOptions.speed }), ...(start !== undefined && { start }) });
  const key = poolKey(rest, seed);
  // A port the system picks for this mock may be one a closed mock of this process left parked (below).
  const parkable = reusePort && port === 0;
  // The app of a closed mock with the same options (testing/pool.ts), renewed at this start's time…
  let k = key === undefined ? undefined : take(key);
  if (k) {
    // Its parked port (`park`), if this start takes any free port on the same host; else a new one.
    const reuse = k.parked !== undefined && parkable && k.parked === host;
    if (k.parked !== undefined && !reuse) {
      await stopListening(k.app);
      unpark(k.app);
    }
    k.parked = undefined;
    renewApp(k.app, clock.image());
    k.app.mock.exportFiles?.resume();
    // Renewed before it serves again: the first request reaching the parked port is the new mock's.
    if (reuse) unpark(k.app);
    else await listenAgain(k.app, host, port);
  } else {
    // …or a new one. Export files are on, by default into a folder of this mock only (emptied or removed by
    // close()): mocks of parallel test files never share a bucket folder. Give `exportFiles.dir` to keep
    // them, `enabled: false` for none.
    const ownDir = rest.exportFiles?.dir === undefined && rest.exportFiles?.enabled !== false ? mkdtempSync(join(tmpdir(), 'atlas-export-mock-')) : undefined;
    const appOptions: AppOptions = { ...rest, exportFiles: { ...rest.exportFiles, ...(ownDir !== undefined && { dir: ownDir }) } };
    const app = buildApp(appOptions, { clock, random: createRandom(seed) });
    app.addHook('onClose', async () => void closedApps.add(app));
    trackConnections(app);
    await app.listen({ host, port });
    k = { app, ownDir };
  }
  const { app } = k;
  const address = app.server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : port}`;
  // In the same process: the helpers go through Fastify's inject (same routes, hooks and answers, no socket).
  // The options are ours, of one fixed shape: light-my-request need not check them against its schema (an
  // ajv validator run on every call); its callback form rather than its promise chain, which starts the
  // request on a later tick.
  const inject: ControlTransport = (method, path, headers, body) =>
    new Promise((resolve, reject) => {
      app.inject({ method: method as 'GET', url: `/__mock${path}`, headers, ...(body !== undefined && { payload: body }), validate: false }, (err, res) => {
        if (err || !res) reject(err ?? new Error(`${method} /__mock${path}: no response`));
        else resolve({ status: res.statusCode, text: res.body });
      });
    });
  const control = controlOver(url, inject, rest.adminToken ? { adminToken: rest.adminToken } : {});
  const credentials = credentialsOf(app);

  let token: { value: string } | null | undefined;
  const authHeaders = async (): Promise<Record<string, string>> => {
    if (token === undefined) token = await tokenFor(app, credentials.serviceAccounts[0]);
    return token ? { authorization: `Bearer ${token.value}` } : {};
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeMock(app, key, k, parkable ? host : undefined));
  return { ...control, credentials, app, authHeaders, close };
}

/** Apps closed through `app.close()` (by a test holding `mock.app`): never kept. */
const closedApps = new WeakSet<FastifyInstance>();

/**
 * Stops serving, then keeps the app for the next start with the same options (or closes it for good). A mock
 * on a port the system picked keeps that port, parked (`park`), for the next start: its clients' keep-alive
 * connections serve the next mock, whose first request then costs what a shared mock's does.
 */
async function closeMock(app: FastifyInstance, key: string | undefined, k: Kept, parkOn: string | undefined): Promise<void> {
  if (key !== undefined && renewable(app) && !closedApps.has(app)) {
    if (parkOn !== undefined) park(app);
    else await stopListening(app);
    await app.mock.exportFiles?.stop();
    if (k.ownDir !== undefined) emptyFolder(k.ownDir);
    if (keep(key, { ...k, parked: parkOn })) return;
    if (parkOn !== undefined) unpark(app);
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
 * A Bearer token for a service account, or null when the dataset has none. Minted straight into the mock's
 * token store — the call the token endpoint makes, so the same JWT, expiry (3600 s of mock time) and
 * revocation — without a request (0.47 ms through the endpoint, measured per fresh mock): no journal entry,
 * as for the control helpers. A mock on a shared store (Redis) asks its endpoint, whose writes reach the
 * other replicas.
 */
async function tokenFor(app: FastifyInstance, account: ServiceAccountCredential | undefined): Promise<{ value: string } | null> {
  if (!account) return null;
  if (!app.mock.options.store) return { value: app.atlasAuth.tokens.issue(account.clientId).accessToken };
  const res = await app.inject({
    method: 'POST',
    url: TOKEN_PATH,
    headers: {
      authorization: `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    payload: 'grant_type=client_credentials',
  });
  if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`POST ${TOKEN_PATH} answered ${res.statusCode}: ${res.body}`);
  const body = JSON.parse(res.body) as { access_token: string };
  return { value: body.access_token };
}
