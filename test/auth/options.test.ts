/**
 * The options of authentication and rate limiting: the flag table (flags and ATLAS_MOCK_* variables),
 * `--auth off`, and the start-up banner's "try:" command run for real against the built CLI.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/flags.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

const run = promisify(execFile);
const URL = jobUrl(IDS.jobSuccessful);

describe('flags', () => {
  it('map onto AppOptions, environment first, flags win', () => {
    const c = parseArgs(
      ['--auth', 'off', '--rate-limit-capacity=10', '--rate-limit-period', '2m', '--nonce-ttl', '30s'],
      { ATLAS_MOCK_AUTH: 'on', ATLAS_MOCK_RATE_LIMIT: 'off', ATLAS_MOCK_RATE_LIMIT_REFILL: '7', ATLAS_MOCK_RATE_LIMIT_CAPACITY: '99' },
    );
    expect(c.app.auth).toEqual({ enabled: false, nonceTtlMs: 30_000 });
    expect(c.app.rateLimit).toEqual({ enabled: false, capacity: 10, refill: 7, periodMs: 120_000 });
  });

  it.each([
    [['--auth', 'maybe']],
    [['--rate-limit', 'sometimes']],
    [['--rate-limit-capacity', '0']],
    [['--rate-limit-refill', 'x']],
    [['--rate-limit-period', '0']],
    [['--nonce-ttl', 'soon']],
  ])('%j is a usage error', (argv) => {
    expect(() => parseArgs(argv, {})).toThrow(UsageError);
  });
});

describe('--auth off', () => {
  it('accepts any request as the first Owner principal, without role or access-list checks', async () => {
    const mock = testMock({ auth: { enabled: false } });
    for (const authorization of [undefined, 'Digest garbage', 'Bearer unknown']) {
      const res = await mock.request({ url: URL, headers: { authorization } });
      expect([authorization, res.statusCode]).toEqual([authorization, 200]);
    }
    // Another organization's project is reachable too (its job lookup answers, not a 401).
    const other = await mock.request({ url: jobUrl(IDS.jobSuccessful, 'Cluster0', IDS.otherGroup), headers: { authorization: undefined } });
    expect([other.statusCode, other.headers['x-error-code']]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    expect((await mock.request({ url: URL, headers: { authorization: undefined }, remoteAddress: '198.51.100.1' })).statusCode).toBe(200);
    // The token endpoint hands out tokens to anyone.
    const token = await mock.app.inject({ method: 'POST', url: '/api/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=client_credentials' });
    expect(token.statusCode).toBe(200);
    await mock.app.close();
  });

  it('still rate-limits', async () => {
    const mock = testMock({ auth: { enabled: false }, rateLimit: { capacity: 1 } });
    expect((await mock.request({ url: URL, headers: { authorization: undefined } })).statusCode).toBe(200);
    expect((await mock.request({ url: URL, headers: { authorization: undefined } })).statusCode).toBe(429);
    await mock.app.close();
  });
});

describe('the built CLI', () => {
  /** Starts `node dist/cli.js` on port 0 and resolves with its banner once the "try:" line is out. */
  function startCli(args: string[]): Promise<{ banner: string; stop: () => void }> {
    if (!existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: npm test builds it (npm run build)');
    const child = spawn(process.execPath, ['dist/cli.js', '--port', '0', '--clock', 'manual', '--log-level', 'warn', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(new Error(`no banner: ${out}`));
      }, 15_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/try: .*\n/.test(out)) {
          clearTimeout(timer);
          resolve({ banner: out, stop: () => child.kill('SIGTERM') });
        }
      });
      child.on('error', reject);
    });
  }

  it.each([[[]], [['--auth', 'off']]])('prints a "try:" curl command that answers 200 (%j)', async (args) => {
    const { banner, stop } = await startCli(args);
    try {
      const command = /try: (curl .*)\n/.exec(banner)![1]!;
      expect(command.includes('--digest')).toBe(!args.includes('off'));
      const { stdout } = await run('/bin/sh', ['-c', `${command} -sS -w '\\n%{http_code}'`], { timeout: 15_000 });
      expect(stdout.endsWith('\n200')).toBe(true);
    } finally {
      stop();
    }
  });
});
