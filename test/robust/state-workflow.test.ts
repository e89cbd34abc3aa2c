/**
 * The state file keeps the export workflow's changes (src/state/): backup schedules with their earlier
 * periods, snapshots taken on demand (plan, retention, deletion), scheduled snapshots and auto-export jobs
 * a client changed, and the snapshot plans of the control API. After a restart, every list and read answers
 * as before it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { exportsUrl, IDS, ownerAuth, T0 } from '../helpers/mock.js';
import { DAY, HOUR, scheduleUrl, snapshotsUrl, V2023, V2024_08 } from '../helpers/workflow.js';

const json = { 'content-type': 'application/json' };

function app(file: string) {
  return buildApp({ stateFile: file, rateLimit: { enabled: false } }, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(5) });
}

async function call(a: ReturnType<typeof buildApp>, method: string, url: string, body?: unknown, accept = V2023) {
  const res = await a.inject({ method: method as 'GET', url, headers: { accept, ...(await ownerAuth(a)), ...(body !== undefined && json) }, ...(body !== undefined && { payload: body as object }) });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

const admin = (a: ReturnType<typeof buildApp>, method: string, url: string, body?: unknown) =>
  a.inject({ method: method as 'GET', url, ...(body !== undefined && { headers: json, payload: body as object }) });

/** Everything a client can read of the workflow, for a before / after comparison. */
async function picture(a: ReturnType<typeof buildApp>) {
  return {
    snapshots: (await call(a, 'GET', `${snapshotsUrl()}?itemsPerPage=500`)).body,
    schedule: (await call(a, 'GET', scheduleUrl(), undefined, V2024_08)).body,
    jobs: (await call(a, 'GET', `${exportsUrl()}?itemsPerPage=500`)).body,
    plans: (await admin(a, 'GET', '/__mock/snapshots/plans/next')).json(),
    defaultPlan: (await admin(a, 'GET', '/__mock/snapshots/plans/default')).json(),
  };
}

describe('state file: the export workflow', () => {
  it('restores schedules (with their history), snapshots and the changes of derived ones after a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-wf-')), 'state.json');
    const first = app(file);
    await first.ready();
    // A schedule with an auto export, changed twice (two epochs besides the default one).
    const policy = { policies: [{ policyItems: [{ frequencyType: 'hourly', frequencyInterval: 4, retentionUnit: 'days', retentionValue: 2 }, { frequencyType: 'daily', frequencyInterval: 1, retentionUnit: 'days', retentionValue: 5 }] }] };
    expect((await call(first, 'PATCH', scheduleUrl(), { ...policy, autoExportEnabled: true, export: { exportBucketId: IDS.bucket, frequencyType: 'daily' } }, V2024_08)).status).toBe(200);
    await admin(first, 'POST', '/__mock/clock', { advanceBy: 2 * DAY });
    expect((await call(first, 'PATCH', scheduleUrl(), { useOrgAndGroupNamesInExportPrefix: true, referenceMinuteOfHour: 30 }, V2024_08)).status).toBe(200);
    await admin(first, 'POST', '/__mock/clock', { advanceBy: DAY + 3 * HOUR });
    // An on-demand snapshot, a scheduled one deleted and one re-retained, an auto-export job with a pin.
    expect((await call(first, 'POST', snapshotsUrl(), { description: 'kept', retentionInDays: 4 })).status).toBe(200);
    const list = (await call(first, 'GET', `${snapshotsUrl()}?itemsPerPage=500`)).body.results.filter((s: { snapshotType: string; status: string }) => s.snapshotType === 'scheduled' && s.status === 'completed');
    expect((await call(first, 'DELETE', `${snapshotsUrl()}/${list[0].id}`)).status).toBe(204);
    expect((await call(first, 'PATCH', `${snapshotsUrl()}/${list[1].id}`, { retentionUnit: 'MONTHS', retentionValue: 2 })).status).toBe(200);
    const autoJob = (await call(first, 'GET', `${exportsUrl()}?itemsPerPage=500`)).body.results.at(-1);
    expect((await admin(first, 'PUT', `/__mock/exports/${autoJob.id}/plan`, { pin: { state: 'Cancelled' } })).statusCode).toBe(200);
    await admin(first, 'PUT', '/__mock/snapshots/plans/default', { running: 'PT7M' });
    await admin(first, 'POST', '/__mock/snapshots/plans/next', { groupId: IDS.group, clusterName: 'Sharded0', pin: { status: 'failed' }, times: 2 });
    const before = await picture(first);
    expect(before.jobs.results.some((j: { prefix: string }) => j.prefix.startsWith('exported_snapshots/Mock_Org/'))).toBe(true);
    await first.close();

    const second = app(file);
    await second.ready();
    expect(await picture(second)).toEqual(before);
    // And time goes on from there the same way: the next scheduled snapshots come at the new reference minute.
    await admin(second, 'POST', '/__mock/clock', { advanceBy: 2 * HOUR });
    const later = (await call(second, 'GET', `${snapshotsUrl()}?itemsPerPage=1`)).body.results[0];
    expect(later.createdAt.slice(14, 16)).toBe('30');
    await second.close();
  });
});
