/** Who may use /__mock: the admin token, loopback only without one, --allow-remote-control; start-up warnings. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/flags.js';
import { controlWarnings } from '../../src/server.js';
import { isLoopback } from '../../src/control/admin.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';
import { runCli, startCli } from '../helpers/cli.js';

describe('admin token', () => {
  it('when set, every control request needs it (Bearer or X-Mock-Admin-Token); health stays open', async () => {
    const { app, request } = testMock({ adminToken: 's3cret' });
    const get = (headers: Record<string, string> = {}, remoteAddress?: string) => app.inject({ url: '/__mock/clock', headers, ...(remoteAddress && { remoteAddress }) });
    const missing = await get();
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['x-error-code']).toBe('CONTROL_UNAUTHORIZED');
    expect(missing.json().detail).toContain('admin token');
    expect((await get({ authorization: 'Bearer wrong' })).statusCode).toBe(401);
    expect((await get({ 'x-mock-admin-token': 's3cre' })).statusCode).toBe(401);
    expect((await get({ authorization: 'Bearer s3cret' })).statusCode).toBe(200);
    expect((await get({ 'x-mock-admin-token': 's3cret' })).statusCode).toBe(200);
    // With a token, any address may use it.
    expect((await get({ 'x-mock-admin-token': 's3cret' }, '203.0.113.9')).statusCode).toBe(200);
    expect((await app.inject({ url: '/__mock/health' })).statusCode).toBe(200);
    // A refused control request changes nothing.
    expect((await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advanceBy: 'PT1H' } })).statusCode).toBe(401);
    expect(app.mock.clock.state().now).toBe('2026-08-10T03:00:00.000Z');
    // The Atlas API is not behind the admin token.
    expect((await request({ url: jobUrl(IDS.jobQueued) })).statusCode).toBe(200);
  });
});

describe('without an admin token', () => {
  it('refuses non-loopback clients with 403 unless --allow-remote-control', async () => {
    const { app } = testMock();
    const remote = await app.inject({ url: '/__mock/requests', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ errorCode: 'CONTROL_FORBIDDEN', parameters: ['203.0.113.9'] });
    expect((await app.inject({ url: '/__mock/requests', remoteAddress: '::1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/__mock/health', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    const open = testMock({ allowRemoteControl: true });
    expect((await open.app.inject({ url: '/__mock/requests', remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
  });

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '', undefined, '1.127.0.0']) expect(isLoopback(a)).toBe(false);
  });
});

describe('start-up', () => {
  it('warns when binding beyond loopback without a token', () => {
    expect(controlWarnings('127.0.0.1', {})).toEqual([]);
    expect(controlWarnings('::1', {})).toEqual([]);
    expect(controlWarnings('0.0.0.0', { adminToken: 't' })).toEqual([]);
    expect(controlWarnings('0.0.0.0', {})[0]).toMatch(/WARNING: .*without --admin-token.*loopback clients only/);
    expect(controlWarnings('0.0.0.0', { allowRemoteControl: true })[0]).toMatch(/WARNING: .*ANYONE/);
  });

  it('reads --admin-token, --allow-remote-control, --journal-size and their variables', () => {
    const c = parseArgs(['--allow-remote-control', '--journal-size', '50'], { ATLAS_MOCK_ADMIN_TOKEN: 'tok' });
    expect(c.app).toMatchObject({ adminToken: 'tok', allowRemoteControl: true, journalSize: 50 });
    expect(parseArgs([], { ATLAS_MOCK_ALLOW_REMOTE_CONTROL: 'off' }).app.allowRemoteControl).toBe(false);
    expect(() => parseArgs(['--admin-token', ''], {})).toThrow(/non-empty/);
    expect(() => parseArgs(['--journal-size', '-1'], {})).toThrow(/journal-size/);
  });

  it('the CLI prints the warning loudly on 0.0.0.0 and the control API mode', async () => {
    const cli = await startCli(['--host', '0.0.0.0']);
    try {
      // stderr may arrive just after the stdout line the helper waits for.
      for (let i = 0; i < 400 && !cli.output().includes('WARNING'); i++) await new Promise((r) => setTimeout(r, 50)); // up to 20 s on a busy machine
      expect(cli.output()).toMatch(/!!+\n!! WARNING: listening on 0\.0\.0\.0 without --admin-token/);
      expect(cli.output()).toContain('control API:');
      const health = await fetch(`${cli.url}/__mock/health`);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
    } finally {
      expect(await cli.stop('SIGINT')).toBe(0);
    }
    const quiet = await runCli(['--help']);
    expect(quiet.stdout).toContain('ATLAS_MOCK_ADMIN_TOKEN');
  });
});
