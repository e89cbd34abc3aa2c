/** Well-known ids of the default dataset (README: The default dataset), apart so that light test helpers can
 * import them without the app. */
export const IDS = {
  org: '6650a0c1f1d2e3a4b5c6d7e0',
  group: '6650a0c1f1d2e3a4b5c6d7e1',
  otherOrg: '6650a0c1f1d2e3a4b5c6d7f0',
  otherGroup: '6650a0c1f1d2e3a4b5c6d7f1',
  snapshotCompleted: '6650a0c1f1d2e3a4b5c6d801',
  snapshotInProgress: '6650a0c1f1d2e3a4b5c6d802',
  snapshotSharded: '6650a0c1f1d2e3a4b5c6d803',
  /** Completed, no export job on it: the one to export in the default dataset. */
  snapshotReady: '6650a0c1f1d2e3a4b5c6d804',
  bucket: '6650a0c1f1d2e3a4b5c6d810',
  /** Cloud provider access roles (fixtures/default/cloud-provider-access.json), authorized. */
  awsRole: '6650a0c1f1d2e3a4b5c6d811',
  azureRole: '6650a0c1f1d2e3a4b5c6d812',
  gcpRole: '6650a0c1f1d2e3a4b5c6d813',
  /** The AWS role of the second project. */
  otherAwsRole: '6650a0c1f1d2e3a4b5c6d911',
  jobQueued: '6650a0c1f1d2e3a4b5c6d820',
  jobInProgress: '6650a0c1f1d2e3a4b5c6d821',
  jobSuccessful: '6650a0c1f1d2e3a4b5c6d822',
  jobFailed: '6650a0c1f1d2e3a4b5c6d823',
  jobCancelled: '6650a0c1f1d2e3a4b5c6d824',
  jobSharded: '6650a0c1f1d2e3a4b5c6d825',
} as const;
