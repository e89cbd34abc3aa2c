/**
 * The Atlas evidence (third-party data, never copied into this repository; scripts/contract/evidence.ts says
 * where it is looked for) and the checks built on it: the official OpenAPI subsets, validators for their
 * schemas, the recorded real responses.
 *
 * Without evidence, importing this file does not fail: suites that need it are declared with
 * `describeWithEvidence` and skipped (the run prints one line saying so, test/setup/evidence.ts; under
 * CI=true the run fails instead), and the schema checks (`assertSchema`, the per-response check of
 * contract-check.ts) use the mock's own `openapi/atlas.json` — a schema it lacks is then not checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { locateEvidence, ROOT, type Evidence } from '../../scripts/contract/evidence.js';
import { applyPatches } from './spec-patches.js';
import { SpecDocument, toJsonSchemaDocument } from './spec-doc.js';

type Json = Record<string, any>;

/** The evidence folder, or undefined on a machine without it. */
export const evidence: Evidence | undefined = locateEvidence();

/**
 * `describe` and `it` for tests that need the evidence; skipped without it. A skipped suite's body still runs
 * (vitest collects its tests), so read the evidence inside tests or hooks, not in the suite's body.
 */
export const describeWithEvidence = evidence ? describe : describe.skip;
export const itWithEvidence = evidence ? it : it.skip;

function evidenceDir(): string {
  if (!evidence) throw new Error('the Atlas evidence is not available here: declare this suite with describeWithEvidence');
  return evidence.dir;
}

const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

/** The official subset of the 8 export operations (`atlas-backup-exports.openapi.json`). */
export function officialSpec(): Json {
  return readJson(join(evidenceDir(), 'atlas-backup-exports.openapi.json'));
}

/** The official subset of the export workflow, 34 operations (`atlas-export-workflow.openapi.json`). */
export function workflowSpec(): Json {
  return readJson(join(evidenceDir(), 'atlas-export-workflow.openapi.json'));
}

/** The mock's own Atlas document, as checked in (`npm run openapi` writes it). */
export function mockSpec(): Json {
  return readJson(join(ROOT, 'openapi', 'atlas.json'));
}

let inUse: SpecDocument | undefined;

/**
 * The document responses are checked against: the official workflow subset with the documented real-vs-spec
 * patches (spec-patches.ts), or, without evidence, the mock's own document.
 */
export function specInUse(): SpecDocument {
  inUse ??= evidence
    ? new SpecDocument(toJsonSchemaDocument(workflowSpec(), (schemas) => applyPatches(schemas)), 'the official atlas-export-workflow.openapi.json')
    : new SpecDocument(toJsonSchemaDocument(mockSpec()), "the mock's own openapi/atlas.json");
  return inUse;
}

const ACCEPT_ALL = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;

/**
 * A validator for `#/components/schemas/<name>` of the document in use. Without evidence, a name the mock's
 * document lacks is not checked (an official schema the mock does not describe cannot stand in for itself).
 */
export function schemaValidator(name: string): ValidateFunction {
  const spec = specInUse();
  if (!evidence && !spec.hasSchema(name)) return ACCEPT_ALL;
  return spec.schema(name);
}

/** Throws with Ajv's messages when `body` does not validate against the schema `name` of the document in use. */
export function assertSchema(name: string, body: unknown): void {
  const v = schemaValidator(name);
  if (!v(body)) throw new Error(`response does not match schema ${name} of ${specInUse().name}: ${JSON.stringify(v.errors, null, 1)}\nbody: ${JSON.stringify(body)}`);
}

export interface Recorded {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export function recordedNames(): string[] {
  return readdirSync(join(evidenceDir(), 'upstream', 'recorded')).filter((n) => n.endsWith('.http'));
}

/** A recorded response (`upstream/recorded/<name>`): status, headers, body. */
export function recorded(name: string): Recorded {
  return recordedFile(`recorded/${name}`);
}

/** A response of `upstream/recorded-workflow/<Test>/<step>/<file>.http` (the path as SOURCE.md describes it). */
export function recordedWorkflow(path: string): Recorded {
  return recordedFile(`recorded-workflow/${path}`);
}

/** Every file under `upstream/recorded-workflow`, as `<Test>/<step>/<file>.http` paths. */
export function recordedWorkflowNames(): string[] {
  return (readdirSync(join(evidenceDir(), 'upstream', 'recorded-workflow'), { recursive: true }) as string[]).filter((n) => n.endsWith('.http')).sort();
}

/** A recorded response by its path under `upstream/`, e.g. `recorded-workflow/TestSnapshots/List/GET_….http`. */
export function recordedFile(path: string): Recorded {
  const text = readFileSync(join(evidenceDir(), 'upstream', path), 'utf8');
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 2).replace(/\n+$/, '');
  const [statusLine = '', ...lines] = head.split('\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/** The shape of a JSON value: keys and value types, recursively (arrays by the shape of their items). */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.keys(value).map((k) => [k, shape((value as Json)[k])]));
  return value === null ? 'null' : typeof value;
}

/** Headers a parity test compares by value (Server, X-Java-*, Date, Envoy timings are infrastructure). */
export const PARITY_HEADERS = [
  'content-type',
  'x-error-code',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'x-permitted-cross-domain-policies',
  'deprecation',
  'sunset',
] as const;

/** The official subtype of a 2024-05-30 export bucket, by its `cloudProvider` discriminator. */
export const BUCKET_SUBTYPES: Record<string, string> = {
  AWS: 'DiskBackupSnapshotAWSExportBucketResponse',
  AZURE: 'DiskBackupSnapshotAzureExportBucketResponse',
  GCP: 'DiskBackupSnapshotGCPExportBucketResponse',
};

/**
 * An export bucket as served at `version`: 2023-01-01 is the AWS response; 2024-05-30 must match the base
 * response and the subtype its `cloudProvider` names (the discriminator Ajv cannot follow by itself).
 */
export function assertExportBucket(version: '2023-01-01' | '2024-05-30', body: any): void {
  if (version === '2023-01-01') return assertSchema('DiskBackupSnapshotAWSExportBucketResponse', body);
  assertSchema('DiskBackupSnapshotExportBucketResponse', body);
  const subtype = BUCKET_SUBTYPES[body?.cloudProvider];
  if (!subtype) throw new Error(`no export-bucket subtype for cloudProvider ${JSON.stringify(body?.cloudProvider)}`);
  assertSchema(subtype, body);
}

/** A page of export buckets as served at `version`, every item checked against its subtype. */
export function assertExportBucketPage(version: '2023-01-01' | '2024-05-30', body: any): void {
  assertSchema(version === '2023-01-01' ? 'PaginatedBackupSnapshotExportBucketView' : 'PaginatedBackupSnapshotExportBucketsView', body);
  for (const item of body.results) assertExportBucket(version, item);
}

/** The security headers Atlas sends on every response produced after routing (contract §8). */
export const SECURITY_HEADER_NAMES = ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'x-permitted-cross-domain-policies'] as const;
