/**
 * zod schemas built on first use. The control API's schemas and the fixture format's took ~30 ms of CPU at
 * every start of the CLI (~1 000 zod instances and the garbage of their clones, measured module by module in
 * the bundle), for routes and files that a start does not use: the CLI's default dataset comes prepared
 * from the build (fixtures/load.ts), and a control route is asked only by a test that drives the mock.
 *
 * A family of schemas is built by one function, run once: the same objects for every caller, so the
 * validators compiled per schema (http/validation.ts, a WeakMap) and zod's registry (`.meta({ id })`) see one
 * schema each, as when the module built them. A route declares a stand-in (`lazyFields(family).name`) that
 * its validator and the OpenAPI document resolve when they first need it.
 */
import { z } from 'zod';

/** A route's schema that is built on first use: `resolve()` gives the family's schema. */
export class LazySchema<T extends z.ZodType = z.ZodType> {
  #schema: T | undefined;
  constructor(private readonly build: () => T) {}
  resolve(): T {
    return (this.#schema ??= this.build());
  }
}

/** The schema itself, for a stand-in or a schema (anything else as it is). */
export function resolveSchema<T>(schema: T): T extends LazySchema<infer S> ? S : T {
  return (schema instanceof LazySchema ? schema.resolve() : schema) as never;
}

/** Where zod's registry keeps schemas by id; its order is the order of the OpenAPI document's components. */
const idmap = (z.globalRegistry as unknown as { _idmap: Map<string, unknown> })._idmap;
const RESERVED = Symbol('schema id reserved for a family built on first use');
const families: (() => object)[] = [];

/** A family's schemas, built at the first call; `built` tells whether they are yet (tests: what a start builds). */
export type SchemaFamily<T> = (() => T) & { readonly built: boolean };

/**
 * A family of schemas built at its first call (then the same object). `ids` are the `.meta({ id })` the
 * build registers, in its order: their places in zod's registry are taken now, so the OpenAPI document lists
 * the components in the order the module declares them, wherever the family is first built (the document
 * stays the same whether a test asked a control route before or not). A build that registers an id not
 * listed, or lists one it does not register, throws.
 */
export function schemaFamily<T extends object>(build: () => T, ids: readonly string[] = []): SchemaFamily<T> {
  for (const id of ids) if (!idmap.has(id)) idmap.set(id, RESERVED);
  let built: T | undefined;
  const family = (): T => {
    if (built !== undefined) return built;
    const size = idmap.size;
    const made = build();
    const missing = ids.filter((id) => idmap.get(id) === RESERVED);
    if (idmap.size !== size || missing.length > 0) {
      throw new Error(`schemaFamily: the ids given (${ids.join(', ')}) are not those the family registers${missing.length ? ` (not registered: ${missing.join(', ')})` : ' (it registered more)'}`);
    }
    return (built = made);
  };
  families.push(family);
  return Object.defineProperty(family, 'built', { get: () => built !== undefined }) as SchemaFamily<T>;
}

/** Builds every family (before a document is made from zod's registry, which must hold no reserved id). */
export function buildAllSchemaFamilies(): void {
  for (const family of families) family();
}

type Schemas<T> = { readonly [K in keyof T as T[K] extends z.ZodType ? K : never]: T[K] extends z.ZodType ? LazySchema<T[K]> : never };

/** Stand-ins for the schemas of a family, one per name (the same stand-in each time, as the schema is one). */
export function lazyFields<T extends object>(family: () => T): Schemas<T> {
  const made = new Map<PropertyKey, LazySchema>();
  return new Proxy({} as Schemas<T>, {
    get(_, name) {
      let s = made.get(name);
      if (s === undefined) {
        s = new LazySchema(() => {
          const schema = family()[name as keyof T];
          if (!(schema instanceof z.ZodType)) throw new Error(`lazyFields: the family has no schema ${String(name)}`);
          return schema;
        });
        made.set(name, s);
      }
      return s;
    },
  });
}

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown> };

/**
 * A route's schema with its stand-ins resolved (request parts, responses, and response contents), for the
 * OpenAPI document. A copy: the route keeps its own.
 */
export function resolveRouteSchema<S>(schema: S): S {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: RouteSchema = { ...(schema as RouteSchema) };
  for (const part of ['params', 'querystring', 'body', 'headers']) if (out[part] !== undefined) out[part] = resolveSchema(out[part]);
  if (out.response) {
    out.response = Object.fromEntries(
      Object.entries(out.response).map(([status, r]) => {
        const content = (r as { content?: Record<string, { schema: unknown }> } | null)?.content;
        if (r instanceof LazySchema || !content) return [status, resolveSchema(r)];
        return [status, { ...(r as object), content: Object.fromEntries(Object.entries(content).map(([t, c]) => [t, { ...c, schema: resolveSchema(c.schema) }])) }];
      }),
    );
  }
  return out as S;
}
