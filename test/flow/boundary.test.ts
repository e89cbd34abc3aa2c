/**
 * The boundary of the mock (docs/workflow-access.md): creating, changing or deleting projects, organizations
 * and clusters — and listing projects, organizations and flex clusters — answers 501 OPERATION_NOT_SIMULATED
 * once the path's project / organization / cluster is found, after authentication, version negotiation,
 * authorization and the rate limit, like any operation; the journal and the OpenAPI document show each one.
 */
import { describe, expect, it } from 'vitest';
import { errorOf } from '../helpers/flow.js';
import { generateOpenApi } from '../helpers/openapi.js';
import { CREDENTIALS, IDS, testMock } from '../helpers/mock.js';
import { digestInject } from '../helpers/digest.js';

const V = (d: string) => `application/vnd.atlas.${d}+json`;
const G = `/api/atlas/v2/groups/${IDS.group}`;

const BOUNDARY: [method: string, url: string, version: string, operation: string][] = [
  ['GET', '/api/atlas/v2/groups', '2023-01-01', 'listGroups'],
  ['POST', '/api/atlas/v2/groups', '2023-01-01', 'createGroup'],
  ['PATCH', G, '2023-01-01', 'updateGroup'],
  ['DELETE', G, '2023-01-01', 'deleteGroup'],
  ['POST', `${G}/clusters`, '2024-10-23', 'createCluster'],
  ['PATCH', `${G}/clusters/Cluster0`, '2024-08-05', 'updateCluster'],
  ['DELETE', `${G}/clusters/Cluster0`, '2023-02-01', 'deleteCluster'],
  ['GET', `${G}/flexClusters`, '2024-11-13', 'listFlexClusters'],
  ['POST', `${G}/flexClusters`, '2024-11-13', 'createFlexCluster'],
  ['GET', '/api/atlas/v2/orgs', '2023-01-01', 'listOrgs'],
  ['POST', '/api/atlas/v2/orgs', '2023-01-01', 'createOrg'],
  ['PATCH', `/api/atlas/v2/orgs/${IDS.org}`, '2023-01-01', 'updateOrg'],
  ['DELETE', `/api/atlas/v2/orgs/${IDS.org}`, '2023-01-01', 'deleteOrg'],
];

describe('the boundary: operations the mock does not simulate', () => {
  it.each(BOUNDARY)('%s %s → 501 OPERATION_NOT_SIMULATED, journaled as its operation', async (method, url, version, operation) => {
    const mock = testMock();
    const body = method === 'POST' || method === 'PATCH' ? { headers: { accept: V(version), 'content-type': 'application/json' }, payload: '{"name":"x"}' } : { headers: { accept: V(version) } };
    const res = await mock.request({ method: method as 'GET', url, ...body });
    const path = url.slice(1);
    expect(errorOf(res)).toEqual({ status: 501, errorCode: 'OPERATION_NOT_SIMULATED', parameters: [method, path] });
    expect(res.json().detail).toBe(`The mock does not simulate ${method} ${path}: creating, changing or deleting projects, organizations and clusters is outside the export workflow it serves.`);
    expect([res.headers['content-type'], res.headers['x-error-code'], res.json().reason]).toEqual(['application/json', 'OPERATION_NOT_SIMULATED', 'Not Implemented']);
    const journal = (await mock.app.inject({ url: '/__mock/requests' })).json().requests as { operation: string; status: number }[];
    expect(journal.map((e) => [e.operation, e.status])).toEqual([[operation, 501]]);
    // Nothing changed.
    expect((await mock.request({ url: `${G}/clusters/Cluster0`, headers: { accept: V('2024-08-05') } })).json().stateName).toBe('IDLE');
    await mock.app.close();
  });

  it('answers as Atlas first where Atlas would: unknown project, cluster or organization, malformed ids, flex changes', async () => {
    const mock = testMock();
    const cases: [string, string, string, string][] = [
      ['DELETE', '/api/atlas/v2/groups/ffffffffffffffffffffffff', '2023-01-01', 'GROUP_NOT_FOUND'],
      ['POST', '/api/atlas/v2/groups/ffffffffffffffffffffffff/clusters', '2024-10-23', 'GROUP_NOT_FOUND'],
      ['DELETE', `${G}/clusters/NoSuchCluster`, '2023-02-01', 'CLUSTER_NOT_FOUND'],
      ['DELETE', '/api/atlas/v2/orgs/ffffffffffffffffffffffff', '2023-01-01', 'ORG_NOT_FOUND'],
      ['PATCH', '/api/atlas/v2/orgs/nope', '2023-01-01', 'INVALID_ORG_ID'],
      // The mock's clusters are dedicated ones: the flex API refuses them, as every flex probe does.
      ['DELETE', `${G}/flexClusters/Cluster0`, '2024-11-13', 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API'],
      ['PATCH', `${G}/flexClusters/Flex0`, '2024-11-13', 'CLUSTER_NOT_FOUND'],
    ];
    for (const [method, url, version, code] of cases) {
      const res = await mock.request({ method: method as 'GET', url, headers: { accept: V(version), ...(method !== 'DELETE' && { 'content-type': 'application/json' }) }, ...(method !== 'DELETE' && { payload: '{}' }) });
      expect([method, url, res.json().errorCode]).toEqual([method, url, code]);
    }
    await mock.app.close();
  });

  it('authentication, versions and roles come first: 401 without credentials, 406 without a version, 401 USER_UNAUTHORIZED for a read-only key', async () => {
    const mock = testMock();
    expect((await mock.request({ method: 'DELETE', url: `${G}/clusters/Cluster0`, headers: { accept: V('2023-02-01'), authorization: undefined } })).statusCode).toBe(401);
    expect(errorOf(await mock.request({ method: 'DELETE', url: `${G}/clusters/Cluster0`, headers: { accept: 'application/json' } })).errorCode).toBe('INVALID_VERSION_DATE');
    // deleteCluster has no 2024-08-05 version: a later date resolves to 2023-02-01, with its headers.
    const later = await mock.request({ method: 'DELETE', url: `${G}/clusters/Cluster0`, headers: { accept: V('2024-08-05') } });
    expect([later.statusCode, later.headers['deprecation'], later.headers['sunset']]).toEqual([501, undefined, undefined]);
    const old = await mock.request({ method: 'DELETE', url: `${G}/clusters/Cluster0`, headers: { accept: V('2023-01-01') } });
    expect([old.statusCode, old.headers['deprecation'], old.headers['sunset']]).toEqual([501, 'Wed, 1 Feb 2023 00:00:00 GMT', 'Thu, 1 Jul 2027 00:00:00 GMT']);
    const readOnly = await digestInject(mock.app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { method: 'DELETE', url: `${G}/clusters/Cluster0`, headers: { accept: V('2023-02-01') } });
    expect(readOnly.json().errorCode).toBe('USER_UNAUTHORIZED');
    const otherOrg = await digestInject(mock.app, CREDENTIALS.otherOrgOwner.publicKey, CREDENTIALS.otherOrgOwner.privateKey, { method: 'DELETE', url: `/api/atlas/v2/orgs/${IDS.org}`, headers: { accept: V('2023-01-01') } });
    expect(otherOrg.json().errorCode).toBe('USER_CANNOT_ACCESS_ORG');
    await mock.app.close();
  });

  it('the boundary operations take tokens from their endpoint set (Clusters: 10000; Projects by user: 1200)', async () => {
    const mock = testMock();
    const del = await mock.request({ method: 'DELETE', url: `${G}/clusters/Cluster0`, headers: { accept: V('2023-02-01') } });
    expect([del.headers['ratelimit-limit'], del.headers['ratelimit-remaining']]).toEqual(['10000', '9999']);
    const create = await mock.request({ method: 'POST', url: '/api/atlas/v2/groups', headers: { accept: V('2023-01-01'), 'content-type': 'application/json' }, payload: '{}' });
    expect([create.headers['ratelimit-limit'], create.headers['ratelimit-remaining']]).toEqual(['1200', '1199']);
    await mock.app.close();
  });

  it('the OpenAPI document lists each with its 501 and no success response', async () => {
    const doc = JSON.parse((await generateOpenApi()).atlas) as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; description: string }>> };
    for (const [method, url, , operation] of BOUNDARY) {
      const path = url.replace(IDS.group, '{groupId}').replace(IDS.org, '{orgId}').replace('/Cluster0', '/{clusterName}');
      const op = doc.paths[path]?.[method.toLowerCase()];
      expect([method, path, op?.responses['501'] !== undefined, Object.keys(op?.responses ?? {}).some((s) => s.startsWith('2'))]).toEqual([method, path, true, false]);
      expect(op!.description).toContain('501 OPERATION_NOT_SIMULATED');
      expect(op!.operationId).toMatch(new RegExp(`^${operation.replace(/^(create|update|delete|list)/, '$1(Group)?')}s?$`, 'i'));
    }
  });
});
