/**
 * zod schemas shared by every Atlas operation: path parameters with the spec's patterns (contract §1),
 * the `envelope` / `pretty` flags and pagination (contract §3, §7), the ApiError body (contract §4).
 * They validate requests (fastify-type-provider-zod) and generate the mock's OpenAPI document.
 */
import { z } from 'zod';
import { ASK_ZOD, withFastValue } from './validation.js';

const OBJECT_ID = /^([a-f0-9]{24})$/;
export const objectIdParam = (description: string) => z.string().regex(OBJECT_ID).meta({ description, example: '32b6e34b3d91647abb20e7b8' });
export const groupIdParam = objectIdParam('Unique 24-hexadecimal digit string that identifies your project.');
export const clusterNameParam = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*$/)
  .meta({ description: 'Human-readable label that identifies the cluster.' });

/** `true` / `false`, any case (contract §3); anything else is 400 INVALID_QUERY_PARAMETER. */
export const queryFlag = (description: string) =>
  withFastValue(z.stringbool({ truthy: ['true'], falsy: ['false'], case: 'insensitive' }).optional().meta({ type: 'boolean', description }), flagValue);

/** A flag's value as zod parses it, without zod (the validation shortcut). */
function flagValue(v: unknown): unknown {
  if (typeof v !== 'string') return ASK_ZOD;
  // zod's stringbool, case-insensitive: the lower-cased value against its truthy and falsy lists.
  const lower = v.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : ASK_ZOD;
}

export const envelopeQuery = queryFlag('Flag that indicates whether Application wraps the response in an envelope JSON object.');
export const prettyQuery = queryFlag('Flag that indicates whether the response body should be in the prettyprint format.');

/** Query of every single-resource operation. */
export const flagsQuery = z.object({ envelope: envelopeQuery, pretty: prettyQuery });

/** [I] Atlas reads these into a Java int: larger values are refused (400), and documented as the maximum. */
const JAVA_INT_MAX = 2_147_483_647;
const DIGITS = /^\d{1,10}$/;
const positiveInt = (max = JAVA_INT_MAX) =>
  z
    .string()
    .regex(DIGITS)
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .meta({ type: 'integer', minimum: 1, maximum: max });

/** Query of every list operation (contract §7 Lists). */
export const listQuery = flagsQuery.extend({
  includeCount: queryFlag('Flag that indicates whether the response returns the total number of items (totalCount) in the response.'),
  itemsPerPage: withFastValue(positiveInt(500).meta({ description: 'Number of items that the response returns per page.', default: 100 }), positiveIntValue(500)),
  pageNum: withFastValue(positiveInt().meta({ description: 'Number of the page that displays the current set of the total objects that the response returns.', default: 1 }), positiveIntValue()),
});

/** A `positiveInt(max)` value as zod parses it, without zod (the validation shortcut). */
function positiveIntValue(max = JAVA_INT_MAX): (v: unknown) => unknown {
  return (v) => {
    if (typeof v !== 'string' || !DIGITS.test(v)) return ASK_ZOD;
    const n = Number(v);
    return n >= 1 && n <= max ? n : ASK_ZOD;
  };
}

export const linkSchema = z.object({ href: z.string(), rel: z.string() }).meta({ id: 'Link' });

export const apiErrorSchema = z
  .object({
    badRequestDetail: z.object({ fields: z.array(z.object({ description: z.string(), field: z.string() })) }).optional(),
    detail: z.string(),
    error: z.number().int(),
    errorCode: z.string(),
    // Every error body has it but the Digest challenge's (recorded: digest-401-challenge.http), as in the spec.
    parameters: z.array(z.union([z.string(), z.number()])).optional(),
    reason: z.string(),
  })
  .meta({ id: 'ApiError', description: 'Atlas error body. `parameters` holds strings and numbers, as the real API sends them; the Digest challenge has none.' });

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: apiErrorSchema } } });

/** Error responses every Atlas operation of the mock can give. */
export const commonErrorResponses = {
  400: errorResponse('Bad Request: an invalid query parameter, body or attribute.'),
  401: errorResponse('Unauthorized: missing or invalid credentials, or no access to the project.'),
  403: errorResponse('Forbidden: the caller address is not on the access list.'),
  404: errorResponse('Not Found.'),
  406: errorResponse('Not Acceptable: missing or invalid versioned Accept header.'),
  410: errorResponse('Gone: the requested resource version is past its sunset date.'),
  429: errorResponse('Too Many Requests.'),
  500: errorResponse('Internal Server Error.'),
} as const;

/** Error responses of some operations only (`OperationSpec.extraErrors`). */
export const extraErrorResponses = {
  409: errorResponse('Conflict: the state of the resources forbids it (e.g. snapshot not completed, export already in progress, a limit of the mock).'),
  413: errorResponse('Payload Too Large: the request body is over the limit.'),
  415: errorResponse('Unsupported Media Type: bodies are application/json or application/vnd.atlas.<date>+json.'),
  501: errorResponse('Not Implemented: an Atlas operation the mock does not simulate (OPERATION_NOT_SIMULATED; docs/workflow-access.md).'),
} as const;
export type ExtraErrorStatus = keyof typeof extraErrorResponses;
