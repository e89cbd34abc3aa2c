// `npm run build`, after tsc: bundles the command line (src/cli/main.ts and its dependencies) into
// dist/cli.bundle.cjs, which dist/cli.js runs with V8's code cache (start-up). CommonJS, because
// Node 20 can give V8's code cache to a vm.Script but not to an ES module. Left out, loaded from
// node_modules when needed: faker (--generate only), @fastify/swagger and @fastify/swagger-ui (the first
// request for the document or /docs; Swagger UI serves files from its own package folder), and the
// packages of export files (below).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'esbuild';

const outfile = new URL('../dist/cli.bundle.cjs', import.meta.url).pathname;

/**
 * Modules required at load time that the mock's start-up never uses; in the bundle each is a stand-in that
 * loads the module on first use:
 * - by Fastify's server module, `node:http2`, `node:https` and `node:dns`, for HTTP/2, TLS and listening on a
 *   host name: ~4 ms of Node's own module loading;
 * - by Fastify's plugin checks, semver (47 modules, evaluated at every start: ~1 % of the start-up's CPU), used
 *   only for a plugin that names the Fastify versions it supports (@fastify/swagger, in the document app);
 * - by pino, its transport (thread-stream and its helpers), for loggers that write through a worker thread,
 *   which the mock's never do;
 * - by the mock itself, Node modules only some runs need: `node:readline` (export files of document files),
 *   `node:fs/promises` (export files in a folder) and `node:v8` (a generated store's garbage collected before
 *   listening), ~2 ms of Node's module loading with the modules they load in turn.
 * For a CommonJS importer the stand-in is a function (pino's transport is one) whose properties and calls are
 * the module's; for the mock's own modules (ES modules, whose named imports esbuild would copy at load) it is
 * an ES module of one wrapper per function the module exports (a named import of anything else fails the build).
 */
const LAZY = [
  { importer: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/, module: /^node:(http2|https|dns)$/ },
  { importer: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]plugin-utils\.js$/, module: /^semver$/ },
  { importer: /[\\/]node_modules[\\/]pino[\\/](pino|lib[\\/]tools)\.js$/, module: /^\.\/(lib\/)?transport$/ },
  { importer: /[\\/]src[\\/]export-files[\\/]documents\.ts$/, module: /^node:readline$/ },
  { importer: /[\\/]src[\\/]export-files[\\/]storage[\\/]folder\.ts$/, module: /^node:fs\/promises$/ },
  { importer: /[\\/]src[\\/]core[\\/]gc\.ts$/, module: /^node:v8$/ },
];
const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onResolve({ filter: /^(node:(http2|https|dns|readline|fs\/promises|v8)|semver|\.\/(lib\/)?transport)$/ }, (args) =>
      LAZY.some((l) => l.importer.test(args.importer) && l.module.test(args.path))
        ? { path: args.path, namespace: args.importer.endsWith('.ts') ? 'lazy-module-esm' : 'lazy-module', pluginData: { resolveDir: dirname(args.importer) } }
        : undefined,
    );
    const load = (path) => `let m; const load = () => (m ??= require(${JSON.stringify(path)}));\n`;
    b.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => ({
      loader: 'js',
      // Resolved from the importer's folder (the real package), outside this namespace.
      resolveDir: args.pluginData.resolveDir,
      contents: `${load(args.path)}module.exports = new Proxy(function () {}, { get: (_, k) => load()[k], has: (_, k) => k in load(), apply: (_, self, a) => Reflect.apply(load(), self, a) });`,
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-module-esm' }, async (args) => {
      const real = await import(args.path);
      const functions = Object.keys(real).filter((k) => k !== 'default' && typeof real[k] === 'function');
      return {
        loader: 'js',
        resolveDir: args.pluginData.resolveDir,
        contents: load(args.path) + functions.map((k) => `export function ${k}(...a) { return load().${k}.apply(this, a); }`).join('\n'),
      };
    });
  },
};

/**
 * find-my-way (Fastify's router) generates small functions with `new Function` as it builds its trees: a
 * prefix matcher for every static node (again at every split and for every method's tree: HEAD repeats
 * GET's), a params-object factory and a constraint matcher for every route. Start-up made 550 of them
 * from 80 distinct sources, each parsed and compiled anew (V8's code cache cannot keep them): ~4 % of the
 * start-up's CPU. In the bundle, a function made from a source already seen is the one made before. All of
 * them are pure functions of their arguments (and of `this` for the constraint matcher, which is a method),
 * so one can serve every node or route with the same source.
 */
const ROUTER_FILES = /[\\/]node_modules[\\/]find-my-way[\\/]lib[\\/](node|handler-storage)\.js$/;
const MEMO_FUNCTION = `const __generatedFunctions = new Map();
function __generatedFunction(...args) {
  const key = args.join('\\0');
  let fn = __generatedFunctions.get(key);
  if (fn === undefined) __generatedFunctions.set(key, (fn = new Function(...args)));
  return fn;
}
`;
const routerFunctions = {
  name: 'router-functions',
  setup(b) {
    b.onLoad({ filter: ROUTER_FILES }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const uses = source.split('new Function(').length - 1;
      // lib/node.js: the prefix matcher; lib/handler-storage.js: the params factory and the constraint matcher.
      const expected = args.path.endsWith('node.js') ? 1 : 2;
      if (uses !== expected) throw new Error(`bundle-cli: ${args.path} has ${uses} \`new Function(\`, expected ${expected}: check the router-functions plugin against this find-my-way`);
      return { loader: 'js', contents: MEMO_FUNCTION + source.replaceAll('new Function(', '__generatedFunction(') };
    });
  },
};

/**
 * Loaded by the export-files writer on first use (src/export-files/): bson and zlib at the first data file,
 * a cloud SDK at the first write to a bucket stored there. Left out of the bundle: a start that writes
 * none of them never reads them.
 */
const EXPORT_FILES_PACKAGES = ['bson', '@aws-sdk/client-s3', '@azure/storage-blob', '@google-cloud/storage'];

/**
 * `fixtures/default` and the dataset the freshly compiled `dist/fixtures/load.js` makes of it, for the
 * bundle's `defaultDataset()` (src/fixtures/load.ts), which uses it while the folder holds the same files.
 * Left out when the dataset would not come back the same from JSON, or names document files (their paths
 * are made absolute at load).
 */
async function preparedDefaultDataset() {
  const load = await import(new URL('../dist/fixtures/load.js', import.meta.url).href);
  const dir = load.DEFAULT_FIXTURES_DIR;
  const files = readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]);
  const dataset = load.loadFixtureDir(dir);
  const documentFiles = dataset.clusters.some((c) => c.databases?.some((d) => d.collections.some((x) => typeof x === 'object' && x.file !== undefined)));
  if (documentFiles || !isDeepStrictEqual(JSON.parse(JSON.stringify(dataset)), dataset)) return undefined;
  return { files, dataset };
}
const prepared = await preparedDefaultDataset();

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@faker-js/faker', '@fastify/swagger', '@fastify/swagger-ui', ...EXPORT_FILES_PACKAGES],
  // import.meta.url of every bundled module is the bundle's own (the code finds package files by walking up).
  define: { 'import.meta.url': '__bundle_url', ...(prepared && { ATLAS_MOCK_PREPARED_DEFAULT_DATASET: JSON.stringify(prepared) }) },
  banner: { js: "var __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'eof',
  logLevel: 'warning',
  // Code as ASCII only (non-ASCII characters in strings and regular expressions as escapes)…
  charset: 'ascii',
  plugins: [lazyModules, routerFunctions],
});

// …and the comments esbuild keeps too, so that dist/cli.js can read the file as Latin-1: a one-byte string
// read without UTF-8 decoding (start-up: 4 ms instead of 14 for the 2.6 MB, and V8 compiles a
// one-byte source). In a comment an escape is only text.
const text = readFileSync(outfile, 'utf8');
// Code unit by code unit (no `u` flag): a character outside the BMP becomes its two surrogate escapes.
const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// One byte per character in UTF-8: nothing above U+007F is left.
if (Buffer.byteLength(ascii) !== ascii.length) throw new Error('bundle-cli: the bundle is not ASCII');
if (ascii !== text) writeFileSync(outfile, ascii);
