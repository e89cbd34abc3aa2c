/**
 * `dist/healthcheck.js`, the image's HEALTHCHECK (Dockerfile): run as Docker runs it, against the built CLI
 * on a free loopback port given through the same variables the image sets.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startCli, type RunningCli } from '../helpers/cli.js';

const HEALTHCHECK = fileURLToPath(new URL('../../dist/healthcheck.js', import.meta.url));

/** Exit code of `node dist/healthcheck.js [path]` with exactly these variables (no inherited PORT/HOST). */
function healthcheck(env: Record<string, string>, path?: string): Promise<number> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(ATLAS_MOCK_|PORT$|HOST$)/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, [HEALTHCHECK, ...(path ? [path] : [])], { cwd: ROOT, env: { ...clean, ...env }, timeout: 10_000 }, (err) =>
      resolve(err ? (typeof err.code === 'number' ? err.code : -1) : 0),
    );
  });
}

/** A loopback port nobody listens on (just released by the kernel). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

describe('HEALTHCHECK script (dist/healthcheck.js)', () => {
  let cli: RunningCli;
  let port: string;
  beforeAll(async () => {
    cli = await startCli(['--admin-token', 'hc-token']);
    port = new URL(cli.url).port;
  });
  afterAll(async () => {
    await cli?.stop();
  });

  it('passes against /__mock/health at PORT, open even when an admin token is set', async () => {
    expect(await healthcheck({ PORT: port })).toBe(0);
    expect(await healthcheck({ PORT: port, HOST: '0.0.0.0' })).toBe(0);
    expect(await healthcheck({ ATLAS_MOCK_PORT: port, PORT: '1' })).toBe(0); // the mock's own precedence
  });

  it('sends ATLAS_MOCK_ADMIN_TOKEN: a guarded control path passes with the right token only', async () => {
    expect(await healthcheck({ PORT: port, ATLAS_MOCK_ADMIN_TOKEN: 'hc-token' }, '/__mock/clock')).toBe(0);
    expect(await healthcheck({ PORT: port, ATLAS_MOCK_ADMIN_TOKEN: 'wrong' }, '/__mock/clock')).toBe(1);
    expect(await healthcheck({ PORT: port }, '/__mock/clock')).toBe(1);
  });

  it('fails on a non-2xx answer, a wrong port, or a bind address where nothing listens', async () => {
    expect(await healthcheck({ PORT: port }, '/__mock/nothing-here')).toBe(1);
    expect(await healthcheck({ PORT: await closedPort() })).toBe(1);
    expect(await healthcheck({ PORT: port, HOST: '127.0.0.2' })).toBe(1);
  });
});
