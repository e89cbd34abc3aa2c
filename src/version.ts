import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the installed package (package.json, fixtures/), found by walking up from this module: the
 * same code runs from src/ (tsx), dist/ (tsc) and the bundled CLI (dist/cli.bundle.cjs, one file for every
 * module), so a path relative to a module's own location would differ between them.
 */
export const PACKAGE_ROOT: string = (() => {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'atlas-export-mock') return dir;
    } catch {
      /* no package.json here, or not ours */
    }
    if (dirname(dir) === dir) return dirname(start);
  }
})();

/** The package version, read once from package.json. */
export const PACKAGE_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
