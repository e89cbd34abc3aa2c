/**
 * Rough cost of the control plane on the hot path: GET one export job, with the journal
 * on (default), off, and with a fault rule that never matches. Not a test: prints requests per second.
 *
 *   npx tsx bench/control-overhead.ts [N]           # this checkout
 *   BENCH_SRC=/path/to/other/src npx tsx bench/…    # another checkout's src/ (e.g. main, for a baseline)
 */
import { existsSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { pathToFileURL } from 'node:url';

const N = Number(process.argv[2] ?? 20_000);
const SRC = process.env.BENCH_SRC ?? new URL('../src/', import.meta.url).pathname;
const { buildApp } = (await import(pathToFileURL(`${SRC}/app.ts`).href)) as typeof import('../src/app.js');
const { createClock } = (await import(pathToFileURL(`${SRC}/core/clock.ts`).href)) as typeof import('../src/core/clock.js');

const URL_ = '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/6650a0c1f1d2e3a4b5c6d822';
const HEADERS = { accept: 'application/vnd.atlas.2023-01-01+json' };

async function variant(name: string, options: Record<string, unknown>, setup?: (app: any) => Promise<void>) {
  const app = buildApp(options, { clock: createClock({ mode: 'manual', start: Date.UTC(2026, 7, 10) }) });
  await app.ready();
  if (setup) await setup(app);
  // inject: the framework and the mock, no sockets.
  for (let i = 0; i < 2000; i++) await app.inject({ url: URL_, headers: HEADERS });
  let t = performance.now();
  for (let i = 0; i < N; i++) await app.inject({ url: URL_, headers: HEADERS });
  const injectRps = N / ((performance.now() - t) / 1000);
  // a real loopback socket, keep-alive, 16 in flight.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: URL_, headers: HEADERS, agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode)))));
      });
      req.on('error', reject);
      req.end();
    });
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next++ < n) await one();
    }));
  };
  await run(2000);
  t = performance.now();
  await run(N);
  const socketRps = N / ((performance.now() - t) / 1000);
  agent.destroy();
  await app.close();
  console.log(`${name.padEnd(34)} inject ${Math.round(injectRps).toString().padStart(6)} req/s   socket ${Math.round(socketRps).toString().padStart(6)} req/s`);
}

// BENCH_LOGGER=1: a pino logger as the CLI has (Fastify then tracks every response anyway).
const base: Record<string, unknown> = process.env.BENCH_LOGGER ? { logger: { level: 'warn' } } : {};
if (!existsSync(`${SRC}/control/plugin.ts`)) await variant('no control plane (baseline)', base);
else {
  for (let round = 0; round < 2; round++) {
    await variant('journal on, no fault rule (default)', base);
    await variant('journal off', { ...base, journalSize: 0 });
    await variant('journal on, 1 non-matching fault', base, async (app) => {
      await app.inject({ method: 'POST', url: '/__mock/faults', payload: { path: '/nowhere', error: 'UNEXPECTED_ERROR' } });
    });
  }
}
