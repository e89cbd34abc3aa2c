/**
 * fast-check arbitraries of what a client controls: path segments, query strings, Accept,
 * Content-Type, Authorization, bodies, extra headers. Biased towards the values the mock's rules branch on
 * (known ids, version dates, `envelope` / `pretty`, pagination bounds) so that runs reach deep into the
 * operations, with random and hostile values mixed in.
 */
import fc from 'fast-check';
import { DEFAULT_FUZZ_SEED } from './fuzz-seed.js';
import { IDS } from './mock.js';

export { DEFAULT_FUZZ_SEED };

function envInteger(name: string, min: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer from ${min}, not '${text}'`);
  return value;
}

/**
 * fast-check parameters of a property suite: a fixed seed (FUZZ_SEED=<n> replays a report or explores
 * another one) and a fixed number of cases (FUZZ_RUNS=<n> widens it) — no time limit, so a slow or busy
 * machine takes longer rather than quietly testing less. The seed and count are printed; on a failure the
 * seed, path and counterexample are in the thrown error, which vitest prints. The suite asserts that
 * `numRuns` cases ran.
 */
export function fuzzParams(suite: string, runs: number): fc.Parameters<unknown> & { seed: number; numRuns: number } {
  const seed = envInteger('FUZZ_SEED', -(2 ** 31)) ?? DEFAULT_FUZZ_SEED;
  const numRuns = envInteger('FUZZ_RUNS', 1) ?? runs;
  console.log(`${suite}: fast-check seed ${seed}, ${numRuns} cases (FUZZ_SEED=${seed} FUZZ_RUNS=${numRuns} to replay)`);
  return { seed, numRuns, verbose: 0 };
}

/**
 * The vitest timeout of a property suite: it runs a fixed number of cases whatever the time they take, and
 * the timeout only stops a run that hangs. 60 s is over 30 times what the default counts take on an idle
 * 2-core machine (0.4–2 s per suite), scaled with FUZZ_RUNS.
 */
export function fuzzTimeoutMs(runs: number): number {
  return 60_000 * Math.max(1, (envInteger('FUZZ_RUNS', 1) ?? runs) / runs);
}

const urlChar = fc.constantFrom(...'abcdefABCDEF0123456789-_.~!$&\'()*+,;=:@'.split(''));
const pctEncoded = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
  fc.constantFrom('%', '%z', '%zz', '%c3%28', '%e2%82', '%00', '%2f', '%2F', '%25', '%ff%fe', '%ed%a0%80'),
);
const wordSeg = fc.oneof(
  { weight: 4, arbitrary: fc.array(urlChar, { maxLength: 30 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: urlChar }, { weight: 1, arbitrary: pctEncoded }), { maxLength: 30 }).map((a) => a.join('')) },
);
const hex24 = fc.stringMatching(/^[a-f0-9]{24}$/);

/** One path segment: known ids and names, near-misses, junk, dot segments, very long ones. */
export const segment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Object.values(IDS)) },
  { weight: 2, arbitrary: hex24 },
  { weight: 2, arbitrary: fc.constantFrom('Cluster0', 'Sharded0', 'cluster-x', '-bad', 'A', 'Cluster0 ', 'Cluster%300') },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%2e%2e', 'ABCDEF0123456789abcdef01', '6650a0c1f1d2e3a4b5c6d7e', '6650a0c1f1d2e3a4b5c6d7e1x') },
  { weight: 2, arbitrary: wordSeg },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 4000 }).map((n) => 'a'.repeat(n)) },
);

const ROUTES = [
  (g: string, c: string, x: string) => `/api/atlas/v2/groups/${g}/clusters/${c}/backup/exports/${x}`,
  (g: string, c: string) => `/api/atlas/v2/groups/${g}/clusters/${c}/backup/exports`,
  (g: string, c: string, x: string) => `/api/atlas/v2/groups/${g}/clusters/${c}/backup/snapshots/${x}`,
  (g: string) => `/api/atlas/v2/groups/${g}/backup/exportBuckets`,
  (g: string, _c: string, x: string) => `/api/atlas/v2/groups/${g}/backup/exportBuckets/${x}`,
  (g: string) => `/api/atlas/v2/groups/${g}`,
  (g: string, c: string) => `/api/atlas/v2/groups/${g}/clusters/${c}`,
  (g: string) => `/api/atlas/v2/groups/${g}/clusters`,
  (g: string, c: string, x: string) => `/api/atlas/v2/groups/${g}/flexClusters/${c}/backup/snapshots/${x}`,
  (g: string, _c: string, x: string) => `/api/atlas/v2/groups/${g}/cloudProviderAccess/${x}`,
  (g: string, c: string, x: string) => `/api/atlas/v2/groups/${g}/cloudProviderAccess/${c}/${x}`,
  (g: string) => `/api/atlas/v2/orgs/${g}`,
];

/** A request to a real operation with the right ids, method and version: the fuzzing is in query, headers and body. */
export const operationTarget = fc.constantFrom(
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports/${IDS.jobSuccessful}` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Sharded0/backup/exports/${IDS.jobSharded}` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports` },
  { method: 'POST', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/snapshots/${IDS.snapshotReady}` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets` },
  { method: 'POST', path: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets/${IDS.bucket}` },
  { method: 'DELETE', path: `/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets/6650a0c1f1d2e3a4b5c6d8ff` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.otherGroup}/clusters/Cluster0/backup/exports` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/clusters` },
  { method: 'GET', path: `/api/atlas/v2/groups/${IDS.group}/flexClusters/Cluster0/backup/snapshots` },
  { method: 'POST', path: `/api/atlas/v2/groups/${IDS.group}/cloudProviderAccess` },
  { method: 'PATCH', path: `/api/atlas/v2/groups/${IDS.group}/cloudProviderAccess/${IDS.awsRole}` },
  { method: 'DELETE', path: `/api/atlas/v2/groups/${IDS.group}/cloudProviderAccess/GCP/${IDS.gcpRole}` },
  { method: 'GET', path: `/api/atlas/v2/orgs/${IDS.org}` },
  { method: 'DELETE', path: `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0` },
  { method: 'POST', path: '/api/oauth/token' },
);

/** A path: a known route with fuzzed segments, or random segments under /api/atlas/v2 or anywhere. */
export const path = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.nat(ROUTES.length - 1), segment, segment, segment).map(([r, g, c, x]) => ROUTES[r]!(g, c, x)) },
  { weight: 1, arbitrary: fc.constantFrom('/api/oauth/token', '/api/oauth/revoke', '/api/oauth', '/api/atlas/v2', '/api/atlas/v2/', '/', '/api', '/openapi.json', '/api/atlas/v1.0/groups') },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 8 }).map((s) => `/api/atlas/v2/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 6 }).map((s) => `/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(ROUTES.length - 1), segment).map(([r, g]) => ROUTES[r]!(IDS.group, 'Cluster0', IDS.jobSuccessful).replace(IDS.group, g) + '/') },
);

const flagValue = fc.oneof(fc.constantFrom('true', 'false', 'TRUE', 'False', '', '1', '0', 'yes', 'null', 'true%00', '%74rue'), wordSeg);
const numberValue = fc.oneof(
  fc.integer({ min: -5, max: 600 }).map(String),
  fc.constantFrom('', '1.5', '1e3', '0x10', '999999999', '9999999999', '00001', '+1', ' 1', 'NaN', 'Infinity', '-0'),
  wordSeg,
);
const queryPair = fc.oneof(
  fc.tuple(fc.constantFrom('envelope', 'pretty', 'includeCount', 'ENVELOPE', 'envelope[]', 'envelope[a]'), flagValue),
  fc.tuple(fc.constantFrom('pageNum', 'itemsPerPage'), numberValue),
  fc.tuple(wordSeg, wordSeg),
);
/** A query string (without `?`), repeated keys, bare keys and stray separators included. */
export const query = fc.oneof(
  fc.array(queryPair, { maxLength: 6 }).map((ps) => ps.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.constantFrom('', '&', '&&=', '=', 'envelope', 'pretty', 'envelope=true&envelope=false', 'pretty=true&envelope=true', '%', 'a=%', 'envelope=%zz'),
);

const date = fc.oneof(fc.constantFrom('2023-01-01', '2024-05-30', '2025-03-12', '2022-12-31', '2099-01-01', '2023-02-30', '2023-1-1', '0000-00-00'), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
/** Accept: versioned media types (good, bad, with q-values, in lists), generic ones, junk. */
export const accept = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('application/vnd.atlas.2023-01-01+json', 'application/vnd.atlas.2024-05-30+json', 'application/vnd.atlas.2025-03-12+json') },
  { weight: 3, arbitrary: date.map((d) => `application/vnd.atlas.${d}+json`) },
  { weight: 1, arbitrary: fc.array(fc.tuple(date, fc.constantFrom('', ';q=0', ';q=0.5', ';q=1', ';q=abc', ';charset=utf-8')), { minLength: 1, maxLength: 4 }).map((l) => l.map(([d, q]) => `application/vnd.atlas.${d}+json${q}`).join(', ')) },
  { weight: 1, arbitrary: fc.constantFrom('application/json', '*/*', 'text/html', '', 'application/vnd.atlas.+json', 'application/vnd.atlas.2023-01-01', 'application/vnd.atlas.2023-01-01+json, */*;q=0.1', 'application/*') },
  { weight: 1, arbitrary: wordSeg },
);

/** Content-Type: the accepted ones, near misses, others. */
export const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/vnd.atlas.2023-01-01+json') },
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.atlas.2023-01-01+json', 'application/vnd.atlas.2024-05-30+json', 'APPLICATION/JSON'),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/json;', 'application/vnd.atlas.+json', ';', 'application/json; charset=latin1'),
  wordSeg,
);

const jsonBody = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }, { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket, customData: [{ key: 'k', value: 'v' }] }, { cloudProvider: 'AWS', bucketName: 'fuzz-bucket', iamRoleId: IDS.awsRole }, { cloudProvider: 'GCP', bucketName: 'fuzz-bucket', roleId: IDS.gcpRole }, { cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl: 'https://fuzzacct.blob.core.windows.net/fuzzcontainer' }) },
  { weight: 3, arbitrary: fc.record({ snapshotId: fc.oneof(fc.constantFrom(IDS.snapshotReady, IDS.snapshotCompleted, IDS.snapshotInProgress), hex24, fc.jsonValue()), exportBucketId: fc.oneof(fc.constant(IDS.bucket), hex24, fc.jsonValue()), customData: fc.oneof(fc.array(fc.record({ key: fc.string(), value: fc.string() }), { maxLength: 3 }), fc.jsonValue()) }, { requiredKeys: [] }) },
  { weight: 3, arbitrary: fc.record({ cloudProvider: fc.oneof(fc.constantFrom('AWS', 'AZURE', 'GCP', 'aws', ''), fc.jsonValue()), bucketName: fc.oneof(fc.string({ maxLength: 70 }), fc.jsonValue()), iamRoleId: fc.oneof(hex24, fc.jsonValue()), roleId: fc.oneof(hex24, fc.jsonValue()), serviceUrl: fc.oneof(fc.constantFrom('https://acct.blob.core.windows.net/container', 'https://acct.blob.core.windows.net/%zz', 'https://acct.blob.core.windows.net/', 'https://x'), fc.string()), tenantId: fc.oneof(fc.uuid(), fc.string()), requirePrivateNetworking: fc.oneof(fc.boolean(), fc.jsonValue()) }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom({ __proto__: { x: 1 } }, JSON.parse('{"__proto__": {"polluted": true}}'), JSON.parse('{"constructor": {"prototype": {"p": 1}}}')) },
);
/** A body: JSON (mostly shaped like the operations' bodies), broken JSON, forms, binary, nothing. */
export const body = fc.oneof(
  { weight: 5, arbitrary: jsonBody.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 2, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '1', 'true', '{"snapshotId":"' + IDS.snapshotReady + '"', '\u0000', '{"a":1}{"b":2}', '\ufeff{}', 'grant_type=client_credentials', '{"__proto__":{"x":1}}') },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')) },
);

export const method = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'DELETE', 'PATCH', 'PUT', 'HEAD', 'OPTIONS');

const fieldChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.constantFrom(' ', '\t', ',', '=', '"', '\\') },
);
/** A header value as the wire allows it (visible ASCII, space, tab). */
export const headerText = (max: number) => fc.array(fieldChar, { maxLength: max }).map((a) => a.join('').trim());

/** Stands for the suite's live Bearer token (minted at run time) in generated Authorization values. */
export const VALID_BEARER = '<valid bearer>';

/** Authorization: mostly the suite's valid Bearer token (so requests get past authentication), else anything. */
export const authorization = fc.oneof(
  { weight: 14, arbitrary: fc.constant(VALID_BEARER) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: headerText(80).map((t) => `Bearer ${t}`) },
  { weight: 1, arbitrary: headerText(120).map((t) => `Digest ${t}`) },
  { weight: 1, arbitrary: fc.constantFrom('Basic bWRiX3NhX2lkOng=', 'Digest username="mockownr"', 'Bearer', `bearer  ${VALID_BEARER}`, `${VALID_BEARER} `, `${VALID_BEARER}x`) },
);

/** The Authorization value to send for a generated one. */
export const withBearer = (generated: string | undefined, bearer: string): string | undefined => generated?.replace(VALID_BEARER, bearer);

/** Extra headers: junk names and values, a few long ones, ones Fastify and Node look at. */
export const extraHeaders = fc.dictionary(
  fc.oneof(fc.constantFrom('x-forwarded-for', 'x-request-id', 'content-encoding', 'transfer-encoding-x', 'expect', 'if-none-match', 'range', 'x-mock-admin-token', 'cookie', 'origin'), fc.stringMatching(/^x-[a-z0-9-]{1,20}$/)),
  fc.oneof(headerText(60), fc.integer({ min: 1000, max: 6000 }).map((n) => 'v'.repeat(n)), fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'bytes=0-1', '*')),
  { maxKeys: 4 },
);
