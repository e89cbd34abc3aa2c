/**
 * Compiled serializers must write exactly what JSON.stringify writes: checked on every view the
 * mock can build (default dataset and a generated store, at every stage of the jobs' plans) and on
 * arbitrary view-shaped values, strings that need escaping included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateJobs } from '../../src/fixtures/generate.js';
import { jsonNumber, jsonString } from '../../src/http/json.js';
import { envelopedSerializer } from '../../src/http/envelope.js';
import { AtlasError, errorBody, errorBodyJson, formatDetail, serializeErrorBody, type ApiErrorBody } from '../../src/errors/atlas-error.js';
import { CATALOGUE, type ErrorCode } from '../../src/errors/catalogue.js';
import { ShapedError } from '../../src/control/errors.js';
import { serializeExportJobView2023, STATICS_MAX, type ExportJobView } from '../../src/exports/view.js';
import { exportsUrl, jobUrl, testMock } from '../helpers/mock.js';

/** Any string, lone surrogates, control characters, quotes and backslashes included. */
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udc00x', '😀', '</script>'));
const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 2 ** 53));

describe('jsonString and jsonNumber', () => {
  it('are JSON.stringify for any string and number', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(jsonString(s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(anyNumber, (n) => {
        expect(jsonNumber(n)).toBe(JSON.stringify(n));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('serializeExportJobView2023', () => {
  it('is JSON.stringify for every view of the default dataset and of more generated jobs than it caches, at every stage', () => {
    const { app, clock } = testMock();
    const ctx = app.mock;
    for (const j of generateJobs(ctx, STATICS_MAX + 1000)) ctx.store.addJob(j);
    const jobs = [...ctx.store.jobs.values()];
    let checked = 0;
    // Before creation (a clock set back), queued, running, finished, long after.
    for (const shift of [-3_600_000, 0, 120_000, 600_000, 1_800_000, 30 * 86_400_000]) {
      clock.setTo(Date.UTC(2026, 7, 10, 3) + shift);
      for (const job of jobs) {
        const view = ctx.exports.view(job);
        expect(serializeExportJobView2023(view)).toBe(JSON.stringify(view));
        checked++;
      }
    }
    expect(checked).toBe(jobs.length * 6);
  });

  it('is JSON.stringify for views whose unchanging fields differ from those of the job it cached', () => {
    const { app } = testMock();
    const ctx = app.mock;
    const views = [...ctx.store.jobs.values()].map((j) => ctx.exports.view(j));
    for (const v of views) expect(serializeExportJobView2023(v)).toBe(JSON.stringify(v));
    const other = (s: string) => `${s.slice(0, -1)}0`;
    for (const v of views) {
      const variants: ExportJobView[] = [
        { ...v, createdAt: '2020-01-01T00:00:00Z' },
        { ...v, customData: [{ key: 'k', value: 'v' }] },
        { ...v, customData: [...v.customData] },
        { ...v, exportBucketId: other(v.exportBucketId) },
        { ...v, prefix: `${v.prefix}/x` },
        { ...v, snapshotId: other(v.snapshotId) },
        // (Spreading keeps the key order; a view gets components first or not at all.)
        ...(v.components ? [{ ...v, components: [{ exportId: 'a', replicaSetName: 'b' }] }, { ...v, components: [...v.components] }] : []),
        { ...v, state: 'constructor' },
        { ...v, state: '__proto__' },
      ];
      for (const w of variants) expect(serializeExportJobView2023(w)).toBe(JSON.stringify(w));
    }
  });

  it('is JSON.stringify when the fields that move with the clock change from one answer of a job to the next', () => {
    const { app } = testMock();
    const ctx = app.mock;
    for (const job of ctx.store.jobs.values()) {
      const v = ctx.exports.view(job);
      // (Spreading keeps the key order: a field is only given a new value where the view has it.)
      const status = v.exportStatus;
      const { finishedAt: _f, ...unfinished } = v;
      const { exportStatus: _s, ...withoutStatus } = v;
      const moved: ExportJobView[] = [
        v,
        { ...v, state: v.state === 'Queued' ? 'InProgress' : 'Queued' },
        ...(status ? [{ ...v, exportStatus: { ...status, exportedCollections: status.exportedCollections + 1 } }, { ...v, exportStatus: { ...status, totalCollections: status.totalCollections + 1 } }] : []),
        withoutStatus as ExportJobView,
        unfinished as ExportJobView,
        ...(v.finishedAt === undefined ? [] : [{ ...v, finishedAt: '2030-01-01T00:00:00Z' }]),
        { ...v, stateReason: { errorCode: 'E', message: 'm' } },
      ];
      // Each one right after the job's own view, then again (its own last answer), then the view again.
      const sequence = moved.flatMap((w) => [v, w, w, v]);
      for (const w of sequence) expect(serializeExportJobView2023(w)).toBe(JSON.stringify(w));
    }
  });

  it('is JSON.stringify for any view-shaped value', () => {
    const label = fc.record({ key: anyString, value: anyString });
    const view = fc.record(
      {
        components: fc.array(fc.record({ exportId: anyString, replicaSetName: anyString }), { maxLength: 3 }),
        createdAt: anyString,
        customData: fc.array(label, { maxLength: 3 }),
        exportBucketId: anyString,
        exportStatus: fc.record({ exportedCollections: anyNumber, totalCollections: anyNumber }),
        finishedAt: anyString,
        // Ids of the default dataset too: the serializer looks its cache up by id.
        id: fc.oneof(anyString, fc.constantFrom('6650a0c1f1d2e3a4b5c6d820', '6650a0c1f1d2e3a4b5c6d822', '6650a0c1f1d2e3a4b5c6d825')),
        prefix: anyString,
        snapshotId: anyString,
        state: fc.oneof(anyString, fc.constantFrom('Queued', 'InProgress', 'Successful', 'Failed', 'Cancelled', 'constructor', 'toString', '__proto__')),
        stateReason: fc.record({ errorCode: anyString, message: anyString }),
      },
      { requiredKeys: ['createdAt', 'customData', 'exportBucketId', 'id', 'prefix', 'snapshotId', 'state'] },
    );
    fc.assert(
      fc.property(view, (v) => {
        expect(serializeExportJobView2023(v as ExportJobView)).toBe(JSON.stringify(v));
      }),
      { numRuns: 5000 },
    );
  });

  it('is what the GET and the create answer (labels with characters to escape included)', async () => {
    const { app, request } = testMock({}, { start: Date.UTC(2026, 7, 10, 3) });
    const customData = [{ key: 'quote"back\\slash', value: 'tab\tnew\nline \u2028 é 😀' }];
    const created = await request({
      method: 'POST',
      url: exportsUrl(),
      payload: { snapshotId: '6650a0c1f1d2e3a4b5c6d804', exportBucketId: '6650a0c1f1d2e3a4b5c6d810', customData },
    });
    expect(created.statusCode).toBe(200);
    const job = app.mock.store.job(created.json().id)!;
    expect(created.body).toBe(JSON.stringify(app.mock.exports.view(job)));
    const got = await request({ url: jobUrl(job.id) });
    expect(got.body).toBe(JSON.stringify(app.mock.exports.view(job)));
    expect(got.json().customData).toEqual(customData);
  });
});

describe('envelopedSerializer', () => {
  it('answers envelope=true with exactly JSON.stringify({content, status}), for every job and the create', async () => {
    const { app, request } = testMock({}, { start: Date.UTC(2026, 7, 10, 3) });
    for (const job of app.mock.store.jobs.values()) {
      const cluster = app.mock.store.cluster(job.groupId, job.clusterName)!;
      for (const query of ['envelope=true', 'envelope=true&pretty=false', 'pretty=false&envelope=TRUE']) {
        const res = await request({ url: `${jobUrl(job.id, cluster.name, job.groupId)}?${query}` });
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe(JSON.stringify({ content: app.mock.exports.view(job), status: 200 }));
      }
    }
    const created = await request({ method: 'POST', url: `${exportsUrl()}?envelope=true`, payload: { snapshotId: '6650a0c1f1d2e3a4b5c6d804', exportBucketId: '6650a0c1f1d2e3a4b5c6d810' } });
    expect(created.statusCode).toBe(200);
    const id = (created.json() as { content: { id: string } }).content.id;
    expect(created.body).toBe(JSON.stringify({ content: app.mock.exports.view(app.mock.store.job(id)!), status: 200 }));
  });

  it('envelopes list bodies as the generic envelope does (status among the keys), written by the operation’s serializer', () => {
    const reply = { statusCode: 200, code(c: number) { this.statusCode = c; return this; } };
    const list = { links: [], results: [{ a: 1 }], totalCount: 1 };
    expect(envelopedSerializer(reply as never, (v) => JSON.stringify(v))(list)).toBe(JSON.stringify({ links: [], results: [{ a: 1 }], status: 200, totalCount: 1 }));
    expect(envelopedSerializer(reply as never, (v) => `<${Object.keys(v).join(',')}>`)(list)).toBe('<links,results,status,totalCount>');
    expect(envelopedSerializer(reply as never, () => '{"x":1}')({ x: 1 })).toBe('{"content":{"x":1},"status":200}');
  });
});

describe('serializeErrorBody', () => {
  it('is JSON.stringify for the body of every error of the catalogue, plain and shaped', () => {
    for (const code of Object.keys(CATALOGUE) as ErrorCode[]) {
      for (const params of [[], ['a', 1], ['quote"', 'x\ny', 3.5, -0, '😀\ud800']]) {
        const plain = new AtlasError(code, params).body();
        expect(serializeErrorBody(plain)).toBe(JSON.stringify(plain));
        const shaped = new ShapedError(code, params, { detail: 'd"etail', fields: [{ description: 'x', field: '$.a' }] }).body();
        expect(serializeErrorBody(shaped)).toBe(JSON.stringify(shaped));
      }
    }
  });

  it('is JSON.stringify for any error-shaped value', () => {
    const param = fc.oneof(anyString, anyNumber);
    const body = fc.record(
      {
        badRequestDetail: fc.record({ fields: fc.array(fc.record({ description: anyString, field: anyString }), { maxLength: 2 }) }),
        detail: anyString,
        error: anyNumber,
        errorCode: anyString,
        parameters: fc.oneof(fc.array(param, { maxLength: 4 }), fc.array(fc.oneof(param, fc.constant(null), fc.constant(undefined), fc.constant(true)), { maxLength: 3 })),
        reason: anyString,
      },
      { requiredKeys: ['detail', 'error', 'errorCode', 'parameters', 'reason'] },
    );
    fc.assert(
      fc.property(body, (b) => {
        expect(serializeErrorBody(b as ApiErrorBody)).toBe(JSON.stringify(b));
      }),
      { numRuns: 5000 },
    );
    expect(serializeErrorBody(errorBody(404, 'X', 'd', []))).toBe('{"detail":"d","error":404,"errorCode":"X","parameters":[],"reason":"Not Found"}');
  });
});

describe('formatDetail', () => {
  it('replaces each %s in order, like the regular-expression replacement it replaces', () => {
    const viaRegExp = (template: string, parameters: readonly unknown[]) => {
      let i = 0;
      return template.replace(/%s/g, () => String(parameters[i++] ?? ''));
    };
    const template = fc.array(fc.oneof(fc.constantFrom('%s', '%', 's', '%%s', '%s%s'), anyString), { maxLength: 6 }).map((a) => a.join(''));
    const params = fc.array(fc.oneof(anyString, anyNumber, fc.constant(null), fc.constant(undefined)), { maxLength: 5 });
    fc.assert(
      fc.property(template, params, (t, p) => {
        expect(formatDetail(t, p as never)).toBe(viaRegExp(t, p));
      }),
      { numRuns: 5000 },
    );
    for (const entry of Object.values(CATALOGUE)) expect(formatDetail(entry.detail, ['A', 2, 'C', 4, 'E'])).toBe(viaRegExp(entry.detail, ['A', 2, 'C', 4, 'E']));
  });
});

describe('AtlasError', () => {
  it('carries no stack trace (an answer, not a fault), and everything else as before', () => {
    const e = new AtlasError('RESOURCE_NOT_FOUND', ['x']);
    expect(e).toBeInstanceOf(Error);
    expect(e.stack).toBe(`AtlasError: ${e.message}`);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
    expect(new Error('other').stack).toContain('serializers.test.ts');
  });
});

describe('errorBodyJson', () => {
  const expected = (e: AtlasError) => JSON.stringify(e.body());

  it('is the body of every error, whether its code, status and parameters were answered just before or not', () => {
    const errors = [
      new AtlasError('RESOURCE_NOT_FOUND', ['a']),
      new AtlasError('RESOURCE_NOT_FOUND', ['a']),
      new AtlasError('RESOURCE_NOT_FOUND', ['b']),
      new AtlasError('RESOURCE_NOT_FOUND', ['a']),
      // The same text as a number and as a string are different parameters.
      new AtlasError('PAYLOAD_TOO_LARGE', [10]),
      new AtlasError('PAYLOAD_TOO_LARGE', ['10']),
      new AtlasError('INVALID_REQUEST', ['x'], {}, 400),
      new AtlasError('INVALID_REQUEST', ['x'], {}, 413),
      new AtlasError('RESOURCE_NOT_FOUND', []),
      new AtlasError('RESOURCE_NOT_FOUND', ['a', 'b']),
    ];
    for (const e of errors) expect(errorBodyJson(e)).toBe(expected(e));
  });

  it('stays right past the number of bodies it keeps (the oldest dropped, then prepared again)', () => {
    const ids = Array.from({ length: 2500 }, (_, i) => `id${i}`);
    for (const round of [0, 1]) {
      for (const id of round === 0 ? ids : [...ids].reverse()) {
        const e = new AtlasError('RESOURCE_NOT_FOUND', [id]);
        expect(errorBodyJson(e)).toBe(expected(e));
      }
    }
  });
});
