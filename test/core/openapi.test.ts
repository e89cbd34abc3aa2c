/** The checked-in OpenAPI documents (openapi/) must match what the routes generate now: run `npm run openapi`. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../helpers/openapi.js';
import { testMock } from '../helpers/mock.js';

describe('openapi/', () => {
  it('is current (run `npm run openapi` after changing a route)', async () => {
    const { full, atlas } = await generateOpenApi();
    expect(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'), 'openapi/openapi.json is stale: run npm run openapi').toBe(full);
    expect(readFileSync(new URL('../../openapi/atlas.json', import.meta.url), 'utf8'), 'openapi/atlas.json is stale: run npm run openapi').toBe(atlas);
  });

  it('is served at /openapi.json and describes the export-job GET with its versioned media type', async () => {
    const { request } = testMock();
    const res = await request({ url: '/openapi.json', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const op = doc.paths['/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports/{exportId}'].get;
    expect(op.operationId).toBe('getGroupClusterBackupExport');
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/vnd.atlas.2023-01-01+json']);
    expect(op.responses['404'].content['application/json']).toBeDefined();
    const atlas = (await request({ url: '/openapi/atlas.json', headers: { accept: 'application/json' } })).json();
    for (const path of Object.values<Record<string, { tags: string[] }>>(atlas.paths)) for (const o of Object.values(path)) expect(o.tags).not.toContain('Mock control');
  });
});
