/**
 * vitest globalSetup: runs once per run, before any test file. Without the Atlas evidence
 * (scripts/contract/evidence.ts), a run under CI=true fails here with the reason; any other run goes on with
 * the evidence checks skipped and prints one line that names them and the command that brings the evidence.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cacheDir, cacheProblem, ciFailure, EVIDENCE_MARKER, locateEvidence, ROOT, skipLine } from '../../scripts/contract/evidence.js';

/** Test files with tests declared by describeWithEvidence / itWithEvidence (test/helpers/contract.ts). */
export function evidenceTestFiles(root = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && EVIDENCE_MARKER.test(readFileSync(p, 'utf8'))) out.push(relative(root, p));
    }
  };
  walk(join(root, 'test'));
  return out.sort();
}

/**
 * What a run does about the evidence: nothing to say when it is there; the skip line without it; an Error
 * (the same line) under CI=true.
 */
export function evidenceGate(env: NodeJS.ProcessEnv = process.env, root = ROOT): { line?: string } {
  if (locateEvidence({ env, root })) return {};
  const files = evidenceTestFiles(root);
  const why = cacheProblem(cacheDir({ env, root }));
  if (env.CI === 'true' || env.CI === '1') throw new Error(ciFailure(files, why));
  return { line: skipLine(files, why) };
}

export default function setup(): () => void {
  const { line } = evidenceGate();
  // Printed once, at the end (a teardown prints after the run's summary), where it is not lost among the tests.
  return () => {
    if (line) console.log(`\n${line}\n`);
  };
}
