/**
 * `kill -9` in the middle of writes, for real: the built CLI runs with --state-file while a client
 * creates export jobs as fast as it can and the test reads the file as another process would; the process is
 * SIGKILLed at varied moments, restarted on the same file, and each time:
 * - every version of the file read while the jobs stream in, and the file after the kill, parses and
 *   validates (never torn: atomic writes);
 * - saves keep coming while changes stream in: the kill comes only once two successive saves holding this
 *   round's jobs have been seen (a save postponed by every change, or kept for the shutdown, never comes);
 * - the restored jobs of a round are a prefix of the ones the client saw created, in order (nothing newer
 *   kept while something older is lost), plus at most the one request in flight at the kill;
 * - nothing the last version of the file seen before the kill held is lost, and every job of earlier rounds
 *   is still there.
 * Measured in events and counts, not milliseconds: on a busy machine saves come later, which changes how
 * much is lost but none of the above. How old the oldest lost job was is printed (about 250 ms: the save
 * delay plus one write); the save timing itself is test/robust/state-file.test.ts's, on a fake clock.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readStateFile } from '../../src/state/file.js';
import { cliAuthHeaders, startCli } from '../helpers/cli.js';
import { exportsUrl, IDS, V2023 } from '../helpers/mock.js';

const ARGS = ['--clock', 'manual', '--queued', '0', '--running', '0', '--rate-limit', 'off'];
/** How long each round goes on creating jobs after the second save was seen (ms): varied, so the kill lands at different points of the save cycle. */
const ROUNDS = [700, 1150, 430, 1600];
/**
 * How long to wait for a save before calling saves stuck. Saves come about every 250 ms plus one write; the
 * bound only tells "never" from "late on a busy machine".
 */
const SAVE_SEEN_WITHIN_MS = 30_000;

async function allJobIds(url: string, headers: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${url}${exportsUrl()}?itemsPerPage=500&pageNum=${page}`, { headers: { ...headers, accept: V2023 } });
    const body = (await res.json()) as { results: { id: string }[] };
    ids.push(...body.results.map((r) => r.id));
    if (body.results.length < 500) return ids;
  }
}

/** The export job ids a version of the state file holds; throws if that version does not validate. */
function savedJobIds(file: string): Set<string> {
  const state = readStateFile(file);
  if (!state) throw new Error(`${file} is missing`);
  return new Set(state.data.exportJobs.map((j) => j.id!));
}

describe('state file under kill -9', () => {
  it('is always readable, keeps saving while changes stream in, and loses only the newest jobs, in order', async () => {
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
        let stop = false;
        const loop = (async () => {
          while (!stop) {
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

        // The file as another process sees it: each new version read whole and validated. `savedThrough`: how
        // many of this round's acknowledged jobs (from the first) the newest version read holds.
        let savedThrough = 0;
        let versionsWithProgress = 0;
        let lastVersion = '';
        const look = () => {
          const st = statSync(file);
          const version = `${st.ino}:${st.size}:${st.mtimeMs}`;
          if (version === lastVersion) return;
          lastVersion = version;
          const ids = savedJobIds(file);
          let through = savedThrough;
          while (through < acknowledged.length && ids.has(acknowledged[through]!.id)) through++;
          if (through > savedThrough) versionsWithProgress++;
          savedThrough = through;
        };
        const waitedFrom = performance.now();
        while (versionsWithProgress < 2) {
          if (performance.now() - waitedFrom > SAVE_SEEN_WITHIN_MS) throw new Error(`round ${round}: ${versionsWithProgress} saves with new jobs in ${SAVE_SEEN_WITHIN_MS} ms while ${acknowledged.length} jobs were created`);
          await sleep(20);
          look();
        }
        const goOnUntil = performance.now() + durationMs;
        while (performance.now() < goOnUntil) {
          await sleep(20);
          look();
        }
        const seenSaved = savedThrough;
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
        // Nothing a save that completed before the kill held is lost.
        expect(kept, `the last file seen before the kill held the first ${seenSaved} jobs of the round`).toBeGreaterThanOrEqual(seenSaved);
        expect(seenSaved).toBeGreaterThan(0);
        const lost = acknowledged.slice(kept);
        const oldestLostAge = lost.length > 0 ? killedAt - lost[0]!.at : 0;
        report.push(`round ${round}: ${acknowledged.length} created, ${lost.length} lost (the oldest acknowledged ${Math.round(oldestLostAge)} ms before the kill)`);
        everAcknowledged.push(...ackIds.slice(0, kept));
      }
    } finally {
      await cli.stop();
    }
    console.log(report.join('\n'));
  }, 180_000);
});
