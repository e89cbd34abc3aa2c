/**
 * Limits of the mock (docs/reliability.md), over real sockets: each refusal is an Atlas-shaped
 * error (official ApiError schema, `X-Error-Code`), the connection it came on is dealt with, and the
 * mock keeps serving everyone else.
 *   body over --body-limit → 413 PAYLOAD_TOO_LARGE · head over --max-header-size → 431 · target over
 *   --max-url-length → 414 · jobs / buckets per project → 409 RESOURCE_LIMIT_EXCEEDED (CLI flags) · malformed
 *   HTTP → 400 INVALID_REQUEST · slow clients (slowloris head, trickled body) → 408 REQUEST_TIMEOUT before
 *   they finish sending, without holding the server (order of events; the one time bound, on an idle socket,
 *   is generous and says why).
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

  it('a slowloris head (a few bytes every 50 ms) gets 408 REQUEST_TIMEOUT before it is complete, while others are served', async () => {
    // A mock of its own with a 2 s head timeout: the window in which the others must be served while ten slow
    // clients hold their sockets (a busy machine would have to stall this process for 2 s to close it).
    const slowMock = testMock({ headersTimeoutMs: 2_000, requestTimeoutMs: 4_000 });
    await slowMock.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const slowPort = (slowMock.app.server.address() as AddressInfo).port;
      const slowBearer = (await ownerAuth(slowMock.app)).authorization!;
      // The head in 200 pieces, one every 50 ms: the whole head takes the client 10 s, five times the head
      // timeout, and a third of the 30 s Node would wait without the mock's connection check.
      const text = head('GET', jobUrl(IDS.jobSuccessful), [`x-slow: ${'s'.repeat(100)}`]).replace(bearer, slowBearer);
      const size = Math.ceil(text.length / 200);
      const bytes = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      let slowDone = 0;
      // The exchange limit is only a guard against a hang.
      const slow = Array.from({ length: 10 }, () => exchange(slowPort, bytes, { delayMs: 50, timeoutMs: 60_000 }).finally(() => slowDone++));
      await new Promise((r) => setTimeout(r, 150));
      // (The abort only ends a run where the server never answers: the slow clients are cut long before.)
      const res = await fetch(`http://127.0.0.1:${slowPort}${jobUrl(IDS.jobSuccessful)}`, { headers: { accept: V2023, authorization: slowBearer }, signal: AbortSignal.timeout(30_000) });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      expect(slowDone, 'slow clients cut off before another client was served').toBe(0);
      for (const ex of await Promise.all(slow)) {
        // Closed by the server before the client had sent its whole head (order of events, not a time).
        expect([ex.closed, ex.written < bytes.length]).toEqual([true, true]);
        const [answer] = parseResponses(ex.bytes);
        expect(answer!.status).toBe(408);
        assertWellFormed({ method: 'GET', url: '/' }, answer!);
        expect(JSON.parse(answer!.body)).toMatchObject({ errorCode: 'REQUEST_TIMEOUT', parameters: [2000, 4000] });
      }
    } finally {
      // Closing the server stops its connection check: slow clients of a failed run would hold it for 30 s.
      slowMock.app.server.closeAllConnections();
      await slowMock.app.close();
    }
  }, 120_000);

  it('a body trickled slower than the request timeout gets 408 before it is complete, and the connection closes', async () => {
    const body = JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket });
    const chunks = [head('POST', exportsUrl(), ['content-type: application/json', `content-length: ${body.length}`]), ...body.split('')];
    // The whole body takes the client over 4 s against the 800 ms request timeout; the exchange limit is only
    // a guard against a hang.
    const ex = await exchange(port, chunks, { delayMs: 60, timeoutMs: 60_000 });
    expect([ex.closed, ex.written < chunks.length]).toEqual([true, true]);
    const [answer] = parseResponses(ex.bytes);
    expect(answer!.status).toBe(408);
    await stillServing();
  }, 120_000);

  it('an idle connection that sends nothing is closed too, by the connection check (every 200 ms here), not Node’s default (every 30 s)', async () => {
    const ex = await exchange(port, [], { timeoutMs: 60_000 });
    expect(ex.closed).toBe(true);
    // 400 ms head timeout checked every 200 ms: closed within about 0.6 s on an idle machine. 15 s is generous
    // for a busy one and still half of the 30 s Node would take without the mock's connection check.
    expect(ex.elapsedMs).toBeLessThan(15_000);
  }, 120_000);
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
      mock.request({ method: 'POST', url: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets`, headers: { 'content-type': 'application/json' }, payload: { cloudProvider: 'AWS', bucketName: 'b-one', iamRoleId: IDS.awsRole } });
    expect((await bucket()).statusCode).toBe(200);
    const overBucket = await bucket();
    expect(overBucket.statusCode).toBe(409);
    expect(overBucket.json()).toMatchObject({ errorCode: 'RESOURCE_LIMIT_EXCEEDED', parameters: [2, 'export buckets'] });
    await mock.app.close();
  });
});
