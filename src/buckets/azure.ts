/** What Atlas derives for Azure export buckets (spec, `DiskBackupSnapshotAzureExportBucketRequest`). */

/**
 * The container named by a `serviceUrl` (`https://acct.blob.core.windows.net/exportcontainer` → `exportcontainer`),
 * or undefined when the URL names none: then `bucketName` is required (spec).
 */
export function azureContainerOf(serviceUrl: string): string | undefined {
  let path: string;
  try {
    path = new URL(serviceUrl).pathname;
  } catch {
    return undefined;
  }
  const first = path.split('/').find((seg) => seg.length > 0);
  if (!first) return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    // A malformed escape (`/%zz`) names no container (it threw: a 500 found by the property fuzz).
    return undefined;
  }
}

/**
 * Standard endpoints only (spec): `https://<account>.blob.core.windows.net[/…]`, the account 3–24 lower-case
 * letters and digits. A pattern rather than a URL parse, so that the OpenAPI document states the rule exactly.
 */
export const AZURE_SERVICE_URL = /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net(\/\S*)?$/;


/**
 * The Azure AD tenant of a bucket that does not name one. Atlas takes it from the cloud-provider access role
 * (`roleId`), which the mock does not model: a UUID derived from the role id stands in, stable for the role [I].
 */
export function tenantIdOfRole(roleId: string): string {
  const h = (roleId + roleId).slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
