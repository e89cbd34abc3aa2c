/**
 * Starting a listening mock from a CLI configuration. The only place (with `startAtlasMock`) that listens.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { createClock } from './core/clock.js';
import { createRandom } from './core/random.js';
import { collectGarbage } from './core/gc.js';
import type { CliConfig } from './cli/flags.js';
import type { AppOptions } from './options.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** What start-up must say loudly (control API reachable from the network, or not usable from it). */
  warnings: string[];
  close(): Promise<void>;
}

/** From this many export jobs on, start-up ends with a full garbage collection. */
export const LARGE_STORE_JOBS = 100_000;

const LOOPBACK_HOSTS = /^(127\.\d+\.\d+\.\d+|::1|localhost|\[::1\])$/i;

/**
 * Warnings about the control API (`/__mock`, which can rewrite the whole mock) for a bind address: binding
 * beyond loopback without an admin token is either open to anyone (`--allow-remote-control`) or unusable
 * from other machines (403); both deserve a loud line at start-up.
 */
export function controlWarnings(host: string, app: Pick<AppOptions, 'adminToken' | 'allowRemoteControl'>): string[] {
  if (LOOPBACK_HOSTS.test(host) || app.adminToken) return [];
  if (app.allowRemoteControl)
    return [`WARNING: listening on ${host} with --allow-remote-control and no --admin-token: ANYONE who can reach this port can reset, rewrite and fault the mock through /__mock.`];
  return [
    `WARNING: listening on ${host} without --admin-token: the control API /__mock answers loopback clients only (403 CONTROL_FORBIDDEN to others). Set --admin-token (or --allow-remote-control on a trusted network) to drive it from elsewhere.`,
  ];
}

export async function startServer(config: CliConfig): Promise<RunningServer> {
  const clock = createClock({ mode: config.clock.mode, speed: config.clock.speed, ...(config.clock.start !== undefined && { start: config.clock.start }) });
  const random = createRandom(config.seed);
  const app = buildApp(
    // Export files are on for the command line (npm start writes exports with nothing else running).
    { ...config.app, exportFiles: config.app.exportFiles ?? {}, logger: { level: config.logLevel }, requestLogging: config.logLevel === 'debug' || config.logLevel === 'trace' },
    { clock, random },
  );
  // A large store's construction garbage goes now, not during the first requests (src/core/gc.ts).
  if (app.mock.store.jobs.size >= LARGE_STORE_JOBS) collectGarbage();
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host}:${port}`, warnings: controlWarnings(config.host, config.app), close: () => app.close() };
}
