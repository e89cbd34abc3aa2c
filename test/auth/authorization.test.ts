/**
 * Authorization after authentication (contract §5): organization, roles per project (Project Owner holds
 * every role, every role holds Read Only — principals/roles.ts), the IP access list; and what is left to
 * the operation (unknown or malformed project ids answer their 404s, for any authenticated principal).
 */
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/auth/principals/authorize.js';
import { compilePrincipal } from '../../src/auth/principals/compile.js';
import { expandRoles } from '../../src/auth/principals/roles.js';
import { parseDataset } from '../../src/fixtures/load.js';
import { ROLES, type Principal, type Role } from '../../src/store/model.js';
import { digestInject } from '../helpers/digest.js';
import { CREDENTIALS, IDS, jobUrl, testMock, V2023 } from '../helpers/mock.js';

const URL = jobUrl(IDS.jobSuccessful);
const H = { accept: V2023 };

function atlasError(status: number, code: string, detail: string, parameters: string[] = []) {
  return { status, code, body: JSON.stringify({ detail, error: status, errorCode: code, parameters, reason: status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found' }) };
}
const CANNOT_ACCESS = atlasError(401, 'USER_CANNOT_ACCESS_GROUP', 'User cannot access this group.');
const UNAUTHORIZED_ROLE = atlasError(401, 'USER_UNAUTHORIZED', 'Current user is not authorized to perform this action.');

function expectError(res: { statusCode: number; headers: Record<string, unknown>; body: string }, e: { status: number; code: string; body: string }): void {
  expect(res.statusCode).toBe(e.status);
  expect(res.headers['x-error-code']).toBe(e.code);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.body).toBe(e.body);
}

describe('roles of the default dataset (Digest API keys)', () => {
  it('Project Owner reads the export job', async () => {
    const mock = testMock();
    const res = await digestInject(mock.app, CREDENTIALS.owner.publicKey, CREDENTIALS.owner.privateKey, { url: URL, headers: H });
    expect(res.statusCode).toBe(200);
    await mock.app.close();
  });

  it('Project Read Only lacks Project Backup Manager: 401 USER_UNAUTHORIZED, no rate-limit token taken', async () => {
    const mock = testMock();
    const res = await digestInject(mock.app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { url: URL, headers: H });
    expectError(res, UNAUTHORIZED_ROLE);
    expect(res.headers['ratelimit-remaining']).toBeUndefined();
    await mock.app.close();
  });

  it('an owner of another organization: 401 USER_CANNOT_ACCESS_GROUP', async () => {
    const mock = testMock();
    const { publicKey, privateKey } = CREDENTIALS.otherOrgOwner;
    expectError(await digestInject(mock.app, publicKey, privateKey, { url: URL, headers: H }), CANNOT_ACCESS);
    // …who is authorized on its own project: the operation answers (the job is in the first project).
    const own = await digestInject(mock.app, publicKey, privateKey, { url: jobUrl(IDS.jobSuccessful, 'Cluster0', IDS.otherGroup), headers: H });
    expect([own.statusCode, own.headers['x-error-code']]).toEqual([404, 'RESOURCE_NOT_FOUND']);
    await mock.app.close();
  });

  it.each([
    ['a well-formed unknown group', 'ffffffffffffffffffffffff', 'GROUP_NOT_FOUND'],
    ['a malformed group id', 'not-a-group', 'INVALID_GROUP_ID'],
  ])('%s answers its 404 whoever asks (the organization check applies to groups that exist)', async (_name, groupId, code) => {
    const mock = testMock();
    for (const c of [CREDENTIALS.otherOrgOwner, CREDENTIALS.readOnly, CREDENTIALS.owner]) {
      const res = await digestInject(mock.app, c.publicKey, c.privateKey, { url: jobUrl(IDS.jobSuccessful, 'Cluster0', groupId), headers: H });
      expect([c.publicKey, res.statusCode, res.headers['x-error-code']]).toEqual([c.publicKey, 404, code]);
    }
    await mock.app.close();
  });

  it('the 401s of authorization honour envelope=true', async () => {
    const mock = testMock();
    const res = await digestInject(mock.app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { url: `${URL}?envelope=true`, headers: H });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 401, content: { errorCode: 'USER_UNAUTHORIZED' } });
    await mock.app.close();
  });
});

describe('roles through custom principals', () => {
  const OTHER_PROJECT_SAME_ORG = '6650a0c1f1d2e3a4b5c6d7e2';
  const world = parseDataset({
    organizations: [{ id: IDS.org, name: 'o' }, { id: IDS.otherOrg, name: 'o2' }],
    projects: [
      { id: IDS.group, orgId: IDS.org, name: 'p' },
      { id: OTHER_PROJECT_SAME_ORG, orgId: IDS.org, name: 'p2' },
      { id: IDS.otherGroup, orgId: IDS.otherOrg, name: 'q' },
    ],
    clusters: [{ groupId: IDS.group, name: 'Cluster0', collections: 1 }],
    snapshots: [{ id: IDS.snapshotCompleted, groupId: IDS.group, clusterName: 'Cluster0', createdAt: '2026-08-01T00:00:00Z' }],
    exportBuckets: [{ id: IDS.bucket, groupId: IDS.group, cloudProvider: 'AWS', bucketName: 'bucket', iamRoleId: IDS.bucket }],
    exportJobs: [{ id: IDS.jobSuccessful, groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotCompleted, exportBucketId: IDS.bucket, pin: { state: 'Successful' } }],
    apiKeys: [
      { publicKey: 'bkpmangr', privateKey: 'secret-bkpmangr', orgId: IDS.org, projects: [{ groupId: IDS.group, roles: ['Project Backup Manager'] }] },
      { publicKey: 'exportop', privateKey: 'secret-exportop', orgId: IDS.org, projects: [{ groupId: IDS.group, roles: ['Project Backup Export Operator'] }] },
      { publicKey: 'twoproj1', privateKey: 'secret-twoproj1', orgId: IDS.org, projects: [{ groupId: OTHER_PROJECT_SAME_ORG, roles: ['Project Owner'] }] },
      { publicKey: 'xorggrnt', privateKey: 'secret-xorggrnt', orgId: IDS.otherOrg, projects: [{ groupId: IDS.group, roles: ['Project Owner'] }] },
      { publicKey: 'combined', privateKey: 'secret-combined', orgId: IDS.org, projects: [{ groupId: IDS.group, roles: ['Project Read Only', 'Project Backup Manager'] }] },
    ],
  });

  it.each([
    ['bkpmangr', 'Backup Manager', 200, undefined],
    ['combined', 'Read Only + Backup Manager', 200, undefined],
    ['exportop', 'Backup Export Operator (cannot read jobs back, per the spec)', 401, 'USER_UNAUTHORIZED'],
    ['twoproj1', 'same organization, no grant on the project', 401, 'USER_CANNOT_ACCESS_GROUP'],
    ['xorggrnt', 'a grant on a project of another organization', 401, 'USER_CANNOT_ACCESS_GROUP'],
  ])('%s (%s) → %s', async (key, _what, status, code) => {
    const mock = testMock({ fixtures: world });
    const res = await digestInject(mock.app, key, `secret-${key}`, { url: URL, headers: H });
    expect([res.statusCode, res.headers['x-error-code']]).toEqual([status, code]);
    await mock.app.close();
  });

  const principal = (roles: Role[]): Principal => ({ kind: 'apiKey', id: 'abcdefgh', secret: 's', orgId: IDS.org, description: '', projects: [{ groupId: IDS.group, roles }], accessList: [] });
  const project = { id: IDS.group, orgId: IDS.org, name: 'p' };

  it('role implications: Owner holds all, every role holds Read Only, Backup Manager holds Export Operator', () => {
    expect([...expandRoles(['Project Owner'])].sort()).toEqual([...ROLES].sort());
    for (const r of ROLES) expect(expandRoles([r]).has('Project Read Only')).toBe(true);
    expect(expandRoles(['Project Backup Manager']).has('Project Backup Export Operator')).toBe(true);
    expect(expandRoles(['Project Backup Export Operator']).has('Project Backup Manager')).toBe(false);
    expect(expandRoles(['Project Read Only']).size).toBe(1);
  });

  it.each(ROLES.flatMap((granted) => ROLES.map((needed) => [granted, needed] as const)))('granted %s, needed %s', (granted, needed) => {
    const allowed = expandRoles([granted]).has(needed);
    const refusal = authorize(compilePrincipal(principal([granted])), project, needed);
    expect(refusal?.errorCode).toBe(allowed ? undefined : 'USER_UNAUTHORIZED');
  });
});

describe('IP access list', () => {
  const { publicKey, privateKey } = CREDENTIALS.accessListOwner;

  it('403 IP_ADDRESS_NOT_ON_ACCESS_LIST from an address outside 203.0.113.0/24', async () => {
    const mock = testMock();
    const res = await digestInject(mock.app, publicKey, privateKey, { url: URL, headers: H, remoteAddress: '198.51.100.23' });
    expectError(res, atlasError(403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST', 'IP address 198.51.100.23 is not allowed to access this resource.', ['198.51.100.23']));
    for (const h of ['strict-transport-security', 'x-content-type-options']) expect(res.headers[h]).toBeDefined();
    await mock.app.close();
  });

  it('is checked for any path and before the version (the list belongs to the principal)', async () => {
    const mock = testMock();
    for (const opts of [{ url: '/api/atlas/v2/unknown' }, { url: URL, headers: {} }, { url: jobUrl(IDS.jobSuccessful, 'Cluster0', 'ffffffffffffffffffffffff') }]) {
      const res = await digestInject(mock.app, publicKey, privateKey, { headers: H, ...opts, remoteAddress: '127.0.0.1' });
      expect([opts.url, res.statusCode, res.headers['x-error-code']]).toEqual([opts.url, 403, 'IP_ADDRESS_NOT_ON_ACCESS_LIST']);
    }
    await mock.app.close();
  });

  it.each(['203.0.113.9', '203.0.113.255', '::ffff:203.0.113.7'])('allows %s', async (address) => {
    const mock = testMock();
    const res = await digestInject(mock.app, publicKey, privateKey, { url: URL, headers: H, remoteAddress: address });
    expect(res.statusCode).toBe(200);
    await mock.app.close();
  });

  it('prints an IPv4-mapped address as IPv4', async () => {
    const mock = testMock();
    const res = await digestInject(mock.app, publicKey, privateKey, { url: URL, headers: H, remoteAddress: '::ffff:10.1.2.3' });
    expect(res.json().parameters).toEqual(['10.1.2.3']);
    await mock.app.close();
  });

  it('applies to Bearer tokens of a service account with a list', async () => {
    const SA = CREDENTIALS.serviceAccount;
    const world = parseDataset({
      organizations: [{ id: IDS.org, name: 'o' }],
      projects: [{ id: IDS.group, orgId: IDS.org, name: 'p' }],
      serviceAccounts: [{ clientId: SA.clientId, clientSecret: SA.clientSecret, orgId: IDS.org, projects: [{ groupId: IDS.group, roles: ['Project Owner'] }], accessList: ['2001:db8::/32'] }],
    });
    const mock = testMock({ fixtures: world });
    const url = jobUrl(IDS.jobSuccessful, 'Cluster0');
    const refused = await mock.app.inject({ url, headers: { ...H, ...(await import('../helpers/mock.js').then((m) => m.ownerAuth(mock.app))) }, remoteAddress: '127.0.0.1' });
    expect([refused.statusCode, refused.json().parameters]).toEqual([403, ['127.0.0.1']]);
    const allowed = await mock.app.inject({ url, headers: { ...H, ...(await import('../helpers/mock.js').then((m) => m.ownerAuth(mock.app))) }, remoteAddress: '2001:db8:1::5' });
    expect([allowed.statusCode, allowed.headers['x-error-code']]).toEqual([404, 'CLUSTER_NOT_FOUND']);
    await mock.app.close();
  });
});
