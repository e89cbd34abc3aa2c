/** docs/testing-your-client.md shows the example test verbatim: the file the suite runs (test/examples/). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docs/testing-your-client.md', () => {
  it('includes test/examples/readme-example.test.ts exactly', () => {
    const doc = read('docs/testing-your-client.md');
    const marker = '<!-- example: test/examples/readme-example.test.ts -->\n```ts\n';
    const start = doc.indexOf(marker);
    expect(start, 'the example marker is missing from docs/testing-your-client.md').toBeGreaterThan(-1);
    const from = start + marker.length;
    const end = doc.indexOf('```\n', from);
    expect(doc.slice(from, end)).toBe(read('test/examples/readme-example.test.ts'));
  });
});
