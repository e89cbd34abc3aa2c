/**
 * An OpenAPI 3.0 document made checkable with Ajv, and its operations found by request: which operation a
 * method and path are (path templates turned into regular expressions, the most literal template first), and
 * the schema of its response for a status and media type.
 *
 * OpenAPI-only keywords become JSON Schema: `nullable: true` adds the `null` type; a `discriminator` with a
 * `mapping` becomes "the base schema, and the subtype its property names" (`if`/`then` per value), with the
 * subtypes' own `allOf` reference to the base pointed at the base without its discriminator — otherwise base
 * and subtype would refer to each other forever. `oneOf` lists beside a mapping are dropped: the mapping says
 * the same, and overlapping subtypes (one schema for several values) would fail "exactly one".
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, any>;

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const SCHEMAS = '#/components/schemas/';
const BASE_SUFFIX = '__base';

function walk(node: unknown, visit: (o: Json) => void): void {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (!node || typeof node !== 'object') return;
  visit(node as Json);
  for (const v of Object.values(node as Json)) walk(v, visit);
}

function nullableToType(root: unknown): void {
  walk(root, (o) => {
    if (o.nullable === true && typeof o.type === 'string') {
      o.type = [o.type, 'null'];
      if (Array.isArray(o.enum) && !o.enum.includes(null)) o.enum.push(null);
    }
    if ('nullable' in o && typeof o.nullable === 'boolean') delete o.nullable;
  });
}

/**
 * A `oneOf` without a discriminator becomes an `anyOf`: the hardware specs of a region are several subtypes
 * that one value matches alike, so "exactly one" fails every real cluster. Region names are a `oneOf` of
 * per-provider string enums declared with `type: object`, which no value can satisfy (a spec slip): the
 * `type` goes.
 */
function oneOfToAnyOf(root: unknown): void {
  walk(root, (o) => {
    if (!Array.isArray(o.oneOf)) return;
    o.anyOf = o.oneOf;
    delete o.oneOf;
    if (o.type === 'object' && (o.anyOf as Json[]).every((alt) => alt.type === 'string')) delete o.type;
  });
}

function discriminatorsToJsonSchema(schemas: Json): void {
  for (const name of Object.keys(schemas)) {
    const schema = schemas[name] as Json;
    const disc = schema.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
    if (!disc) continue;
    const { propertyName, mapping } = disc;
    delete schema.discriminator;
    if (!propertyName || !mapping) continue;
    const baseName = name + BASE_SUFFIX;
    const base = { ...schema };
    delete base.oneOf;
    delete base.anyOf;
    schemas[baseName] = base;
    for (const target of new Set(Object.values(mapping))) {
      const sub = schemas[target.slice(SCHEMAS.length)] as Json | undefined;
      for (const part of (sub?.allOf as Json[] | undefined) ?? []) if (part.$ref === SCHEMAS + name) part.$ref = SCHEMAS + baseName;
    }
    schemas[name] = {
      allOf: [
        { $ref: SCHEMAS + baseName },
        ...Object.entries(mapping).map(([value, target]) => ({
          if: { type: 'object', properties: { [propertyName]: { const: value } }, required: [propertyName] },
          then: { $ref: target },
        })),
      ],
    };
  }
}

/** A copy of `doc` that Ajv can check against (see the file comment). `patch` may change the schemas first. */
export function toJsonSchemaDocument(doc: Json, patch: (schemas: Json) => Json = (s) => s): Json {
  const out = structuredClone(doc);
  out.components = { ...out.components, schemas: patch(out.components?.schemas ?? {}) };
  nullableToType(out);
  discriminatorsToJsonSchema(out.components.schemas as Json);
  oneOfToAnyOf(out);
  return out;
}

export interface SpecOperation {
  method: string;
  template: string;
  operationId?: string;
  regex: RegExp;
  literals: number;
  responses: Json;
}

/** `/a/{b}/c` → `^/a/([^/]+)/c$`. */
export function templateRegex(template: string): RegExp {
  const source = template
    .split('/')
    .map((seg) => seg.split(/(\{[^}]+\})/).map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join(''))
    .join('/');
  return new RegExp(`^${source}$`);
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

export class SpecDocument {
  readonly operations: SpecOperation[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    /** The Ajv-ready document (toJsonSchemaDocument). */
    readonly doc: Json,
    /** What the document is, for messages: the official subset or the mock's own document. */
    readonly name: string,
  ) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    // OpenAPI formats JSON Schema does not know: any number of their type is fine here.
    for (const f of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) this.ajv.addFormat(f, true);
    this.ajv.addSchema(doc, 'spec');
    this.operations = Object.entries((doc.paths ?? {}) as Json)
      .flatMap(([template, item]) =>
        Object.entries(item as Json)
          .filter(([m]) => HTTP_METHODS.has(m))
          .map(([m, op]) => ({
            method: m.toUpperCase(),
            template,
            operationId: (op as Json).operationId as string | undefined,
            regex: templateRegex(template),
            literals: template.split('/').filter((s) => s !== '' && !s.includes('{')).length,
            responses: ((op as Json).responses ?? {}) as Json,
          })),
      )
      // A literal segment wins over a parameter: `/snapshots/shardedClusters` before `/snapshots/{snapshotId}`.
      .sort((a, b) => b.literals - a.literals);
  }

  hasSchema(name: string): boolean {
    return Boolean(this.doc.components?.schemas?.[name]);
  }

  /** A validator of `#/components/schemas/<name>`. */
  schema(name: string): ValidateFunction {
    if (!this.hasSchema(name)) throw new Error(`no schema ${name} in ${this.name}`);
    return this.compile(`spec${SCHEMAS}${name}`);
  }

  private compile(ref: string): ValidateFunction {
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
      this.validators.set(ref, v);
    }
    return v;
  }

  /** The operation a request is, if the document has it. */
  operation(method: string, path: string): SpecOperation | undefined {
    const m = method.toUpperCase();
    return this.operations.find((o) => o.method === m && o.regex.test(path));
  }

  /**
   * The validator of an operation's response for `status` and `mediaType`: undefined when the operation
   * declares no body for it (e.g. 204), a message when the media type is not one the operation declares.
   */
  response(op: SpecOperation, status: number, mediaType: string): ValidateFunction | string | undefined {
    let response = (op.responses[String(status)] ?? op.responses.default) as Json | undefined;
    if (response?.$ref) response = this.resolve(response.$ref as string);
    if (!response) return `${op.method} ${op.template} declares no ${status} response in ${this.name}`;
    const content = response.content as Json | undefined;
    if (!content || Object.keys(content).length === 0) return undefined;
    const declared = content[mediaType] as Json | undefined;
    if (!declared) return `${op.method} ${op.template} ${status} is not declared as ${mediaType} in ${this.name} (declared: ${Object.keys(content).join(', ')})`;
    // A media type without a schema: a body-less answer (the 204 of a DELETE carries its versioned type).
    if (!declared.schema) return undefined;
    const schema = declared.schema as Json;
    if (typeof schema.$ref === 'string' && (schema.$ref as string).startsWith('#/')) return this.compile(`spec${schema.$ref}`);
    // An inline schema: its local references point into the document.
    const key = `${op.method} ${op.template} ${status} ${mediaType}`;
    let v = this.validators.get(key);
    if (!v) {
      const copy = structuredClone(schema);
      walk(copy, (o) => {
        if (typeof o.$ref === 'string' && (o.$ref as string).startsWith('#/')) o.$ref = `spec${o.$ref}`;
      });
      v = this.ajv.compile(copy);
      this.validators.set(key, v);
    }
    return v;
  }

  private resolve(ref: string): Json | undefined {
    let node: unknown = this.doc;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node as Json | undefined;
  }
}
