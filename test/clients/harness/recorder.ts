/**
 * A transparent HTTP proxy between a client and the mock that keeps every exchange: what the mock's journal
 * does not hold (the Accept header, the request body, the answer's body). Failure messages quote it, and
 * tests read from it which resource version a client asked for and which states it saw while polling.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  seq: number;
  method: string;
  /** Path without the query. */
  path: string;
  query: string;
  accept: string | undefined;
  userAgent: string | undefined;
  requestBody: string;
  status: number;
  contentType: string | undefined;
  responseBody: string;
}

export interface Recorder {
  /** Base URL clients are given (no trailing slash). */
  url: string;
  exchanges(): readonly Exchange[];
  close(): Promise<void>;
}

export function startRecorder(target: string): Promise<Recorder> {
  const to = new URL(target);
  const log: Exchange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      // Host stays the recorder's, so the links in the answers point where the client connected.
      const headers: IncomingHttpHeaders = req.headers;
      const upstream = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (c: Buffer) => back.push(c));
        answer.on('end', () => {
          const responseBody = Buffer.concat(back);
          const url = new URL(req.url ?? '/', 'http://recorder');
          log.push({
            seq: log.length + 1,
            method: req.method ?? '',
            path: url.pathname,
            query: url.search.replace(/^\?/, ''),
            accept: req.headers.accept,
            userAgent: req.headers['user-agent'],
            requestBody: body.toString('utf8'),
            status: answer.statusCode ?? 0,
            contentType: answer.headers['content-type'],
            responseBody: responseBody.toString('utf8'),
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(responseBody);
        });
      });
      upstream.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`recorder: ${e.message}`);
      });
      upstream.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        exchanges: () => log,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
