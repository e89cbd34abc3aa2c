/**
 * The Docker HEALTHCHECK: `node dist/healthcheck.js [PATH]` asks the running mock for PATH (default
 * `/__mock/health`) and exits 0 when it answers 2xx within 2 s, 1 otherwise (no curl in the image).
 * It reads the variables the mock itself reads (src/cli/flags.ts), so it follows an image started with
 * another port or bind address: ATLAS_MOCK_PORT or PORT (default 8080); ATLAS_MOCK_HOST or HOST, where a
 * wildcard bind (0.0.0.0, ::) is reached on loopback; ATLAS_MOCK_ADMIN_TOKEN, sent when set (the health page
 * is open anyway; other control paths need it).
 */
const env = (...names: string[]): string | undefined => names.map((n) => process.env[n]).find((v) => v !== undefined && v !== '');

const port = env('ATLAS_MOCK_PORT', 'PORT') ?? '8080';
const bind = env('ATLAS_MOCK_HOST', 'HOST');
const host = !bind || bind === '0.0.0.0' || bind === '::' || bind === '[::]' ? '127.0.0.1' : bind.includes(':') && !bind.startsWith('[') ? `[${bind}]` : bind;
const path = process.argv[2] ?? '/__mock/health';
const headers: Record<string, string> = {};
const token = env('ATLAS_MOCK_ADMIN_TOKEN');
if (token) headers['x-mock-admin-token'] = token;

fetch(`http://${host}:${port}${path}`, { headers, signal: AbortSignal.timeout(2000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
