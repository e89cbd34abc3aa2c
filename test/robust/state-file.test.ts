/**
 * `--state-file`: the state survives a restart (store, fixtures added at run time, clock, plans,
 * tokens, the id counter); saves are coalesced; an unusable file is refused with a clear message and left
 * byte for byte as it was. The kill -9 test is state-crash.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { StateFileError } from '../../src/state/file.js';
import { DEFAULT_SAVE_DELAY_MS, StatePersister } from '../../src/state/persister.js';
import type { StateFile } from '../../src/state/schema.js';
import { DigestSession, parseChallenge } from '../helpers/digest.js';
import { runCli } from '../helpers/cli.js';
import { CREDENTIALS, exportsUrl, IDS, jobUrl, ownerAuth, T0, V2023, V2024 } from '../helpers/mock.js';

const bucketsUrl = `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets`;
const json = { 'content-type': 'application/json' };

function app(file: string, start = T0, fixtures?: string) {
  // The same seed as before a restart, as the CLI would have: ids must still not repeat.
  return buildApp({ stateFile: file, rateLimit: { enabled: false }, ...(fixtures !== undefined && { fixtures }) }, { clock: createClock({ mode: 'manual', start }), random: createRandom(5) });
}

async function call(a: ReturnType<typeof buildApp>, method: string, url: string, opts: { accept?: string; body?: unknown; auth?: Record<string, string> } = {}) {
  const res = await a.inject({
    method: method as 'GET',
    url,
    headers: { accept: opts.accept ?? V2023, ...(opts.auth ?? (await ownerAuth(a))), ...(opts.body !== undefined && json) },
    ...(opts.body !== undefined && { payload: opts.body as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

const admin = (a: ReturnType<typeof buildApp>, method: string, url: string, body?: unknown) =>
  a.inject({ method: method as 'GET', url, ...(body !== undefined && { headers: json, payload: body as object }) });

describe('state file', () => {
  it('restores jobs, buckets, run-time fixtures, clock, plans, tokens and the id counter after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    const first = app(file);
    await first.ready();
    const auth = await ownerAuth(first);
    // Run-time fixtures: a cluster with its snapshot in the first project.
    expect((await admin(first, 'POST', '/__mock/fixtures', { clusters: [{ groupId: IDS.group, name: 'Added0', collections: 3 }], snapshots: [{ id: '6650a0c1f1d2e3a4b5c6d8aa', groupId: IDS.group, clusterName: 'Added0' }] })).statusCode).toBe(201);
    const gcp = await call(first, 'POST', bucketsUrl, { accept: V2024, body: { cloudProvider: 'GCP', bucketName: 'kept-bucket', roleId: IDS.gcpRole } });
    const azure = await call(first, 'POST', bucketsUrl, { accept: V2024, body: { cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl: 'https://keptacct.blob.core.windows.net/x1' } });
    expect([gcp.status, azure.status]).toEqual([200, 200]);
    expect((await admin(first, 'PUT', '/__mock/plans/default', { queued: 'PT1M', running: 'PT2M' })).statusCode).toBe(200);
    expect((await admin(first, 'POST', '/__mock/plans/next', { groupId: IDS.group, clusterName: 'Added0', plan: { outcome: 'Failed', stateReason: { errorCode: 'X', message: 'kept' } }, times: 2 })).statusCode).toBe(201);
    const job = await call(first, 'POST', exportsUrl(IDS.group, 'Added0'), { body: { snapshotId: '6650a0c1f1d2e3a4b5c6d8aa', exportBucketId: gcp.body._id } });
    expect(job.status).toBe(200);
    await admin(first, 'POST', '/__mock/clock', { advanceBy: 'PT90S' });
    const before = {
      jobs: (await call(first, 'GET', `${exportsUrl(IDS.group, 'Added0')}?itemsPerPage=500`)).body,
      all: (await call(first, 'GET', `${exportsUrl()}?itemsPerPage=500`)).body,
      buckets: (await call(first, 'GET', bucketsUrl, { accept: V2024 })).body,
      clock: (await admin(first, 'GET', '/__mock/clock')).json(),
      plans: (await admin(first, 'GET', '/__mock/plans/next')).json(),
      defaultPlan: (await admin(first, 'GET', '/__mock/plans/default')).json(),
    };
    expect(before.jobs.results[0].state).toBe('InProgress');
    await first.close();

    // The second run starts from other fixtures time; everything comes from the file.
    const second = app(file, T0 + 86_400_000);
    await second.ready();
    expect((await call(second, 'GET', `${exportsUrl(IDS.group, 'Added0')}?itemsPerPage=500`, { auth })).body).toEqual(before.jobs);
    expect((await call(second, 'GET', `${exportsUrl()}?itemsPerPage=500`, { auth })).body).toEqual(before.all);
    expect((await call(second, 'GET', bucketsUrl, { accept: V2024, auth })).body).toEqual(before.buckets);
    expect((await admin(second, 'GET', '/__mock/clock')).json()).toEqual(before.clock);
    expect((await admin(second, 'GET', '/__mock/plans/next')).json()).toEqual(before.plans);
    expect((await admin(second, 'GET', '/__mock/plans/default')).json()).toEqual(before.defaultPlan);
    // A new job gets a new id, and the next plan queued before the restart (second of two: Failed).
    const another = await call(second, 'POST', exportsUrl(IDS.group, 'Added0'), { auth, body: { snapshotId: '6650a0c1f1d2e3a4b5c6d8aa', exportBucketId: azure.body._id } });
    expect(another.status).toBe(409); // the first export of that snapshot is still running: the rules hold
    await admin(second, 'POST', '/__mock/clock', { advanceBy: 'PT10M' });
    const third = await call(second, 'POST', exportsUrl(IDS.group, 'Added0'), { auth, body: { snapshotId: '6650a0c1f1d2e3a4b5c6d8aa', exportBucketId: azure.body._id } });
    expect(third.status).toBe(200);
    expect(third.body.id).not.toBe(job.body.id);
    // The token was minted an hour of mock time ago: expired now, as it should be; the suite mints a new one.
    await admin(second, 'POST', '/__mock/clock', { advanceBy: 'PT1H' });
    expect((await call(second, 'GET', `${exportsUrl(IDS.group, 'Added0')}/${third.body.id}`)).body).toMatchObject({ state: 'Failed', stateReason: { errorCode: 'X', message: 'kept' } });
    // A full reset goes back to the start-up fixtures plus the run-time ones, and the start-up default plan.
    expect((await admin(second, 'POST', '/__mock/reset')).statusCode).toBe(200);
    expect((await admin(second, 'GET', '/__mock/plans/default')).json()).toMatchObject({ queued: 150_000, running: 720_000 });
    expect((await call(second, 'GET', exportsUrl(IDS.group, 'Added0'))).body.totalCount).toBe(0);
    expect((await call(second, 'GET', `${bucketsUrl}/${gcp.body._id}`, { accept: V2024 })).status).toBe(404);
    await second.close();
  });

  it('keeps a job whose bucket was deleted while it ran: same exportBucketId after a restart, the bucket still gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    const first = app(file);
    await first.ready();
    const auth = await ownerAuth(first);
    const bucket = await call(first, 'POST', bucketsUrl, { accept: V2024, body: { cloudProvider: 'AWS', bucketName: 'gone-bucket', iamRoleId: IDS.awsRole } });
    const job = await call(first, 'POST', exportsUrl(), { body: { snapshotId: IDS.snapshotReady, exportBucketId: bucket.body._id } });
    expect([bucket.status, job.status]).toEqual([200, 200]);
    expect((await call(first, 'DELETE', `${bucketsUrl}/${bucket.body._id}`)).status).toBe(204);
    await first.close();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { data: { exportJobs: { id: string; exportBucketDeleted?: boolean }[] } };
    expect(saved.data.exportJobs.find((j) => j.id === job.body.id)?.exportBucketDeleted).toBe(true);

    const second = app(file);
    await second.ready();
    expect((await call(second, 'GET', `${exportsUrl()}/${job.body.id}`, { auth })).body).toEqual(job.body);
    expect((await call(second, 'GET', `${bucketsUrl}/${bucket.body._id}`, { accept: V2024, auth })).status).toBe(404);
    await second.close();
  });

  it('coalesces a burst of changes into few writes, and the last write holds them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    const a = app(file);
    await a.ready();
    const savesAtStart = a.statePersister!.saves;
    for (let i = 0; i < 40; i++) expect((await call(a, 'POST', bucketsUrl, { accept: V2024, body: { cloudProvider: 'AWS', bucketName: `burst-${i}`, iamRoleId: IDS.awsRole } })).status).toBe(200);
    await a.close();
    expect(a.statePersister!.saves - savesAtStart).toBeLessThan(10);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { data: { exportBuckets: { bucketName: string }[] } };
    expect(saved.data.exportBuckets.filter((b) => b.bucketName.startsWith('burst-'))).toHaveLength(40);
  });

  it('saves 250 ms after the first change even while changes keep coming, saves again, and saves the last changes on close', async () => {
    // The timing behind "a kill -9 loses at most the last ~250 ms plus one write", on vitest's fake clock.
    const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'state.json');
    vi.useFakeTimers();
    try {
      const captured: number[] = [];
      let elapsed = 0;
      const persister = new StatePersister(file, () => (captured.push(elapsed), { elapsed } as unknown as StateFile), { error: () => undefined, debug: () => undefined });
      // A change every 10 ms for 1 s: a save postponed by each change would never come.
      while (elapsed < 1000) {
        persister.changed();
        elapsed += 10;
        await vi.advanceTimersByTimeAsync(10);
      }
      expect(captured[0]).toBe(DEFAULT_SAVE_DELAY_MS);
      await persister.close();
      // Saves followed while the changes went on (each after the write before it: real file I/O, so how many
      // depends on the disk), and closing saved the last changes.
      expect(captured.length).toBeGreaterThanOrEqual(2);
      expect(captured.at(-1)).toBe(1000);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ elapsed: 1000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['truncated JSON', (t: string) => t.slice(0, Math.floor(t.length / 2)), /not valid JSON, truncated or corrupt/],
    ['garbage', () => '\u0000\u0001garbage', /not valid JSON/],
    ['another format', () => '{"jobs": []}', /not a state file of atlas-export-mock/],
    ['another version', (t: string) => t.replace('"version":1', '"version":99'), /format version 99; this atlas-export-mock reads version 1/],
    ['a bad value', (t: string) => t.replace('"idCounter":', '"idCounter":-5,"x":'), /invalid content: \$\.idCounter/],
    ['a dangling reference', (t: string) => t.replace(/"exportBucketId":"6650a0c1f1d2e3a4b5c6d810"/, '"exportBucketId":"6650a0c1f1d2e3a4b5c6d8ff"'), /unknown export bucket 6650a0c1f1d2e3a4b5c6d8ff/],
  ])('refuses %s with a clear message and leaves the file as it is', async (_name, spoil, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    const good = app(file);
    await good.ready();
    await good.close();
    const spoiled = spoil(readFileSync(file, 'utf8'));
    writeFileSync(file, spoiled);
    expect(() => app(file)).toThrow(StateFileError);
    expect(() => app(file)).toThrow(message);
    expect(readFileSync(file, 'utf8')).toBe(spoiled);
  });

  it('the CLI exits 1 with the message and keeps the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    writeFileSync(file, '{"format":"atlas-export-mock/state","version":1,"savedAt":');
    const res = await runCli(['--port', '0', '--state-file', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`the state file ${file} cannot be used: not valid JSON, truncated or corrupt`);
    expect(res.stderr).toContain('It is left as it is');
    expect(readFileSync(file, 'utf8')).toBe('{"format":"atlas-export-mock/state","version":1,"savedAt":');
  });
});

describe('state file: what a restart must not change', () => {
  // Azure's URL model: https://<account>.blob.core.windows.net/<container>/<blob path>. The container is the
  // first segment, percent-decoded, whatever follows it.
  const AZURE_URLS: [serviceUrl: string, container: string][] = [
    ['https://restartacct.blob.core.windows.net/c1/sub', 'c1'],
    ['https://restartacct.blob.core.windows.net/my%2Dcontainer/dir%2Fblob', 'my-container'],
    ['https://restartacct.blob.core.windows.net/c3/a/b/', 'c3'],
  ];
  const FIXTURE_BUCKETS = ['6650a0c1f1d2e3a4b5c6d9a0', '6650a0c1f1d2e3a4b5c6d9a1', '6650a0c1f1d2e3a4b5c6d9a2'];

  it('an Azure bucket named after its serviceUrl: the same name from the API and from fixture files, before and after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const fixtures = join(dir, 'fixtures');
    cpSync(new URL('../../fixtures/default', import.meta.url), fixtures, { recursive: true });
    const fixtureBuckets = AZURE_URLS.map(([serviceUrl], i) => ({ id: FIXTURE_BUCKETS[i], groupId: IDS.group, cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl }));
    writeFileSync(join(fixtures, 'azure.json'), JSON.stringify({ exportBuckets: fixtureBuckets }));
    const file = join(dir, 'state.json');
    const names = async (a: ReturnType<typeof buildApp>, ids: string[]) =>
      Promise.all(ids.map(async (id) => (await call(a, 'GET', `${bucketsUrl}/${id}`, { accept: V2024 })).body.bucketName as string));
    const expected = AZURE_URLS.map(([, container]) => container);

    const first = app(file, T0, fixtures);
    await first.ready();
    const created: string[] = [];
    for (const [serviceUrl] of AZURE_URLS) {
      const res = await call(first, 'POST', bucketsUrl, { accept: V2024, body: { cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl } });
      expect(res.status).toBe(200);
      created.push(res.body._id);
    }
    expect(await names(first, created)).toEqual(expected);
    expect(await names(first, FIXTURE_BUCKETS)).toEqual(expected);
    await first.close();
    // A name derived from the URL is left out of the file: the restart derives it again.
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { data: { exportBuckets: { id: string; bucketName?: string }[] } };
    expect(saved.data.exportBuckets.filter((b) => [...created, ...FIXTURE_BUCKETS].includes(b.id)).map((b) => b.bucketName)).toEqual(Array(6).fill(undefined));

    const second = app(file, T0, fixtures);
    await second.ready();
    expect(await names(second, created)).toEqual(expected);
    expect(await names(second, FIXTURE_BUCKETS)).toEqual(expected);
    await second.close();
  });

  it('a fixture file with an Azure serviceUrl that names no container needs bucketName, as the API does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const fixtures = join(dir, 'fixtures');
    cpSync(new URL('../../fixtures/default', import.meta.url), fixtures, { recursive: true });
    writeFileSync(join(fixtures, 'azure.json'), JSON.stringify({ exportBuckets: [{ id: FIXTURE_BUCKETS[0], groupId: IDS.group, cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl: 'https://restartacct.blob.core.windows.net/' }] }));
    expect(() => app(join(dir, 'state.json'), T0, fixtures)).toThrow(/exportBuckets\[0\]\.bucketName: required when serviceUrl names no container/);
  });

  it('removes the temporary files a killed process left beside the state file, and only those', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    // `<name>.tmp-<pid>-<n>` is what writeFileAtomic names them; anything else is not ours.
    const leftovers = ['state.json.tmp-4242-1', 'state.json.tmp-4242-17', 'state.json.tmp-1-1'];
    const others = ['state.json.tmp-mine', 'other.json.tmp-4242-1', 'state.json.bak', 'notes.txt'];
    for (const n of [...leftovers, ...others]) writeFileSync(join(dir, n), '{"format":"atlas-export-mock/state"');
    const a = app(file);
    await a.ready();
    expect(readdirSync(dir).sort()).toEqual([...others, 'state.json'].sort());
    await a.close();
    for (const n of others) expect(existsSync(join(dir, n))).toBe(true);
  });

  it('Digest nonces are not kept: after a restart a client on its old nonce gets stale=true and goes on without the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const file = join(dir, 'state.json');
    const url = jobUrl(IDS.jobSuccessful);
    const { publicKey, privateKey } = CREDENTIALS.owner;
    const session = new DigestSession(publicKey, privateKey);
    const get = (a: ReturnType<typeof buildApp>, authorization?: string) => a.inject({ url, headers: { accept: V2023, ...(authorization !== undefined && { authorization }) } });

    const first = app(file);
    await first.ready();
    const challenge = await get(first);
    expect(parseChallenge(challenge.headers['www-authenticate'] as string).stale).toBe('false');
    session.accept(challenge.headers['www-authenticate'] as string);
    expect((await get(first, session.next('GET', url))).statusCode).toBe(200);
    expect((await get(first, session.next('GET', url))).statusCode).toBe(200);
    await first.close();

    const second = app(file);
    await second.ready();
    // The next request on the old nonce is correct (count 3), but the nonce is unknown now.
    const stale = await get(second, session.next('GET', url));
    expect(stale.statusCode).toBe(401);
    expect(parseChallenge(stale.headers['www-authenticate'] as string).stale).toBe('true');
    // The client takes the new nonce (RFC 7616 §3.3: no new password prompt) and is served.
    session.accept(stale.headers['www-authenticate'] as string);
    expect((await get(second, session.next('GET', url))).statusCode).toBe(200);
    await second.close();
  });
});
