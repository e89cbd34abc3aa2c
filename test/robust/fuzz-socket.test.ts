/**
 * Property, over real sockets with raw writes: request lines, header blocks and body framing that
 * fetch and inject refuse to produce — unknown or lower-case methods, absolute-form and asterisk targets,
 * raw bytes in the target, HTTP/1.0 and bogus versions, duplicate and conflicting Content-Length,
 * Transfer-Encoding with bad chunks, obs-fold, header lines without a colon, repeated Authorization /
 * Accept / Content-Type, very long header values, pipelined requests. Whatever arrives, every byte the
 * mock sends back parses as HTTP/1.1 responses that are well formed (test/helpers/invariants.ts: Atlas
 * errors, the Digest challenge, 405 without body), never a 500; a connection may close without an answer
 * only when the request never finished. The mock keeps serving: a health request after every batch.
 */
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accept, body as bodyArb, contentType, fuzzParams, fuzzTimeoutMs, headerText, operationTarget, path, query } from '../helpers/fuzz.js';
import { assertWellFormed } from '../helpers/invariants.js';
import { IDS, jobUrl, ownerAuth, testMock, V2023, type TestMock } from '../helpers/mock.js';
import { exchange, parseResponses } from '../helpers/raw-http.js';

const rawMethod = fc.constantFrom('GET', 'GET', 'POST', 'DELETE', 'HEAD', 'PUT', 'PATCH', 'OPTIONS', 'get', 'FOO', 'M-SEARCH', 'TRACE', 'PROPFIND', 'CONNECT');
const rawTarget = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.oneof(path, operationTarget.map((t) => t.path)), query).map(([p, q]) => (q ? `${p}?${q}` : p)) },
  { weight: 1, arbitrary: fc.constantFrom('*', 'api/atlas/v2', `http://127.0.0.1${jobUrl(IDS.jobSuccessful)}`, `HTTP://example.test:80${jobUrl(IDS.jobSuccessful)}?pretty=true`, '//api/atlas/v2', '/api/atlas/v2/groups/\u00e9', '/%') },
  { weight: 1, arbitrary: fc.tuple(path, fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([p, b]) => p + Buffer.from(b).toString('latin1')) },
);
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 x');
const headerName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('accept', 'authorization', 'content-type', 'x-request-id', 'user-agent', 'accept', 'authorization', 'expect', 'connection', 'host') },
  { weight: 1, arbitrary: fc.constantFrom('bad name', 'x:y', '', 'x\u00ff', '\tx') },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,15}$/) },
);
const headerValue = fc.oneof(
  { weight: 4, arbitrary: headerText(60) },
  { weight: 1, arbitrary: accept },
  { weight: 1, arbitrary: contentType },
  { weight: 1, arbitrary: fc.constantFrom('100-continue', 'close', 'keep-alive, Upgrade', 'h2c', 'a\u0000b', 'caf\u00e9', '\u00ff\u00fe') },
  { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 20_000 }).map((n) => 'v'.repeat(n)) },
);
const framing = fc.constantFrom('exact', 'exact', 'exact', 'none', 'short', 'long', 'chunked', 'bad-chunked', 'cl+te', 'two-cl', 'negative-cl', 'obs-fold', 'no-colon', 'lf-only');

type Framing = 'exact' | 'none' | 'short' | 'long' | 'chunked' | 'bad-chunked' | 'cl+te' | 'two-cl' | 'negative-cl' | 'obs-fold' | 'no-colon' | 'lf-only';

interface RawCase {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: string;
  framing: Framing;
  withAuth: boolean;
  withAccept: boolean;
  pipelined: boolean;
}

const rawCase = fc.record({
  method: rawMethod,
  target: rawTarget,
  version,
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  body: bodyArb,
  framing: framing as fc.Arbitrary<Framing>,
  withAuth: fc.boolean(),
  withAccept: fc.boolean(),
  pipelined: fc.boolean(),
});

/** The bytes of one request; `complete` says whether the server can know where it ends. */
function render(c: RawCase, bearer: string): { bytes: Buffer; complete: boolean } {
  const body = Buffer.from(c.body, 'latin1');
  const lines = [`${c.method} ${c.target} ${c.version}`, 'host: 127.0.0.1'];
  if (c.withAuth) lines.push(`authorization: ${bearer}`);
  if (c.withAccept) lines.push(`accept: ${V2023}`);
  for (const [k, v] of c.headers) lines.push(`${k}: ${v}`);
  let payload: Buffer = body;
  let complete = true;
  switch (c.framing) {
    case 'exact':
      lines.push(`content-length: ${body.length}`);
      break;
    case 'none':
      payload = Buffer.alloc(0);
      break;
    case 'short': // more bytes than announced: the rest is read as the next request
      lines.push(`content-length: ${Math.max(0, body.length - 1)}`);
      break;
    case 'long': // fewer bytes than announced: the request never completes
      lines.push(`content-length: ${body.length + 5}`);
      complete = false;
      break;
    case 'chunked':
      lines.push('transfer-encoding: chunked');
      payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from(body.length > 0 ? '\r\n0\r\n\r\n' : '\r\n')]);
      break;
    case 'bad-chunked':
      lines.push('transfer-encoding: chunked');
      payload = Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
      break;
    case 'cl+te':
      lines.push(`content-length: ${body.length}`, 'transfer-encoding: chunked');
      break;
    case 'two-cl':
      lines.push(`content-length: ${body.length}`, `content-length: ${body.length + 1}`);
      break;
    case 'negative-cl':
      lines.push('content-length: -1');
      break;
    case 'obs-fold':
      lines.push('x-folded: first', ' continued', `content-length: ${body.length}`);
      break;
    case 'no-colon':
      lines.push('this line has no colon', `content-length: ${body.length}`);
      break;
    case 'lf-only':
      return { bytes: Buffer.concat([Buffer.from(lines.join('\n') + `\ncontent-length: ${body.length}\n\n`, 'latin1'), body]), complete: true };
  }
  // A value with a raw CR or LF would end the line early: the request is then as malformed as it looks.
  return { bytes: Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), payload]), complete };
}

describe('fuzzed raw HTTP over a real socket', () => {
  let mock: TestMock;
  let port: number;

  beforeAll(async () => {
    mock = testMock({ rateLimit: { capacity: 1_000_000_000 } });
    await mock.app.listen({ port: 0, host: '127.0.0.1' });
    port = (mock.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await mock.app.close();
  });

  async function healthy(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${port}${jobUrl(IDS.jobSuccessful)}`, { headers: { accept: V2023, ...(await ownerAuth(mock.app)) } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }

  const RUNS = 400;
  /**
   * How long a complete request may go unanswered: each case is answered in milliseconds (at most ~12 ms
   * measured over the 400 cases); 10 s only tells a hang from a busy machine.
   */
  const ANSWER_WITHIN_MS = 10_000;

  it('every byte sent back is a well-formed answer, never a 500, and the mock keeps serving', async () => {
    let count = 0;
    let answered = 0;
    const params = fuzzParams('fuzz-socket', RUNS);
    await fc.assert(
      fc.asyncProperty(rawCase, fc.context(), async (c, ctx) => {
        const bearer = (await ownerAuth(mock.app)).authorization!;
        const first = render(c, bearer);
        const healthyRequest = Buffer.from(`GET ${jobUrl(IDS.jobSuccessful)} HTTP/1.1\r\nhost: x\r\naccept: ${V2023}\r\nauthorization: ${bearer}\r\nconnection: close\r\n\r\n`);
        const bytes = c.pipelined && first.complete ? Buffer.concat([first.bytes, healthyRequest]) : first.bytes;
        ctx.log(JSON.stringify(bytes.toString('latin1').slice(0, 600)));
        const ex = await exchange(port, bytes, { end: true, timeoutMs: ANSWER_WITHIN_MS });
        const methods = [c.method.toUpperCase(), 'GET'];
        const answers = parseResponses(ex.bytes, methods);
        ctx.log(`answers: ${answers.map((a) => a.status).join(', ')}`);
        if (answers.length === 0 && first.complete && !ex.closed) throw new Error(`no answer to a complete request within ${ANSWER_WITHIN_MS} ms`);
        answers.forEach((a, i) => assertWellFormed(i === 0 ? { method: methods[0]!, url: c.target } : { method: 'GET', url: jobUrl(IDS.jobSuccessful) }, a));
        if (answers.length > 0) answered++;
        if (++count % 50 === 0) await healthy();
      }),
      params,
    );
    expect(count, 'cases run').toBe(params.numRuns);
    await healthy();
    expect(answered).toBeGreaterThan(count / 2);
  }, fuzzTimeoutMs(RUNS));
});
