/**
 * The validation shortcut (`http/validation.ts` fastPathOf) must never accept what zod refuses
 * nor produce another value: checked for every params / querystring / body schema of every route of the
 * app, on values built to pass and to almost pass.
 */
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fastPathOf } from '../../src/http/validation.js';
import { listQuery } from '../../src/http/schemas.js';
import { testMock } from '../helpers/mock.js';

interface RouteSchema {
  route: string;
  part: 'params' | 'querystring' | 'body';
  schema: z.ZodType;
}

async function routeSchemas(): Promise<RouteSchema[]> {
  const { app } = testMock();
  const found: RouteSchema[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    for (const part of ['params', 'querystring', 'body'] as const) {
      const s = schema?.[part] as z.ZodType | undefined;
      if (s && typeof (s as { safeParse?: unknown }).safeParse === 'function') found.push({ route: `${String(route.method)} ${route.url}`, part, schema: s });
    }
  });
  await app.ready();
  return found;
}

const hex24 = fc.stringMatching(/^[a-f0-9]{24}$/);
const almostHex = fc.oneof(fc.stringMatching(/^[a-fA-F0-9]{23,25}$/), hex24.map((s) => `${s}\n`), hex24.map((s) => ` ${s}`));
const clusterName = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,20}$/);
/** Query values near the edges of the flag and page parameters. */
const EDGE_VALUES = ['0', '1', '01', '100', '500', '501', '2147483647', '2147483648', '9999999999', '1e2', '+1', '-1', ' 1', '1 ', '١', 'true', 'false', 'TRUE', 'False', 'tRuE', ' true', 'true ', 'yes', 'truee', 'fals', ''];
const queryValue = fc.oneof(
  fc.stringMatching(/^\d{1,11}$/),
  fc.constantFrom(...EDGE_VALUES),
  fc.array(fc.constantFrom('1', 'true'), { minLength: 2, maxLength: 2 }),
);
const anyValue = fc.oneof(hex24, almostHex, clusterName, fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.array(hex24, { maxLength: 2 }), fc.constantFrom('true', 'false', 'TRUE', '1', ''), queryValue);

const QUERY_KEYS = ['envelope', 'pretty', 'includeCount', 'itemsPerPage', 'pageNum'];

function dataFor(keys: string[]): fc.Arbitrary<unknown> {
  const values = (k: string) => (k === 'clusterName' ? fc.oneof(clusterName, anyValue) : QUERY_KEYS.includes(k) ? fc.oneof(queryValue, anyValue) : fc.oneof(hex24, anyValue));
  const record = fc.record(Object.fromEntries([...keys, 'extra', 'envelope', 'pageNum'].map((k) => [k, values(k)])), { requiredKeys: [] });
  return fc.oneof(
    // Every key of the schema with a likely-valid value (the common request), in any order.
    fc.tuple(fc.shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length }), fc.array(hex24, { minLength: keys.length, maxLength: keys.length })).map(([order, vals]) =>
      Object.fromEntries(order.map((k, i) => [k, k === 'clusterName' ? 'Cluster0' : vals[i]])),
    ),
    record,
    // The schema's own keys only (no extra one for zod to drop), some of them.
    fc.record(Object.fromEntries(keys.map((k) => [k, QUERY_KEYS.includes(k) ? queryValue : values(k)])), { requiredKeys: [] }),
    fc.constant({}),
    fc.constant(Object.create(null) as object),
    fc.constant([]),
    fc.constant(null),
    fc.constant('x'),
  );
}

describe('validation shortcut', () => {
  it('applies to the path parameters and to flag / list queries of every Atlas operation', async () => {
    const atlas = (await routeSchemas()).filter((r) => r.route.includes('/api/atlas/v2/') && r.part !== 'body');
    expect(atlas.length).toBeGreaterThan(10);
    for (const r of atlas) expect(fastPathOf(r.schema), `${r.route} ${r.part}`).toBeDefined();
  });

  it('accepts only what zod accepts, with the very value zod returns, for every schema of every route', async () => {
    const schemas = await routeSchemas();
    let accepted = 0;
    for (const { route, part, schema } of schemas) {
      const fast = fastPathOf(schema);
      if (!fast) continue;
      const keys = Object.keys((schema as unknown as { _zod: { def: { shape: object } } })._zod.def.shape);
      fc.assert(
        fc.property(dataFor(keys), (data) => {
          const got = fast(data);
          if (got === undefined) return;
          accepted++;
          const z = schema.safeParse(data);
          expect(z.success, `${route} ${part} ${JSON.stringify(data)}`).toBe(true);
          expect(got).toStrictEqual(z.data);
          expect(Object.keys(got)).toEqual(Object.keys(z.data as object));
        }),
        { numRuns: 300 },
      );
    }
    // The property is not vacuous: the shortcut did accept values.
    expect(accepted).toBeGreaterThan(1000);
  });

  it('parses the list queries clients send without zod', () => {
    const fast = fastPathOf(listQuery)!;
    expect(fast({ includeCount: 'true', itemsPerPage: '100', pageNum: '60' })).toStrictEqual({ includeCount: true, itemsPerPage: 100, pageNum: 60 });
    expect(fast({ pageNum: '2', pretty: 'TRUE', envelope: 'false' })).toStrictEqual({ envelope: false, pretty: true, pageNum: 2 });
    // Left to zod: a value out of range, a repeated parameter, one zod would drop.
    for (const q of [{ itemsPerPage: '501' }, { pageNum: '0' }, { pageNum: ['1', '2'] }, { pageNum: '1', other: 'x' }, { includeCount: 'yes' }]) expect(fast(q), JSON.stringify(q)).toBeUndefined();
    // Every edge value of every parameter: the very value zod gives, or refused by both.
    for (const key of QUERY_KEYS) {
      for (const value of EDGE_VALUES) {
        const got = fast({ [key]: value });
        const z = listQuery.safeParse({ [key]: value });
        if (got !== undefined) expect(z.success && z.data, `${key}=${value}`).toStrictEqual(got);
        // Declined only when zod refuses it too (a single known parameter is never one zod drops).
        else expect(z.success, `${key}=${value} left to zod`).toBe(false);
      }
    }
  });

  it('leaves malformed parameters to zod, so they keep their Atlas errors', async () => {
    const { request } = testMock();
    const res = await request({ url: '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/not-an-id' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errorCode).toBe('INVALID_JOB_ID');
    const q = await request({ url: '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/6650a0c1f1d2e3a4b5c6d822?pretty=maybe' });
    expect(q.statusCode).toBe(400);
    expect(q.json().errorCode).toBe('INVALID_QUERY_PARAMETER');
  });
});
