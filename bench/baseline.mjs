// The yardstick: a bare node:http server answering one path with a pre-serialized body and
// the same Content-Type as the mock; anything else is a 404. A PATH ending in `*` answers every request
// (any method) whose path starts with the rest: the create+poll scenario sends POSTs and GETs of new ids.
// Usage: node bench/baseline.mjs PORT PATH BODYFILE CTYPE
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [port, path, bodyFile, contentType] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const prefix = path.endsWith('*') ? path.slice(0, -1) : null;
const server = createServer((req, res) => {
  if (prefix === null ? req.url === path : req.url.startsWith(prefix)) {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(body);
  } else {
    res.writeHead(404, { 'content-length': 0 });
    res.end();
  }
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
