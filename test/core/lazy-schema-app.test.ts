import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { controlSchemas } from '../../src/control/schemas.js';
import { fixtureSchemas } from '../../src/fixtures/schema.js';
import { stateSchemas } from '../../src/state/schema.js';
import { exportJobViews } from '../../src/exports/schemas.js';
import { snapshotViews } from '../../src/snapshots/schemas.js';
import { clusterViews } from '../../src/clusters/schemas.js';
import { scheduleViews } from '../../src/schedules/schemas.js';
import { bucketViews } from '../../src/buckets/schemas.js';
import { roleViews } from '../../src/access/schemas.js';

// Apart from test/core/lazy-schema.test.ts, whose families of test schemas would be in this app's document.
describe('the schemas an app builds on first use (core/lazy-schema.ts)', () => {
  it('a start and an Atlas request build neither the control API, state-file nor response schemas; the document builds them; a control request builds its family and validates as before', async () => {
    const app = buildApp({ auth: { enabled: false } }, { clock: createClock({ mode: 'manual', start: Date.UTC(2026, 0, 1) }) });
    try {
      await app.ready();
      const job = await app.inject({ method: 'GET', url: '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/6650a0c1f1d2e3a4b5c6d822', headers: { accept: 'application/vnd.atlas.2023-01-01+json' } });
      expect(job.statusCode).toBe(200);
      // (Each test file has its own modules.) The fixture schemas are built here, from src, which validates the
      // default dataset; the CLI bundle uses the one prepared at build time (fixtures/load.ts).
      expect([controlSchemas.built, stateSchemas.built, fixtureSchemas.built]).toEqual([false, false, true]);
      // Response schemas document the answers only: none is built to answer.
      const views = [exportJobViews, snapshotViews, clusterViews, scheduleViews, bucketViews, roleViews];
      expect(views.map((v) => v.built)).toEqual(views.map(() => false));
      const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
      expect(doc.statusCode).toBe(200);
      expect(views.map((v) => v.built)).toEqual(views.map(() => true));
      expect(doc.json().components.schemas.DiskBackupExportJob).toBeDefined();
      const bad = await app.inject({ method: 'POST', url: '/__mock/faults', payload: { operation: 'getBackupExport' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ errorCode: 'CONTROL_INVALID_REQUEST' });
      expect(controlSchemas.built).toBe(true);
      // The same answer as the schema itself gives.
      const issues = controlSchemas().faultInput.safeParse({ operation: 'getBackupExport' }).error!.issues;
      expect(JSON.stringify(bad.json())).toContain(issues[0]!.message);
      const query = await app.inject({ method: 'GET', url: '/__mock/requests?limit=abc' });
      expect(query.statusCode).toBe(400);
      const ok = await app.inject({ method: 'POST', url: '/__mock/clock', payload: { advanceBy: '1m' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ now: '2026-01-01T00:01:00.000Z', mode: 'manual' });
    } finally {
      await app.close();
    }
  });
});
