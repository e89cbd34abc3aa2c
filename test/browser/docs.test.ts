/**
 * Swagger UI at /docs, in a real headless Chromium (Debian's, driven by playwright-core): it loads with no
 * network beyond the mock (every other request is aborted and counted) and lists both the Atlas operations
 * and the control API.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtlasMock, type AtlasMock } from '../../src/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('/docs in Chromium', () => {
  let mock: AtlasMock;
  let context: BrowserContext;
  let profile: string;
  const offsite: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ci/browser.sh (installs Debian's chromium) or set CHROMIUM_PATH`);
    mock = await startAtlasMock();
    profile = mkdtempSync(join(tmpdir(), 'atlas-mock-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 30_000 });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(mock.url)) return route.continue();
      offsite.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    await mock?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('lists the Atlas operations and the control operations, with no network beyond the mock', async () => {
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    const res = await page.goto(`${mock.url}/docs`, { waitUntil: 'load', timeout: 30_000 });
    expect(res?.status()).toBe(200);
    await page.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
    const paths = await page.locator('.opblock-summary-path').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect(paths).toContain('/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}');
    for (const p of ['/__mock/health', '/__mock/reset', '/__mock/clock', '/__mock/faults', '/__mock/requests', '/__mock/exports/{exportId}/timeline']) expect(paths).toContain(p);
    const tags = await page.locator('.opblock-tag').allTextContents();
    expect(tags.some((t) => t.includes('Cloud Backups'))).toBe(true);
    expect(tags.some((t) => t.includes('Mock control'))).toBe(true);
    expect(offsite).toEqual([]);
    expect(failed).toEqual([]);
  });
});
