/**
 * The `bin` (dist/cli.js) starts the bundled CLI with V8's code cache (start-up): the first run
 * leaves a cache in the temp folder, the next runs start from it and behave the same.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startCli } from '../helpers/cli.js';

const temp = mkdtempSync(join(tmpdir(), 'atlas-mock-cache-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Files under `dir`, recursively. */
function files(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
  } catch {
    return [];
  }
}

describe('dist/cli.js', () => {
  it('runs the bundle next to it, and leaves a code cache for the next start', async () => {
    expect(statSync(join(ROOT, 'dist', 'cli.bundle.cjs')).isFile()).toBe(true);
    const env = { TMPDIR: temp };
    const first = await startCli([], env);
    expect(await first.stop()).toBe(0);
    // The cache is the CLI's own on every Node version, in a folder of the user only (src/cli.ts).
    const dir = join(temp, `atlas-export-mock-compile-cache-${process.getuid?.() ?? ''}`.replace(/-$/, ''));
    const cached = files(dir);
    expect(cached).toHaveLength(1);
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    const written = statSync(join(dir, cached[0]!)).mtimeMs;

    const second = await startCli([], env);
    const res = await fetch(`${second.url}/__mock/health`);
    expect(res.status).toBe(200);
    expect(second.stdout()).toContain('credentials:');
    expect(await second.stop()).toBe(0);
    // V8 took the cache: a rejected one would have been written again.
    expect(files(dir)).toEqual(cached);
    expect(statSync(join(dir, cached[0]!)).mtimeMs).toBe(written);
  });

  it('serves the document and Swagger UI: their plugins name the Fastify versions they support, which the bundle checks with semver loaded on first use (scripts/bundle-cli.mjs)', async () => {
    const cli = await startCli([], { TMPDIR: temp });
    try {
      const doc = await fetch(`${cli.url}/openapi/atlas.json`);
      expect(doc.status).toBe(200);
      expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.0.3');
      const ui = await fetch(`${cli.url}/docs/`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('listens on a host name: the bundle loads node:dns on first use (scripts/bundle-cli.mjs)', async () => {
    // Fastify resolves `localhost` with dns.lookup to bind each of its addresses; in the bundle that module
    // is a stand-in that loads node:dns when first used.
    const cli = await startCli(['--host', 'localhost'], { TMPDIR: temp });
    try {
      expect(cli.url).toContain('localhost');
      const res = await fetch(`${cli.url.replace('localhost', '127.0.0.1')}/__mock/health`);
      expect(res.status).toBe(200);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });
});

describe('the bundled router', () => {
  it('routes every kind of path as the unbundled app does (the bundle reuses the router functions it generates, scripts/bundle-cli.mjs)', async () => {
    const { buildApp } = await import('../../src/app.js');
    const { createClock } = await import('../../src/core/clock.js');
    const group = '6650a0c1f1d2e3a4b5c6d7e1';
    const exports = `/api/atlas/v2/groups/${group}/clusters/Cluster0/backup/exports`;
    const requests: [string, string][] = [
      ['GET', `${exports}/6650a0c1f1d2e3a4b5c6d822`],
      ['HEAD', `${exports}/6650a0c1f1d2e3a4b5c6d822`],
      ['GET', `${exports}/6650a0c1f1d2e3a4b5c6d822/`],
      ['GET', `${exports}/6650a0c1f1d2e3a4b5c6dfff`],
      ['GET', `${exports}/not-an-id`],
      ['GET', exports],
      ['PUT', exports],
      ['GET', `/api/atlas/v2/groups/${group}/backup/exportBuckets`],
      ['GET', `/api/atlas/v2/groups/${group}/clusters/Cluster0/backup/snapshots/shardedClusters`],
      ['DELETE', `/api/atlas/v2/groups/${group}/clusters/Cluster0/backup/snapshots/shardedClusters`],
      ['GET', `/api/atlas/v2/groups/${group}/clusters/Cluster0/backup/snapshots/6650a0c1f1d2e3a4b5c6d999/databases/db/collections/c1`],
      ['GET', `/api/atlas/v2/groups/${group}/cloudProviderAccess`],
      ['GET', '/api/atlas/v2/nowhere'],
      ['GET', '/__mock/health'],
    ];
    const cli = await startCli(['--auth', 'off', '--clock', 'manual', '--start-time', '2026-01-01T00:00:00Z'], { TMPDIR: temp });
    const app = buildApp({ auth: { enabled: false } }, { clock: createClock({ mode: 'manual', start: Date.parse('2026-01-01T00:00:00Z') }) });
    try {
      for (const [method, url] of requests) {
        const headers = { accept: 'application/vnd.atlas.2023-01-01+json' };
        const spawned = await fetch(cli.url + url, { method, headers });
        // The same Host header, for the links of list pages.
        const inProcess = await app.inject({ method: method as 'GET', url, headers: { ...headers, host: new URL(cli.url).host } });
        const what = `${method} ${url}`;
        expect(spawned.status, what).toBe(inProcess.statusCode);
        expect(spawned.headers.get('x-error-code'), what).toBe(inProcess.headers['x-error-code'] ?? null);
        if (method !== 'HEAD' && !url.startsWith('/__mock')) expect(await spawned.text(), what).toBe(inProcess.body);
      }
    } finally {
      await app.close();
      expect(await cli.stop()).toBe(0);
    }
  });

  it('writes export files to a folder: the bundle loads node:fs/promises on first use (scripts/bundle-cli.mjs)', async () => {
    const dir = join(temp, 'exports');
    const cli = await startCli(['--export-dir', dir], { TMPDIR: temp });
    try {
      const job = `${cli.url}/__mock/exports/6650a0c1f1d2e3a4b5c6d820`;
      const finish = await fetch(`${job}/plan`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ finish: { outcome: 'Successful' } }) });
      expect(finish.status).toBe(200);
      const res = await fetch(`${job}/files`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { complete: boolean; permissionCheck: boolean; files: { location: string }[] };
      expect([body.complete, body.permissionCheck]).toEqual([true, true]);
      expect(body.files.length).toBeGreaterThan(1);
      for (const f of body.files) expect(statSync(f.location).isFile()).toBe(true);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('validates control requests as the unbundled app does (their schemas are built at the first control request, core/lazy-schema.ts)', async () => {
    const { buildApp } = await import('../../src/app.js');
    const { createClock } = await import('../../src/core/clock.js');
    const requests: [string, string, unknown?][] = [
      ['POST', '/__mock/faults', { operation: 'getBackupExport' }],
      ['POST', '/__mock/faults', { error: 'NO_SUCH_CODE' }],
      ['POST', '/__mock/faults', { error: 'RESOURCE_NOT_FOUND', extra: 1 }],
      ['POST', '/__mock/clock', {}],
      ['POST', '/__mock/clock', { advanceBy: 'soon' }],
      ['GET', '/__mock/requests?limit=abc'],
      ['POST', '/__mock/fixtures?groupId=nope', {}],
      ['POST', '/__mock/fixtures', { clusters: [{ name: 'x' }] }],
      ['PUT', '/__mock/exports/not-an-id/plan', { pin: { state: 'Queued' } }],
      ['POST', '/__mock/plans/next', { groupId: '6650a0c1f1d2e3a4b5c6d7e1', clusterName: 'Cluster0' }],
      ['POST', '/__mock/clock', { advanceBy: '1m' }],
      ['GET', '/__mock/clock'],
    ];
    const cli = await startCli(['--clock', 'manual', '--start-time', '2026-01-01T00:00:00Z'], { TMPDIR: temp });
    const app = buildApp({}, { clock: createClock({ mode: 'manual', start: Date.parse('2026-01-01T00:00:00Z') }) });
    const statuses: number[] = [];
    try {
      for (const [method, url, body] of requests) {
        const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const spawned = await fetch(cli.url + url, { method, headers, body: payload });
        const inProcess = await app.inject({ method: method as 'GET', url, headers, payload });
        const what = `${method} ${url} ${payload ?? ''}`;
        expect(spawned.status, what).toBe(inProcess.statusCode);
        expect(await spawned.text(), what).toBe(inProcess.body);
        statuses.push(spawned.status);
      }
      // Refused by validation (params, query, body), except the last two.
      expect(statuses).toEqual([...Array(requests.length - 2).fill(400), 200, 200]);
    } finally {
      await app.close();
      expect(await cli.stop()).toBe(0);
    }
  });
});
