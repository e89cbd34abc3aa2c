// `npm run build`, after tsc: bundles the command line (src/cli/main.ts and its dependencies) into
// dist/cli.bundle.cjs, which dist/cli.js runs with V8's code cache (issue 7: start-up). CommonJS, because
// Node 20 can give V8's code cache to a vm.Script but not to an ES module. Left out, loaded from
// node_modules when needed: faker (--generate only), @fastify/swagger and @fastify/swagger-ui (the first
// request for the document or /docs; Swagger UI serves files from its own package folder).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/cli.bundle.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@faker-js/faker', '@fastify/swagger', '@fastify/swagger-ui'],
  // import.meta.url of every bundled module is the bundle's own (the code finds package files by walking up).
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: "var __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'eof',
  logLevel: 'warning',
});
