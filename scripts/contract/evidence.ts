/**
 * Where the Atlas evidence is (the official OpenAPI subsets and the recorded real responses: third-party files
 * that this repository never holds). Looked for, in this order:
 *   1. `$ATLAS_CONTRACT_DIR` — set on purpose, so it must be complete (an incomplete one is an error);
 *   2. `../shared/contract` beside the checkout (the project's own machines and CI);
 *   3. the cache that `npm run contract:fetch` fills: `$ATLAS_CONTRACT_CACHE`, else `.cache/atlas-contract/`
 *      in the checkout, valid only when it was fetched for the manifest committed now.
 * All three hold the same layout: the two subsets at the top, `upstream/` below.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const MANIFEST_FILE = join(ROOT, 'scripts', 'contract', 'manifest.json');

/** What a folder of evidence must hold for the tests (and what `contract:fetch` writes). */
export const REQUIRED_ENTRIES = [
  'atlas-backup-exports.openapi.json',
  'atlas-export-workflow.openapi.json',
  'upstream/openapi-v2.yaml',
  'upstream/recorded',
  'upstream/recorded-workflow',
] as const;

/** Written last by `contract:fetch`: the sha256 of the manifest the cache was filled from. */
export const CACHE_MARKER = 'fetched.json';

export const FETCH_COMMAND = 'npm run contract:fetch';

export type EvidenceSource = 'ATLAS_CONTRACT_DIR' | '../shared/contract' | 'cache';

export interface Evidence {
  dir: string;
  source: EvidenceSource;
}

export interface Where {
  root?: string;
  env?: NodeJS.ProcessEnv;
}

export function cacheDir({ root = ROOT, env = process.env }: Where = {}): string {
  return resolve(env.ATLAS_CONTRACT_CACHE || join(root, '.cache', 'atlas-contract'));
}

const missingIn = (dir: string): string[] => REQUIRED_ENTRIES.filter((e) => !existsSync(join(dir, e)));

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export function manifestSha(manifestFile = MANIFEST_FILE): string {
  return sha256(readFileSync(manifestFile));
}

/** Why the cache cannot be used, or undefined when it can. */
export function cacheProblem(dir: string, manifestFile = MANIFEST_FILE): string | undefined {
  if (!existsSync(join(dir, CACHE_MARKER))) return existsSync(dir) ? `${dir} is incomplete` : undefined;
  let marker: { manifestSha256?: string };
  try {
    marker = JSON.parse(readFileSync(join(dir, CACHE_MARKER), 'utf8')) as { manifestSha256?: string };
  } catch {
    return `${dir}/${CACHE_MARKER} is not JSON`;
  }
  if (marker.manifestSha256 !== manifestSha(manifestFile)) return `${dir} was fetched for another manifest`;
  const missing = missingIn(dir);
  return missing.length > 0 ? `${dir} lacks ${missing.join(', ')}` : undefined;
}

/** The evidence folder, or undefined when there is none. Throws when ATLAS_CONTRACT_DIR names an incomplete folder. */
export function locateEvidence({ root = ROOT, env = process.env }: Where = {}): Evidence | undefined {
  const explicit = env.ATLAS_CONTRACT_DIR;
  if (explicit) {
    const dir = resolve(explicit);
    const missing = missingIn(dir);
    if (missing.length > 0) throw new Error(`ATLAS_CONTRACT_DIR=${explicit}: ${dir} lacks ${missing.join(', ')}. Point it at a complete contract folder, or unset it.`);
    return { dir, source: 'ATLAS_CONTRACT_DIR' };
  }
  const shared = resolve(root, '..', 'shared', 'contract');
  if (missingIn(shared).length === 0) return { dir: shared, source: '../shared/contract' };
  const cache = cacheDir({ root, env });
  if (existsSync(cache) && cacheProblem(cache, join(root, 'scripts', 'contract', 'manifest.json')) === undefined) return { dir: cache, source: 'cache' };
  return undefined;
}

/** Evidence-based tests are declared with these (test/helpers/contract.ts); the skip line lists the files that use them. */
export const EVIDENCE_MARKER = /\b(?:describe|it)WithEvidence\b/;

const lookedAt = (why?: string) => `ATLAS_CONTRACT_DIR, ../shared/contract, ${FETCH_COMMAND} cache${why ? `: ${why}` : ''}`;

/**
 * The one line a run without evidence prints: what was skipped, what stands in for it, and the command that
 * brings the evidence.
 */
export function skipLine(skippedFiles: readonly string[], why?: string): string {
  return (
    `Atlas evidence not found (${lookedAt(why)}): ` +
    `skipped the evidence checks of ${skippedFiles.length} test files (${skippedFiles.join(', ')}); ` +
    'response schemas are checked against the mock\'s own openapi/atlas.json instead. ' +
    `Bring the evidence with \`${FETCH_COMMAND}\` (or set ATLAS_CONTRACT_DIR).`
  );
}

/** What a CI run without evidence fails with. */
export function ciFailure(evidenceFiles: readonly string[], why?: string): string {
  return (
    `CI=true, and the Atlas evidence was not found (${lookedAt(why)}): CI runs every evidence check and fails rather than skip ` +
    `those of ${evidenceFiles.length} test files (${evidenceFiles.join(', ')}). ` +
    `Bring the evidence with \`${FETCH_COMMAND}\`, set ATLAS_CONTRACT_DIR, or put shared/contract beside the checkout.`
  );
}
