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
/** The official subset of the whole export workflow (34 operations; a superset of atlas-backup-exports.openapi.json, schemas identical). */
const SPEC_FILE = join(CONTRACT_DIR, 'atlas-export-workflow.openapi.json');
const RECORDED_WORKFLOW_DIR = join(CONTRACT_DIR, 'upstream', 'recorded-workflow');
const RECORDED_DIR = join(CONTRACT_DIR, 'upstream', 'recorded');

if (!existsSync(SPEC_FILE) || !existsSync(RECORDED_DIR)) {
  throw new Error(
    `The Atlas contract is missing: expected ${SPEC_FILE} and ${RECORDED_DIR}. ` +
      'Put shared/ beside the project or set ATLAS_CONTRACT_DIR. Contract tests fail rather than skip without it.',
  );
}

type Json = Record<string, any>;

export function officialSpec(): Json {
  return JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json;
}

/**
 * The official schemas, with the documented real-vs-spec exceptions made explicit (contract §4, §7;
 * EVIDENCE §10) and OpenAPI-only keywords turned into JSON Schema:
 * 1. `DiskBackupExportJob.prefix` has a literal-braces `pattern` no real value matches: not enforced.
 * 2. `ApiError.parameters` is declared as objects; the real API sends strings and numbers: items unconstrained.
 * 3. `DiskBackupReplicaSet.frequencyType` lacks `ondemand`, which Atlas returns for on-demand snapshots
 *    (recorded): added to the enum.
 * 4. `CloudProviderAccessAWSIAMRole.authorizedDate` and `iamAssumedRoleArn` are `null` until the role is
 *    authorized (recorded TestAccessRoles), although the spec types them as strings: made nullable.
 * 5. `BiConnector.readPreference` is sent in lower case (`secondary`, every recorded cluster) while the spec's
 *    enum is upper case: both accepted.
 * 6. Region names (`regionName`) are a union of per-provider string enums declared with `type: object` (a
 *    spec bug no real value can satisfy): the `type` is dropped.
 * 7. `AtlasOrganization.name` has the pattern of a name a client may choose, without spaces; real names have
 *    them (`Atlas CLI E2E`, recorded by the Atlas CLI e2e suite's GET organization): the pattern is dropped.
 * `nullable: true` becomes a `null` type (and a `null` enum value); a `oneOf` with a `discriminator` mapping
 * (regions, provider settings, roles) becomes a dispatch on the discriminator (`if`/`then` per value), its
 * subtypes' `allOf` pointing at the base without the dispatch (Ajv would loop through base → subtype → base);
 * a `oneOf` without discriminator (hardware specs, which several subtypes match alike) becomes an `anyOf`; other
 * `discriminator`s (on allOf bases, which Ajv cannot use) are dropped and subtypes are validated by name instead.
 */
export function patchedSpec(): Json {
  const spec = officialSpec();
  const schemas = spec.components.schemas as Json;
  delete schemas.DiskBackupExportJob.properties.prefix.pattern;
  schemas.ApiError.properties.parameters.items = {};
  schemas.DiskBackupReplicaSet.properties.frequencyType.enum.push('ondemand');
  const awsRole = schemas.CloudProviderAccessAWSIAMRole.allOf.find((part: Json) => part.properties) as Json;
  awsRole.properties.authorizedDate.nullable = true;
  awsRole.properties.iamAssumedRoleArn.nullable = true;
  delete schemas.AtlasOrganization.properties.name.pattern;
  const readPreference = schemas.BiConnector.properties.readPreference;
  readPreference.enum.push(...readPreference.enum.map((v: string) => v.toLowerCase()));
  dispatchOnDiscriminators(schemas);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.nullable === true && typeof o.type === 'string') {
      o.type = [o.type, 'null'];
      if (Array.isArray(o.enum)) o.enum.push(null);
    }
    delete o.nullable;
    delete o.discriminator;
    if (Array.isArray(o.oneOf)) {
      o.anyOf = o.oneOf;
      delete o.oneOf;
      if (o.type === 'object' && o.anyOf.every((alt: Json) => alt.type === 'string')) delete o.type;
    }
    Object.values(o).forEach(walk);
  };
  walk(schemas);
  return spec;
}

const REF = '#/components/schemas/';

/** See patchedSpec: `oneOf` + `discriminator.mapping` → `X__base` (the base alone) and X = base + dispatch. */
function dispatchOnDiscriminators(schemas: Json): void {
  for (const name of Object.keys(schemas)) {
    const schema = schemas[name] as Json;
    const d = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!d?.mapping || !Array.isArray(schema.oneOf)) continue;
    const { oneOf: _oneOf, discriminator: _d, ...base } = schema;
    const baseName = `${name}__base`;
    schemas[baseName] = base;
    for (const target of Object.values(d.mapping)) {
      const sub = schemas[target.slice(REF.length)] as Json | undefined;
      if (Array.isArray(sub?.allOf)) sub.allOf = sub.allOf.map((part: Json) => (part.$ref === REF + name ? { $ref: REF + baseName } : part));
    }
    const prop = d.propertyName;
    schemas[name] = {
      allOf: [
        { $ref: REF + baseName },
        ...Object.entries(d.mapping).map(([value, target]) => ({ if: { properties: { [prop]: { const: value } }, required: [prop] }, then: { $ref: target } })),
      ],
    };
  }
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

/** A response of `upstream/recorded-workflow/<Test>/<step>/<file>.http` (the path as SOURCE.md describes it). */
export function recordedWorkflow(path: string): Recorded {
  return parseRecorded(readFileSync(join(RECORDED_WORKFLOW_DIR, path), 'utf8'));
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
