/**
 * The Node versions the project says it runs on (README: Node versions; `engines` in package.json) agree
 * with what it is tested on and with what its dependencies declare: a dependency update that raises the
 * floor fails here rather than in a user's `npm ci`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

// semver comes with fastify (a production dependency): always installed.
const semver = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };

const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }> };

/** Dependencies that declare Node ≥ 22 and still work on Node 20 (the whole suite passes there): npm warns EBADENGINE for them on 20. */
const WARN_ON_20 = ['content-disposition', 'cookie'];

/** The lowest version of each release line `engines` admits. */
const floors = engines.split('||').map((r) => semver.minVersion(r.trim())!.version);

describe('Node versions', () => {
  it('engines admits the Node versions CI runs the suite on (scripts/ci/node-versions.sh) and this one', () => {
    const pinned = /VERSIONS=\$\{NODE_VERSIONS:-"([^"]+)"\}/.exec(read('scripts/ci/node-versions.sh'))![1]!.split(' ');
    expect(pinned.map((v) => v.split('.')[0])).toEqual(['22', '24']);
    for (const v of [...pinned, process.versions.node]) expect([v, semver.satisfies(v, engines)]).toEqual([v, true]);
    expect(floors).toEqual(['20.19.0', '22.13.0', '24.0.0']);
  });

  it('every dependency admits the lowest version of each line engines names (the known Node ≥ 22 ones warn on 20 only)', () => {
    for (const [path, info] of Object.entries(lock.packages)) {
      const range = !Array.isArray(info.engines) ? info.engines?.node : undefined;
      if (!path || !range) continue;
      const name = path.replace(/^.*node_modules\//, '');
      for (const floor of floors) {
        if (floor.startsWith('20.') && WARN_ON_20.includes(name)) {
          expect([name, semver.satisfies(floor, range)]).toEqual([name, false]); // still true? then drop it from WARN_ON_20 and the README
          continue;
        }
        expect([name, range, floor, semver.satisfies(floor, range)]).toEqual([name, range, floor, true]);
      }
    }
  });

  it('the README says which versions are supported and tested, as engines does', () => {
    const section = read('README.md').split('\n## ').find((s) => s.startsWith('Node versions'));
    expect(section, 'README: a "## Node versions" section').toBeDefined();
    for (const text of ['22', '24', '20.19', engines, ...WARN_ON_20]) expect(section).toContain(text);
  });
});
