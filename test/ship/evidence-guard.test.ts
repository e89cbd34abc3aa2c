/**
 * A test file that reads the Atlas evidence (recorded responses, the official OpenAPI subsets) must declare
 * those tests with describeWithEvidence / itWithEvidence: otherwise it fails on a fresh clone, where the
 * evidence is absent and the suite must skip them (docs/development.md). CI always has the evidence, so only
 * this check sees such a file before a user does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_MARKER, ROOT } from '../../scripts/contract/evidence.js';

const READERS = /\b(recorded|recordedWorkflow|recordedFile|recordedNames|recordedWorkflowNames|officialSpec|workflowSpec)\(/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('tests that read the Atlas evidence', () => {
  it('are declared so that they skip without it', () => {
    const offenders = testFiles(join(ROOT, 'test'))
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return READERS.test(text) && !EVIDENCE_MARKER.test(text);
      })
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
