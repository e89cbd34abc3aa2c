/**
 * The one place where an error becomes an Atlas-shaped body (contract §4): keys in alphabetical order
 * (`badRequestDetail`, `detail`, `error`, `errorCode`, `parameters`, `reason`), `reason` the HTTP reason
 * phrase, `parameters` the values substituted into `detail`, as strings or numbers like the real API.
 */
import { STATUS_CODES } from 'node:http';
import { jsonNumber, jsonString } from '../http/json.js';
import { CATALOGUE, type ErrorCode } from './catalogue.js';

export type ErrorParameter = string | number;

export interface ApiErrorBody {
  badRequestDetail?: { fields: { description: string; field: string }[] };
  detail: string;
  error: number;
  errorCode: string;
  parameters: ErrorParameter[];
  reason: string;
}

/**
 * What AtlasError extends: an Error by its prototype (`instanceof Error`, Fastify's error paths, util.inspect,
 * pino's error serializer) whose constructor is not Error's. An AtlasError is an answer, not a fault, and
 * carries no stack trace; yet V8's Error constructor costs 0.5–1 µs even with `Error.stackTraceLimit = 0`
 * (measured: 0.88 µs per AtlasError before, 0.03–0.04 with this base; a loop of 2 M constructions, Node 20),
 * and every 404 or 429 builds one. `message`
 * is the detail, not enumerable as on a native Error; `stack` is the name and message, what V8 printed for
 * the trace of zero frames it captured before.
 */
function AtlasErrorBase(this: Error): void {}
/** A property of its own, as a native Error's: not enumerable, writable. */
const ownProperty = (value: unknown): PropertyDescriptor => ({ value, writable: true, configurable: true, enumerable: false });
AtlasErrorBase.prototype = Object.create(Error.prototype, {
  constructor: { value: AtlasErrorBase, writable: true, configurable: true },
  // The detail until something sets a message of its own (a ShapedError's replaced detail).
  message: {
    get(this: AtlasError) {
      return this.detail;
    },
    set(this: Error, value: string) {
      Object.defineProperty(this, 'message', ownProperty(value));
    },
    configurable: true,
  },
  stack: {
    get(this: Error) {
      return `${this.name}: ${this.message}`;
    },
    set(this: Error, value: string) {
      Object.defineProperty(this, 'stack', ownProperty(value));
    },
    configurable: true,
  },
}) as Error;
const AnswerBase = AtlasErrorBase as unknown as ErrorConstructor;

export class AtlasError extends AnswerBase {
  readonly status: number;
  readonly errorCode: string;
  readonly parameters: ErrorParameter[];
  readonly detail: string;
  /** Extra response headers that belong to this error (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, parameters: ErrorParameter[] = [], headers: Record<string, string> = {}, status?: number) {
    const entry = CATALOGUE[code];
    const detail = formatDetail(entry.detail, parameters);
    super();
    this.name = 'AtlasError';
    this.status = status ?? entry.status;
    this.errorCode = code;
    this.parameters = parameters;
    this.detail = detail;
    this.headers = headers;
  }

  body(): ApiErrorBody {
    return errorBody(this.status, this.errorCode, this.detail, this.parameters);
  }
}

/** `atlasError('GROUP_NOT_FOUND', groupId)`: shorthand used by services. */
export function atlasError(code: ErrorCode, ...parameters: ErrorParameter[]): AtlasError {
  return new AtlasError(code, parameters);
}

/** A detail template cut at its `%s` placeholders, once per template. */
const templateParts = new Map<string, readonly string[]>();

/** The template with its `%s` replaced by the parameters in order (a missing one, null or undefined: ''). */
export function formatDetail(template: string, parameters: readonly ErrorParameter[]): string {
  let parts = templateParts.get(template);
  if (parts === undefined) {
    parts = template.split('%s');
    if (templateParts.size < 1000) templateParts.set(template, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) out += String(parameters[i - 1] ?? '') + parts[i]!;
  return out;
}

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

export function errorBody(status: number, errorCode: string, detail: string, parameters: ErrorParameter[]): ApiErrorBody {
  return { detail, error: status, errorCode, parameters, reason: reasonPhrase(status) };
}

/**
 * `JSON.stringify(body)` for an error body as `errorBody` (or ShapedError) builds it, keys in that order
 * (every error answer serializes one). `test/core/serializers.test.ts` checks it byte for byte.
 */
export function serializeErrorBody(b: ApiErrorBody): string {
  return `{${b.badRequestDetail === undefined ? '' : `"badRequestDetail":${JSON.stringify(b.badRequestDetail)},`}"detail":${jsonString(b.detail)},"error":${jsonNumber(b.error)},"errorCode":${jsonString(b.errorCode)},"parameters":${jsonParameters(b.parameters)},"reason":${jsonString(b.reason)}}`;
}

/**
 * The body of an error as JSON text, prepared once per status, code and parameters: a client polling for a
 * job that is not there yet, or past its rate limit, gets the same answer again and again. The last body of
 * each code is checked first, by its parameters, without building a key; then up to `PREPARED_MAX` bodies by
 * key (the oldest goes, its key taken from a ring: dropping the first key of a Map walks the holes its
 * deleted entries left). Errors of subclasses (own body shapes) are not kept.
 *
 * Text rather than bytes: Node writes a text body in one piece with the response head (one socket write),
 * where a Buffer body goes out as a second chunk through the socket's writev path (paired A/B of the built
 * CLI under wrk, CPU per request from /proc: a 404 ~10 % and a 429 ~6 % cheaper with text). A kept string
 * is flattened by V8 the first time it is measured, not per answer.
 */
export function errorBodyJson(error: AtlasError): string {
  if (error.constructor !== AtlasError) return serializeErrorBody(error.body());
  const ps = error.parameters;
  const last = lastOfCode.get(error.errorCode);
  if (last !== undefined && last.status === error.status && sameParameters(last.parameters, ps)) return last.json;
  let key = `${error.status} ${error.errorCode}`;
  for (let i = 0; i < ps.length; i++) key += typeof ps[i] === 'number' ? `\u0000n${ps[i]}` : `\u0000s${ps[i]}`;
  let json = preparedBodies.get(key);
  if (json === undefined) {
    json = serializeErrorBody(error.body());
    const oldest = preparedKeys[preparedNext];
    if (oldest !== undefined) preparedBodies.delete(oldest);
    preparedKeys[preparedNext] = key;
    preparedNext = (preparedNext + 1) % PREPARED_MAX;
    preparedBodies.set(key, json);
  }
  lastOfCode.set(error.errorCode, { status: error.status, parameters: ps.slice(), json });
  return json;
}

function sameParameters(a: readonly ErrorParameter[], b: readonly ErrorParameter[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const PREPARED_MAX = 1000;
const preparedBodies = new Map<string, string>();
const preparedKeys: (string | undefined)[] = new Array<string | undefined>(PREPARED_MAX);
let preparedNext = 0;
const lastOfCode = new Map<string, { status: number; parameters: readonly ErrorParameter[]; json: string }>();

function jsonParameters(ps: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (typeof p === 'string') out += (i > 0 ? ',' : '') + jsonString(p);
    else if (typeof p === 'number') out += (i > 0 ? ',' : '') + jsonNumber(p);
    else return JSON.stringify(ps);
  }
  return `[${out}]`;
}
