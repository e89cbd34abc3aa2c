/** Contract §2: the Accept header picks the resource version; everything else is 406 INVALID_VERSION_DATE. */
import { describe, expect, it } from 'vitest';
import { compileVersions, resolveVersion } from '../../src/http/versioning.js';
import { IDS, jobUrl, testMock } from '../helpers/mock.js';

const INVALID_VERSION = '{"detail":"Invalid accept header or version date.","error":406,"errorCode":"INVALID_VERSION_DATE","parameters":[],"reason":"Not Acceptable"}';

describe('resolveVersion', () => {
  const versions = compileVersions([{ date: '2023-01-01', deprecated: '2024-05-30', sunset: '2027-07-01' }, { date: '2024-05-30' }]);
  const at = (accept?: string) => resolveVersion(accept, versions)?.date;

  it('picks the newest version dated on or before the requested date', () => {
    expect(at('application/vnd.atlas.2023-01-01+json')).toBe('2023-01-01');
    expect(at('application/vnd.atlas.2024-05-29+json')).toBe('2023-01-01');
    expect(at('application/vnd.atlas.2024-05-30+json')).toBe('2024-05-30');
    expect(at('application/vnd.atlas.2025-03-12+json')).toBe('2024-05-30');
    expect(at('application/vnd.atlas.2099-01-01+json')).toBe('2024-05-30');
  });

  it('resolves nothing for missing, generic, malformed or too early media types', () => {
    for (const a of [undefined, '', 'application/json', '*/*', 'application/vnd.atlas.2022-12-31+json', 'application/vnd.atlas.2023-13-45+json', 'application/vnd.atlas.foo+json', 'application/vnd.atlas.preview+json', 'application/vnd.atlas.2023-02-30+json'])
      expect(at(a)).toBeUndefined();
  });

  it('tries a list of media types in q-value order and ignores q=0', () => {
    expect(at('application/json, application/vnd.atlas.2023-01-01+json')).toBe('2023-01-01');
    expect(at('application/vnd.atlas.2023-01-01+json;q=0.5, application/vnd.atlas.2024-05-30+json')).toBe('2024-05-30');
    expect(at('application/vnd.atlas.2024-05-30+json;q=0, application/vnd.atlas.2023-06-01+json;q=0.1')).toBe('2023-01-01');
    expect(at('application/vnd.atlas.2024-05-30+json;q=0')).toBeUndefined();
    expect(at('APPLICATION/VND.ATLAS.2023-01-01+JSON')).toBe('2023-01-01');
  });

  it('sends Deprecation and Sunset in Java RFC 1123 form, day not zero-padded', () => {
    expect(versions[0]!.headers).toEqual({ deprecation: 'Thu, 30 May 2024 00:00:00 GMT', sunset: 'Thu, 1 Jul 2027 00:00:00 GMT' });
    expect(versions[1]!.headers).toEqual({});
  });
});

describe('GET export job: versioning on the wire', () => {
  const url = jobUrl(IDS.jobSuccessful);

  it.each([
    ['no Accept header', undefined],
    ['application/json', 'application/json'],
    ['*/*', '*/*'],
    ['a malformed date', 'application/vnd.atlas.2023-13-45+json'],
    ['a date before the first version', 'application/vnd.atlas.2020-01-01+json'],
  ])('answers 406 INVALID_VERSION_DATE for %s', async (_, accept) => {
    const { request } = testMock();
    const res = await request({ url, headers: { accept } });
    expect(res.statusCode).toBe(406);
    expect(res.body).toBe(INVALID_VERSION);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-error-code']).toBe('INVALID_VERSION_DATE');
  });

  it('serves the resolved version with charset and Vary: Accept, also for a later date', async () => {
    const { request } = testMock();
    for (const accept of ['application/vnd.atlas.2023-01-01+json', 'application/vnd.atlas.2025-03-12+json', 'application/vnd.atlas.2099-01-01+json']) {
      const res = await request({ url, headers: { accept } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
      expect(res.headers['vary']).toBe('Accept');
      expect(res.headers['deprecation']).toBeUndefined();
      expect(res.headers['sunset']).toBeUndefined();
    }
  });
});
