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
import { buildApp } from '../app.js';
import { createClock, type ClockMode } from '../core/clock.js';
import { createRandom } from '../core/random.js';
import type { AppOptions } from '../options.js';
import { connectAtlasMock, type MockControl } from './client.js';

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
  // Export files are on, by default into a folder of this mock only (removed by close()): mocks of parallel
  // test files never share a bucket folder. Give `exportFiles.dir` to keep them, `enabled: false` for none.
  const ownDir = rest.exportFiles?.dir === undefined && rest.exportFiles?.enabled !== false ? mkdtempSync(join(tmpdir(), 'atlas-export-mock-')) : undefined;
  const appOptions: AppOptions = { ...rest, exportFiles: { ...rest.exportFiles, ...(ownDir !== undefined && { dir: ownDir }) } };
  const start = clockOptions.start === undefined ? undefined : new Date(clockOptions.start).getTime();
  const clock = createClock({ mode: clockOptions.mode ?? 'manual', ...(clockOptions.speed !== undefined && { speed: clockOptions.speed }), ...(start !== undefined && { start }) });
  const app = buildApp(appOptions, { clock, random: createRandom(seed) });
  await app.listen({ host, port });
  const address = app.server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof address === 'object' && address ? address.port : port}`;
  const control = connectAtlasMock(url, appOptions.adminToken ? { adminToken: appOptions.adminToken } : {});
  const credentials = credentialsOf(app);

  let token: { value: string } | null | undefined;
  const authHeaders = async (): Promise<Record<string, string>> => {
    if (token === undefined) token = await fetchToken(url, credentials.serviceAccounts[0]);
    return token ? { authorization: `Bearer ${token.value}` } : {};
  };

  const close = async (): Promise<void> => {
    await app.close();
    if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true });
  };
  return { ...control, credentials, app, authHeaders, close };
}

/** A Bearer token for a service account, or null when the mock has no token endpoint (404). */
async function fetchToken(url: string, account: ServiceAccountCredential | undefined): Promise<{ value: string } | null> {
  if (!account) return null;
  const res = await fetch(`${url}/api/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: 'grant_type=client_credentials',
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`POST /api/oauth/token answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { access_token: string };
  return { value: body.access_token };
}
