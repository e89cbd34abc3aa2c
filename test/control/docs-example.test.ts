/** README.md (Testing your client) shows the example test verbatim: the file the suite runs (test/examples/). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('README.md', () => {
  it('includes test/examples/readme-example.test.ts exactly', () => {
    const doc = read('README.md');
    const marker = '<!-- example: test/examples/readme-example.test.ts -->\n```ts\n';
    const start = doc.indexOf(marker);
    expect(start, 'the example marker is missing from README.md').toBeGreaterThan(-1);
    const from = start + marker.length;
    const end = doc.indexOf('```\n', from);
    expect(doc.slice(from, end)).toBe(read('test/examples/readme-example.test.ts'));
  });
});
