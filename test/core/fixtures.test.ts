/** Fixture folders: validated with the same zod schemas; a bad file names the file, the JSON path and the problem. */
import { mkdtempSync, writeFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DatasetError, fixtureOfPlan, planOf } from '../../src/fixtures/apply.js';
import { defaultTimedPlan } from '../../src/exports/lifecycle.js';
import { EXPORT_STATES, OUTCOMES } from '../../src/store/model.js';
import { COMPILED_PARSE_MIN_ITEMS, DEFAULT_FIXTURES_DIR, loadFixtureDir, parseDataset, preparedDataset, type PreparedDataset } from '../../src/fixtures/load.js';
import { emptyDataset, DATASET_KEYS, fixtureSchemas } from '../../src/fixtures/schema.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { buildApp } from '../../src/app.js';
import { assertSchema } from '../helpers/contract.js';
import { IDS, jobUrl, T0, testMock } from '../helpers/mock.js';

function dirWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
  cpSync(DEFAULT_FIXTURES_DIR, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function problemsOf(dir: string): string {
  try {
    loadFixtureDir(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return (e as Error).message;
  }
  throw new Error('expected the fixtures to be refused');
}

describe('emptyDataset', () => {
  it('is what the dataset schema makes of {} (it is written out to spare start-up a zod parse)', () => {
    expect(emptyDataset()).toEqual(fixtureSchemas().datasetSchema.parse({}));
    expect(Object.keys(emptyDataset()).sort()).toEqual([...DATASET_KEYS].sort());
    // A fresh object every time: callers push into its lists.
    expect(emptyDataset().exportJobs).not.toBe(emptyDataset().exportJobs);
  });
});

describe('parseDataset below and above the compiled-parse threshold', () => {
  // Small datasets are validated without zod's compiled fast path (start-up), large ones with it: the
  // answer must not depend on which.
  const job = (i: number) => ({
    id: `6650a0c1f1d2e3a4${i.toString(16).padStart(8, '0')}`,
    groupId: IDS.group,
    clusterName: 'Cluster0',
    snapshotId: IDS.snapshotCompleted,
    exportBucketId: IDS.bucket,
    customData: [{ key: 'k', value: String(i) }],
  });
  const sizes = [3, COMPILED_PARSE_MIN_ITEMS + 5];

  it('gives the same output for the same items', () => {
    const [small, large] = sizes.map((n) => parseDataset({ exportJobs: Array.from({ length: n }, (_, i) => job(i)) }));
    expect(large!.exportJobs.slice(0, 3)).toEqual(small!.exportJobs);
    expect(large!.exportJobs[0]).toEqual(expect.objectContaining({ customData: [{ key: 'k', value: '0' }] }));
  });

  it('names the same problems', () => {
    const messages = sizes.map((n) => {
      const jobs: unknown[] = Array.from({ length: n }, (_, i) => job(i));
      jobs[1] = { ...job(1), unknownKey: 1, clusterName: '-bad' };
      try {
        parseDataset({ exportJobs: jobs }, 'x.json');
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        return (e as DatasetError).problems;
      }
      throw new Error('expected a DatasetError');
    });
    expect(messages[1]).toEqual(messages[0]);
    expect(messages[0]!.map((p) => p.path)).toEqual(expect.arrayContaining(['$.exportJobs[1].clusterName']));
  });
});

describe('a prepared dataset (the CLI bundle carries the default one, scripts/bundle-cli.mjs)', () => {
  const prepare = (dir: string): PreparedDataset => ({
    files: readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]),
    dataset: loadFixtureDir(dir),
  });

  it('is used while the folder holds the same files, as a copy of its own', () => {
    const dir = dirWith({});
    const prepared = prepare(dir);
    const got = preparedDataset(prepared, dir);
    expect(got).toEqual(loadFixtureDir(dir));
    expect(got).not.toBe(prepared.dataset);
    got!.exportJobs.pop();
    expect(preparedDataset(prepared, dir)).toEqual(prepared.dataset);
  });

  it('is not used once a file changed, was added or is gone (the folder is loaded and validated instead)', () => {
    const prepared = prepare(DEFAULT_FIXTURES_DIR);
    const jobs = JSON.parse(readFileSync(join(DEFAULT_FIXTURES_DIR, 'export-jobs.json'), 'utf8')) as { exportJobs: unknown[] };
    expect(preparedDataset(prepared, dirWith({ 'export-jobs.json': { ...jobs, exportJobs: jobs.exportJobs.slice(1) } }))).toBeUndefined();
    expect(preparedDataset(prepared, dirWith({ 'more.json': { exportJobs: [] } }))).toBeUndefined();
    expect(preparedDataset({ ...prepared, files: [...prepared.files, ['zz.json', '{}']] }, dirWith({}))).toBeUndefined();
    expect(preparedDataset(prepared, join(DEFAULT_FIXTURES_DIR, 'nowhere'))).toBeUndefined();
  });
});

describe('plans in the fixture format (state file, control API)', () => {
  it('a plan loaded from a fixture is saved and loaded again unchanged; a pin finishes to the second, as Atlas shows it', () => {
    const reason = fc.option(fc.record({ errorCode: fc.string({ minLength: 1 }), message: fc.string() }), { nil: undefined });
    const fixture = fc.oneof(
      fc.record({ plan: fc.record({ queued: fc.nat(), running: fc.nat(), outcome: fc.constantFrom(...OUTCOMES), stateReason: reason }, { requiredKeys: ['queued', 'running', 'outcome'] }) }),
      fc.record({
        pin: fc.record(
          {
            state: fc.constantFrom(...EXPORT_STATES),
            exportedCollections: fc.nat(),
            finishedAt: fc.integer({ min: 0, max: 253_402_300_799_999 }).map((ms) => new Date(ms).toISOString()),
            stateReason: reason,
          },
          { requiredKeys: ['state'] },
        ),
      }),
    );
    fc.assert(
      fc.property(fixture, (f) => {
        const loaded = planOf(JSON.parse(JSON.stringify(f)), defaultTimedPlan());
        const saved = fixtureOfPlan(loaded);
        expect(planOf(saved, defaultTimedPlan())).toEqual(loaded);
        if (saved.pin?.finishedAt !== undefined) expect(saved.pin.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      }),
      { numRuns: 2000, seed: 18 },
    );
  });
});

describe('fixture validation', () => {
  it('loads the default dataset', () => {
    const ds = loadFixtureDir(DEFAULT_FIXTURES_DIR);
    expect(ds.projects.map((p) => p.id)).toEqual([IDS.group, IDS.otherGroup]);
    expect(ds.exportJobs).toHaveLength(6);
    expect(ds.apiKeys.map((k) => k.publicKey)).toEqual(['mockownr', 'mockread', 'mockothr', 'mockipls']);
  });

  it('names the file, the JSON path and what is wrong for a schema error', () => {
    const dir = dirWith({ 'zz-bad.json': { exportJobs: [{ groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, pin: { state: 'Done' } }] } });
    const msg = problemsOf(dir);
    expect(msg).toContain('zz-bad.json');
    expect(msg).toContain('$.exportJobs[0].pin.state');
    expect(msg).toMatch(/Queued/);
  });

  it('names the file and path of a bad reference across files', () => {
    const dir = dirWith({ 'zz-ref.json': { exportJobs: [{ groupId: IDS.group, clusterName: 'Cluster0', snapshotId: '6650a0c1f1d2e3a4b5c6d8aa', exportBucketId: IDS.bucket }] } });
    const msg = problemsOf(dir);
    expect(msg).toContain('zz-ref.json: $.exportJobs[0].snapshotId: unknown snapshot 6650a0c1f1d2e3a4b5c6d8aa');
  });

  it('refuses invalid JSON, unknown keys, duplicates and createdAt that contradicts the id', () => {
    expect(problemsOf(dirWith({ 'zz.json': '{ "projects": [ ' }))).toMatch(/zz\.json[\s\S]*not valid JSON/);
    expect(problemsOf(dirWith({ 'zz.json': { projets: [] } }))).toMatch(/zz\.json[\s\S]*\$: Unrecognized key: "projets"/);
    expect(problemsOf(dirWith({ 'zz.json': { organizations: [{ id: IDS.org, name: 'again' }] } }))).toMatch(/duplicate organization 6650a0c1f1d2e3a4b5c6d7e0/);
    expect(
      problemsOf(dirWith({ 'zz.json': { exportJobs: [{ id: '6650a0c1f1d2e3a4b5c6d8a0', createdAt: '2020-01-01T00:00:00Z', groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket }] } })),
    ).toMatch(/\$\.exportJobs\[0\]\.createdAt: must equal the timestamp of id/);
    expect(problemsOf(dirWith({ 'zz.json': { clusters: [{ groupId: IDS.group, name: 'S1', type: 'SHARDED' }] } }))).toMatch(/\$\.clusters\[0\]\.shards: a SHARDED cluster needs at least one shard/);
  });

  it('buildApp refuses a bad folder with the same message (the CLI prints it and exits 1)', () => {
    const dir = dirWith({ 'zz-bad.json': { clusters: [{ groupId: 'nope', name: 'x' }] } });
    expect(() => buildApp({ fixtures: dir })).toThrow(/zz-bad\.json[\s\S]*\$\.clusters\[0\]\.groupId: must be a 24-character/);
  });
});

describe('--seed N --generate N', () => {
  const make = (seed: number) => buildApp({ generate: 500 }, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(seed) });

  it('adds N realistic jobs, the same for the same seed and different for another', async () => {
    const a = make(42).mock.store;
    const b = make(42).mock.store;
    const c = make(43).mock.store;
    expect(a.counts().exportJobs).toBe(506);
    const ids = (s: typeof a) => [...s.jobs.keys()].slice(6);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)).not.toEqual(ids(c));
    const jobs = [...a.jobs.values()].slice(6);
    expect(new Set(jobs.map((j) => j.clusterName))).toEqual(new Set(['Cluster0', 'Sharded0']));
    expect(jobs.every((j) => j.createdAt <= T0 && j.createdAt >= T0 - 30 * 86_400_000 && j.createdAt % 1000 === 0)).toBe(true);
    expect(jobs.some((j) => j.customData.length > 0)).toBe(true);
    expect(new Set(jobs.map((j) => (j.plan.kind === 'timed' ? j.plan.outcome : 'pinned'))).size).toBeGreaterThan(2);
  });

  it('a reset gives every generated job back as generated, plans changed through the control API included', async () => {
    const mock = testMock({ generate: 200 }, { random: createRandom(9) });
    const { app } = mock;
    const snapshot = (groupId?: string) =>
      [...app.mock.store.jobs.values()].filter((j) => groupId === undefined || j.groupId === groupId).map((j) => JSON.stringify(app.mock.exports.view(j)));
    const before = snapshot();
    const generated = [...app.mock.store.jobs.values()].slice(6, 40);
    expect(new Set(generated.map((j) => j.groupId)).size).toBe(2);
    for (const job of generated) {
      const res = await app.inject({ method: 'PUT', url: `/__mock/exports/${job.id}/plan`, payload: { pin: { state: 'Failed' } } });
      expect(res.statusCode).toBe(200);
    }
    expect(snapshot()).not.toEqual(before);
    expect((await app.inject({ method: 'POST', url: '/__mock/reset' })).statusCode).toBe(200);
    expect(snapshot()).toEqual(before);
    // A scoped reset puts that project's jobs back, and leaves the other project's as they are.
    for (const job of generated) await app.inject({ method: 'PUT', url: `/__mock/exports/${job.id}/plan`, payload: { pin: { state: 'Cancelled' } } });
    const otherChanged = snapshot(IDS.otherGroup);
    expect((await app.inject({ method: 'POST', url: '/__mock/reset', payload: { groupId: IDS.group } })).statusCode).toBe(200);
    expect(snapshot(IDS.group).sort()).toEqual(
      before
        .filter((v) => JSON.parse(v).prefix.includes(`/${IDS.group}/`))
        .sort(),
    );
    expect(snapshot(IDS.otherGroup)).toEqual(otherChanged);
    expect(app.mock.store.counts().exportJobs).toBe(206);
  });

  it('generated jobs answer GET like any other', async () => {
    const mock = testMock({ generate: 50 }, { random: createRandom(5) });
    for (const job of [...mock.app.mock.store.jobs.values()].slice(6)) {
      const res = await mock.request({ url: jobUrl(job.id, job.clusterName, job.groupId) });
      expect(res.statusCode).toBe(200);
      assertSchema('DiskBackupExportJob', res.json());
    }
  });
});
