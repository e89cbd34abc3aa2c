// OpenTofu + the MongoDB Atlas provider 2.9.0: mongodbatlas_cloud_provider_access_setup (AWS) and
// mongodbatlas_cloud_provider_access_authorization, with the setup's data source: apply → plan (no drift)
// → destroy. The authorization has no delete of its own (the provider only forgets it); destroying the
// setup deauthorizes the role (DELETE …/cloudProviderAccess/AWS/{roleId}).
import { describe, expect, it } from 'vitest';
import { expectTofu, useTofu } from '../harness/tofu.js';
import { cloudProviderAccess, ROLE_ARN as ARN } from '../harness/hcl.js';
import { IDS } from '../harness/world.js';

const { world, tf } = useTofu(() => cloudProviderAccess());

describe('tofu: mongodbatlas_cloud_provider_access_setup + _authorization', () => {
  let roleId = '';

  it('apply creates the AWS role and authorizes it', async () => {
    expectTofu(await tf().apply());
    const state = await tf().resources();
    const setup = state['mongodbatlas_cloud_provider_access_setup.setup']!.values;
    roleId = setup.role_id;
    expect(roleId).toMatch(/^[0-9a-f]{24}$/);
    expect(setup.aws_config[0]).toMatchObject({ atlas_aws_account_arn: expect.stringMatching(/^arn:aws:iam::\d{12}:root$/), atlas_assumed_role_external_id: expect.any(String) });
    expect(state['mongodbatlas_cloud_provider_access_authorization.auth']!.values).toMatchObject({ role_id: roleId, aws: [{ iam_assumed_role_arn: ARN }], authorized_date: expect.stringMatching(/^\d{4}-/) });
    expect(state['data.mongodbatlas_cloud_provider_access_setup.setup']!.values).toMatchObject({ role_id: roleId, provider_name: 'AWS' });
    const stored = await world().api('GET', `/groups/${IDS.group}/cloudProviderAccess/${roleId}`);
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body).toMatchObject({ roleId, providerName: 'AWS', iamAssumedRoleArn: ARN, authorizedDate: expect.any(String) });
  });

  it('plan -detailed-exitcode: no drift', async () => {
    expectTofu(await tf().plan(), 0);
  });

  it('destroy deauthorizes the role', async () => {
    const destroy = expectTofu(await tf().destroy());
    const journal = (await world().clientRequests()).map((e) => `${e.method} ${e.path.replace(`/api/atlas/v2/groups/${IDS.group}`, '')} ${e.status}`);
    expect(journal, destroy.output).toContain(`DELETE /cloudProviderAccess/AWS/${roleId} 204`);
    const list = await world().api('GET', `/groups/${IDS.group}/cloudProviderAccess`);
    expect(list.body.awsIamRoles.map((r: any) => r.roleId)).not.toContain(roleId);
  });
});
