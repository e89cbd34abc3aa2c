/**
 * Cloud provider access (create, authorize, list, get, deauthorize) and what export buckets require of the
 * role they name: a role of the project, of the bucket's provider, authorized (GCP: no authorization).
 * Also: roles per operation, reset, and the state file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { bucketUrl, createBucket, errorOf } from '../helpers/flow.js';
import { CREDENTIALS, IDS, ownerAuth, T0, testMock, V2023, V2024, type TestMock } from '../helpers/mock.js';
import { digestInject } from '../helpers/digest.js';

const access = (groupId: string = IDS.group) => `/api/atlas/v2/groups/${groupId}/cloudProviderAccess`;
const role = (roleId: string, groupId: string = IDS.group) => `${access(groupId)}/${roleId}`;
const ARN = 'arn:aws:iam::123456789012:role/atlas-exports';
const SP = { servicePrincipalId: '0b6a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', tenantId: '9f8e7d6c-5b4a-4392-8180-7f6e5d4c3b2a' };

const post = (mock: TestMock, body: unknown, groupId?: string) => mock.request({ method: 'POST', url: access(groupId), headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const patch = (mock: TestMock, roleId: string, body: unknown) => mock.request({ method: 'PATCH', url: role(roleId), headers: { 'content-type': 'application/vnd.atlas.2023-01-01+json' }, payload: JSON.stringify(body) });
const del = (mock: TestMock, provider: string, roleId: string, query = '') => mock.request({ method: 'DELETE', url: `${access()}/${provider}/${roleId}${query}` });

describe('cloud provider access: the default dataset', () => {
  it('lists the roles the default buckets use, authorized, with the buckets as feature usages', async () => {
    const mock = testMock();
    const res = await mock.request({ url: access() });
    expect([res.statusCode, res.headers['content-type'], res.headers['ratelimit-limit']]).toEqual([200, 'application/vnd.atlas.2023-01-01+json;charset=utf-8', '2000']);
    const { awsIamRoles, azureServicePrincipals, gcpServiceAccounts } = res.json();
    expect(Object.keys(res.json())).toEqual(['awsIamRoles', 'azureServicePrincipals', 'gcpServiceAccounts']);
    expect(awsIamRoles).toEqual([
      {
        atlasAWSAccountArn: 'arn:aws:iam::299602853325:root',
        atlasAssumedRoleExternalId: '3b0d9e5c-7f2a-4c8e-9a41-6d2f80c1e5b7',
        authorizedDate: '2024-05-24T13:56:12Z',
        createdDate: '2024-05-24T13:55:01Z',
        featureUsages: [{ featureId: { exportBucketId: IDS.bucket, groupId: IDS.group }, featureType: 'EXPORT_SNAPSHOT' }],
        iamAssumedRoleArn: 'arn:aws:iam::123456789012:role/mock-atlas-exports',
        providerName: 'AWS',
        roleId: IDS.awsRole,
      },
    ]);
    expect(azureServicePrincipals.map((r: { _id: string }) => r._id)).toEqual([IDS.azureRole]);
    expect(Object.keys(azureServicePrincipals[0])).toEqual(['_id', 'atlasAzureAppId', 'createdDate', 'featureUsages', 'lastUpdatedDate', 'providerName', 'servicePrincipalId', 'tenantId']);
    expect(gcpServiceAccounts[0]).toMatchObject({ roleId: IDS.gcpRole, status: 'COMPLETE', providerName: 'GCP' });
    expect(gcpServiceAccounts[0].gcpServiceAccountForAtlas).toMatch(/^mongodb-atlas-[0-9a-z]{16}@p-[0-9a-z]{24}\.iam\.gserviceaccount\.com$/);
    const other = (await mock.request({ url: access(IDS.otherGroup) })).json();
    expect(other.awsIamRoles.map((r: { roleId: string }) => r.roleId)).toEqual([IDS.otherAwsRole]);
    await mock.app.close();
  });

  it('GET one: AWS and GCP by roleId, Azure by _id; unknown, malformed or another project’s → 404 CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', async () => {
    const mock = testMock();
    expect((await mock.request({ url: role(IDS.awsRole) })).json().roleId).toBe(IDS.awsRole);
    expect((await mock.request({ url: role(IDS.azureRole) })).json()._id).toBe(IDS.azureRole);
    for (const [url, id] of [[role('ffffffffffffffffffffffff'), 'ffffffffffffffffffffffff'], [role('nope'), 'nope'], [role(IDS.otherAwsRole), IDS.otherAwsRole]] as const) {
      const res = await mock.request({ url });
      expect(errorOf(res)).toEqual({ status: 404, errorCode: 'CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', parameters: [id] });
      expect(res.json().detail).toBe(`The specified Cloud Provider Access role (${id}) was not found.`);
    }
    expect(errorOf(await mock.request({ url: access('ffffffffffffffffffffffff') })).errorCode).toBe('GROUP_NOT_FOUND');
    await mock.app.close();
  });
});

describe('cloud provider access: create, authorize, deauthorize', () => {
  it('AWS: created unauthorized (nulls), authorized with the IAM role ARN, authorized again later, deauthorized', async () => {
    const mock = testMock();
    const created = await post(mock, { providerName: 'AWS' });
    expect(created.statusCode).toBe(200);
    const r = created.json();
    expect(r).toMatchObject({ atlasAWSAccountArn: 'arn:aws:iam::299602853325:root', authorizedDate: null, iamAssumedRoleArn: null, featureUsages: [], providerName: 'AWS', createdDate: '2026-08-10T03:00:00Z' });
    expect(r.roleId).toMatch(/^[a-f0-9]{24}$/);
    expect(r.atlasAssumedRoleExternalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    mock.clock.advanceBy(60_000);
    const authorized = await patch(mock, r.roleId, { providerName: 'AWS', iamAssumedRoleArn: ARN });
    expect(authorized.statusCode).toBe(200);
    expect(authorized.json()).toMatchObject({ roleId: r.roleId, iamAssumedRoleArn: ARN, authorizedDate: '2026-08-10T03:01:00Z', atlasAssumedRoleExternalId: r.atlasAssumedRoleExternalId });
    expect((await mock.request({ url: role(r.roleId) })).json()).toEqual(authorized.json());
    mock.clock.advanceBy(60_000);
    const again = (await patch(mock, r.roleId, { providerName: 'AWS', iamAssumedRoleArn: `${ARN}-2` })).json();
    expect([again.iamAssumedRoleArn, again.authorizedDate]).toEqual([`${ARN}-2`, '2026-08-10T03:02:00Z']);
    const gone = await del(mock, 'AWS', r.roleId);
    expect([gone.statusCode, gone.body, gone.headers['content-type']]).toEqual([204, '', 'application/vnd.atlas.2023-01-01+json;charset=utf-8']);
    expect(errorOf(await mock.request({ url: role(r.roleId) })).errorCode).toBe('CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND');
    expect((await mock.request({ url: access() })).json().awsIamRoles.map((x: { roleId: string }) => x.roleId)).toEqual([IDS.awsRole]);
    await mock.app.close();
  });

  it('Azure: the service principal the body names (Atlas’s app by default), authorized with its ids; GCP: COMPLETE at once', async () => {
    const mock = testMock();
    const azure = (await post(mock, { providerName: 'AZURE', ...SP })).json();
    expect(azure).toMatchObject({ atlasAzureAppId: '9f2deb0d-be22-4524-a403-df531868bac0', ...SP, providerName: 'AZURE', createdDate: '2026-08-10T03:00:00Z', lastUpdatedDate: '2026-08-10T03:00:00Z' });
    mock.clock.advanceBy(5_000);
    const authorized = (await patch(mock, azure._id, { providerName: 'AZURE', atlasAzureAppId: azure.atlasAzureAppId, ...SP })).json();
    expect(authorized.lastUpdatedDate).toBe('2026-08-10T03:00:05Z');
    const gcp = (await post(mock, { providerName: 'GCP' })).json();
    expect(gcp).toMatchObject({ providerName: 'GCP', status: 'COMPLETE', featureUsages: [] });
    expect((await patch(mock, gcp.roleId, { providerName: 'GCP' })).statusCode).toBe(200);
    expect((await del(mock, 'AZURE', azure._id)).statusCode).toBe(204);
    expect((await del(mock, 'GCP', gcp.roleId, '?envelope=true')).body).toBe('{"status":204}');
    await mock.app.close();
  });

  it('refuses bad bodies with Atlas’s attribute errors, after the role lookup', async () => {
    const mock = testMock();
    const cases: [unknown, string, string][] = [
      [{}, 'MISSING_ATTRIBUTE', 'providerName'],
      [{ providerName: 'OCI' }, 'INVALID_ATTRIBUTE', 'providerName'],
      [{ providerName: 'AZURE', tenantId: SP.tenantId }, 'MISSING_ATTRIBUTE', 'servicePrincipalId'],
      [{ providerName: 'AZURE', ...SP, tenantId: 'not-a-uuid' }, 'INVALID_ATTRIBUTE', 'tenantId'],
    ];
    for (const [body, code, attribute] of cases) expect([body, errorOf(await post(mock, body))]).toEqual([body, { status: 400, errorCode: code, parameters: [attribute] }]);
    const r = (await post(mock, { providerName: 'AWS' })).json();
    expect(errorOf(await patch(mock, r.roleId, { providerName: 'AWS' }))).toEqual({ status: 400, errorCode: 'MISSING_ATTRIBUTE', parameters: ['iamAssumedRoleArn'] });
    expect(errorOf(await patch(mock, r.roleId, { providerName: 'AWS', iamAssumedRoleArn: 'arn:aws:s3:::bucket' }))).toEqual({ status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['iamAssumedRoleArn'] });
    expect(errorOf(await patch(mock, r.roleId, { providerName: 'GCP' }))).toEqual({ status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['providerName'] });
    expect(errorOf(await patch(mock, 'ffffffffffffffffffffffff', {})).errorCode).toBe('CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND');
    expect((await mock.request({ url: role(r.roleId) })).json().authorizedDate).toBeNull();
    await mock.app.close();
  });

  it('DELETE: the provider of the path must be the role’s; an unknown provider is 400 INVALID_PATH_PARAMETER; a role an export bucket uses is refused', async () => {
    const mock = testMock();
    expect(errorOf(await del(mock, 'GCP', IDS.awsRole))).toEqual({ status: 404, errorCode: 'CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', parameters: [IDS.awsRole] });
    expect(errorOf(await del(mock, 'OCI', IDS.awsRole))).toEqual({ status: 400, errorCode: 'INVALID_PATH_PARAMETER', parameters: ['cloudProvider'] });
    const inUse = await del(mock, 'AWS', IDS.awsRole);
    expect(errorOf(inUse)).toEqual({ status: 400, errorCode: 'CLOUD_PROVIDER_ACCESS_ROLE_IN_USE', parameters: [IDS.awsRole, IDS.bucket] });
    expect(inUse.json().detail).toBe(`The Cloud Provider Access role (${IDS.awsRole}) is used by export bucket ${IDS.bucket}: delete the bucket first.`);
    await mock.app.close();
  });

  it('reading needs Project Read Only; creating, authorizing and deauthorizing need Project Owner', async () => {
    const mock = testMock();
    const { publicKey, privateKey } = CREDENTIALS.readOnly;
    expect((await digestInject(mock.app, publicKey, privateKey, { url: access(), headers: { accept: V2023 } })).statusCode).toBe(200);
    expect((await digestInject(mock.app, publicKey, privateKey, { url: role(IDS.awsRole), headers: { accept: V2023 } })).statusCode).toBe(200);
    const refused = [
      await digestInject(mock.app, publicKey, privateKey, { method: 'POST', url: access(), headers: { accept: V2023, 'content-type': 'application/json' }, payload: '{"providerName":"AWS"}' }),
      await digestInject(mock.app, publicKey, privateKey, { method: 'PATCH', url: role(IDS.awsRole), headers: { accept: V2023, 'content-type': 'application/json' }, payload: JSON.stringify({ providerName: 'AWS', iamAssumedRoleArn: ARN }) }),
      await digestInject(mock.app, publicKey, privateKey, { method: 'DELETE', url: `${access()}/GCP/${IDS.gcpRole}`, headers: { accept: V2023 } }),
    ];
    expect(refused.map((r) => [r.statusCode, r.json().errorCode])).toEqual(Array(3).fill([401, 'USER_UNAUTHORIZED']));
    await mock.app.close();
  });
});

describe('cloud provider access: faults and the journal', () => {
  it('a fault rule answers Atlas’s CANNOT_ASSUME_ROLE to the next authorization, which a retry then gets through', async () => {
    const mock = testMock();
    const rule = await mock.app.inject({ method: 'POST', url: '/__mock/faults', headers: { 'content-type': 'application/json' }, payload: { operation: 'authorizeProviderAccessRole', error: 'CANNOT_ASSUME_ROLE', times: 1 } });
    expect(rule.statusCode).toBe(201);
    const r = (await post(mock, { providerName: 'AWS' })).json();
    const refused = await patch(mock, r.roleId, { providerName: 'AWS', iamAssumedRoleArn: ARN });
    expect([refused.statusCode, refused.json().errorCode]).toEqual([400, 'CANNOT_ASSUME_ROLE']);
    expect((await patch(mock, r.roleId, { providerName: 'AWS', iamAssumedRoleArn: ARN })).json().iamAssumedRoleArn).toBe(ARN);
    const journal = (await mock.app.inject({ url: '/__mock/requests?operation=authorizeGroupCloudProviderAccessRole' })).json().requests as { operation: string; status: number }[];
    expect(journal.map((e) => [e.operation, e.status]).sort()).toEqual([
      ['authorizeProviderAccessRole', 200],
      ['authorizeProviderAccessRole', 400],
    ]);
    await mock.app.close();
  });
});

describe('export buckets need an authorized role of the project', () => {
  const aws = { cloudProvider: 'AWS', bucketName: 'new-bucket' };
  const azure = { cloudProvider: 'AZURE', serviceUrl: 'https://acct.blob.core.windows.net/exports' };
  const gcp = { cloudProvider: 'GCP', bucketName: 'gcs-bucket' };

  it('an unknown role, another project’s or another provider’s → 404 CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND, in both versions', async () => {
    const mock = testMock();
    for (const [body, accept, id] of [
      [{ ...aws, iamRoleId: 'ffffffffffffffffffffffff' }, V2023, 'ffffffffffffffffffffffff'],
      [{ ...aws, iamRoleId: IDS.otherAwsRole }, V2024, IDS.otherAwsRole],
      [{ ...aws, iamRoleId: IDS.gcpRole }, V2024, IDS.gcpRole],
      [{ ...azure, roleId: IDS.awsRole }, V2024, IDS.awsRole],
      [{ ...gcp, roleId: IDS.azureRole }, V2024, IDS.azureRole],
    ] as const) {
      const res = await createBucket(mock, body, accept);
      expect([body, errorOf(res)]).toEqual([body, { status: 404, errorCode: 'CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', parameters: [id] }]);
    }
    expect((await mock.request({ url: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets`, headers: { accept: V2024 } })).json().totalCount).toBe(1);
    await mock.app.close();
  });

  it('an AWS or Azure role not yet authorized → 400 CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED (Atlas’s text); a GCP role needs no authorization', async () => {
    const mock = testMock();
    const awsRole = (await post(mock, { providerName: 'AWS' })).json().roleId as string;
    const azureRole = (await post(mock, { providerName: 'AZURE', ...SP })).json()._id as string;
    const gcpRole = (await post(mock, { providerName: 'GCP' })).json().roleId as string;
    for (const [body, id] of [
      [{ ...aws, iamRoleId: awsRole }, awsRole],
      [{ ...azure, roleId: azureRole }, azureRole],
    ] as const) {
      const res = await createBucket(mock, body, V2024);
      expect(errorOf(res)).toEqual({ status: 400, errorCode: 'CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED', parameters: [id] });
      expect(res.json().detail).toBe(`The specified Cloud Provider Access role (${id}) has not been authorized.`);
    }
    expect((await createBucket(mock, { ...gcp, roleId: gcpRole }, V2024)).statusCode).toBe(200);
    await patch(mock, awsRole, { providerName: 'AWS', iamAssumedRoleArn: ARN });
    await patch(mock, azureRole, { providerName: 'AZURE', ...SP });
    expect((await createBucket(mock, { ...aws, iamRoleId: awsRole }, V2023)).statusCode).toBe(200);
    expect((await createBucket(mock, { ...azure, roleId: azureRole }, V2024)).statusCode).toBe(200);
    await mock.app.close();
  });

  it('the whole setup: role, authorization, bucket (a feature usage of the role), bucket deleted, role deauthorized', async () => {
    const mock = testMock();
    const r = (await post(mock, { providerName: 'AWS' })).json();
    await patch(mock, r.roleId, { providerName: 'AWS', iamAssumedRoleArn: ARN });
    const bucket = (await createBucket(mock, { ...aws, iamRoleId: r.roleId }, V2024)).json();
    expect((await mock.request({ url: role(r.roleId) })).json().featureUsages).toEqual([{ featureId: { exportBucketId: bucket._id, groupId: IDS.group }, featureType: 'EXPORT_SNAPSHOT' }]);
    expect(errorOf(await del(mock, 'AWS', r.roleId)).errorCode).toBe('CLOUD_PROVIDER_ACCESS_ROLE_IN_USE');
    expect((await mock.request({ method: 'DELETE', url: bucketUrl(bucket._id) })).statusCode).toBe(204);
    expect((await mock.request({ url: role(r.roleId) })).json().featureUsages).toEqual([]);
    expect((await del(mock, 'AWS', r.roleId)).statusCode).toBe(204);
    await mock.app.close();
  });
});

describe('roles across resets and restarts', () => {
  it('a reset (all, or of the project) takes created roles away and restores deauthorized ones', async () => {
    const mock = testMock();
    const r = (await post(mock, { providerName: 'AWS' })).json();
    expect((await del(mock, 'GCP', IDS.gcpRole)).statusCode).toBe(204);
    expect((await mock.app.inject({ method: 'POST', url: '/__mock/reset', headers: { 'content-type': 'application/json' }, payload: { groupId: IDS.group } })).statusCode).toBe(200);
    const after = (await mock.request({ url: access() })).json();
    expect(after.awsIamRoles.map((x: { roleId: string }) => x.roleId)).toEqual([IDS.awsRole]);
    expect(after.gcpServiceAccounts.map((x: { roleId: string }) => x.roleId)).toEqual([IDS.gcpRole]);
    expect(errorOf(await mock.request({ url: role(r.roleId) })).status).toBe(404);
    expect((await mock.request({ url: access(IDS.otherGroup) })).json().awsIamRoles).toHaveLength(1);
    await mock.app.close();
  });

  it('roles, their authorizations and fixture cluster fields survive a restart with --state-file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'access-state-')), 'state.json');
    const start = (clockStart: number) => buildApp({ stateFile: file }, { clock: createClock({ mode: 'manual', start: clockStart }), random: createRandom(3) });
    const first = start(T0);
    await first.ready();
    const headers = async (a: ReturnType<typeof buildApp>) => ({ accept: V2023, 'content-type': 'application/json', ...(await ownerAuth(a)) });
    const created = (await first.inject({ method: 'POST', url: access(), headers: await headers(first), payload: { providerName: 'AWS' } })).json();
    await first.inject({ method: 'PATCH', url: role(created.roleId), headers: await headers(first), payload: { providerName: 'AWS', iamAssumedRoleArn: ARN } });
    await first.inject({ method: 'POST', url: '/__mock/fixtures', headers: { 'content-type': 'application/json' }, payload: { clusters: [{ groupId: IDS.group, name: 'Updating0', collections: 1, stateName: 'UPDATING', instanceSize: 'M40', domain: 'zzzzz.mongodb.net' }] } });
    const before = [(await first.inject({ url: access(), headers: await headers(first) })).body, (await first.inject({ url: `/api/atlas/v2/groups/${IDS.group}/clusters/Updating0`, headers: { ...(await headers(first)), accept: 'application/vnd.atlas.2024-08-05+json' } })).body];
    await first.close();
    const second = start(T0 + 3_600_000);
    await second.ready();
    const after = [(await second.inject({ url: access(), headers: await headers(second) })).body, (await second.inject({ url: `/api/atlas/v2/groups/${IDS.group}/clusters/Updating0`, headers: { ...(await headers(second)), accept: 'application/vnd.atlas.2024-08-05+json' } })).body];
    expect(after).toEqual(before);
    expect(JSON.parse(after[0]!).awsIamRoles.find((x: { roleId: string }) => x.roleId === created.roleId).iamAssumedRoleArn).toBe(ARN);
    await second.close();
  });
});
