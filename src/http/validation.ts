/**
 * Request validation with the routes' zod schemas, and the translation of a failed validation into the
 * Atlas error of contract §4:
 * - path parameters: the operation's declared 404s (malformed group id → INVALID_GROUP_ID, cluster name →
 *   CLUSTER_NOT_FOUND, export id → INVALID_JOB_ID, …), never a 400, because GET declares no 400;
 * - query: 400 INVALID_QUERY_PARAMETER naming the parameter;
 * - body: 400 MISSING_ATTRIBUTE / INVALID_ATTRIBUTE naming the attribute, INVALID_JSON for a body that is not
 *   an object at all.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { AtlasError, atlasError } from '../errors/atlas-error.js';

export type HttpPart = 'params' | 'querystring' | 'body' | 'headers';

export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_VALIDATION';
  validationContext?: string;
  constructor(readonly part: HttpPart, readonly issues: readonly z.core.$ZodIssue[], readonly data: unknown) {
    super(`${part} validation failed: ${issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
    this.name = 'RequestValidationError';
  }
}

/** Accepts `data` and returns zod's output for it, or returns undefined: ask zod. */
export type FastPath = (data: unknown) => Record<string, unknown> | undefined;

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  catchall?: unknown;
  checks?: { _zod: { def: { check: string; format?: string; pattern?: RegExp } } }[];
}

const defOf = (schema: unknown): ZodDef | undefined => (schema as { _zod?: { def?: ZodDef } } | null)?._zod?.def;

/** Matches any string: a plain `z.string()` (path segments the spec gives no pattern, e.g. database names). */
const ANY_STRING = /(?:)/;

/** The pattern of a `z.string().regex(re)` with nothing else on it (no transform, refinement or other check). */
function plainRegexString(def: ZodDef): RegExp | undefined {
  if (def.type === 'string' && (def.checks === undefined || def.checks.length === 0)) return ANY_STRING;
  if (def.type !== 'string' || def.checks?.length !== 1) return undefined;
  const check = def.checks[0]!._zod.def;
  if (check.check !== 'string_format' || check.format !== 'regex' || !(check.pattern instanceof RegExp)) return undefined;
  return check.pattern.global || check.pattern.sticky ? undefined : check.pattern;
}

/**
 * A shortcut past zod for the two shapes every Atlas request validates (zod was ~3% of a GET):
 *
 * - an object whose every property is a required `z.string().regex(re)` or `z.string()` (path parameters): accepted when
 *   each is a string matching its pattern; the output, like zod's, holds those properties only, in the
 *   schema's order;
 * - an object whose every property is optional with a value parser (`withFastValue`: flags, list queries):
 *   accepted when each property `data` has is one of them with a value its parser takes; the output, like
 *   zod's, holds the parsed values in the schema's order;
 * - any other object whose every property is optional: accepted when `data` has no property at all; the
 *   output, like zod's, is `{}`.
 *
 * Anything else, and every value the shortcut does not accept, goes to zod, so failures (and their Atlas
 * errors) are zod's as before. `test/core/validation-fast-path.test.ts` checks the shortcut against zod.
 */
export function fastPathOf(schema: unknown): FastPath | undefined {
  const def = defOf(schema);
  if (def?.type !== 'object' || !def.shape || def.catchall !== undefined) return undefined;
  // No property at all (operations without path parameters): the first shape below, vacuously, as zod strips.
  const entries = Object.entries(def.shape);
  const patterns = entries.map(([k, v]) => [k, plainRegexString(v._zod.def)] as const);
  if (patterns.every(([, re]) => re !== undefined)) {
    const keys = patterns.map(([k]) => k);
    const res = patterns.map(([, re]) => re!);
    const n = keys.length;
    return (data) => {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      const input = data as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        const v = input[key];
        if (typeof v !== 'string' || !res[i]!.test(v)) return undefined;
        out[key] = v;
      }
      return out;
    };
  }
  const parsers = entries.map(([, v]) => fastValues.get(v));
  if (entries.length > 0 && parsers.every((p) => p !== undefined)) {
    // Every property optional with a value parser (flags, list queries): each given one parsed, in the
    // schema's order as zod writes them; an unknown property (zod drops it) or an odd value goes to zod.
    const keys = entries.map(([k]) => k);
    const n = keys.length;
    return (data) => {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      const input = data as Record<string, unknown>;
      let given = 0;
      for (const _ in input) given++;
      const out: Record<string, unknown> = {};
      if (given === 0) return out;
      for (let i = 0; i < n; i++) {
        const key = keys[i]!;
        const v = input[key];
        if (v === undefined) continue;
        const parsed = parsers[i]!(v);
        if (parsed === ASK_ZOD) return undefined;
        out[key] = parsed;
        given--;
      }
      return given === 0 ? out : undefined;
    };
  }
  if (entries.every(([, v]) => v._zod.def.type === 'optional')) {
    return (data) => {
      if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
      for (const _ in data) return undefined;
      return {};
    };
  }
  return undefined;
}

/** What a fast value parser answers for a value it leaves to zod. */
export const ASK_ZOD: unique symbol = Symbol('ask zod');

/**
 * Parsers of the values of query parameters whose schemas run several zod steps (a flag's stringbool, a
 * page number's regex, transform and range): the value zod would give for the common input, or ASK_ZOD.
 */
const fastValues = new WeakMap<object, (value: unknown) => unknown>();

/** Marks `schema` (a property of a query object) as parsed by `parse` on the shortcut; returns it. */
export function withFastValue<T extends object>(schema: T, parse: (value: unknown) => unknown): T {
  fastValues.set(schema, parse);
  return schema;
}

/** Validators by schema and part: routes share schemas (every GET's HEAD twin, the common params and queries). */
const compiledValidators = new WeakMap<object, Partial<Record<HttpPart, (data: unknown) => unknown>>>();

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = (httpPart ?? 'body') as HttpPart;
  let byPart = compiledValidators.get(schema);
  if (!byPart) compiledValidators.set(schema, (byPart = {}));
  return (byPart[part] ??= compileValidator(schema, part)) as ReturnType<FastifySchemaCompiler<z.ZodType>>;
};

function compileValidator(schema: z.ZodType, part: HttpPart): (data: unknown) => unknown {
  const fast = fastPathOf(schema);
  return (data: unknown) => {
    if (fast) {
      const value = fast(data);
      if (value !== undefined) return { value };
    }
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(part, result.error.issues, data) };
  };
};

/** The Atlas error for a malformed path parameter, by parameter name. */
const PARAM_ERRORS: Record<string, (p: Record<string, string>) => AtlasError> = {
  groupId: (p) => atlasError('INVALID_GROUP_ID', p.groupId ?? ''),
  clusterName: (p) => atlasError('CLUSTER_NOT_FOUND', p.clusterName ?? '', p.groupId ?? ''),
  exportId: (p) => atlasError('INVALID_JOB_ID', p.exportId ?? ''),
  exportBucketId: (p) => atlasError('EXPORT_BUCKET_NOT_FOUND', p.exportBucketId ?? ''),
  snapshotId: (p) => atlasError('SNAPSHOT_NOT_FOUND', p.snapshotId ?? '', p.clusterName ?? ''),
  // the flex API's cluster name: the recorded getFlexCluster 404 for an unknown name
  name: (p) => atlasError('CLUSTER_NOT_FOUND', p.name ?? '', p.groupId ?? ''),
  orgId: (p) => atlasError('INVALID_ORG_ID', p.orgId ?? ''),
  roleId: (p) => atlasError('CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', p.roleId ?? ''),
  cloudProvider: () => atlasError('INVALID_PATH_PARAMETER', 'cloudProvider'),
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Name of a body attribute as Atlas writes it in `parameters` (dotted path, array indexes dropped). */
function attributeName(path: readonly PropertyKey[]): string {
  return path.filter((p) => typeof p === 'string').join('.');
}

/**
 * A body that is JSON but not an object (`null`, an array, a string) → INVALID_JSON; an attribute that is
 * absent or `null` → MISSING_ATTRIBUTE [I: Atlas's Java views read `null` as "not given"; optional attributes
 * accept `null` in the schemas]; any other failure → INVALID_ATTRIBUTE naming the attribute.
 */
export function bodyIssueToAtlas(issue: z.core.$ZodIssue, data: unknown): AtlasError {
  if (issue.path.length === 0) {
    if (issue.code === 'unrecognized_keys') return atlasError('INVALID_ATTRIBUTE', issue.keys[0] ?? '');
    return atlasError('INVALID_JSON');
  }
  const last = issue.path[issue.path.length - 1];
  const value = valueAt(data, issue.path);
  if (typeof last === 'string' && (value === undefined || value === null)) return atlasError('MISSING_ATTRIBUTE', attributeName(issue.path));
  return atlasError('INVALID_ATTRIBUTE', attributeName(issue.path));
}

/**
 * Validates a body against a schema chosen at run time (e.g. by resource version) with the same mapping.
 * No body at all is MALFORMED_JSON, like an empty `application/json` body [I].
 */
export function parseBody<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  if (data === undefined) throw atlasError('MALFORMED_JSON');
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw bodyIssueToAtlas(result.error.issues[0]!, data);
}

export function validationToAtlas(err: RequestValidationError, rawParams: Record<string, string>): AtlasError {
  const issue = err.issues[0];
  const first = issue?.path[0];
  switch (err.part) {
    case 'params': {
      const make = typeof first === 'string' ? PARAM_ERRORS[first] : undefined;
      return make ? make(rawParams) : atlasError('RESOURCE_NOT_FOUND', String(first ?? ''));
    }
    case 'querystring':
      return atlasError('INVALID_QUERY_PARAMETER', String(first ?? ''));
    case 'body':
      return issue ? bodyIssueToAtlas(issue, err.data) : atlasError('INVALID_JSON');
    default:
      return atlasError('INVALID_REQUEST', err.message);
  }
}
