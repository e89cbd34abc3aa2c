/**
 * Errors of the control API and of injected faults, in the Atlas error shape (contract §4) and sent by the
 * same error plugin: `{badRequestDetail?, detail, error, errorCode, parameters, reason}` + `X-Error-Code`.
 * Control requests that fail validation answer 400 CONTROL_INVALID_REQUEST naming the JSON path of the
 * first problem in `detail` and every problem in `badRequestDetail.fields` [I].
 */
import type { FastifyError } from 'fastify';
import { AtlasError, type ApiErrorBody, type ErrorParameter } from '../errors/atlas-error.js';
import type { ErrorCode } from '../errors/catalogue.js';
import { DatasetError, type Problem } from '../fixtures/apply.js';
import { jsonPath } from '../fixtures/load.js';
import { RequestValidationError } from '../http/validation.js';

/** An AtlasError whose `detail` is replaced and/or that carries `badRequestDetail.fields`. */
export class ShapedError extends AtlasError {
  constructor(
    code: ErrorCode,
    parameters: ErrorParameter[],
    private readonly shape: { detail?: string; status?: number; headers?: Record<string, string>; fields?: { description: string; field: string }[] } = {},
  ) {
    super(code, parameters, shape.headers ?? {}, shape.status);
    if (shape.detail !== undefined) this.message = shape.detail;
  }

  override body(): ApiErrorBody {
    const body = super.body();
    if (this.shape.detail !== undefined) body.detail = this.shape.detail;
    if (!this.shape.fields) return body;
    return { badRequestDetail: { fields: this.shape.fields }, ...body };
  }
}

/** 400 CONTROL_INVALID_REQUEST for a list of problems (JSON path + message). */
export function invalidControlRequest(problems: readonly Problem[]): ShapedError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  const text = first ? `${first.path}: ${first.message}${more}` : 'invalid request';
  return new ShapedError('CONTROL_INVALID_REQUEST', [text], { fields: problems.map((p) => ({ description: p.message, field: p.path })) });
}

export function controlNotFound(what: string): AtlasError {
  return new AtlasError('CONTROL_NOT_FOUND', [what]);
}

/**
 * The control API's reading of an error, or undefined to leave it to the Atlas error handler (malformed
 * JSON, body too large and the like answer as on any route).
 */
export function controlError(err: FastifyError | Error): AtlasError | undefined {
  if (err instanceof AtlasError) return err;
  if (err instanceof RequestValidationError) {
    const prefix = err.part === 'body' ? '' : `${err.part === 'querystring' ? 'query' : err.part} `;
    return invalidControlRequest(err.issues.map((i) => ({ path: prefix + (err.part === 'body' ? jsonPath(i.path) : i.path.join('.') || '(all)'), message: i.message })));
  }
  if (err instanceof DatasetError) return invalidControlRequest(err.problems);
  if (err instanceof RangeError) return invalidControlRequest([{ path: '$', message: err.message }]);
  return undefined;
}
