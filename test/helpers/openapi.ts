/** The mock's OpenAPI documents as generated now (for the stale check and `npm run openapi`). */
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { atlasDocument } from '../../src/plugins/openapi.js';

export async function generateOpenApi(): Promise<{ full: string; atlas: string }> {
  // A fixed version keeps the documents stable across releases; the served document carries the real one.
  const app = buildApp({ version: 'generated' }, { clock: createClock({ mode: 'manual', start: Date.UTC(2026, 0, 1) }) });
  await app.ready();
  const doc = await app.openApiDocument();
  await app.close();
  return { full: JSON.stringify(doc, null, 2) + '\n', atlas: JSON.stringify(atlasDocument(doc), null, 2) + '\n' };
}
