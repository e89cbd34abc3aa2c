/**
 * `npm run contract:fetch [-- --base-url URL] [-- --cache DIR]`: brings the Atlas evidence the contract tests
 * read into the cache (scripts/contract/fetch.ts). Exit code 0 when the cache is complete, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { cacheDir } from './contract/evidence.js';
import { fetchEvidence, readManifest } from './contract/fetch.js';

const { values } = parseArgs({ options: { 'base-url': { type: 'string' }, cache: { type: 'string' } } });
const target = values.cache ?? cacheDir();
const baseUrl = values['base-url'] ?? process.env.ATLAS_CONTRACT_BASE_URL ?? readManifest().baseUrl;
console.log(`contract:fetch: pinned files from ${baseUrl} into ${target}`);
try {
  await fetchEvidence({ cacheDir: target, baseUrl, log: (line) => console.log(`contract:fetch: ${line}`) });
  console.log('contract:fetch: done; `npm test` now runs every evidence check.');
} catch (e) {
  console.error(`contract:fetch: ${(e as Error).message}`);
  process.exitCode = 1;
}
