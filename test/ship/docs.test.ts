/**
 * The documentation holds together: the README links every page of docs/, and every relative link of the
 * README, FIDELITY.md and docs/ reaches a file of the repository (and, with `#anchor`, a heading of it, as
 * GitHub makes anchors).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);

/** Markdown links outside code blocks and code spans: `[text](target)`. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchors(file: string): Set<string> {
  const text = read(file).replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));
}

describe('documentation', () => {
  it('the README links every page of docs/', () => {
    const linked = new Set(links(read('README.md')).map((l) => l.split('#', 1)[0]));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect([page, linked.has(page)]).toEqual([page, true]);
  });

  it('relative links reach a file, and their anchors a heading', () => {
    for (const file of ['README.md', 'FIDELITY.md', ...pages]) {
      for (const link of links(read(file))) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? file : normalize(join(dirname(file), path));
        expect([file, link, existsSync(join(ROOT, target))]).toEqual([file, link, true]);
        if (anchor && target.endsWith('.md')) expect([file, link, anchors(target).has(anchor)]).toEqual([file, link, true]);
      }
    }
  });
});
