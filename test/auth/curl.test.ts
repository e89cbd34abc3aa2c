/**
 * The real `curl` binary against a listening mock (loopback, port 0): Digest with `--digest -u`, several
 * requests in a row, and the two curl commands of the Atlas documentation for "Return One Snapshot Export
 * Job" (cURL Digest and cURL Service Accounts tabs of the Admin API v2 reference) with only the host
 * changed — the path placeholders are filled with the default dataset's ids, the variables come from the
 * environment as the docs intend. The token for the Bearer command is fetched with the token command of
 * the spec's own introduction (`info.description`), without its `| jq` (parsed here instead).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { CREDENTIALS, IDS, T0 } from '../helpers/mock.js';

const run = promisify(execFile);
const ATLAS = 'https://cloud.mongodb.com';
const PATH = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports/${IDS.jobSuccessful}`;

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = buildApp({}, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(11) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  // Fail loudly rather than skip when curl is missing.
  await run('curl', ['--version']);
});

afterAll(async () => {
  await app.close();
});

/** Runs a documented shell command with the host replaced, in a shell, with the given environment. */
async function shell(command: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await run('/bin/sh', ['-c', command.replaceAll(ATLAS, base)], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 15_000 });
  return stdout;
}

/** Status lines and the body of `curl --include` output (a Digest exchange prints the 401 first). */
function included(output: string): { statuses: number[]; body: string } {
  const statuses = [...output.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1]));
  const body = output.slice(output.lastIndexOf('\r\n\r\n') + 4);
  return { statuses, body };
}

describe('curl --digest', () => {
  it('several requests in a row all get 200', async () => {
    const { owner } = CREDENTIALS;
    const urls = [PATH, `${PATH}?pretty=true`, `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports/${IDS.jobQueued}`, PATH, PATH];
    const { stdout } = await run(
      'curl',
      ['-sS', '--digest', '-u', `${owner.publicKey}:${owner.privateKey}`, '-H', 'Accept: application/vnd.atlas.2023-01-01+json', '-w', '\n%{http_code}\n', ...urls.map((u) => base + u)],
      { timeout: 15_000 },
    );
    const codes = stdout.trim().split('\n').filter((l) => /^\d{3}$/.test(l));
    expect(codes).toEqual(urls.map(() => '200'));
    expect(stdout).toContain(`"id":"${IDS.jobQueued}"`);
    expect(stdout).toContain(`"id" : "${IDS.jobSuccessful}"`);
  });

  it('a wrong private key ends in 401 with the challenge', async () => {
    const { stdout } = await run('curl', ['-sS', '--digest', '-u', 'mockownr:wrong', '-H', 'Accept: application/vnd.atlas.2023-01-01+json', '-w', '\n%{http_code}', base + PATH], { timeout: 15_000 });
    expect(stdout.endsWith('\n401')).toBe(true);
    expect(stdout).toContain('"errorCode" : "UNEXPECTED_ERROR"');
  });
});

describe('the curl commands of the Atlas documentation (host changed)', () => {
  const url = `${ATLAS}/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports/${IDS.jobSuccessful}?pretty=true`;

  it('cURL (Digest)', async () => {
    const command = [
      'curl --user "${PUBLIC_KEY}:${PRIVATE_KEY}" \\',
      '  --digest --include \\',
      '  --header "Accept: application/vnd.atlas.2025-03-12+json" \\',
      `  -X GET "${url}"`,
    ].join('\n');
    const out = included(await shell(command, { PUBLIC_KEY: CREDENTIALS.owner.publicKey, PRIVATE_KEY: CREDENTIALS.owner.privateKey }));
    expect(out.statuses).toEqual([401, 200]);
    expect(JSON.parse(out.body)).toMatchObject({ id: IDS.jobSuccessful, state: 'Successful' });
  });

  it('cURL (Service Accounts): token command of the spec, then the Bearer command', async () => {
    const tokenCommand = [
      'curl -fsS --request POST https://cloud.mongodb.com/api/oauth/token \\',
      '  --header "Authorization: Basic $(printf \'%s\' "${CLIENT_ID}:${CLIENT_SECRET}" | base64 | tr -d \'\\n\')" \\',
      '  --header "Content-Type: application/x-www-form-urlencoded" \\',
      '  --header "Accept: application/json" \\',
      '  --data "grant_type=client_credentials"',
    ].join('\n');
    const tokenJson = await shell(tokenCommand, { CLIENT_ID: CREDENTIALS.serviceAccount.clientId, CLIENT_SECRET: CREDENTIALS.serviceAccount.clientSecret });
    const accessToken = (JSON.parse(tokenJson) as { access_token: string }).access_token;
    expect(accessToken.split('.')).toHaveLength(3);

    const command = [
      'curl --include --header "Authorization: Bearer ${ACCESS_TOKEN}" \\',
      '  --header "Accept: application/vnd.atlas.2025-03-12+json" \\',
      `  -X GET "${url}"`,
    ].join('\n');
    const out = included(await shell(command, { ACCESS_TOKEN: accessToken }));
    expect(out.statuses).toEqual([200]);
    expect(JSON.parse(out.body)).toMatchObject({ id: IDS.jobSuccessful, state: 'Successful' });
  });
});
