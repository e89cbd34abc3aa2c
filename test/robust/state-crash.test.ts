/**
 * `kill -9` in the middle of writes (issue 8), for real: the built CLI runs with --state-file while a client
 * creates export jobs as fast as it can; the process is SIGKILLed at varied moments (bounded: 4 rounds of
 * at most ~1.6 s each), restarted on the same file, and each time:
 * - the file parses and validates (never torn: atomic writes);
 * - the restored jobs of a round are a prefix of the ones the client saw created, in order (nothing newer
 *   kept while something older is lost), plus at most the one request in flight at the kill;
 * - no job acknowledged more than a second before the kill is missing (saves trail changes by ≤ 250 ms +
 *   one write), and every job of earlier rounds is still there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStateFile } from '../../src/state/file.js';
import { cliAuthHeaders, startCli } from '../helpers/cli.js';
import { exportsUrl, IDS, V2023 } from '../helpers/mock.js';

const ARGS = ['--clock', 'manual', '--queued', '0', '--running', '0', '--rate-limit', 'off'];
/** How long each round creates jobs before the kill (ms): varied, so the kill lands at different points of the save cycle. */
const ROUNDS = [700, 1150, 430, 1600];

async function allJobIds(url: string, headers: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${url}${exportsUrl()}?itemsPerPage=500&pageNum=${page}`, { headers: { ...headers, accept: V2023 } });
    const body = (await res.json()) as { results: { id: string }[] };
    ids.push(...body.results.map((r) => r.id));
    if (body.results.length < 500) return ids;
  }
}

describe('state file under kill -9', () => {
  it('is always readable and loses at most the last second of jobs, in order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-crash-')), 'state.json');
    const everAcknowledged: string[] = [];
    let cli = await startCli([...ARGS, '--state-file', file]);
    const report: string[] = [];
    try {
      for (const [round, durationMs] of ROUNDS.entries()) {
        const headers = await cliAuthHeaders(cli.url);
        const before = new Set(await allJobIds(cli.url, headers));
        for (const id of everAcknowledged) expect(before.has(id), `job ${id} of an earlier round is missing`).toBe(true);

        const acknowledged: { id: string; at: number }[] = [];
        const started = performance.now();
        let stop = false;
        const loop = (async () => {
          while (!stop && performance.now() - started < 5000) {
            try {
              const res = await fetch(cli.url + exportsUrl(), {
                method: 'POST',
                headers: { ...headers, accept: V2023, 'content-type': 'application/json' },
                body: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }),
              });
              const body = (await res.json()) as { id?: string };
              if (res.status === 200 && body.id) acknowledged.push({ id: body.id, at: performance.now() });
            } catch {
              return; // the process is gone
            }
          }
        })();
        await new Promise((r) => setTimeout(r, durationMs));
        const killedAt = performance.now();
        cli.child.kill('SIGKILL');
        await new Promise((r) => cli.child.once('exit', r));
        stop = true;
        await loop;

        // Never torn, never invalid.
        expect(() => readStateFile(file)).not.toThrow();
        cli = await startCli([...ARGS, '--state-file', file]);
        const restored = await allJobIds(cli.url, await cliAuthHeaders(cli.url));
        const restoredSet = new Set(restored);
        const ackIds = acknowledged.map((a) => a.id);
        const kept = ackIds.filter((id) => restoredSet.has(id)).length;
        // A prefix: the first `kept` acknowledged jobs are there, none after them.
        expect(ackIds.slice(0, kept).every((id) => restoredSet.has(id))).toBe(true);
        expect(ackIds.slice(kept).some((id) => restoredSet.has(id))).toBe(false);
        // Besides what was there before and what the client saw, at most the request in flight at the kill.
        const unknown = restored.filter((id) => !before.has(id) && !ackIds.includes(id));
        expect(unknown.length).toBeLessThanOrEqual(1);
        // Nothing acknowledged more than a second before the kill is lost.
        const lost = acknowledged.slice(kept);
        const oldestLostAge = lost.length > 0 ? killedAt - lost[0]!.at : 0;
        expect(oldestLostAge, `lost ${lost.length} jobs, the oldest acknowledged ${Math.round(oldestLostAge)} ms before the kill`).toBeLessThanOrEqual(1000);
        expect(acknowledged.length).toBeGreaterThan(0);
        report.push(`round ${round}: ${acknowledged.length} created in ${durationMs} ms, ${lost.length} lost (oldest ${Math.round(oldestLostAge)} ms before the kill)`);
        everAcknowledged.push(...ackIds.slice(0, kept));
      }
    } finally {
      await cli.stop();
    }
    console.log(report.join('\n'));
  }, 60_000);
});
