/**
 * The mock's OpenAPI document describes what it serves per resource version: for every Cloud Backups
 * operation of the official workflow subset (all 34 are served), the same operationId at the same path and method, the same success media types and the same
 * request-body media types. (The stale check of the checked-in `openapi/*.json` is test/core/openapi.test.ts.)
 */
import { expect, it } from 'vitest';
import { describeWithEvidence, evidence, workflowSpec } from '../helpers/contract.js';
import { generateOpenApi } from '../helpers/openapi.js';

type Op = { operationId: string; requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
type Paths = Record<string, Record<string, Op>>;

describeWithEvidence('OpenAPI document of the mock', async () => {
  const generated = await generateOpenApi();
  const doc = JSON.parse(generated.atlas) as { paths: Paths; components: { schemas: Record<string, unknown> } };
  // Collected even when skipped: without evidence there are no official operations to list.
  const official = (evidence ? workflowSpec() : { paths: {} }) as { paths: Paths };

  const all = Object.entries(official.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const cases = all.filter(({ path, method }) => doc.paths[path]?.[method] !== undefined);

  it('serves every operation of the official workflow subset', () => {
    const missing = all.filter(({ path, method }) => doc.paths[path]?.[method] === undefined).map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    expect(all).toHaveLength(34);
  });

  it.each(cases)('$method $path: operationId, success media types and request-body media types as in the official spec', ({ path, method, op }) => {
    const mine = doc.paths[path]?.[method];
    expect(mine?.operationId).toBe(op.operationId);
    const success = Object.keys(op.responses).find((s) => s.startsWith('2'))!;
    if (success === '204') {
      // No body: documented without content (the 204 still carries the versioned Content-Type).
      expect(mine!.responses['204']).toBeDefined();
      expect(mine!.responses['204']!.content).toBeUndefined();
    } else {
      expect(Object.keys(mine!.responses[success]!.content ?? {}).sort()).toEqual(Object.keys(op.responses[success]!.content ?? {}).sort());
    }
    expect(Object.keys(mine!.requestBody?.content ?? {}).sort()).toEqual(Object.keys(op.requestBody?.content ?? {}).sort());
    // Every declared error status of the official operation is documented too.
    for (const status of Object.keys(op.responses).filter((s) => !s.startsWith('2'))) expect([status, mine!.responses[status] !== undefined]).toEqual([status, true]);
  });

  it('documents each version’s bucket body and response with the official schema names', () => {
    const create = doc.paths['/api/atlas/v2/groups/{groupId}/backup/exportBuckets']!.post!;
    const ref = (x: unknown) => (x as { schema: { $ref: string } }).schema.$ref.split('/').pop();
    expect(ref(create.requestBody!.content['application/vnd.atlas.2023-01-01+json'])).toBe('DiskBackupSnapshotAWSExportBucketRequest');
    expect(ref(create.requestBody!.content['application/vnd.atlas.2024-05-30+json'])).toBe('DiskBackupSnapshotExportBucketRequest');
    expect(ref(create.responses['200']!.content!['application/vnd.atlas.2023-01-01+json'])).toBe('DiskBackupSnapshotAWSExportBucketResponse');
    expect(ref(create.responses['200']!.content!['application/vnd.atlas.2024-05-30+json'])).toBe('DiskBackupSnapshotExportBucketResponse');
    // Only schemas the paths use, under their own names.
    expect(Object.keys(doc.components.schemas).filter((n) => n.endsWith('Input'))).toEqual([]);
  });
});
