#!/usr/bin/env node
/**
 * The `atlas-export-mock` command (package `bin`): starts the command line of `cli/main.ts` as fast as the
 * Node version allows (start-up to the first answer ≤ 300 ms).
 *
 * `npm run build` bundles the CLI with its dependencies into `dist/cli.bundle.cjs` (scripts/bundle-cli.mjs):
 * one file instead of hundreds of modules to find and read. Most of what remains is V8 parsing and
 * compiling that file, so it is run with V8's code cache: a `vm.Script` with `cachedData`, kept in
 * `<temp>/atlas-export-mock-compile-cache-<uid>/` (a folder of this user only, else unused), named by the
 * bundle's size and time, the Node version and the architecture, written once the CLI has started, so it
 * holds every function start-up compiled. A cache V8 rejects is replaced; a cache that cannot be read or written only
 * costs the speed-up. The same on every Node version: Node's own `module.enableCompileCache()` (≥ 22.1)
 * writes its cache right after compiling, before the lazily compiled functions exist; measured on Node
 * 24.22.3, start-up to the first 200 took 418 ms with it and 327 ms with this one (median of 5 each).
 * Without a bundle, or with one older than the compiled `cli/main.js` (a plain `tsc` after a change),
 * `cli/main.js` itself is imported — as with `tsx src/cli.ts` (`npm run dev`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const BUNDLE = join(here, 'cli.bundle.cjs');
const COMPILED = join(here, 'cli', 'main.js');
const UID = process.getuid?.();
const CACHE_DIR = join(tmpdir(), `atlas-export-mock-compile-cache${UID === undefined ? '' : `-${UID}`}`);

/** Cached code is run as is: only from a folder no other user can write to. */
function cacheDirIsOurs(): boolean {
  if (UID === undefined) return true;
  try {
    const st = statSync(CACHE_DIR);
    return st.isDirectory() && st.uid === UID && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function bundleIsCurrent(): boolean {
  try {
    const bundle = statSync(BUNDLE);
    const compiled = statSync(COMPILED, { throwIfNoEntry: false });
    return compiled === undefined || bundle.mtimeMs >= compiled.mtimeMs;
  } catch {
    return false;
  }
}

type CommonJsWrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/** Runs a CommonJS file like `require` does, compiled with (and then saving) V8's code cache. */
function runWithCodeCache(file: string): void {
  // Latin-1: the bundle is ASCII only (scripts/bundle-cli.mjs makes sure), and a one-byte string is read
  // without UTF-8 decoding.
  const source = readFileSync(file, 'latin1');
  // Named by the bundle's size and modification time rather than a hash of its 2.6 MB (~10 ms at every
  // start): a rebuild changes the time, and V8 itself refuses a cache made for another source or flags.
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha1').update(`${size}\0${mtimeMs}\0${process.version}\0${process.arch}`).digest('hex');
  const cacheFile = join(CACHE_DIR, `${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    if (cacheDirIsOurs()) cachedData = readFileSync(cacheFile);
  } catch {
    /* first start with this bundle */
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // Dynamic import() in the bundle (external packages) resolves as in any module of the main context.
    ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER && { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER as never }),
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    let saved = false;
    const save = (): void => {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
        if (!cacheDirIsOurs()) return;
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        // Caches of earlier bundles (and Node versions) are of no use any more.
        for (const name of readdirSync(CACHE_DIR)) if (name.endsWith('.bin') && name !== `${key}.bin`) unlinkSync(join(CACHE_DIR, name));
      } catch {
        /* read-only or shared temp folder: no cache, same behaviour */
      }
    };
    // Once start-up is over (so the cache holds what it compiled), or at exit if that comes first.
    setTimeout(save, 2000).unref();
    process.once('exit', save);
  }
  const mod = { exports: {} };
  (script.runInThisContext() as CommonJsWrapper).call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
}

if (!bundleIsCurrent()) {
  await import('./cli/main.js');
} else {
  runWithCodeCache(BUNDLE);
}
