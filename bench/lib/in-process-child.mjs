// One round of scenario `in-process` of `npm run bench` (bench/in-process.ts), in a fresh Node process as a
// test file's worker is: `startAtlasMock()` of the built package as a test calls it (default options), the
// first one of the process apart, then STARTS more, each closed before the next (as `beforeEach` /
// `afterEach` do); then RESETS `mock.reset()` calls on one mock (the control helper, as `beforeEach(reset)`
// calls it). Beside them, the same done by bare Node: `http.createServer()` listening on port 0, then closed.
// Prints one JSON line: every time in ms.
// Usage: node bench/lib/in-process-child.mjs <path of dist/index.js> STARTS RESETS
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const [index, startsArg, resetsArg] = process.argv.slice(2);
const STARTS = Number(startsArg);
const RESETS = Number(resetsArg);
const now = () => performance.now();

const t0 = now();
const { startAtlasMock } = await import(pathToFileURL(index).href);
const importMs = now() - t0;

let t = now();
let mock = await startAtlasMock();
const firstStartMs = now() - t;
t = now();
await mock.close();
const firstCloseMs = now() - t;

const startMs = [];
const closeMs = [];
for (let i = 0; i < STARTS; i++) {
  t = now();
  mock = await startAtlasMock();
  startMs.push(now() - t);
  t = now();
  await mock.close();
  closeMs.push(now() - t);
}

mock = await startAtlasMock();
// The helper's first calls load and warm what every later one uses.
for (let i = 0; i < 20; i++) await mock.reset();
const resetMs = [];
for (let i = 0; i < RESETS; i++) {
  t = now();
  await mock.reset();
  resetMs.push(now() - t);
}
await mock.close();

const bareListenMs = [];
const bareCloseMs = [];
for (let i = 0; i < STARTS; i++) {
  t = now();
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  bareListenMs.push(now() - t);
  t = now();
  await new Promise((resolve) => server.close(resolve));
  bareCloseMs.push(now() - t);
}

process.stdout.write(JSON.stringify({ importMs, firstStartMs, firstCloseMs, startMs, closeMs, resetMs, bareListenMs, bareCloseMs }) + '\n');
