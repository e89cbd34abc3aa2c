/**
 * Project and organization reads (getGroup, getOrg): the recorded shapes, the fixture's names, tags and
 * creation dates, and who may read an organization.
 */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { errorOf } from '../helpers/flow.js';
import { CREDENTIALS, IDS, testMock, V2023 } from '../helpers/mock.js';
import { digestInject } from '../helpers/digest.js';

const group = (id: string = IDS.group) => `/api/atlas/v2/groups/${id}`;
const org = (id: string = IDS.org) => `/api/atlas/v2/orgs/${id}`;

describe('getGroup', () => {
  it('answers the project as recorded (keys, links on the request host), with its name and cluster count', async () => {
    const mock = testMock();
    const res = await mock.request({ url: group(), headers: { accept: V2023, host: 'localhost:8080' } });
    expect([res.statusCode, res.headers['content-type'], res.headers['ratelimit-limit']]).toEqual([200, 'application/vnd.atlas.2023-01-01+json;charset=utf-8', '1200']);
    const self = `http://localhost:8080/api/atlas/v2/groups/${IDS.group}`;
    expect(res.body).toBe(
      JSON.stringify({
        clusterCount: 2,
        created: '2024-05-24T14:14:25Z',
        id: IDS.group,
        links: [
          { href: self, rel: 'self' },
          ...['containers', 'clusters', 'databaseUsers', 'peers', 'processes', 'whitelist'].map((r) => ({ href: `${self}/${r}`, rel: `https://cloud.mongodb.com/${r}` })),
        ],
        name: 'mock-project',
        orgId: IDS.org,
        withDefaultAlertsSettings: true,
      }),
    );
    await mock.app.close();
  });

  it('shows tags (before withDefaultAlertsSettings, as recorded) and the creation date a fixture gives', async () => {
    const mock = testMock({
      fixtures: parseDataset({
        organizations: [{ id: IDS.org, name: 'o' }],
        projects: [{ id: IDS.group, orgId: IDS.org, name: 'tagged', created: '2026-08-10T03:05:16Z', tags: [{ key: 'env', value: 'e2e' }] }],
      }),
    });
    const p = (await mock.request({ url: group() })).json();
    expect(Object.keys(p)).toEqual(['clusterCount', 'created', 'id', 'links', 'name', 'orgId', 'tags', 'withDefaultAlertsSettings']);
    expect([p.clusterCount, p.created, p.tags]).toEqual([0, '2026-08-10T03:05:16Z', [{ key: 'env', value: 'e2e' }]]);
    await mock.app.close();
  });

  it('unknown → 404 GROUP_NOT_FOUND (no rate-limit headers); malformed → 404 INVALID_GROUP_ID; another organization → 401', async () => {
    const mock = testMock();
    const unknown = await mock.request({ url: group('ffffffffffffffffffffffff') });
    expect(errorOf(unknown)).toEqual({ status: 404, errorCode: 'GROUP_NOT_FOUND', parameters: ['ffffffffffffffffffffffff'] });
    expect(unknown.headers['ratelimit-limit']).toBeUndefined();
    expect(errorOf(await mock.request({ url: group('xyz') })).errorCode).toBe('INVALID_GROUP_ID');
    const other = await digestInject(mock.app, CREDENTIALS.otherOrgOwner.publicKey, CREDENTIALS.otherOrgOwner.privateKey, { url: group(), headers: { accept: V2023 } });
    expect(other.json().errorCode).toBe('USER_CANNOT_ACCESS_GROUP');
    await mock.app.close();
  });
});

describe('getOrg', () => {
  it('answers the organization as recorded, to any principal of it (a project role is enough)', async () => {
    const mock = testMock();
    const res = await mock.request({ url: org(), headers: { accept: V2023, host: 'localhost:8080' } });
    expect([res.statusCode, res.headers['ratelimit-limit']]).toEqual([200, '500']);
    const self = `http://localhost:8080/api/atlas/v2/orgs/${IDS.org}`;
    expect(res.body).toBe(
      JSON.stringify({
        id: IDS.org,
        isDeleted: false,
        links: [{ href: self, rel: 'self' }, ...['groups', 'teams', 'users'].map((r) => ({ href: `${self}/${r}`, rel: `https://cloud.mongodb.com/${r}` }))],
        name: 'Mock Org',
        skipDefaultAlertsSettings: false,
      }),
    );
    const readOnly = await digestInject(mock.app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { url: org(), headers: { accept: V2023 } });
    expect([readOnly.statusCode, readOnly.json().name]).toEqual([200, 'Mock Org']);
    await mock.app.close();
  });

  it('another organization → 401 USER_CANNOT_ACCESS_ORG; unknown → 404 ORG_NOT_FOUND; malformed → 404 INVALID_ORG_ID', async () => {
    const mock = testMock();
    const other = await mock.request({ url: org(IDS.otherOrg) });
    expect(errorOf(other)).toEqual({ status: 401, errorCode: 'USER_CANNOT_ACCESS_ORG', parameters: [] });
    expect(other.json().detail).toBe('User cannot access this organization.');
    const unknown = await mock.request({ url: org('ffffffffffffffffffffffff') });
    expect(errorOf(unknown)).toEqual({ status: 404, errorCode: 'ORG_NOT_FOUND', parameters: ['ffffffffffffffffffffffff'] });
    expect(unknown.json().detail).toBe('No organization with ID ffffffffffffffffffffffff exists.');
    expect(errorOf(await mock.request({ url: org('nope') }))).toEqual({ status: 404, errorCode: 'INVALID_ORG_ID', parameters: ['nope'] });
    // Each organization has its own bucket of the Organizations set.
    const mine = await digestInject(mock.app, CREDENTIALS.otherOrgOwner.publicKey, CREDENTIALS.otherOrgOwner.privateKey, { url: org(IDS.otherOrg), headers: { accept: V2023 } });
    expect([mine.statusCode, mine.headers['ratelimit-remaining']]).toEqual([200, '499']);
    await mock.app.close();
  });

  it('--auth off: reads any organization as the first owner', async () => {
    const mock = testMock({ auth: { enabled: false } });
    expect((await mock.request({ url: org(), headers: { authorization: undefined } })).statusCode).toBe(200);
    await mock.app.close();
  });
});
