/** Building test apps on the default dataset with a manual clock, and the dataset's well-known ids. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createClock, type Clock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import type { AppOptions } from '../../src/options.js';
import type { Dataset } from '../../src/fixtures/schema.js';
import { checkContract } from './contract-check.js';

import { IDS } from './ids.js';

export { IDS };

export const V2023 = 'application/vnd.atlas.2023-01-01+json';
export const V2024 = 'application/vnd.atlas.2024-05-30+json';

/** A fixed start for manual clocks: 2026-08-10T03:00:00Z. */
export const T0 = Date.UTC(2026, 7, 10, 3, 0, 0);

export interface TestMock {
  app: FastifyInstance;
  clock: Clock;
  /**
   * inject with the default Accept header and the default credentials of the suite; a header given as
   * `undefined` is not sent at all. Every answer is checked against the official schema of its operation
   * (test/helpers/contract-check.ts).
   */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Default headers every test request carries unless the test sets its own. */
export function defaultHeaders(): Record<string, string> {
  return { accept: V2023 };
}

/** Credentials of the default dataset (fixtures/default/principals.json). */
export const CREDENTIALS = {
  owner: { publicKey: 'mockownr', privateKey: '11111111-2222-4333-8444-555555555555' },
  readOnly: { publicKey: 'mockread', privateKey: '22222222-3333-4444-8555-666666666666' },
  otherOrgOwner: { publicKey: 'mockothr', privateKey: '33333333-4444-4555-8666-777777777777' },
  accessListOwner: { publicKey: 'mockipls', privateKey: '44444444-5555-4666-8777-888888888888' },
  serviceAccount: { clientId: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', clientSecret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' },
  /** Project Owner of the second project (second organization). */
  otherServiceAccount: { clientId: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d831', clientSecret: 'mdb_sa_sk_othrothrothrothrothrothrothrothr' },
} as const;

export const basicAuth = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Bearer tokens per app and service account, minted through the token endpoint, re-minted near expiry. */
const ownerTokens = new WeakMap<FastifyInstance, Map<string, { token: string; renewAt: number }>>();

/**
 * The service account `ownerAuth` uses: one holding Project Owner on `groupId` (the default one first),
 * else, without a group, the default one or the first Owner.
 */
function ownerServiceAccount(app: FastifyInstance, groupId?: string): { id: string; secret: string } | undefined {
  const principals = app.mock.store.principals;
  const isOwner = (p: { kind: string; projects: { groupId: string; roles: string[] }[] }) =>
    p.kind === 'serviceAccount' && p.projects.some((g) => (groupId === undefined || g.groupId === groupId) && g.roles.includes('Project Owner'));
  const preferred = principals.get(CREDENTIALS.serviceAccount.clientId);
  if (preferred && isOwner(preferred)) return { id: preferred.id, secret: preferred.secret };
  for (const p of principals.values()) if (isOwner(p)) return { id: p.id, secret: p.secret };
  return groupId === undefined ? undefined : ownerServiceAccount(app);
}

/** The project a request URL is about, if any. */
export function groupOf(url: string | undefined): string | undefined {
  return url ? /\/groups\/([a-f0-9]{24})(?:\/|\?|$)/.exec(url)?.[1] : undefined;
}

/**
 * Credentials a test client sends by default, for `inject` and for requests over a real socket alike: a
 * Bearer token of a service account that owns the project the request is about (`groupId`), issued by the
 * app's token store once per app (and again when the test's clock moves it near expiry, or after the token
 * store was reset). Every test
 * request thus goes through real authentication. Tests of authentication itself send their own
 * `authorization` (or `authorization: undefined` for none).
 */
export async function ownerAuth(app: FastifyInstance, groupId?: string): Promise<Record<string, string>> {
  const now = app.mock.clock.now();
  const sa = ownerServiceAccount(app, groupId);
  let tokens = ownerTokens.get(app);
  if (!tokens) ownerTokens.set(app, (tokens = new Map()));
  const cached = sa && tokens.get(sa.id);
  if (cached && now < cached.renewAt && app.atlasAuth.tokens.resolve(cached.token) !== undefined) return { authorization: `Bearer ${cached.token}` };
  if (!sa) {
    throw new Error(
      'ownerAuth: the dataset has no service account holding Project Owner. Add one (see CREDENTIALS.serviceAccount and withTestOwner), ' +
        'or send your own authorization header.',
    );
  }
  // Minted in process rather than through POST /api/oauth/token (which has suites of its own): the
  // requests a test makes are then the only ones in the journal, and fault rules never hit the minting.
  const { accessToken: token, expiresIn } = app.atlasAuth.tokens.issue(sa.id);
  tokens.set(sa.id, { token, renewAt: now + (expiresIn - 60) * 1000 });
  return { authorization: `Bearer ${token}` };
}

/**
 * A dataset without any principal gets the default service account as Project Owner of the projects of its
 * first organization, so that tests of a custom world still authenticate for real. A dataset with its own
 * principals is left as it is (its test decides who may do what).
 */
export function withTestOwner(dataset: Dataset): Dataset {
  if (dataset.apiKeys.length > 0 || dataset.serviceAccounts.length > 0) return dataset;
  const orgId = dataset.organizations[0]?.id;
  if (!orgId) return dataset;
  const projects = dataset.projects.filter((p) => p.orgId === orgId).map((p) => ({ groupId: p.id, roles: ['Project Owner' as const] }));
  const owner = { ...CREDENTIALS.serviceAccount, orgId, description: 'test owner (test/helpers/mock.ts withTestOwner)', projects, accessList: [] };
  return { ...dataset, serviceAccounts: [owner] };
}

/** Header values left undefined by a test are not sent (e.g. `authorization: undefined`: no credentials). */
function definedHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string | string[] | number> {
  const out: Record<string, string | string[] | number> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
  return out;
}

export function testMock(options: AppOptions = {}, deps: AppDeps & { start?: number } = {}): TestMock {
  const clock = deps.clock ?? createClock({ mode: 'manual', start: deps.start ?? T0 });
  const fixtures = typeof options.fixtures === 'object' ? withTestOwner(options.fixtures) : options.fixtures;
  const app = buildApp({ ...options, ...(fixtures !== undefined && { fixtures }) }, { clock, random: deps.random ?? createRandom(7) });
  return {
    app,
    clock,
    request: async (opts) => {
      const explicit = (opts.headers ?? {}) as Record<string, string | undefined>;
      const auth = 'authorization' in explicit ? {} : await ownerAuth(app, groupOf(opts.url as string | undefined));
      const res = await app.inject({ ...opts, headers: definedHeaders({ ...defaultHeaders(), ...auth, ...explicit }) });
      checkContract(opts, res);
      return res;
    },
  };
}

export const exportsUrl = (groupId: string = IDS.group, cluster = 'Cluster0') => `/api/atlas/v2/groups/${groupId}/clusters/${cluster}/backup/exports`;
export const jobUrl = (exportId: string, cluster = 'Cluster0', groupId: string = IDS.group) => `${exportsUrl(groupId, cluster)}/${exportId}`;
