/** Contract §3: envelope (HTTP 200, real status inside) and Jackson-style pretty printing. */
import { describe, expect, it } from 'vitest';
import { pretty } from '../../src/http/json.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

describe('Jackson pretty printer', () => {
  it('prints like Jackson DefaultPrettyPrinter', () => {
    expect(pretty({ a: 1, b: 'x', c: [], d: {}, e: [1, 'two'], f: [{ g: null }, { h: true }], i: { j: { k: 1.5 } } })).toBe(
      [
        '{',
        '  "a" : 1,',
        '  "b" : "x",',
        '  "c" : [ ],',
        '  "d" : { },',
        '  "e" : [ 1, "two" ],',
        '  "f" : [ {',
        '    "g" : null',
        '  }, {',
        '    "h" : true',
        '  } ],',
        '  "i" : {',
        '    "j" : {',
        '      "k" : 1.5',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });
});

describe('envelope=true', () => {
  it('wraps a single entity in {content, status} with HTTP 200', async () => {
    const { request } = testMock();
    const plain = await request({ url: jobUrl(IDS.jobQueued) });
    for (const flag of ['true', 'TRUE', 'True']) {
      const res = await request({ url: `${jobUrl(IDS.jobQueued)}?envelope=${flag}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
      expect(res.body).toBe(`{"content":${plain.body},"status":200}`);
    }
  });

  it('wraps an error with HTTP 200, keeping X-Error-Code and the real status inside', async () => {
    const { request } = testMock();
    const res = await request({ url: `${jobUrl('6650a0c1f1d2e3a4b5c6d8ff')}?envelope=true` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-error-code']).toBe('RESOURCE_NOT_FOUND');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({
      content: { detail: 'Cannot find resource 6650a0c1f1d2e3a4b5c6d8ff.', error: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: ['6650a0c1f1d2e3a4b5c6d8ff'], reason: 'Not Found' },
      status: 404,
    });
    expect(Object.keys(res.json().content)).toEqual(['detail', 'error', 'errorCode', 'parameters', 'reason']);
  });

  it('envelope=false is the plain response; any other value is 400 INVALID_QUERY_PARAMETER', async () => {
    const { request } = testMock();
    const plain = await request({ url: jobUrl(IDS.jobQueued) });
    expect((await request({ url: `${jobUrl(IDS.jobQueued)}?envelope=false` })).body).toBe(plain.body);
    expect((await request({ url: `${jobUrl(IDS.jobQueued)}?envelope=FALSE` })).body).toBe(plain.body);
    for (const bad of ['yes', '1', '', 'truee']) {
      const res = await request({ url: `${jobUrl(IDS.jobQueued)}?envelope=${bad}` });
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('{"detail":"Invalid query parameter envelope specified.","error":400,"errorCode":"INVALID_QUERY_PARAMETER","parameters":["envelope"],"reason":"Bad Request"}');
      expect(res.headers['x-error-code']).toBe('INVALID_QUERY_PARAMETER');
    }
    const res = await request({ url: `${jobUrl(IDS.jobQueued)}?pretty=maybe` });
    expect(res.json().parameters).toEqual(['pretty']);
  });
});

describe('pretty=true', () => {
  it('pretty-prints success bodies Jackson-style; compact by default', async () => {
    const { request } = testMock();
    const compact = await request({ url: jobUrl(IDS.jobFailed) });
    expect(compact.body).not.toMatch(/\s:\s|\n/);
    const res = await request({ url: `${jobUrl(IDS.jobFailed)}?pretty=true` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(pretty(compact.json()));
    expect(res.body).toContain('\n  "state" : "Failed",\n');
    expect(res.body).toContain('"customData" : [ ],');
  });

  it('pretty-prints errors, keys alphabetical, and combines with envelope', async () => {
    const { request } = testMock();
    const res = await request({ url: `${jobUrl('6650a0c1f1d2e3a4b5c6d8ff')}?pretty=true` });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe(
      '{\n  "detail" : "Cannot find resource 6650a0c1f1d2e3a4b5c6d8ff.",\n  "error" : 404,\n  "errorCode" : "RESOURCE_NOT_FOUND",\n  "parameters" : [ "6650a0c1f1d2e3a4b5c6d8ff" ],\n  "reason" : "Not Found"\n}',
    );
    const both = await request({ url: `${jobUrl(IDS.jobQueued)}?pretty=true&envelope=true` });
    expect(both.statusCode).toBe(200);
    expect(both.body.startsWith('{\n  "content" : {\n    "createdAt" : ')).toBe(true);
    expect(both.body.endsWith('\n  },\n  "status" : 200\n}')).toBe(true);
  });
});
