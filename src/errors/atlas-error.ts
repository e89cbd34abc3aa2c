/**
 * The one place where an error becomes an Atlas-shaped body (contract §4): keys in alphabetical order
 * (`badRequestDetail`, `detail`, `error`, `errorCode`, `parameters`, `reason`), `reason` the HTTP reason
 * phrase, `parameters` the values substituted into `detail`, as strings or numbers like the real API.
 */
import { STATUS_CODES } from 'node:http';
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

export class AtlasError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly parameters: ErrorParameter[];
  readonly detail: string;
  /** Extra response headers that belong to this error (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, parameters: ErrorParameter[] = [], headers: Record<string, string> = {}, status?: number) {
    const entry = CATALOGUE[code];
    const detail = formatDetail(entry.detail, parameters);
    super(detail);
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

export function formatDetail(template: string, parameters: readonly ErrorParameter[]): string {
  let i = 0;
  return template.replace(/%s/g, () => String(parameters[i++] ?? ''));
}

export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

export function errorBody(status: number, errorCode: string, detail: string, parameters: ErrorParameter[]): ApiErrorBody {
  return { detail, error: status, errorCode, parameters, reason: reasonPhrase(status) };
}
