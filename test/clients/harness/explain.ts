/** Failure messages that say what the client asked and what the mock answered. */
import type { Exchange } from './recorder.js';

const clip = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function version(accept: string | undefined): string {
  return /vnd\.atlas\.([\d-]+)/.exec(accept ?? '')?.[1] ?? accept ?? '-';
}

export function formatExchange(x: Exchange): string {
  const target = x.query ? `${x.path}?${x.query}` : x.path;
  const sent = x.requestBody ? `\n      body: ${clip(x.requestBody, 300)}` : '';
  return `#${x.seq} ${x.method} ${target} [${version(x.accept)}]${sent}\n      → ${x.status} ${clip(x.responseBody)}`;
}

/** The exchanges the mock answered with an error (401 Digest challenges left out), or a note that none did. */
export function failedExchanges(exchanges: readonly Exchange[]): string {
  const failed = exchanges.filter((x) => x.status >= 400 && x.status !== 401);
  if (!failed.length) return 'the mock answered no request with an error';
  return `requests the mock answered with an error:\n${failed.map((x) => `  ${formatExchange(x)}`).join('\n')}`;
}

/** Every exchange (for a client that exited 0 but printed the wrong thing). */
export function allExchanges(exchanges: readonly Exchange[]): string {
  const shown = exchanges.filter((x) => x.status !== 401);
  return shown.length ? shown.map((x) => `  ${formatExchange(x)}`).join('\n') : '  (no request reached the mock)';
}
