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
