/** The command line: starts on the default dataset, documents every flag, refuses bad input, stops on SIGTERM. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAGS, parseArgs, UsageError } from '../../src/cli/flags.js';
import { assertSchema } from '../helpers/contract.js';
import { cliAuthHeaders, runCli, startCli } from '../helpers/cli.js';
import { IDS, jobUrl, V2023 } from '../helpers/mock.js';

describe('CLI', () => {
  it('serves the README example on the default dataset and stops on SIGTERM', async () => {
    const cli = await startCli();
    try {
      expect(cli.stdout()).toContain('clock: system');
      const res = await fetch(cli.url + jobUrl(IDS.jobSuccessful), { headers: { accept: V2023, ...(await cliAuthHeaders(cli.url)) } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
      assertSchema('DiskBackupExportJob', await res.json());
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it("the README's first command: curl with only the Accept header gets 200 and a DiskBackupExportJob (with --auth off; with auth on, the same command plus --digest -u)", async () => {
    const path = '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/6650a0c1f1d2e3a4b5c6d822';
    const curl = (args: string[]) => execFileSync('curl', ['-sS', '-w', '\n%{http_code}', ...args], { encoding: 'utf8' });
    const open = await startCli(['--auth', 'off']);
    try {
      const out = curl(['-H', 'Accept: application/vnd.atlas.2023-01-01+json', `${open.url}${path}`]);
      const [body, status] = [out.slice(0, out.lastIndexOf('\n')), out.slice(out.lastIndexOf('\n') + 1)];
      expect(status).toBe('200');
      assertSchema('DiskBackupExportJob', JSON.parse(body));
    } finally {
      await open.stop();
    }
    const secured = await startCli();
    try {
      const bare = curl(['-o', '/dev/null', '-H', 'Accept: application/vnd.atlas.2023-01-01+json', `${secured.url}${path}`]);
      expect(bare.trim()).toBe('401');
      const out = curl(['--digest', '-u', 'mockownr:11111111-2222-4333-8444-555555555555', '-H', 'Accept: application/vnd.atlas.2023-01-01+json', `${secured.url}${path}`]);
      expect(out.slice(out.lastIndexOf('\n') + 1)).toBe('200');
      assertSchema('DiskBackupExportJob', JSON.parse(out.slice(0, out.lastIndexOf('\n'))));
    } finally {
      await secured.stop();
    }
  });

  it('--help lists every flag with its environment variable', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const f of FLAGS) {
      expect(stdout).toContain(`--${f.name}`);
      for (const e of f.env) expect(stdout).toContain(e);
    }
  });

  it('refuses bad arguments with exit code 2 and bad fixtures with exit code 1 and the problem', async () => {
    const bad = await runCli(['--clock', 'sundial']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--clock needs system or manual');
    const dir = mkdtempSync(join(tmpdir(), 'cli-fixtures-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ projects: [{ id: 'x', orgId: IDS.org, name: 'p' }] }));
    const res = await runCli(['--fixtures', dir, '--port', '0']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/a\.json: \$\.projects\[0\]\.id: must be a 24-character/);
  });
});

describe('flag parsing', () => {
  it('reads ATLAS_MOCK_* and PORT/HOST, flags override them', () => {
    const c = parseArgs(['--port=9000', '--queued', 'PT1M'], { PORT: '7000', HOST: '0.0.0.0', ATLAS_MOCK_CLOCK: 'manual', ATLAS_MOCK_OUTCOME: 'Failed' });
    expect(c.port).toBe(9000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.clock.mode).toBe('manual');
    expect(c.app.plan).toEqual({ outcome: 'Failed', queuedMs: 60_000 });
    expect(() => parseArgs(['--nope'], {})).toThrow(UsageError);
    expect(() => parseArgs(['--port'], {})).toThrow(/needs a value/);
    expect(() => parseArgs(['--speed', '0'], {})).toThrow(/positive number/);
  });
});
