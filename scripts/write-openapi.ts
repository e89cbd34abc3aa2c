/**
 * Writes the mock's own OpenAPI documents into `openapi/` from the routes' zod schemas:
 * `openapi.json` (Atlas operations and the control API) and `atlas.json` (Atlas operations only).
 * `npm run openapi` after changing a route; test/openapi.test.ts fails while they are stale.
 */
import { writeFileSync } from 'node:fs';
import { generateOpenApi } from '../test/helpers/openapi.js';

const { full, atlas } = await generateOpenApi();
writeFileSync(new URL('../openapi/openapi.json', import.meta.url), full);
writeFileSync(new URL('../openapi/atlas.json', import.meta.url), atlas);
process.stdout.write('openapi/openapi.json and openapi/atlas.json written\n');
