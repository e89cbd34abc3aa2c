/**
 * Raw HTTP/1.1 over a loopback socket, for what fetch and inject refuse to send (bad framing, duplicate
 * Content-Length, obs-fold, raw bytes in the target, huge headers, slow clients): write bytes, read every
 * byte until the server closes, parse the responses strictly.
 */
import { connect, type Socket } from 'node:net';
import type { Answer } from './invariants.js';

export interface Exchange {
  bytes: Buffer;
  /** The server closed the connection (as opposed to our time limit ending the read). */
  closed: boolean;
  /** ms from connect to close (or to the time limit). */
  elapsedMs: number;
  /** Chunks written before the exchange ended (fewer than given: the server closed while we were still sending). */
  written: number;
}

export interface ExchangeOptions {
  /** Half-close our side after writing (a client that sent everything it will send). */
  end?: boolean;
  /** Give up reading after this long (the socket is then destroyed). Default 3000 ms. */
  timeoutMs?: number;
  /** Chunks written one after the other, `delayMs` apart (slow clients). */
  delayMs?: number;
}

export function exchange(port: number, data: string | Buffer | (string | Buffer)[], opts: ExchangeOptions = {}): Promise<Exchange> {
  const chunks = Array.isArray(data) ? data : [data];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const parts: Buffer[] = [];
    let done = false;
    let written = 0;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(parts), closed, elapsedMs: performance.now() - started, written });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs ?? 3000);
    socket.on('data', (d) => parts.push(d));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // The server may reset a connection it refused while we were still writing: what it sent still counts.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish(true);
      else if (!done) {
        done = true;
        clearTimeout(timer);
        reject(e);
      }
    });
    socket.on('connect', async () => {
      for (let i = 0; i < chunks.length && !done; i++) {
        if (i > 0 && opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        if (!done && !socket.destroyed) {
          socket.write(chunks[i]!);
          written++;
        }
      }
      if (opts.end && !done && !socket.destroyed) socket.end();
    });
  });
}

/**
 * Every response in `bytes`, parsed strictly (status line, headers, Content-Length or chunked body).
 * `methods` are the methods of the requests answered, in order (HEAD answers have no body).
 * Throws on anything that is not well-formed HTTP/1.1.
 */
export function parseResponses(bytes: Buffer, methods: readonly string[] = []): Answer[] {
  const out: Answer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    if (headEnd === -1) throw new Error(`incomplete response head: ${JSON.stringify(bytes.subarray(at, at + 300).toString('latin1'))}`);
    const lines = bytes.subarray(at, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*$/.exec(lines[0]!);
    if (!m) throw new Error(`malformed status line: ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string | string[]> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0 || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(line.slice(0, i))) throw new Error(`malformed header line: ${JSON.stringify(line)}`);
      const name = line.slice(0, i).toLowerCase();
      const value = line.slice(i + 1).trim();
      const prior = headers[name];
      headers[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
    }
    at = headEnd + 4;
    const status = Number(m[1]);
    // Interim answers (100 Continue) carry no body and precede the real one.
    if (status >= 100 && status < 200) continue;
    const method = methods[out.length] ?? 'GET';
    let body: Buffer = Buffer.alloc(0);
    // An answer to a request the parser refused (written before the method was known) may carry a body even
    // for HEAD; it then closes the connection, so the rest of the bytes is that body.
    const headWithBody = method === 'HEAD' && headers.connection === 'close' && at < bytes.length && !bytes.subarray(at, at + 7).equals(Buffer.from('HTTP/1.'));
    if ((method !== 'HEAD' || headWithBody) && status !== 204 && status !== 304) {
      if (headers['transfer-encoding'] === 'chunked') {
        const parts: Buffer[] = [];
        for (;;) {
          const lineEnd = bytes.indexOf('\r\n', at);
          if (lineEnd === -1) throw new Error('incomplete chunk size line');
          const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
          if (!Number.isInteger(size)) throw new Error('malformed chunk size');
          at = lineEnd + 2;
          if (size === 0) {
            if (bytes.indexOf('\r\n', at) !== at) throw new Error('chunk trailers not supported');
            at += 2;
            break;
          }
          parts.push(bytes.subarray(at, at + size));
          at += size + 2;
        }
        body = Buffer.concat(parts);
      } else if (headers['content-length'] !== undefined) {
        const len = Number(headers['content-length']);
        if (!Number.isInteger(len) || len < 0) throw new Error(`bad Content-Length ${String(headers['content-length'])}`);
        if (at + len > bytes.length) throw new Error(`body shorter than Content-Length ${len}`);
        body = bytes.subarray(at, at + len);
        at += len;
      } else {
        // Delimited by close.
        body = bytes.subarray(at);
        at = bytes.length;
      }
    }
    out.push({ status, headers, body: body.toString('utf8') });
  }
  return out;
}
