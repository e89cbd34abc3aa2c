#!/usr/bin/env node
// A round-robin HTTP proxy for the shared-mock tests and bench (docs/shared-service.md): every request goes
// to the next of the given upstreams, whatever connection it came on, so a client's consecutive requests (a
// Digest challenge and its answer, a create and its polls) land on different replicas.
//   node scripts/rr-proxy.mjs http://127.0.0.1:A http://127.0.0.1:B   → prints "listening on http://127.0.0.1:P"
import http from 'node:http';

export function startProxy(upstreams, port = 0) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = new URL(upstreams[next++ % upstreams.length]);
    const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { agent.destroy(); server.close(() => r()); server.closeAllConnections(); }) })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const upstreams = process.argv.slice(2);
  if (upstreams.length === 0) {
    process.stderr.write('usage: rr-proxy.mjs UPSTREAM_URL...\n');
    process.exit(2);
  }
  const { url } = await startProxy(upstreams);
  process.stdout.write(`listening on ${url}\n`);
  process.on('SIGTERM', () => process.exit(0));
}
