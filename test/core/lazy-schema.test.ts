import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LazySchema, lazyFields, resolveRouteSchema, resolveSchema, schemaFamily } from '../../src/core/lazy-schema.js';

const registeredIds = () => [...(z.globalRegistry as unknown as { _idmap: Map<string, unknown> })._idmap.keys()];

describe('schemas built on first use (core/lazy-schema.ts)', () => {
  it('a family is built once, at its first call; its ids keep the place they were given when it was declared', () => {
    let builds = 0;
    const family = schemaFamily(
      () => {
        builds++;
        return { b: z.object({ x: z.string() }).meta({ id: 'LazyTestB' }), a: z.string().meta({ id: 'LazyTestA' }) };
      },
      ['LazyTestB', 'LazyTestA'],
    );
    z.string().meta({ id: 'LazyTestAfter' });
    expect(family.built).toBe(false);
    expect(builds).toBe(0);
    const first = family();
    expect(family()).toBe(first);
    expect(builds).toBe(1);
    expect(family.built).toBe(true);
    const ids = registeredIds();
    // The family was built after LazyTestAfter was registered, and still comes before it.
    expect(ids.indexOf('LazyTestB')).toBeLessThan(ids.indexOf('LazyTestA'));
    expect(ids.indexOf('LazyTestA')).toBeLessThan(ids.indexOf('LazyTestAfter'));
    expect(z.globalRegistry.get(first.b)?.id).toBe('LazyTestB');
  });

  it('refuses a family whose ids are not those it registers', () => {
    const more = schemaFamily(() => ({ a: z.string().meta({ id: 'LazyTestUnlisted' }) }));
    expect(() => more()).toThrow(/registered more/);
    const fewer = schemaFamily(() => ({ a: z.string() }), ['LazyTestNeverMade']);
    expect(() => fewer()).toThrow(/not registered: LazyTestNeverMade/);
  });

  it('stand-ins resolve to the family schema, one stand-in per name; route schemas are resolved as a copy', () => {
    const family = schemaFamily(() => ({ body: z.strictObject({ n: z.number() }), params: z.object({ id: z.string() }) }));
    const s = lazyFields(family);
    expect(s.body).toBe(s.body);
    expect(s.body).toBeInstanceOf(LazySchema);
    expect(family.built).toBe(false);
    expect(resolveSchema(s.body)).toBe(family().body);
    const plain = z.string();
    expect(resolveSchema(plain)).toBe(plain);
    const route = { operationId: 'x', params: s.params, body: s.body, response: { 200: s.body, 404: { description: 'd', content: { 'application/json': { schema: s.params } } } } };
    const resolved = resolveRouteSchema(route);
    expect(resolved).toEqual({ operationId: 'x', params: family().params, body: family().body, response: { 200: family().body, 404: { description: 'd', content: { 'application/json': { schema: family().params } } } } });
    expect(route.body).toBe(s.body);
    expect(() => resolveSchema((lazyFields(family) as unknown as Record<string, LazySchema>).nothing)).toThrow(/no schema nothing/);
  });
});
