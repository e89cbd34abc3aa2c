/**
 * The contract in `../shared/contract` (third-party data, never copied here): the official OpenAPI subset,
 * validators for its schemas, and the recorded real responses. The folder is found at
 * `$ATLAS_CONTRACT_DIR` or `../shared/contract` beside the project; when it is missing, importing this file
 * throws, so the contract suites fail loudly instead of being skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CONTRACT_DIR = resolve(process.env.ATLAS_CONTRACT_DIR ?? join(ROOT, '..', 'shared', 'contract'));
const SPEC_FILE = join(CONTRACT_DIR, 'atlas-backup-exports.openapi.json');
/** The official subset of the whole export workflow (34 operations; its schemas are a superset of the 8's). */
const WORKFLOW_SPEC_FILE = join(CONTRACT_DIR, 'atlas-export-workflow.openapi.json');
const RECORDED_DIR = join(CONTRACT_DIR, 'upstream', 'recorded');
const RECORDED_WORKFLOW_DIR = join(CONTRACT_DIR, 'upstream', 'recorded-workflow');

if (!existsSync(SPEC_FILE) || !existsSync(RECORDED_DIR) || !existsSync(WORKFLOW_SPEC_FILE) || !existsSync(RECORDED_WORKFLOW_DIR)) {
  throw new Error(
    `The Atlas contract is missing: expected ${SPEC_FILE}, ${WORKFLOW_SPEC_FILE}, ${RECORDED_DIR} and ${RECORDED_WORKFLOW_DIR}. ` +
      'Put shared/ beside the project or set ATLAS_CONTRACT_DIR. Contract tests fail rather than skip without it.',
  );
}

type Json = Record<string, any>;

export function officialSpec(): Json {
  return JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json;
}

export function workflowSpec(): Json {
  return JSON.parse(readFileSync(WORKFLOW_SPEC_FILE, 'utf8')) as Json;
}

/**
 * The official schemas, with the documented real-vs-spec exceptions made explicit (contract §4, §7;
 * EVIDENCE §10) and OpenAPI-only keywords turned into JSON Schema:
 * 1. `DiskBackupExportJob.prefix` has a literal-braces `pattern` no real value matches: not enforced.
 * 2. `ApiError.parameters` is declared as objects; the real API sends strings and numbers: items unconstrained.
 * 3. `DiskBackupReplicaSet.frequencyType` lacks `ondemand`, which Atlas returns for on-demand snapshots
 *    (recorded): added to the enum, and to the other snapshot schemas' (sharded, the POST's `DiskBackupSnapshot`).
 * 4. `AutoExportPolicyView.frequencyType` lists monthly and yearly; the export docs name daily, weekly, monthly
 *    and yearly, and the Atlas CLI sends daily and weekly: added.
 * The schemas are those of the workflow subset (`atlas-export-workflow.openapi.json`), a superset of the 8
 * operations' document.
 * `nullable: true` becomes a `null` type; `discriminator` (on allOf bases, which Ajv cannot use) is dropped and
 * subtypes are validated by name instead.
 */
export function patchedSpec(): Json {
  const spec = workflowSpec();
  const schemas = spec.components.schemas as Json;
  delete schemas.DiskBackupExportJob.properties.prefix.pattern;
  schemas.ApiError.properties.parameters.items = {};
  for (const name of ['DiskBackupReplicaSet', 'DiskBackupShardedClusterSnapshot', 'DiskBackupSnapshot']) schemas[name].properties.frequencyType.enum.push('ondemand');
  schemas.AutoExportPolicyView.properties.frequencyType.enum.push('daily', 'weekly');
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.nullable === true && typeof o.type === 'string') o.type = [o.type, 'null'];
    delete o.nullable;
    delete o.discriminator;
    Object.values(o).forEach(walk);
  };
  walk(schemas);
  return spec;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** A validator for `#/components/schemas/<name>` of the (patched) official document. */
export function schemaValidator(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema(patchedSpec(), 'spec');
    }
    v = ajv.getSchema(`spec#/components/schemas/${name}`);
    if (!v) throw new Error(`no schema ${name} in the official document`);
    validators.set(name, v);
  }
  return v;
}

/** Throws with Ajv's messages when `body` does not validate against the official schema `name`. */
export function assertSchema(name: string, body: unknown): void {
  const v = schemaValidator(name);
  if (!v(body)) throw new Error(`response does not match official schema ${name}: ${JSON.stringify(v.errors, null, 1)}\nbody: ${JSON.stringify(body)}`);
}

export interface Recorded {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export function recordedNames(): string[] {
  return readdirSync(RECORDED_DIR).filter((n) => n.endsWith('.http'));
}

/** A recorded response (`upstream/recorded/<name>`): status, headers, body. */
export function recorded(name: string): Recorded {
  return parseRecorded(readFileSync(join(RECORDED_DIR, name), 'utf8'));
}

/** A recorded response of `upstream/recorded-workflow/<Test>/<step>/<file>.http` (SOURCE.md). */
export function recordedWorkflow(path: string): Recorded {
  return parseRecorded(readFileSync(join(RECORDED_WORKFLOW_DIR, path), 'utf8'));
}

/** Every file under `upstream/recorded-workflow`, as `<Test>/<step>/<file>.http` paths. */
export function recordedWorkflowNames(): string[] {
  return (readdirSync(RECORDED_WORKFLOW_DIR, { recursive: true }) as string[]).filter((n) => n.endsWith('.http')).sort();
}

function parseRecorded(text: string): Recorded {
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
