/**
 * Every response a test makes through `testMock().request` is checked against the schema that the document in
 * use (contract.ts `specInUse`: the official workflow subset, else the mock's own document) declares for it —
 * not only in the tests that ask for it. The operation is found from the request (method and path, matched
 * against the document's path templates), the resource version from the response's Content-Type, the schema
 * from the operation's response for the status: so an operation added to the mock is checked as soon as the
 * document has it, with nothing to add here. Every Atlas error body is checked against ApiError, also on
 * unknown routes and for statuses the operation does not declare (406, 410, 429 …). Enveloped bodies are
 * checked inside their envelope; pretty ones are parsed the same way. The documented real-vs-spec differences
 * are in spec-patches.ts.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { assertSchema, specInUse } from './contract.js';

function parse(res: LightMyRequestResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    throw new Error(`a JSON response that does not parse: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
}

export function checkContract(opts: InjectOptions, res: LightMyRequestResponse): void {
  const url = typeof opts.url === 'string' ? opts.url : '';
  const [rawPath = '', query = ''] = url.split('?');
  if (!rawPath.startsWith('/api/atlas/v2')) return;
  const contentType = String(res.headers['content-type'] ?? '');
  if (!contentType.includes('json') || res.body === '') return;
  const body = parse(res) as Record<string, any>;
  const q = opts.query;
  const extra = q === undefined ? '' : typeof q === 'string' ? q : new URLSearchParams(q as Record<string, string>).toString();
  const enveloped = /(^|&)envelope=true(&|$)/i.test(`${query}&${extra}`) && res.statusCode === 200 && body && 'status' in body;
  const status = enveloped ? (body.status as number) : res.statusCode;
  if (status >= 400) {
    assertSchema('ApiError', enveloped ? body.content : body);
    return;
  }
  const entity = enveloped && 'content' in body ? body.content : body;
  if (enveloped && !('content' in body)) delete (entity as Record<string, unknown>).status; // a list: the body plus status
  const spec = specInUse();
  // A trailing slash names the same resource (FIDELITY.md: Routing).
  const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath;
  const op = spec.operation(opts.method ?? 'GET', path);
  if (!op) return;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  const validate = spec.response(op, status, mediaType);
  if (validate === undefined) return;
  if (typeof validate === 'string') throw new Error(`the mock answered ${status} ${mediaType} to ${opts.method ?? 'GET'} ${url}, but ${validate}`);
  if (!validate(entity)) {
    throw new Error(
      `response to ${opts.method ?? 'GET'} ${url} does not match ${op.operationId ?? op.template} ${status} ${mediaType} of ${spec.name}: ` +
        `${JSON.stringify(validate.errors, null, 1)}\nbody: ${JSON.stringify(entity)}`,
    );
  }
}
