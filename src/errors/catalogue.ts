/**
 * The one catalogue of Atlas error codes the mock answers with: HTTP status and `detail` template
 * (`%s` replaced in order by the parameters). Sources per row are in contract README §4–§7; rows marked
 * [I] there are our choice and are listed in FIDELITY.md.
 */
export const CATALOGUE = {
  // §2 versioning
  INVALID_VERSION_DATE: { status: 406, detail: 'Invalid accept header or version date.' },
  VERSION_GONE: { status: 410, detail: 'Version %s of %s is no longer available.' },
  // §4 lookups
  GROUP_NOT_FOUND: { status: 404, detail: 'No group with ID %s exists.' },
  INVALID_GROUP_ID: { status: 404, detail: 'An invalid group ID %s was specified.' },
  CLUSTER_NOT_FOUND: { status: 404, detail: 'No cluster named %s exists in group %s.' },
  RESOURCE_NOT_FOUND: { status: 404, detail: 'Cannot find resource %s.' },
  INVALID_JOB_ID: { status: 404, detail: 'An invalid job ID %s was specified.' },
  EXPORT_BUCKET_NOT_FOUND: { status: 404, detail: 'No export Bucket with ID %s does not exist.' },
  SNAPSHOT_NOT_FOUND: { status: 404, detail: 'No snapshot with ID %s exists for cluster %s.' },
  // organizations (GET /orgs/{orgId}): the legacy code table's codes and texts [D]; 404 for a malformed id [I]
  ORG_NOT_FOUND: { status: 404, detail: 'No organization with ID %s exists.' },
  INVALID_ORG_ID: { status: 404, detail: 'An invalid organization ID %s was specified.' },
  // a malformed path value of an operation that declares 400 (the cloud provider of a role's DELETE) [D code; I use]
  INVALID_PATH_PARAMETER: { status: 400, detail: 'Invalid path parameter %s specified.' },
  // the flex API on a dedicated cluster [R: recorded-workflow TestSnapshots, TestExportJobs]
  CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API: { status: 400, detail: 'Cannot use non-flex cluster %s in the flex API.' },
  // cloud provider access roles. NOT_AUTHORIZED: code, status and text seen in a Terraform provider CI log
  // (POST …/backup/exportBuckets with an Azure role not yet authorized). NOT_FOUND: the code the provider's
  // tests expect for an unknown role id (pushbasedlogexport/resource_test.go); status and text ours [I].
  // IN_USE: ours [I] (no source; DELETE declares 400, not 409). CANNOT_ASSUME_ROLE: the code the provider
  // retries on when Atlas cannot assume an AWS role yet; text ours [I]; the mock never raises it by itself
  // (it cannot check a trust policy): a fault rule can.
  CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND: { status: 404, detail: 'The specified Cloud Provider Access role (%s) was not found.' },
  CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED: { status: 400, detail: 'The specified Cloud Provider Access role (%s) has not been authorized.' },
  CLOUD_PROVIDER_ACCESS_ROLE_IN_USE: { status: 400, detail: 'The Cloud Provider Access role (%s) is used by export bucket %s: delete the bucket first.' },
  CANNOT_ASSUME_ROLE: { status: 400, detail: 'Atlas cannot assume the specified role (%s).' },
  // §4 request bodies and query strings
  MALFORMED_JSON: { status: 400, detail: 'Received JSON is malformed.' },
  INVALID_JSON: { status: 400, detail: 'Received JSON does not match expected format.' },
  MISSING_ATTRIBUTE: { status: 400, detail: 'The required attribute %s was not specified.' },
  INVALID_ATTRIBUTE: { status: 400, detail: 'Invalid attribute %s specified.' },
  INVALID_QUERY_PARAMETER: { status: 400, detail: 'Invalid query parameter %s specified.' },
  INVALID_REQUEST: { status: 400, detail: 'The request is invalid: %s.' },
  PAYLOAD_TOO_LARGE: { status: 413, detail: 'The request body is larger than the limit of %s bytes.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, detail: 'Unsupported media type %s.' },
  // §5 authentication and authorization
  UNAUTHORIZED: { status: 401, detail: 'Invalid or expired bearer token.' },
  USER_CANNOT_ACCESS_GROUP: { status: 401, detail: 'User cannot access this group.' },
  USER_UNAUTHORIZED: { status: 401, detail: 'Current user is not authorized to perform this action.' },
  USER_CANNOT_ACCESS_ORG: { status: 401, detail: 'User cannot access this organization.' },
  IP_ADDRESS_NOT_ON_ACCESS_LIST: { status: 403, detail: 'IP address %s is not allowed to access this resource.' },
  // §6 rate limits
  RATE_LIMITED_TOKEN_BUCKET: {
    status: 429,
    detail: 'Rate limit exceeded for %s. Please retry after %s seconds. Request capacity: %s. Refill rate: %s per %s seconds.',
  },
  // §7 export jobs
  CANNOT_EXPORT_INCOMPLETE_SNAPSHOT: { status: 409, detail: 'Cannot export snapshot %s because it is not completed.' },
  EXPORT_ALREADY_IN_PROGRESS: { status: 409, detail: 'An export of snapshot %s is already in progress.' },
  // the boundary of the mock (docs/workflow-access.md) [I]: a mock's own code, the Atlas error shape. 501: the
  // request is valid for Atlas, the mock does not implement it (RFC 9110 §15.6.2); not retried by the clients.
  OPERATION_NOT_SIMULATED: {
    status: 501,
    detail: 'The mock does not simulate %s %s: creating, changing or deleting projects, organizations and clusters is outside the export workflow it serves.',
  },
  // export buckets: the code is Atlas's, for a bucket a backup schedule still auto-exports to (seen in
  // mongodb/terraform-provider-mongodbatlas#2325) [D: deleteExportBucket, "Auto export must be disabled on all
  // clusters in this Project exporting to this Export Bucket"]. Status 400: DELETE declares 400, not 409, and the
  // legacy EXPORT_BUCKET_DELETE_FAILED is a 400. Text ours [I].
  EXPORT_BUCKET_DELETE_FAILED_BUCKET_IN_USE: { status: 400, detail: 'Failed to delete export Bucket with ID %s: a backup schedule exports to it.' },
  // snapshots [D: the legacy error-code table of the Atlas Administration API; CANNOT_DELETE_IN_PROGRESS_SNAPSHOT
  // also in the Terraform provider's CI logs, 2025-11-24]
  UNFINISHED_ON_DEMAND_SNAPSHOT: { status: 400, detail: 'Another on-demand snapshot is queued or in progress.' },
  CANNOT_DELETE_IN_PROGRESS_SNAPSHOT: { status: 400, detail: 'Cannot delete an in progress snapshot %s.' },
  CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION: { status: 400, detail: 'Snapshot retention can only be modified once it is completed.' },
  BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID: { status: 400, detail: 'Retention value of snapshot is invalid.' },
  // backup schedules [D: the same table]
  INVALID_BACKUP_POLICY: { status: 400, detail: 'Invalid Backup Policy: %s.' },
  INVALID_NUM_OF_POLICIES: { status: 400, detail: 'Must have exactly one policy.' },
  INVALID_NUM_OF_POLICY_ITEMS: { status: 400, detail: 'Must have at least one policy item.' },
  INVALID_POLICY_ID: { status: 400, detail: 'The policy id %s is invalid.' },
  INVALID_POLICY_ITEM_ID: { status: 400, detail: 'The specified policy item id %s does not exist.' },
  INVALID_FREQUENCY_TYPE_CHANGE: { status: 400, detail: 'The frequency type of a policy item must not be changed.' },
  INVALID_REFERENCE_HOUR_OF_DAY: { status: 400, detail: 'Snapshot schedule reference hour must be between 0 and 23, inclusive.' },
  INVALID_REFERENCE_MINUTE_OF_HOUR: { status: 400, detail: 'Snapshot schedule reference minute must be between 0 and 59, inclusive.' },
  INVALID_RESTORE_WINDOW: { status: 400, detail: 'The restore window days should be a positive number.' },
  // limits of the mock itself (docs/reliability.md) [I]: not Atlas codes, the Atlas error shape
  RESOURCE_LIMIT_EXCEEDED: { status: 409, detail: 'The mock holds at most %s %s per project.' },
  REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time (head within %s ms, whole request within %s ms).' },
  URI_TOO_LONG: { status: 414, detail: 'The request URL is longer than the limit of %s characters.' },
  REQUEST_HEADER_FIELDS_TOO_LARGE: { status: 431, detail: 'The request headers are larger than the limit of %s bytes.' },
  // generic failures
  SERVICE_UNAVAILABLE: { status: 503, detail: 'Service unavailable.' },
  UNEXPECTED_ERROR: { status: 500, detail: 'Unexpected error.' },
  // the mock's control API under /__mock: not Atlas codes, but the same error shape [I]
  CONTROL_INVALID_REQUEST: { status: 400, detail: 'Invalid control request: %s' },
  CONTROL_NOT_FOUND: { status: 404, detail: 'Not found: %s.' },
  CONTROL_LIMIT_EXCEEDED: { status: 409, detail: 'The mock holds at most %s %s.' },
  CONTROL_UNAUTHORIZED: { status: 401, detail: 'The control API needs the admin token (Authorization: Bearer <token> or X-Mock-Admin-Token: <token>).' },
  CONTROL_FORBIDDEN: { status: 403, detail: 'The control API answers loopback clients only, not %s: start the mock with --admin-token or --allow-remote-control.' },
} as const satisfies Record<string, { status: number; detail: string }>;

export type ErrorCode = keyof typeof CATALOGUE;
