/**
 * One autocannon run in its own process (bench/lib/load.ts starts it, pinned to the loader CPUs):
 * `node --import tsx bench/lib/autocannon-child.ts '<LoadSpec as JSON>'` prints a LoadResult as JSON.
 *
 * autocannon keeps a `context` per connection and resets it each time the connection's request list wraps
 * around; the Digest and create+poll loads keep their per-connection state (nonce and nonce count, the
 * created job's id) in it.
 */
import autocannon from 'autocannon';
import { digestSigner, parseChallenge } from './digest.js';
import type { LoadResult, LoadSpec } from './load.js';

type Ctx = { sign?: (method: string, uri: string) => string; id?: string };

/**
 * Requests per connection before its list wraps around and its context (so its nonce) is reset: a fresh
 * handshake every 2000 requests, as a client that starts a new session would do. Longer lists cost
 * autocannon seconds of set-up (it copies the list per connection).
 */
const DIGEST_LIST = 2000;

function requestsOf(spec: LoadSpec, path: string): autocannon.Request[] | undefined {
  const mode = spec.mode;
  switch (mode.kind) {
    case 'plain':
      return undefined;
    case 'digest': {
      const req: autocannon.Request = {
        method: 'GET',
        path,
        // No credentials until this connection has its challenge: the first request gets the 401 (as curl
        // and the Go SDK see it), the following ones reuse its nonce with nc = 1, 2, 3, …
        setupRequest: (r, context) => {
          const ctx = context as Ctx;
          return ctx.sign ? { ...r, headers: { ...spec.headers, authorization: ctx.sign('GET', path) } } : { ...r, headers: { ...spec.headers } };
        },
        onResponse: (status, _body, context, headers) => {
          if (status !== 401) return;
          const h = (headers as Record<string, string | string[]> | undefined)?.['www-authenticate'];
          const value = Array.isArray(h) ? h[0] : h;
          // A refusal without a Digest challenge (the baseline never sends one) leaves the connection unsigned.
          if (value?.startsWith('Digest ')) (context as Ctx).sign = digestSigner(mode.user, mode.password, parseChallenge(value));
        },
      };
      return new Array<autocannon.Request>(DIGEST_LIST).fill(req);
    }
    case 'create-poll': {
      const create: autocannon.Request = {
        method: 'POST',
        path: mode.createPath,
        headers: { ...spec.headers, 'content-type': mode.contentType },
        body: mode.body,
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          try {
            (context as Ctx).id = (JSON.parse(body) as { id?: string }).id;
          } catch {
            /* keeps polling the path given */
          }
        },
      };
      const poll: autocannon.Request = {
        method: 'GET',
        setupRequest: (r, context) => {
          const id = (context as Ctx).id;
          return { ...r, path: id ? `${mode.pollPrefix}/${id}` : path, headers: { ...spec.headers } };
        },
      };
      return [create, ...new Array<autocannon.Request>(mode.polls).fill(poll)];
    }
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as LoadSpec;
  const u = new URL(spec.url);
  const path = u.pathname + u.search;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    headers: spec.headers,
    requests: requestsOf(spec, path),
  });
  const out: LoadResult = {
    tool: 'autocannon',
    rps: result.requests.total / (result.duration || spec.durationS),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
