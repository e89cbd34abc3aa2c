/**
 * startAtlasMock's pool (src/testing/pool.ts): a closed mock's app serves the next start with the same
 * options, renewed. A renewed app must be indistinguishable from a new one: the same script of requests
 * (API and control, over real sockets) gets byte-for-byte the same answers from both, and their whole
 * state (the state-file image, faults, journal, nonces, tokens, rate limits) is the same.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startAtlasMock, type AtlasMock } from '../../src/index.js';
import { captureState } from '../../src/state/snapshot.js';
import { DEFAULT_FIXTURES_DIR } from '../../src/fixtures/load.js';
import { digestAuthorization, parseChallenge } from '../helpers/digest.js';
import { CREDENTIALS, IDS, V2023 } from '../helpers/mock.js';
import { ROOT } from '../helpers/cli.js';
import { idAt } from './helpers.js';

const execFileP = promisify(execFile);

const START = '2026-08-10T03:00:00.000Z';
const LATER = '2026-09-01T12:00:00.000Z';
const EXPORTS = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports`;

interface Exchange {
  what: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Everything a client can see of an answer, the mock's own address written as URL (ports differ). */
async function exchange(mock: AtlasMock, what: string, path: string, init: RequestInit = {}): Promise<Exchange> {
  const res = await fetch(mock.url + path, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (k !== 'date' && k !== 'keep-alive' && k !== 'connection') headers[k] = v.split(mock.url).join('URL');
  });
  return { what, status: res.status, headers, body: (await res.text()).split(mock.url).join('URL') };
}

/** A script that touches every kind of state a test can leave behind, answers recorded. */
async function script(mock: AtlasMock): Promise<unknown[]> {
  const out: unknown[] = [];
  const bearer = await mock.authHeaders();
  const api = { accept: V2023, ...bearer };
  out.push(bearer);
  out.push(await exchange(mock, 'job', `${EXPORTS}/${IDS.jobQueued}`, { headers: api }));
  out.push(await exchange(mock, 'list', `${EXPORTS}?includeCount=true`, { headers: api }));
  out.push(await exchange(mock, 'unknown job', `${EXPORTS}/6650a0c1f1d2e3a4b5c6d8ff`, { headers: api }));
  // A Digest challenge (a nonce drawn from the random source), then a signed request with it.
  const challenge = await exchange(mock, 'challenge', `${EXPORTS}/${IDS.jobQueued}`, { headers: { accept: V2023 } });
  out.push(challenge);
  const c = parseChallenge(challenge.headers['www-authenticate']);
  const uri = `${EXPORTS}/${IDS.jobQueued}`;
  const { publicKey: username, privateKey: password } = CREDENTIALS.owner;
  const signed = digestAuthorization({ username, password, method: 'GET', uri, realm: c.realm, nonce: c.nonce, nc: 1 });
  out.push(await exchange(mock, 'digest', uri, { headers: { accept: V2023, authorization: signed } }));
  // A job created through the API (an id from the id counter and the random source), a bucket and a fault.
  out.push(
    await exchange(mock, 'create', EXPORTS, {
      method: 'POST',
      headers: { ...api, 'content-type': 'application/json' },
      body: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket, customData: [{ key: 'k', value: 'v' }] }),
    }),
  );
  out.push(await mock.faults.add({ operation: 'getBackupExport', times: 1, error: 'SERVICE_UNAVAILABLE' }));
  out.push(await exchange(mock, 'faulted', `${EXPORTS}/${IDS.jobQueued}`, { headers: api }));
  out.push(await mock.fixtures.load({ exportJobs: [{ id: idAt(Date.parse(START), '0000aa'), groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, plan: { queued: 'PT1M', running: 'PT5M' } }] }));
  await mock.plans.setDefault({ queued: '45s' });
  await mock.plans.next({ groupId: IDS.group, clusterName: 'Cluster0', times: 1 }, { plan: { outcome: 'Failed' } });
  await mock.snapshots.setDefaultPlan({ running: '2m' });
  out.push(await mock.clock.advanceBy('PT20M'));
  out.push(await exchange(mock, 'list later', `${EXPORTS}?includeCount=true`, { headers: api }));
  // Wall time apart: how long each request took.
  out.push((await mock.journal.list()).map((e) => ({ ...e, durationMs: 0 })));
  out.push(await mock.health());
  out.push(await mock.plans.getDefault());
  out.push(await mock.faults.list());
  return out;
}

/** The mock's state beyond what the script reads: the state-file image and the auth and control counters. */
function state(mock: AtlasMock): unknown {
  const { app } = mock;
  const { savedAt: _savedAt, clock, ...rest } = captureState(app.mock, app.atlasAuth);
  return {
    ...rest,
    clock: { mode: clock.mode, speed: clock.speed, now: clock.now },
    nonces: { issued: app.atlasAuth.nonces.issued, size: app.atlasAuth.nonces.size },
    tokens: app.atlasAuth.tokens.minted,
    faults: app.control.faults.list(),
    journal: app.control.journal?.size,
    random: app.mock.random.next(),
  };
}

describe('startAtlasMock pool', () => {
  it('gives the next start with the same options the closed mock’s app, renewed as new', async () => {
    const first = await startAtlasMock({ clock: { start: START } });
    const firstApp = first.app;
    await script(first);
    await first.close();

    // The kept app, at another time: everything as a new mock would have it.
    const renewed = await startAtlasMock({ clock: { start: LATER } });
    expect(renewed.app).toBe(firstApp);
    // Open while `renewed` is: a new app.
    const fresh = await startAtlasMock({ clock: { start: LATER } });
    expect(fresh.app).not.toBe(firstApp);
    try {
      expect(state(renewed)).toEqual(state(fresh));
      const a = await script(renewed);
      const b = await script(fresh);
      a.forEach((x, i) => expect(x, `step ${i}`).toEqual(b[i]));
      expect(state(renewed)).toEqual(state(fresh));
    } finally {
      await renewed.close();
      await fresh.close();
    }
  });

  it('keeps apps per options: other options, seed or fixtures get their own', async () => {
    const a = await startAtlasMock({ journalSize: 10 });
    const appA = a.app;
    await a.close();
    const b = await startAtlasMock({ journalSize: 20 });
    const c = await startAtlasMock({ journalSize: 10, seed: 2 });
    expect(b.app).not.toBe(appA);
    expect(c.app).not.toBe(appA);
    const d = await startAtlasMock({ journalSize: 10 });
    expect(d.app).toBe(appA);
    expect(d.app.mock.random.seed).toBe(1);
    for (const m of [b, c, d]) await m.close();
  });

  it('reads a fixture folder again when its files changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-fixtures-'));
    try {
      cpSync(DEFAULT_FIXTURES_DIR, dir, { recursive: true });
      const a = await startAtlasMock({ fixtures: dir });
      const appA = a.app;
      await a.close();
      const b = await startAtlasMock({ fixtures: dir });
      expect(b.app).toBe(appA);
      await b.close();
      // One more job in the folder: a new app, which has it.
      writeFileSync(
        join(dir, 'zz-more.json'),
        JSON.stringify({ exportJobs: [{ id: idAt(Date.parse(START), '0000bb'), groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket }] }),
      );
      const c = await startAtlasMock({ fixtures: dir });
      expect(c.app).not.toBe(appA);
      expect((await c.health()).counts.exportJobs).toBe(7);
      await c.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not keep an app whose options hold a value JSON cannot compare, or that was closed directly', async () => {
    const logger = { level: 'silent', serializers: { req: (r: { method: string }) => ({ method: r.method }) } };
    const a = await startAtlasMock({ logger });
    const appA = a.app;
    await a.close();
    const b = await startAtlasMock({ logger });
    expect(b.app).not.toBe(appA);
    await b.close();

    const c = await startAtlasMock({ maxFaultRules: 7 });
    const appC = c.app;
    await appC.close();
    await c.close();
    const d = await startAtlasMock({ maxFaultRules: 7 });
    expect(d.app).not.toBe(appC);
    await d.close();
  });

  it('closes: the export folder is emptied, the port parked answers 503 until the next start takes it, with its connections', async () => {
    const mock = await startAtlasMock({ clock: { start: START } });
    const headers = { accept: V2023, ...(await mock.authHeaders()) };
    // A finished export: its files are in the mock's folder.
    const created = (await (await fetch(mock.url + EXPORTS, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }) })).json()) as { id: string };
    await mock.clock.advanceBy('PT30M');
    const files = await mock.exportFiles.list(created.id);
    expect(files.complete).toBe(true);
    const folder = files.files[0]!.location.split('/exported_snapshots/')[0]!.replace(/\/[^/]+$/, '');
    expect(readdirSync(folder).length).toBeGreaterThan(0);
    const url = mock.url;
    await mock.close();
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
    // Parked: the closed mock answers nothing; a request is told so, and its connection closed.
    const parked = await fetch(`${url}${EXPORTS}/${created.id}`, { headers });
    expect(parked.status).toBe(503);
    expect(parked.headers.get('x-error-code')).toBe('SERVICE_UNAVAILABLE');
    expect(parked.headers.get('connection')).toBe('close');
    expect(((await parked.json()) as { detail: string }).detail).toMatch(/was closed/);

    // The next start gets the port back, as a new mock: without that job or its files, nor the token.
    const next = await startAtlasMock({ clock: { start: START } });
    expect(next.app).toBe(mock.app);
    expect(next.url).toBe(url);
    expect((await fetch(`${url}${EXPORTS}/${created.id}`, { headers })).status).toBe(401);
    await expect(next.exportFiles.list(created.id)).rejects.toMatchObject({ status: 404 });
    // A keep-alive connection open before close() serves the next mock: no new connection.
    const job = `${EXPORTS}/${IDS.jobQueued}`;
    expect((await fetch(url + job, { headers: { accept: V2023, ...(await next.authHeaders()) } })).status).toBe(200);
    let connections = 0;
    next.app.server.on('connection', () => connections++);
    await next.close();
    const third = await startAtlasMock({ clock: { start: START } });
    expect((await fetch(third.url + job, { headers: { accept: V2023, ...(await third.authHeaders()) } })).status).toBe(200);
    expect(connections).toBe(0);
    await third.close();
  });

  it('never gives one port to two open mocks', async () => {
    const a = await startAtlasMock({ journalSize: 33 });
    const url = a.url;
    await a.close();
    const b = await startAtlasMock({ journalSize: 33 });
    const c = await startAtlasMock({ journalSize: 33 });
    expect(b.url).toBe(url);
    expect(c.url).not.toBe(url);
    expect(c.app).not.toBe(b.app);
    await b.close();
    await c.close();
  });

  it('with reusePort: false closes for real (refused) and the start listens on a port of its own', async () => {
    const a = await startAtlasMock({ journalSize: 34 });
    const parkedUrl = a.url;
    await a.close();
    // A parked app taken by a start that wants a new port leaves the parked one.
    const b = await startAtlasMock({ journalSize: 34, reusePort: false });
    expect(b.app).toBe(a.app);
    expect(b.url).not.toBe(parkedUrl);
    await expect(fetch(`${parkedUrl}${EXPORTS}`)).rejects.toThrow();
    const headers = { accept: V2023, ...(await b.authHeaders()) };
    expect((await fetch(`${b.url}${EXPORTS}`, { headers })).status).toBe(200);
    const url = b.url;
    await b.close();
    await expect(fetch(`${url}${EXPORTS}`, { headers })).rejects.toThrow();
    const c = await startAtlasMock({ journalSize: 34 });
    expect(c.app).toBe(a.app);
    await c.close();
  });

  it('a closed, parked mock does not keep its process alive', async () => {
    const script = `
      const { startAtlasMock } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)});
      const mock = await startAtlasMock();
      const res = await fetch(mock.url + ${JSON.stringify(EXPORTS)}, { headers: { accept: ${JSON.stringify(V2023)}, ...(await mock.authHeaders()) } });
      await mock.close();
      console.log(res.status);`;
    // Idle keep-alive connections would hold it for the server's keep-alive timeout (72 s); it exits at once.
    const { stdout } = await execFileP(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('200');
  });

  it('authHeaders() mints the token the endpoint would issue, without a request in the journal', async () => {
    const a = await startAtlasMock({ clock: { start: START }, reusePort: false });
    const b = await startAtlasMock({ clock: { start: START }, reusePort: false });
    try {
      const minted = await a.authHeaders();
      expect(await a.authHeaders()).toEqual(minted);
      const sa = b.credentials.serviceAccounts[0]!;
      const res = await fetch(`${b.url}/api/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${sa.clientId}:${sa.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(minted).toEqual({ authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` });
      expect(await a.journal.list()).toEqual([]);
      const job = `${a.url}${EXPORTS}/${IDS.jobQueued}`;
      expect((await fetch(job, { headers: { accept: V2023, ...minted } })).status).toBe(200);
      // An hour of mock time, as a token of the endpoint.
      await a.clock.advanceBy('PT1H');
      expect((await fetch(job, { headers: { accept: V2023, ...minted } })).status).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
