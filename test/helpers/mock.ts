/** Building test apps on the default dataset with a manual clock, and the dataset's well-known ids. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createClock, type Clock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import type { AppOptions } from '../../src/options.js';

/** The default dataset (README: The default dataset). */
export const IDS = {
  org: '6650a0c1f1d2e3a4b5c6d7e0',
  group: '6650a0c1f1d2e3a4b5c6d7e1',
  otherOrg: '6650a0c1f1d2e3a4b5c6d7f0',
  otherGroup: '6650a0c1f1d2e3a4b5c6d7f1',
  snapshotCompleted: '6650a0c1f1d2e3a4b5c6d801',
  snapshotInProgress: '6650a0c1f1d2e3a4b5c6d802',
  snapshotSharded: '6650a0c1f1d2e3a4b5c6d803',
  /** Completed, no export job on it: the one to export in the default dataset. */
  snapshotReady: '6650a0c1f1d2e3a4b5c6d804',
  bucket: '6650a0c1f1d2e3a4b5c6d810',
  jobQueued: '6650a0c1f1d2e3a4b5c6d820',
  jobInProgress: '6650a0c1f1d2e3a4b5c6d821',
  jobSuccessful: '6650a0c1f1d2e3a4b5c6d822',
  jobFailed: '6650a0c1f1d2e3a4b5c6d823',
  jobCancelled: '6650a0c1f1d2e3a4b5c6d824',
  jobSharded: '6650a0c1f1d2e3a4b5c6d825',
} as const;

export const V2023 = 'application/vnd.atlas.2023-01-01+json';
export const V2024 = 'application/vnd.atlas.2024-05-30+json';

/** A fixed start for manual clocks: 2026-08-10T03:00:00Z. */
export const T0 = Date.UTC(2026, 7, 10, 3, 0, 0);

export interface TestMock {
  app: FastifyInstance;
  clock: Clock;
  /**
   * inject with the default Accept header and the default credentials of the suite; a header given as
   * `undefined` is not sent at all.
   */
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Default headers every test request carries unless the test sets its own. */
export function defaultHeaders(): Record<string, string> {
  return { accept: V2023 };
}

/**
 * Credentials a test client sends by default (the Project Owner of the default dataset), for `inject` and
 * for requests over a real socket alike. Tests of authentication itself send their own `authorization`.
 * (Filled in by the authentication feature; until then requests need no credentials.)
 */
export async function ownerAuth(_app: FastifyInstance): Promise<Record<string, string>> {
  return {};
}

export function testMock(options: AppOptions = {}, deps: AppDeps & { start?: number } = {}): TestMock {
  const clock = deps.clock ?? createClock({ mode: 'manual', start: deps.start ?? T0 });
  const app = buildApp(options, { clock, random: deps.random ?? createRandom(7) });
  return {
    app,
    clock,
    request: async (opts) => {
      const merged: Record<string, unknown> = { ...defaultHeaders(), ...(await ownerAuth(app)), ...(opts.headers ?? {}) };
      const headers = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>;
      return app.inject({ ...opts, headers });
    },
  };
}

export const exportsUrl = (groupId: string = IDS.group, cluster = 'Cluster0') => `/api/atlas/v2/groups/${groupId}/clusters/${cluster}/backup/exports`;
export const jobUrl = (exportId: string, cluster = 'Cluster0', groupId: string = IDS.group) => `${exportsUrl(groupId, cluster)}/${exportId}`;
