/**
 * The Docker HEALTHCHECK: `node dist/healthcheck.js` asks the running mock for its health page over
 * loopback (no curl in the image). Exit 0 when it answers 2xx within 2 s, 1 otherwise.
 */
const port = process.env.ATLAS_MOCK_PORT ?? process.env.PORT ?? '8080';
const path = process.argv[2] ?? '/__mock/health';
const headers: Record<string, string> = {};
if (process.env.ATLAS_MOCK_ADMIN_TOKEN) headers['x-mock-admin-token'] = process.env.ATLAS_MOCK_ADMIN_TOKEN;

fetch(`http://127.0.0.1:${port}${path}`, { headers, signal: AbortSignal.timeout(2000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
