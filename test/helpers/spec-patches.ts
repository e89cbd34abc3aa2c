/**
 * Where real Atlas answers differ from its published spec, the contract checks follow the real answers. Each
 * difference is one entry here, with the evidence; nothing else in the tests loosens the official schemas.
 *
 * To add one: name the schema, say what Atlas really sends and where that was seen, and change the schema
 * as little as possible in `apply` (it receives a copy of `components.schemas[schema]`). A test
 * (test/contract/evidence.test.ts) fails when an entry no longer changes anything, so that a fixed spec
 * removes its patch.
 */
type Json = Record<string, any>;

export interface SpecPatch {
  schema: string;
  /** What real Atlas does, and where it was seen. */
  evidence: string;
  apply(schema: Json): void;
}

export const REAL_VS_SPEC: readonly SpecPatch[] = [
  {
    schema: 'DiskBackupExportJob',
    evidence:
      '`prefix` has a literal-braces `pattern` (`exported_snapshots/{ORG-NAME}/…`) that no real value matches: recorded export jobs carry `exported_snapshots/<orgId>/<groupId>/…` (contract §7; upstream/recorded/export-job-*.http).',
    apply: (s) => void delete s.properties.prefix.pattern,
  },
  {
    schema: 'ApiError',
    evidence: '`parameters` is declared as a list of objects; every recorded error sends strings (and numbers in the rate-limit detail) (contract §4; EVIDENCE f.1).',
    apply: (s) => void (s.properties.parameters.items = {}),
  },
  {
    schema: 'DiskBackupReplicaSet',
    evidence: '`frequencyType` lacks `ondemand`, which Atlas returns for on-demand snapshots (upstream/recorded/snapshot-get-200-completed.http).',
    apply: (s) => void (s.properties.frequencyType.enum as string[]).push('ondemand'),
  },
  {
    schema: 'DiskBackupShardedClusterSnapshot',
    evidence: '`frequencyType` lacks `ondemand`, as for replica sets: an on-demand snapshot of a sharded cluster is one too (the replica-set recordings; [I] for the sharded view).',
    apply: (s) => void (s.properties.frequencyType.enum as string[]).push('ondemand'),
  },
  {
    schema: 'DiskBackupSnapshot',
    evidence: '`frequencyType` lacks `ondemand`, which the take-snapshot POST answers with (recorded-workflow/TestSnapshots/Create_snapshot).',
    apply: (s) => void (s.properties.frequencyType.enum as string[]).push('ondemand'),
  },
  {
    schema: 'AutoExportPolicyView',
    evidence: '`frequencyType` lists monthly and yearly only; the export docs name daily, weekly, monthly and yearly, and the Atlas CLI sends daily and weekly (`backups schedule update --exportFrequencyType`).',
    apply: (s) => void (s.properties.frequencyType.enum as string[]).push('daily', 'weekly'),
  },
  {
    schema: 'CloudProviderAccessAWSIAMRole',
    evidence: '`authorizedDate` and `iamAssumedRoleArn` are `null` until the role is authorized, although typed as strings (upstream/recorded-workflow/TestAccessRoles/Create).',
    apply: (s) => {
      const own = (s.allOf as Json[]).find((part) => part.properties) as Json;
      own.properties.authorizedDate.nullable = true;
      own.properties.iamAssumedRoleArn.nullable = true;
    },
  },
  {
    schema: 'BiConnector',
    evidence: '`readPreference` is sent in lower case (`secondary`) in every recorded cluster GET, while the enum is upper case (recorded-workflow/TestSnapshots/GET_…_clusters_cluster-209_*.http).',
    apply: (s) => {
      const rp = s.properties.readPreference as Json;
      rp.enum = [...(rp.enum as string[]), ...(rp.enum as string[]).map((v) => v.toLowerCase())];
    },
  },
  {
    schema: 'AtlasOrganization',
    evidence: '`name` has the pattern of a name a client may choose, without spaces; real organization names have spaces (`Atlas CLI E2E`, the Atlas CLI e2e recordings of GET organization).',
    apply: (s) => void delete s.properties.name.pattern,
  },
];

/** `components.schemas` with every patch applied (a copy). Throws when a patched schema is missing. */
export function applyPatches(schemas: Json, patches: readonly SpecPatch[] = REAL_VS_SPEC): Json {
  const out = structuredClone(schemas);
  for (const p of patches) {
    if (!out[p.schema]) throw new Error(`spec patch for ${p.schema}: the document has no such schema`);
    p.apply(out[p.schema]);
  }
  return out;
}
