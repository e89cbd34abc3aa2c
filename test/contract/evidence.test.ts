/**
 * The Atlas evidence is found or fetched, never committed (scripts/contract/): where it is looked for, what a
 * run does without it, `contract:fetch` against a stand-in for raw.githubusercontent.com on 127.0.0.1, the
 * subsets derived from the upstream spec, and the checks built on the spec (patches, operation matching).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir, cacheProblem, CACHE_MARKER, FETCH_COMMAND, locateEvidence, MANIFEST_FILE, REQUIRED_ENTRIES, sha256 } from '../../scripts/contract/evidence.js';
import { deriveSubsets, SUBSETS, UPSTREAM_SPEC } from '../../scripts/contract/extract.js';
import { fetchEvidence, pinnedFiles, readManifest } from '../../scripts/contract/fetch.js';
import { evidenceGate, evidenceTestFiles } from '../setup/evidence.js';
import { describeWithEvidence, evidence, itWithEvidence, schemaValidator, specInUse, workflowSpec } from '../helpers/contract.js';
import { checkContract } from '../helpers/contract-check.js';
import { serveEvidence } from '../helpers/evidence-server.js';
import { REAL_VS_SPEC } from '../helpers/spec-patches.js';
import { IDS, jobUrl } from '../helpers/mock.js';

const scratch = mkdtempSync(join(tmpdir(), 'atlas-evidence-'));
/** Parsing the 4 MB upstream YAML takes ~2 s of CPU on a quiet machine, many times that while the suite runs beside it. */
const YAML_TIMEOUT = 120_000;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** A fresh folder holding a checkout: the manifest (the cache's validity depends on it) and one test file. */
function checkout(): { parent: string; root: string } {
  const parent = join(scratch, `case-${++n}`);
  const root = join(parent, 'project');
  mkdirSync(join(root, 'scripts', 'contract'), { recursive: true });
  copyFileSync(MANIFEST_FILE, join(root, 'scripts', 'contract', 'manifest.json'));
  mkdirSync(join(root, 'test', 'flow'), { recursive: true });
  writeFileSync(join(root, 'test', 'flow', 'parity.test.ts'), "describeWithEvidence('parity', () => {});\n");
  writeFileSync(join(root, 'test', 'flow', 'plain.test.ts'), "describe('plain', () => {});\n");
  return { parent, root };
}

/** A folder with every entry the tests need (empty stand-ins: finding it does not read them). */
function evidenceFolder(dir: string, marker?: string): string {
  for (const e of REQUIRED_ENTRIES) {
    if (e.includes('.')) {
      mkdirSync(dirname(join(dir, e)), { recursive: true });
      writeFileSync(join(dir, e), '');
    } else mkdirSync(join(dir, e), { recursive: true });
  }
  if (marker !== undefined) writeFileSync(join(dir, CACHE_MARKER), JSON.stringify({ manifestSha256: marker }));
  return dir;
}

describe('finding the evidence', () => {
  it('takes ATLAS_CONTRACT_DIR first, then ../shared/contract, then the contract:fetch cache', () => {
    const { parent, root } = checkout();
    const explicit = evidenceFolder(join(parent, 'elsewhere'));
    const shared = evidenceFolder(join(parent, 'shared', 'contract'));
    const cache = evidenceFolder(join(root, '.cache', 'atlas-contract'), sha256(readFileSync(MANIFEST_FILE)));
    expect(locateEvidence({ root, env: { ATLAS_CONTRACT_DIR: explicit } })).toEqual({ dir: explicit, source: 'ATLAS_CONTRACT_DIR' });
    expect(locateEvidence({ root, env: {} })).toEqual({ dir: shared, source: '../shared/contract' });
    rmSync(join(parent, 'shared'), { recursive: true });
    expect(locateEvidence({ root, env: {} })).toEqual({ dir: cache, source: 'cache' });
    // ATLAS_CONTRACT_CACHE moves the cache.
    const moved = evidenceFolder(join(parent, 'cache-elsewhere'), sha256(readFileSync(MANIFEST_FILE)));
    expect(locateEvidence({ root, env: { ATLAS_CONTRACT_CACHE: moved } })).toEqual({ dir: moved, source: 'cache' });
  });

  it('refuses an incomplete ATLAS_CONTRACT_DIR, naming what it lacks', () => {
    const { parent, root } = checkout();
    const dir = evidenceFolder(join(parent, 'partial'));
    rmSync(join(dir, 'upstream', 'recorded'), { recursive: true });
    expect(() => locateEvidence({ root, env: { ATLAS_CONTRACT_DIR: dir } })).toThrow(/ATLAS_CONTRACT_DIR=.*lacks upstream\/recorded\b/);
  });

  it('ignores a cache fetched for another manifest, or left incomplete, and says why', () => {
    const { root } = checkout();
    const cache = evidenceFolder(join(root, '.cache', 'atlas-contract'), 'f'.repeat(64));
    expect(locateEvidence({ root, env: {} })).toBeUndefined();
    expect(cacheProblem(cache, join(root, 'scripts', 'contract', 'manifest.json'))).toMatch(/fetched for another manifest/);
    rmSync(join(cache, CACHE_MARKER));
    expect(cacheProblem(cache, join(root, 'scripts', 'contract', 'manifest.json'))).toMatch(/incomplete/);
  });
});

describe('a run without the evidence', () => {
  it('skips the evidence checks with one line naming them and the command that brings them', () => {
    const { root } = checkout();
    const { line } = evidenceGate({}, root);
    expect(line).toBeDefined();
    expect(line!.split('\n')).toHaveLength(1);
    expect(line).toContain('test/flow/parity.test.ts');
    expect(line).not.toContain('plain.test.ts');
    expect(line).toContain(FETCH_COMMAND);
    expect(line).toContain('openapi/atlas.json');
  });

  it('fails under CI=true, naming the checks that cannot run and the command that brings the evidence', () => {
    const { root } = checkout();
    expect(() => evidenceGate({ CI: 'true' }, root)).toThrow(/^CI=true, and the Atlas evidence was not found .*fails rather than skip those of 1 test files \(test\/flow\/parity\.test\.ts\).*npm run contract:fetch/);
  });

  it('has nothing to say when the evidence is there', () => {
    const { parent, root } = checkout();
    evidenceFolder(join(parent, 'shared', 'contract'));
    expect(evidenceGate({ CI: 'true' }, root)).toEqual({});
  });

  it('this project marks its evidence-based test files', () => {
    const files = evidenceTestFiles();
    for (const f of ['test/flow/parity.test.ts', 'test/contract/export-job-parity.test.ts', 'test/contract/digest-challenge-parity.test.ts', 'test/flow/openapi-doc.test.ts', 'test/contract/evidence.test.ts']) expect(files).toContain(f);
  });
});

describe('the manifest', () => {
  it('pins every file the tests read, once, with a sha256, at a commit of a public repository', () => {
    const files = pinnedFiles(readManifest());
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
    expect(files.map((f) => f.path)).toContain(UPSTREAM_SPEC);
    for (const f of files) {
      expect(f.path).toMatch(/^upstream\/(openapi-v2\.yaml|recorded\/[^/]+\.http|recorded-workflow\/.+\.http)$/);
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/mongodb\/mongodb-atlas-cli\/[0-9a-f]{40}\//);
    }
  });

  itWithEvidence('matches the files of the evidence found here, byte for byte', () => {
    for (const f of pinnedFiles(readManifest())) expect([f.path, sha256(readFileSync(join(evidence!.dir, f.path)))]).toEqual([f.path, f.sha256]);
  });
});

describeWithEvidence('npm run contract:fetch (against 127.0.0.1 serving the evidence in the raw.githubusercontent.com layout)', () => {
  const files = pinnedFiles(readManifest());

  it('downloads every pinned file, checks it, derives the subsets and fills the cache the tests then find', async () => {
    const server = await serveEvidence(evidence!.dir);
    const { root } = checkout();
    const target = cacheDir({ root, env: {} });
    try {
      const result = await fetchEvidence({ cacheDir: target, baseUrl: server.baseUrl });
      expect(result).toMatchObject({ downloaded: files.length, reused: 0 });
      expect(server.requests.length).toBe(files.length);
    } finally {
      await server.close();
    }
    for (const f of files) expect([f.path, sha256(readFileSync(join(target, f.path)))]).toEqual([f.path, f.sha256]);
    for (const name of Object.keys(SUBSETS)) expect(withoutNote(JSON.parse(readFileSync(join(target, name), 'utf8')))).toEqual(withoutNote(JSON.parse(readFileSync(join(evidence!.dir, name), 'utf8'))));
    expect(locateEvidence({ root, env: {} })).toEqual({ dir: target, source: 'cache' });
    expect(readdirSync(dirname(target))).toEqual(['atlas-contract']); // no staging folder left

    // A second fetch keeps what the cache already holds with the pinned hash.
    const again = await serveEvidence(evidence!.dir);
    try {
      expect(await fetchEvidence({ cacheDir: target, baseUrl: again.baseUrl })).toMatchObject({ downloaded: 0, reused: files.length });
      expect(again.requests).toEqual([]);
    } finally {
      await again.close();
    }
  }, YAML_TIMEOUT);

  it('refuses a file whose bytes differ from the pinned hash, and leaves no cache', async () => {
    const victim = files.find((f) => f.path.endsWith('digest-401-challenge.http'))!;
    const server = await serveEvidence(evidence!.dir, { tamper: (path, data) => (path === victim.path ? Buffer.concat([data, Buffer.from(' ')]) : data) });
    const { root } = checkout();
    const target = cacheDir({ root, env: {} });
    try {
      await expect(fetchEvidence({ cacheDir: target, baseUrl: server.baseUrl })).rejects.toThrow(new RegExp(`could not fetch 1 of ${files.length}[\\s\\S]*digest-401-challenge[\\s\\S]*sha256 [0-9a-f]{64}, pinned ${victim.sha256}`));
    } finally {
      await server.close();
    }
    expect(existsSync(target)).toBe(false);
    expect(existsSync(dirname(target)) ? readdirSync(dirname(target)) : []).toEqual([]);
    expect(locateEvidence({ root, env: {} })).toBeUndefined();
  });

  it('names the URL that a server does not serve', async () => {
    const server = await serveEvidence(evidence!.dir);
    const { root } = checkout();
    try {
      await expect(fetchEvidence({ cacheDir: cacheDir({ root, env: {} }), baseUrl: `${server.baseUrl}/moved` })).rejects.toThrow(/\/moved\/mongodb\/mongodb-atlas-cli\/[0-9a-f]{40}\/.*: HTTP 404/);
    } finally {
      await server.close();
    }
  });
});

/** The subsets as data, without the note saying which tool made them. */
function withoutNote(doc: Record<string, any>): Record<string, any> {
  const copy = structuredClone(doc);
  delete copy['x-contract-extraction'].note;
  delete copy['x-contract-extraction'].upstreamFile;
  return copy;
}

describeWithEvidence('the official subsets derived here', () => {
  // The cache holds this derivation itself: the comparison means something only against the shared files.
  it.runIf(evidence !== undefined && evidence.source !== 'cache')('equal, as data, the shared contract’s subsets made from the same upstream file', () => {
    const text = readFileSync(join(evidence!.dir, UPSTREAM_SPEC), 'utf8');
    const derived = deriveSubsets(text, sha256(text));
    for (const [name, json] of Object.entries(derived)) {
      const shared = JSON.parse(readFileSync(join(evidence!.dir, name), 'utf8'));
      expect(withoutNote(JSON.parse(json))).toEqual(withoutNote(shared));
      expect(Object.keys(shared.paths).length).toBeGreaterThan(0);
    }
    expect(JSON.parse(derived['atlas-export-workflow.openapi.json']!)['x-contract-extraction'].operations).toHaveLength(34);
  }, YAML_TIMEOUT);
});

describeWithEvidence('checks against the official spec', () => {
  it('every real-vs-spec patch changes the official schema it names', () => {
    const schemas = workflowSpec().components.schemas as Record<string, unknown>;
    for (const patch of REAL_VS_SPEC) {
      const copy = structuredClone(schemas[patch.schema]) as Record<string, any>;
      patch.apply(copy);
      expect([patch.schema, copy]).not.toEqual([patch.schema, schemas[patch.schema]]);
    }
  });

  it('a discriminator picks the subtype: a 2024-05-30 AZURE bucket without serviceUrl is refused', () => {
    const bucket = { _id: IDS.bucket, bucketName: 'container', cloudProvider: 'AZURE', roleId: IDS.bucket, tenantId: '6f1b6c4e-1d2f-4c3a-9b8e-7d6c5b4a3f21', serviceUrl: 'https://mockacct.blob.core.windows.net/container' };
    const v = schemaValidator('DiskBackupSnapshotExportBucketResponse');
    expect(v(bucket)).toBe(true);
    expect(v({ ...bucket, serviceUrl: undefined })).toBe(false);
    expect(v({ ...bucket, cloudProvider: 'GCP' })).toBe(true); // the GCP subtype asks for roleId only
  });

  it('a literal path segment wins over a parameter when finding the operation', () => {
    const spec = specInUse();
    const base = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/snapshots`;
    expect(spec.operation('GET', `${base}/shardedClusters`)?.operationId).toBe('listGroupClusterBackupSnapshotShardedClusters');
    expect(spec.operation('GET', `${base}/${IDS.snapshotCompleted}`)?.operationId).toBe('getGroupClusterBackupSnapshot');
    expect(spec.operation('GET', `/api/atlas/v2/groups/${IDS.group}/flexClusters/f/backup/snapshots`)?.operationId).toBe('listGroupFlexClusterBackupSnapshots');
  });
});

/** A response as `inject` gives it, for checkContract. */
const answer = (status: number, contentType: string, body: unknown) =>
  ({ statusCode: status, headers: { 'content-type': contentType }, body: JSON.stringify(body) }) as unknown as LightMyRequestResponse;

describe('the per-response check (test/helpers/contract-check.ts), on the document in use', () => {
  const job = {
    createdAt: '2026-08-10T03:00:00Z',
    customData: [],
    exportBucketId: IDS.bucket,
    exportStatus: { exportedCollections: 0, totalCollections: 42 },
    id: IDS.jobQueued,
    prefix: 'exported_snapshots/x',
    snapshotId: IDS.snapshotCompleted,
    state: 'Queued',
  };
  const V = 'application/vnd.atlas.2023-01-01+json;charset=utf-8';

  it('finds the operation by method and path and checks the body against its response schema for the version served', () => {
    expect(() => checkContract({ url: jobUrl(IDS.jobQueued) }, answer(200, V, job))).not.toThrow();
    expect(() => checkContract({ url: `${jobUrl(IDS.jobQueued)}/` }, answer(200, V, job))).not.toThrow();
    expect(() => checkContract({ url: jobUrl(IDS.jobQueued) }, answer(200, V, { ...job, state: 'Exploded' }))).toThrow(/getGroupClusterBackupExport 200 application\/vnd\.atlas\.2023-01-01\+json/);
    expect(() => checkContract({ url: `${jobUrl(IDS.jobQueued)}?envelope=true` }, answer(200, V, { content: { ...job, id: 7 }, status: 200 }))).toThrow(/does not match/);
  });

  it('refuses a media type the operation does not declare', () => {
    expect(() => checkContract({ url: jobUrl(IDS.jobQueued) }, answer(200, 'application/vnd.atlas.2024-05-30+json;charset=utf-8', job))).toThrow(/is not declared as application\/vnd\.atlas\.2024-05-30\+json/);
  });

  it('checks every error against ApiError, on unknown routes too', () => {
    const error = { detail: 'x', error: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: ['x'], reason: 'Not Found' };
    expect(() => checkContract({ url: '/api/atlas/v2/nowhere' }, answer(404, 'application/json', error))).not.toThrow();
    expect(() => checkContract({ url: '/api/atlas/v2/nowhere' }, answer(404, 'application/json', { ...error, errorCode: undefined }))).toThrow(/ApiError/);
  });
});
