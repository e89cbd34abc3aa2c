/**
 * What every answer of the mock must look like, whatever the request (contract §4): one of
 * - a success: 2xx with a JSON body (versioned or plain `application/json`), or no body for 204 / HEAD;
 * - the exact Digest challenge (401, recorded body, no `X-Error-Code`);
 * - a 405 with `Allow` and an empty body (recorded), or the 200 of OPTIONS on a known path, alike;
 * - an OAuth error of the token endpoint (`{error, error_description}`, RFC 6749 §5.2);
 * - an Atlas error: `Content-Type: application/json`, `X-Error-Code` = `errorCode`, body valid against the
 *   official ApiError schema (test/helpers/contract.ts), `error` = the HTTP status and `reason` its phrase —
 *   or, with `envelope=true`, HTTP 200 with `{content: <that error>, status}`.
 * and never a 5xx (no fault rule is set by the suites that use this) but the boundary's 501
 * OPERATION_NOT_SIMULATED (an operation the mock does not simulate, docs/workflow-access.md).
 */
import { STATUS_CODES } from 'node:http';
import { CHALLENGE_BODY } from '../../src/auth/challenge.js';
import { assertSchema } from './contract.js';

export interface Answer {
  status: number;
  /** Header names lower-cased; repeated headers joined or as arrays. */
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface AskedFor {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
}

const CHALLENGE = /^Digest realm="MMS Public API", domain="", nonce="[A-Za-z0-9+/]{32}", algorithm=MD5, qop="auth", stale=(true|false)$/;
const header = (a: Answer, name: string): string | undefined => {
  const v = a.headers[name];
  return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : String(v);
};

function fail(message: string, asked: AskedFor, a: Answer): never {
  throw new Error(`${message}\nrequest: ${asked.method} ${asked.url.slice(0, 300)}\nanswer: ${a.status} ${JSON.stringify(a.headers)}\n${a.body.slice(0, 600)}`);
}

/** The Atlas error of a body (unwrapped from an envelope), checked against the official schema. */
function checkApiError(error: unknown, status: number, asked: AskedFor, a: Answer): void {
  try {
    assertSchema('ApiError', error);
  } catch (e) {
    fail((e as Error).message, asked, a);
  }
  const e = error as { error: number; reason: string; errorCode: string };
  if (e.error !== status) fail(`body error ${e.error} is not the status ${status}`, asked, a);
  if (e.reason !== STATUS_CODES[status]) fail(`reason ${e.reason} is not the phrase of ${status}`, asked, a);
  if (header(a, 'x-error-code') !== e.errorCode) fail(`X-Error-Code ${header(a, 'x-error-code')} is not ${e.errorCode}`, asked, a);
}

/** Throws, with the request and the answer, unless `a` is a well-formed answer of the mock. */
export function assertWellFormed(asked: AskedFor, a: Answer, opts: { allow500?: boolean } = {}): void {
  const { status } = a;
  const head = asked.method.toUpperCase() === 'HEAD';
  if (!Number.isInteger(status) || status < 200 || status > 599) fail(`status ${status} out of range`, asked, a);
  if (status >= 500 && !opts.allow500 && !(status === 501 && header(a, 'x-error-code') === 'OPERATION_NOT_SIMULATED')) fail(`server error ${status}`, asked, a);
  // (An OPTIONS to an unknown path is a 404, enveloped as HTTP 200 with envelope=true: no Allow there.)
  if (status === 405 || (status === 200 && asked.method.toUpperCase() === 'OPTIONS' && header(a, 'allow') !== undefined)) {
    if (a.body !== '') fail(`${status} to ${asked.method} with a body`, asked, a);
    if (!/^[A-Z]+(,[A-Z]+)*$/.test(header(a, 'allow') ?? '')) fail(`${status} to ${asked.method} without a well-formed Allow`, asked, a);
    if (header(a, 'content-type') !== undefined) fail(`${status} to ${asked.method} with a Content-Type`, asked, a);
    return;
  }
  if (status === 204 || (head && status < 400)) {
    if (a.body !== '') fail(`${status} to ${asked.method} with a body`, asked, a);
    return;
  }
  const www = header(a, 'www-authenticate');
  if (status === 401 && www?.startsWith('Digest')) {
    if (!CHALLENGE.test(www)) fail('malformed Digest challenge', asked, a);
    if (header(a, 'x-error-code') !== undefined) fail('Digest challenge with X-Error-Code', asked, a);
    if (header(a, 'content-type') !== 'application/json') fail('Digest challenge content type', asked, a);
    if (!head && a.body !== CHALLENGE_BODY.toString()) fail('Digest challenge body differs from the recorded one', asked, a);
    return;
  }
  if (head) return; // HEAD errors: the headers above are all there is.
  const type = header(a, 'content-type') ?? '';
  let body: unknown;
  try {
    body = JSON.parse(a.body);
  } catch {
    fail(`body is not JSON (content-type ${type})`, asked, a);
  }
  const path = asked.url.split('?', 1)[0]!;
  if (path.startsWith('/api/oauth/') && status !== 404 && status !== 413 && status !== 415 && !header(a, 'x-error-code')) {
    // The token endpoint answers OAuth-shaped bodies (contract §5).
    if (type !== 'application/json') fail(`token endpoint content type ${type}`, asked, a);
    const o = body as Record<string, unknown>;
    if (status === 200 && typeof o.access_token !== 'string') fail('token answer without access_token', asked, a);
    if (status !== 200 && (typeof o.error !== 'string' || typeof o.error_description !== 'string')) fail('OAuth error without error / error_description', asked, a);
    return;
  }
  if (status < 300) {
    const enveloped = body !== null && typeof body === 'object' && 'status' in body && (('content' in body) || ('results' in body) || Object.keys(body).length === 1);
    if (enveloped) {
      const inner = body as { status: number; content?: unknown };
      if (inner.status >= 400) {
        if (type !== 'application/json') fail(`enveloped error content type ${type}`, asked, a);
        checkApiError(inner.content, inner.status, asked, a);
      }
      return;
    }
    if (!/^application\/(vnd\.atlas\.\d{4}-\d{2}-\d{2}\+json;charset=utf-8|json(; ?charset=utf-8)?)$/.test(type)) fail(`success content type ${type}`, asked, a);
    return;
  }
  if (type !== 'application/json') fail(`error content type ${type}`, asked, a);
  checkApiError(body, status, asked, a);
}
