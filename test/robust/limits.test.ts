/**
 * Limits of the mock (issue 8, docs/reliability.md), over real sockets: each refusal is an Atlas-shaped
 * error (official ApiError schema, `X-Error-Code`), the connection it came on is dealt with, and the
 * mock keeps serving everyone else.
 *   body over --body-limit → 413 PAYLOAD_TOO_LARGE · head over --max-header-size → 431 · target over
 *   --max-url-length → 414 · jobs / buckets per project → 409 RESOURCE_LIMIT_EXCEEDED (CLI flags) · malformed
 *   HTTP → 400 INVALID_REQUEST · slow clients (slowloris head, trickled body) → 408 REQUEST_TIMEOUT within
 *   the timeouts, without holding the server.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/flags.js';
import { assertWellFormed } from '../helpers/invariants.js';
import { exchange, parseResponses } from '../helpers/raw-http.js';
import { exportsUrl, IDS, jobUrl, ownerAuth, testMock, V2023, type TestMock } from '../helpers/mock.js';

describe('limits over a real socket', () => {
  let mock: TestMock;
  let port: number;
  let bearer: string;

  beforeAll(async () => {
    mock = testMock({ bodyLimit: 2048, maxHeaderSize: 4096, maxUrlLength: 1024, headersTimeoutMs: 400, requestTimeoutMs: 800 });
    await mock.app.listen({ port: 0, host: '127.0.0.1' });
    port = (mock.app.server.address() as AddressInfo).port;
    bearer = (await ownerAuth(mock.app)).authorization!;
  });
  afterAll(async () => {
    await mock.app.close();
  });

  const head = (method: string, target: string, extra: string[] = []) =>
    [`${method} ${target} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close', `accept: ${V2023}`, `authorization: ${bearer}`, ...extra].join('\r\n') + '\r\n\r\n';

  /** The one answer of an exchange, checked for shape; returns it with its parsed body. */
  async function one(bytes: string | Buffer | (string | Buffer)[], method = 'GET', target = '/', opts: { delayMs?: number; end?: boolean; timeoutMs?: number } = {}) {
    const ex = await exchange(port, bytes, { end: opts.end ?? false, timeoutMs: opts.timeoutMs ?? 3000, ...(opts.delayMs !== undefined && { delayMs: opts.delayMs }) });
    const answers = parseResponses(ex.bytes, [method]);
    expect(answers, ex.bytes.toString('latin1').slice(0, 300)).toHaveLength(1);
    assertWellFormed({ method, url: target }, answers[0]!);
    return { ...ex, answer: answers[0]!, body: JSON.parse(answers[0]!.body || 'null') };
  }

  async function stillServing(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${port}${jobUrl(IDS.jobSuccessful)}`, { headers: { accept: V2023, authorization: bearer } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }

  it('a body over the limit: 413 PAYLOAD_TOO_LARGE, sent or only announced', async () => {
    const body = JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket, customData: [{ key: 'k', value: 'x'.repeat(3000) }] });
    const sent = await one(head('POST', exportsUrl(), ['content-type: application/json', `content-length: ${body.length}`]) + body, 'POST', exportsUrl());
    expect(sent.answer.status).toBe(413);
    expect(sent.body).toMatchObject({ errorCode: 'PAYLOAD_TOO_LARGE', parameters: [2048] });
    // Announced only: refused on the Content-Length, without waiting for (or reading) the bytes.
    const announced = await one(head('POST', exportsUrl(), ['content-type: application/json', 'content-length: 1073741824']), 'POST', exportsUrl());
    expect(announced.answer.status).toBe(413);
    // Chunked, no length announced: counted as it arrives.
    const chunked = await one(head('POST', exportsUrl(), ['content-type: application/json', 'transfer-encoding: chunked']) + `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`, 'POST', exportsUrl());
    expect(chunked.answer.status).toBe(413);
    await stillServing();
  });

  it('a request head over the limit: 431 REQUEST_HEADER_FIELDS_TOO_LARGE, connection closed', async () => {
    const res = await one(head('GET', jobUrl(IDS.jobSuccessful), [`x-big: ${'v'.repeat(5000)}`]), 'GET', jobUrl(IDS.jobSuccessful));
    expect(res.answer.status).toBe(431);
    expect(res.body).toMatchObject({ errorCode: 'REQUEST_HEADER_FIELDS_TOO_LARGE', parameters: [4096] });
    expect(res.answer.headers.connection).toBe('close');
    expect(res.answer.headers['x-content-type-options']).toBe('nosniff');
    expect(res.closed).toBe(true);
    // Many headers adding up, and one repeated header, count the same way.
    const many = await one(head('GET', jobUrl(IDS.jobSuccessful), Array.from({ length: 200 }, (_, i) => `x-h${i}: ${'v'.repeat(30)}`)), 'GET', '/');
    expect(many.answer.status).toBe(431);
    const repeated = await one(head('GET', jobUrl(IDS.jobSuccessful), Array.from({ length: 200 }, () => `accept: ${V2023}`)), 'GET', '/');
    expect(repeated.answer.status).toBe(431);
    await stillServing();
  });

  it('a target over the limit: 414 URI_TOO_LONG, for a long query and for one long path segment', async () => {
    const longQuery = `${jobUrl(IDS.jobSuccessful)}?pretty=true&x=${'a'.repeat(1100)}`;
    const q = await one(head('GET', longQuery), 'GET', longQuery);
    expect(q.answer.status).toBe(414);
    expect(q.body).toMatchObject({ errorCode: 'URI_TOO_LONG', parameters: [1024] });
    const longSegment = jobUrl(IDS.jobSuccessful, 'C'.repeat(1100));
    const s = await one(head('GET', longSegment), 'GET', longSegment);
    expect(s.answer.status).toBe(414);
    expect(s.body).toMatchObject({ errorCode: 'URI_TOO_LONG' });
    // Just under the limit a long cluster name still reaches the operation (contract §4: CLUSTER_NOT_FOUND).
    const under = jobUrl(IDS.jobSuccessful, 'C'.repeat(900));
    const u = await one(head('GET', under), 'GET', under);
    expect(u.answer.status).toBe(404);
    expect(u.body).toMatchObject({ errorCode: 'CLUSTER_NOT_FOUND' });
  });

  it('malformed HTTP: 400 INVALID_REQUEST naming the problem, never a framework-shaped body', async () => {
    for (const raw of ['GET / HTTP/9.9\r\n\r\n', 'G(T / HTTP/1.1\r\nhost: x\r\n\r\n', `GET / HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab`, 'GET / HTTP/1.1\r\nbad header line\r\n\r\n']) {
      const res = await one(raw);
      expect(res.answer.status).toBe(400);
      expect(res.body.errorCode).toBe('INVALID_REQUEST');
      expect(res.body.detail).toMatch(/^The request is invalid: malformed HTTP request \(.+, HPE_[A-Z_]+\)\.$/);
    }
    await stillServing();
  });

  it('Expect other than 100-continue is ignored (RFC 9110 §10.1.1), not a bare 417', async () => {
    const res = await one(head('GET', jobUrl(IDS.jobSuccessful), ['expect: something-else']), 'GET', jobUrl(IDS.jobSuccessful));
    expect(res.answer.status).toBe(200);
  });

  it('a slowloris head (one byte every 50 ms) gets 408 REQUEST_TIMEOUT near the head timeout, while others are served', async () => {
    const request = head('GET', jobUrl(IDS.jobSuccessful), [`x-slow: ${'s'.repeat(100)}`]);
    const bytes = request.split('');
    // Others keep being served while ten slow clients hold sockets.
    const slow = Array.from({ length: 10 }, () => exchange(port, bytes, { delayMs: 50, timeoutMs: 5000 }));
    await new Promise((r) => setTimeout(r, 150));
    const t0 = performance.now();
    await stillServing();
    expect(performance.now() - t0).toBeLessThan(1000);
    for (const ex of await Promise.all(slow)) {
      expect(ex.closed).toBe(true);
      // 400 ms head timeout, checked every 200 ms: closed well before the client would have finished (~7 s).
      expect(ex.elapsedMs).toBeLessThan(2500);
      const [answer] = parseResponses(ex.bytes);
      expect(answer!.status).toBe(408);
      assertWellFormed({ method: 'GET', url: '/' }, answer!);
      expect(JSON.parse(answer!.body)).toMatchObject({ errorCode: 'REQUEST_TIMEOUT', parameters: [400, 800] });
    }
  });

  it('a body trickled slower than the request timeout gets 408 and the connection closes', async () => {
    const body = JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket });
    const chunks = [head('POST', exportsUrl(), ['content-type: application/json', `content-length: ${body.length}`]), ...body.split('')];
    const ex = await exchange(port, chunks, { delayMs: 60, timeoutMs: 5000 });
    expect(ex.closed).toBe(true);
    expect(ex.elapsedMs).toBeLessThan(2500);
    const [answer] = parseResponses(ex.bytes);
    expect(answer!.status).toBe(408);
    await stillServing();
  });

  it('an idle connection that sends nothing is closed too', async () => {
    const ex = await exchange(port, [], { timeoutMs: 5000 });
    expect(ex.closed).toBe(true);
    expect(ex.elapsedMs).toBeLessThan(2500);
  });
});

describe('limit flags', () => {
  it('map onto the app options, from flags and ATLAS_MOCK_* variables', () => {
    const c = parseArgs(['--max-jobs-per-project', '7', '--max-url-length=2048', '--headers-timeout', '2s', '--request-timeout', 'PT5S', '--keep-alive-timeout', '10s'], {
      ATLAS_MOCK_MAX_BUCKETS_PER_PROJECT: '3',
      ATLAS_MOCK_MAX_HEADER_SIZE: '8192',
      ATLAS_MOCK_MAX_JOBS_PER_PROJECT: '99',
    });
    expect(c.app).toMatchObject({ maxJobsPerProject: 7, maxBucketsPerProject: 3, maxUrlLength: 2048, maxHeaderSize: 8192, headersTimeoutMs: 2000, requestTimeoutMs: 5000, keepAliveTimeoutMs: 10_000 });
    expect(() => parseArgs(['--max-jobs-per-project', '0'], {})).toThrow(/integer from 1/);
    expect(() => parseArgs(['--max-header-size', '10'], {})).toThrow(/integer from 1024/);
  });

  it('--max-jobs-per-project and --max-buckets-per-project limit creates with 409 RESOURCE_LIMIT_EXCEEDED', async () => {
    const { app } = parseArgs(['--max-jobs-per-project', '7', '--max-buckets-per-project', '2'], {});
    const mock = testMock(app); // the first project holds 6 jobs and 1 bucket
    const create = () => mock.request({ method: 'POST', url: exportsUrl(), headers: { 'content-type': 'application/json' }, payload: { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket } });
    expect((await create()).statusCode).toBe(200);
    mock.clock.advanceBy(3_600_000); // the first export finishes: the snapshot may be exported again
    const over = await create();
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ errorCode: 'RESOURCE_LIMIT_EXCEEDED', parameters: [7, 'export jobs'] });
    const bucket = () =>
      mock.request({ method: 'POST', url: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets`, headers: { 'content-type': 'application/json' }, payload: { cloudProvider: 'AWS', bucketName: 'b-one', iamRoleId: IDS.bucket } });
    expect((await bucket()).statusCode).toBe(200);
    const overBucket = await bucket();
    expect(overBucket.statusCode).toBe(409);
    expect(overBucket.json()).toMatchObject({ errorCode: 'RESOURCE_LIMIT_EXCEEDED', parameters: [2, 'export buckets'] });
    await mock.app.close();
  });
});
