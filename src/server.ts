/**
 * Starting a listening mock from a CLI configuration. The only place (with `startAtlasMock`) that listens.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { createClock } from './core/clock.js';
import { createRandom } from './core/random.js';
import type { CliConfig } from './cli/flags.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: CliConfig): Promise<RunningServer> {
  const clock = createClock({ mode: config.clock.mode, speed: config.clock.speed, ...(config.clock.start !== undefined && { start: config.clock.start }) });
  const random = createRandom(config.seed);
  const app = buildApp(
    { ...config.app, logger: { level: config.logLevel }, requestLogging: config.logLevel === 'debug' || config.logLevel === 'trace' },
    { clock, random },
  );
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
