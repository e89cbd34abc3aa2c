/**
 * Property for the control API (`/__mock`): whatever a test client sends it — clock moves to any
 * date, durations of any size, fixtures, plans, fault rules, journal queries, junk — the answer is
 * well formed (a success, or an Atlas-shaped error with the official ApiError schema), never a 500, and the
 * mock keeps serving its Atlas API afterwards: a known job still reads 200, with a body valid against the
 * official schema, at whatever mock time the fuzz left the clock. Fault rules the fuzz manages to add are
 * removed before the next request, so a 500 can only come from the mock itself.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSchema } from '../helpers/contract.js';
import { fuzzParams, fuzzTimeoutMs } from '../helpers/fuzz.js';
import { assertWellFormed } from '../helpers/invariants.js';
import { IDS, jobUrl, ownerAuth, testMock, V2023, type TestMock } from '../helpers/mock.js';

const ADMIN = 'fuzz-admin-token';

const duration = fc.oneof(
  fc.integer({ min: -10, max: 10_000_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom('PT20M', 'P1D', 'P10000Y', 'PT-1S', '150s', '12m', '2h', '9999999999h', '', 'x', 'PT1.5S', 'P1Y2M3DT4H5M6S'),
  fc.string({ maxLength: 12 }),
);
const date = fc.oneof(
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-02-30T00:00:00Z', 'now'),
);
const clockBody = fc.record({ advanceBy: duration, setTo: date, mode: fc.constantFrom('system', 'manual', 'x'), speed: fc.oneof(fc.double(), fc.constantFrom(1, 60, 1_000_000, 0, -1)) }, { requiredKeys: [] });
const planBody = fc.record(
  { queued: duration, running: duration, outcome: fc.constantFrom('Successful', 'Failed', 'Cancelled', 'Never', 'x'), stateReason: fc.oneof(fc.record({ errorCode: fc.string(), message: fc.string() }), fc.jsonValue()) },
  { requiredKeys: [] },
);
const faultBody = fc.record(
  {
    operation: fc.constantFrom('getBackupExport', 'listBackupExports', 'x'),
    groupId: fc.constantFrom(IDS.group, 'x'),
    times: fc.integer({ min: -1, max: 5 }),
    probability: fc.double(),
    error: fc.oneof(fc.constantFrom('UNEXPECTED_ERROR', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED_TOKEN_BUCKET', 'NOPE'), fc.record({ errorCode: fc.constantFrom('GROUP_NOT_FOUND', 'X'), status: fc.integer({ min: 0, max: 1000 }), retryAfter: fc.integer({ min: -5, max: 1e9 }) }, { requiredKeys: [] })),
    latency: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.record({ min: fc.integer({ min: -5, max: 5 }), max: fc.integer({ min: -5, max: 5 }) })),
    drop: fc.constant(false),
    path: fc.constantFrom('/api/*', '*', '(', '/__mock/*'),
  },
  { requiredKeys: [] },
);
const fixturesBody = fc.record(
  {
    projects: fc.array(fc.record({ id: fc.constantFrom(IDS.group, '6650a0c1f1d2e3a4b5c6d9aa', 'x'), orgId: fc.constantFrom(IDS.org, 'y'), name: fc.string({ maxLength: 5 }) }), { maxLength: 2 }),
    clusters: fc.array(fc.record({ groupId: fc.constantFrom(IDS.group, '6650a0c1f1d2e3a4b5c6d9aa'), name: fc.constantFrom('Fz0', 'Cluster0', '-x'), collections: fc.integer({ min: -1, max: 2_000_000 }) }), { maxLength: 2 }),
    exportJobs: fc.array(fc.jsonValue(), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const target = fc.oneof(
  fc.tuple(fc.constant('POST'), fc.constant('/__mock/clock'), clockBody as fc.Arbitrary<unknown>),
  fc.tuple(fc.constant('PUT'), fc.constant('/__mock/plans/default'), planBody as fc.Arbitrary<unknown>),
  fc.tuple(fc.constant('POST'), fc.constant('/__mock/plans/next'), fc.record({ groupId: fc.constantFrom(IDS.group, 'x'), clusterName: fc.constantFrom('Cluster0', 'Nope'), plan: planBody, pin: fc.jsonValue() }, { requiredKeys: [] }) as fc.Arbitrary<unknown>),
  fc.tuple(fc.constantFrom('PUT', 'POST'), fc.constantFrom(`/__mock/exports/${IDS.jobQueued}/plan`, `/__mock/exports/${IDS.jobSharded}/plan`, '/__mock/exports/x/plan'), fc.record({ plan: planBody, pin: fc.record({ state: fc.constantFrom('Queued', 'Failed', 'x'), finishedAt: date, exportedCollections: fc.integer({ min: -1, max: 100 }) }, { requiredKeys: [] }), finish: fc.record({ outcome: fc.constantFrom('Successful', 'Failed'), after: duration }, { requiredKeys: [] }) }, { requiredKeys: [] }) as fc.Arbitrary<unknown>),
  fc.tuple(fc.constant('POST'), fc.constant('/__mock/faults'), faultBody as fc.Arbitrary<unknown>),
  fc.tuple(fc.constant('POST'), fc.constant('/__mock/fixtures'), fixturesBody as fc.Arbitrary<unknown>),
  fc.tuple(fc.constant('POST'), fc.constantFrom('/__mock/reset', `/__mock/reset?groupId=${IDS.group}`, '/__mock/reset?groupId=x'), fc.oneof(fc.constant(undefined), fc.jsonValue())),
  fc.tuple(fc.constantFrom('GET', 'DELETE'), fc.constantFrom('/__mock/requests', '/__mock/requests?status=404&limit=3', '/__mock/requests?limit=-1', '/__mock/requests?operation=x&status=abc', `/__mock/requests?groupId=${IDS.group}&exportId=x`, '/__mock/faults', '/__mock/faults/fault-1', '/__mock/plans/next', '/__mock/health', '/__mock/clock', `/__mock/exports/${IDS.jobQueued}/timeline`, '/__mock/exports/zz/timeline', '/__mock/nope', '/__mock'), fc.constant(undefined)),
  fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.constantFrom('/__mock/clock', '/__mock/faults', '/__mock/fixtures', '/__mock/reset', '/__mock/plans/default'), fc.oneof(fc.jsonValue(), fc.string())),
);

describe('fuzzed control API', () => {
  let mock: TestMock;

  beforeAll(async () => {
    mock = testMock({ adminToken: ADMIN, rateLimit: { capacity: 1_000_000_000 } });
    await mock.app.ready();
  });
  afterAll(async () => {
    await mock.app.close();
  });

  async function healthy(): Promise<void> {
    // At speed 10^6 a one-hour token expires within 4 ms of wall time: freeze the clock where the fuzz left it.
    if (mock.clock.mode() === 'system') mock.clock.setMode('manual');
    const res = await mock.app.inject({ url: jobUrl(IDS.jobSuccessful), headers: { accept: V2023, ...(await ownerAuth(mock.app)) } });
    expect(res.statusCode, `${res.body} at ${mock.clock.state().now}`).toBe(200);
    assertSchema('DiskBackupExportJob', res.json());
    const health = await mock.app.inject({ url: '/__mock/health' });
    expect(health.statusCode, health.body).toBe(200);
  }

  const RUNS = 600;

  it('every answer is well formed, never a 500, and the Atlas API keeps serving', async () => {
    let count = 0;
    const params = fuzzParams('fuzz-control', RUNS);
    await fc.assert(
      fc.asyncProperty(target, fc.constantFrom(ADMIN, ADMIN, ADMIN, ADMIN, 'wrong', undefined), fc.context(), async ([method, url, body], token, ctx) => {
        if (!mock.app.control.faults.empty) mock.app.control.faults.clear();
        const headers: Record<string, string> = {};
        if (token !== undefined) headers['x-mock-admin-token'] = token;
        if (body !== undefined) headers['content-type'] = 'application/json';
        ctx.log(`${method} ${url} ${JSON.stringify(body)?.slice(0, 400)}`);
        const res = await mock.app.inject({ method: method as 'GET', url, headers, ...(body !== undefined && { payload: JSON.stringify(body) }) });
        assertWellFormed({ method, url }, { status: res.statusCode, headers: res.headers, body: res.body });
        if (++count % 25 === 0) {
          if (!mock.app.control.faults.empty) mock.app.control.faults.clear();
          await healthy();
        }
      }),
      params,
    );
    expect(count, 'cases run').toBe(params.numRuns);
    mock.app.control.faults.clear();
    await healthy();
  }, fuzzTimeoutMs(RUNS));
});
