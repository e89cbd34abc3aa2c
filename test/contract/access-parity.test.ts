/**
 * Parity with real Atlas for cloud provider access (recorded-workflow TestAccessRoles): create an AWS role
 * (200, not 201; `authorizedDate` and `iamAssumedRoleArn` null; Atlas's AWS account; a UUID external id) and
 * list the project's roles four seconds later — the same status, PARITY_HEADERS, `Ratelimit-Limit: 2000` (the
 * Cloud Provider Access set), keys and bytes. The mock's id and external id are made to be the recorded ones
 * (the test checks they were asked for at the recording's time).
 */
import { expect, it, vi } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { describeWithEvidence, assertSchema, PARITY_HEADERS, recordedWorkflow, shape, type Recorded } from '../helpers/contract.js';
import { testMock, V2023 } from '../helpers/mock.js';

const ORG = 'a0123456789abcdef012345a';
const GROUP = '6a793f832c88faeba59bc3c2';
const URL = `/api/atlas/v2/groups/${GROUP}/cloudProviderAccess`;

function expectParity(res: { statusCode: number; headers: Record<string, unknown>; body: string }, rec: Recorded): void {
  expect(res.statusCode).toBe(rec.status);
  for (const h of PARITY_HEADERS) expect([h, res.headers[h]]).toEqual([h, rec.headers[h]]);
  expect(res.headers['ratelimit-limit']).toBe(rec.headers['ratelimit-limit']);
  expect(shape(JSON.parse(res.body))).toEqual(shape(JSON.parse(rec.body)));
  expect(res.body).toBe(rec.body);
}

describeWithEvidence('parity: cloud provider access (TestAccessRoles)', () => {
  it('create an AWS role, then list the project roles', async () => {
    const create = recordedWorkflow('TestAccessRoles/Create/POST_api_atlas_v2_groups_6a793f832c88faeba59bc3c2_cloudProviderAccess_1.http');
    const list = recordedWorkflow('TestAccessRoles/List/GET_api_atlas_v2_groups_6a793f832c88faeba59bc3c2_cloudProviderAccess_1.http');
    const recordedRole = JSON.parse(create.body);
    const world = parseDataset({ organizations: [{ id: ORG, name: 'recorded org' }], projects: [{ id: GROUP, orgId: ORG, name: 'accessRoles-e2e-552' }] });
    const mock = testMock({ fixtures: world }, { start: Date.parse(create.headers['date']!) });
    const next = vi.spyOn(mock.app.mock.ids, 'next').mockReturnValueOnce(recordedRole.roleId);
    const uuid = vi.spyOn(mock.app.mock.access, 'externalId').mockReturnValueOnce(recordedRole.atlasAssumedRoleExternalId);

    const created = await mock.request({ method: 'POST', url: URL, headers: { accept: V2023, 'content-type': 'application/vnd.atlas.2023-01-01+json' }, payload: '{"providerName":"AWS"}' });
    expect(next).toHaveBeenCalledWith(Date.parse(create.headers['date']!));
    expect(uuid).toHaveBeenCalledTimes(1);
    expectParity(created, create);
    assertSchema('CloudProviderAccessRole', created.json());

    mock.clock.setTo(Date.parse(list.headers['date']!));
    const listed = await mock.request({ url: URL, headers: { accept: V2023 } });
    expectParity(listed, list);
    // One bucket for the set: the list takes a token from the bucket the create took one from. (Atlas shows 1998
    // here, four seconds later; the mock's continuous refill has given the token back: contract §6.)
    expect(Number(listed.headers['ratelimit-remaining'])).toBeLessThanOrEqual(Number(created.headers['ratelimit-remaining']));
    await mock.app.close();
  });

  it('a new AWS external id is a version-4 UUID from the seeded random source, different per role', async () => {
    const mock = testMock();
    const ids = [mock.app.mock.access.externalId(), mock.app.mock.access.externalId()];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    await mock.app.close();
  });
});
