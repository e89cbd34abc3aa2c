/**
 * A stand-in for raw.githubusercontent.com on 127.0.0.1 (port 0): serves the files of an evidence folder at
 * the URLs the manifest pins (`/<repo>/<commit>/<path in the repo>`), so that `contract:fetch` can be tested
 * on a machine that reaches no GitHub. `tamper` changes the bytes of the files it names.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pinnedFiles, readManifest } from '../../scripts/contract/fetch.js';

export interface EvidenceServer {
  baseUrl: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function serveEvidence(dir: string, opts: { tamper?: (path: string, data: Buffer) => Buffer; manifestFile?: string } = {}): Promise<EvidenceServer> {
  const byUrlPath = new Map<string, string>();
  for (const f of pinnedFiles(readManifest(opts.manifestFile), 'http://x')) byUrlPath.set(new URL(f.url).pathname, f.path);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    requests.push(path);
    const file = byUrlPath.get(path);
    if (req.method !== 'GET' || !file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found');
      return;
    }
    let data: Buffer = readFileSync(join(dir, file));
    if (opts.tamper) data = opts.tamper(file, data);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': data.length }).end(data);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
