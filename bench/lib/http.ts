/**
 * One HTTP request with node:http, no keep-alive: the orchestrator's own requests (tokens, samples,
 * start-up probes). Not fetch: its first use loads undici, which would land inside a start-up measurement.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface SimpleResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export function send(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
