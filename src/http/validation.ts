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

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = (httpPart ?? 'body') as HttpPart;
  return (data: unknown) => {
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
