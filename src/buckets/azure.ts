/** What Atlas derives for Azure export buckets (spec, `DiskBackupSnapshotAzureExportBucketRequest`). */

/**
 * The container named by a `serviceUrl` (`https://acct.blob.core.windows.net/exportcontainer` → `exportcontainer`),
 * or undefined when the URL names none: then `bucketName` is required (spec). Azure's URL model is
 * `https://<account>.blob.core.windows.net/<container>/<blob path>`: the container is the first path segment,
 * percent-decoded (`…/c1/sub` → `c1`, `…/my%2Dc` → `my-c`). The one rule for the API, fixture files and the
 * state file (which leaves a name out when this function gives it back on load).
 */
export function azureContainerOf(serviceUrl: string): string | undefined {
  // Read from the text itself, not a URL parser's normalized path: the OpenAPI document states the same rule
  // as a pattern (AZURE_URL_WITH_CONTAINER), so a schema-valid body is never refused on it.
  const m = /^https?:\/\/[^/?#]*([^?#]*)/i.exec(serviceUrl);
  if (!m) return undefined;
  const first = m[1]!.split('/').find((seg) => seg.length > 0);
  if (!first) return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    // A malformed escape (`/%zz`): the name as written (decoding it threw: a 500 found by the property fuzz).
    return first;
  }
}

/**
 * Standard endpoints only (spec): `https://<account>.blob.core.windows.net[/…]`, the account 3–24 lower-case
 * letters and digits. A pattern rather than a URL parse, so that the OpenAPI document states the rule exactly.
 */
export const AZURE_SERVICE_URL = /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net(\/\S*)?$/;

/** A standard endpoint whose path names a container (then `bucketName` may be left out). */
export const AZURE_URL_WITH_CONTAINER = /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/+[^/?#]/;


/**
 * The Azure AD tenant of a bucket that does not name one. Atlas takes it from the cloud-provider access role
 * (`roleId`), which the mock does not model: a UUID derived from the role id stands in, stable for the role [I].
 */
export function tenantIdOfRole(roleId: string): string {
  const h = (roleId + roleId).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
