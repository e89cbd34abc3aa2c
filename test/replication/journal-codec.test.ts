/**
 * The shared journal's entry codec (replication/journal-codec.ts): a short entry is written from the JSON
 * around its time and duration kept from the route's previous entry; it must be, byte for byte, the JSON
 * of the whole entry, whatever changed since the previous one, and read back as what was written.
 */
import { describe, expect, it } from 'vitest';
import { JournalCodec } from '../../src/replication/journal-codec.js';
import type { JournalSlot } from '../../src/control/journal.js';

type Slot = Omit<JournalSlot, 'seq'>;
const PATTERN = '/api/atlas/v2/groups/:groupId/clusters/:clusterName/backup/exports/:exportId';
const G = '6650a0c1f1d2e3a4b5c6d7e1';
const J = '6650a0c1f1d2e3a4b5c6d822';

function slot(over: Partial<Slot> = {}): Slot {
  const s: Slot = { groupId: G, at: 1767225600000, method: 'GET', url: '', status: 200, state: 'Successful', principal: 'mdb_sa_id_x', fault: null, durationMs: 0.1234, matched: true, operation: 'getBackupExport', operationId: 'getBackupExport', clusterName: 'Cluster0', exportId: J, ...over };
  s.url = `/api/atlas/v2/groups/${s.groupId}/clusters/${s.clusterName}/backup/exports/${s.exportId}`;
  return s;
}

const shortJson = (s: Slot) => JSON.stringify([s.groupId, s.at, s.method, s.status, s.state, s.principal, s.fault, Math.round(s.durationMs * 100), s.operation, s.clusterName, s.exportId]);

describe('journal codec, short entries', () => {
  const codec = new JournalCodec();
  codec.addRoute('getBackupExport', 'getBackupExport', PATTERN);

  // One after the other through one codec: each changes what the previous entry was made of.
  const slots: Slot[] = [
    slot(),
    slot({ at: 1767225600001, durationMs: 7.005 }),
    slot({ state: null }),
    slot({ status: 429, state: null }),
    slot({ principal: null }),
    slot({ principal: 'quote"and\\backslash\u0001' }),
    slot({ fault: 'delay' }),
    slot({ method: 'HEAD' }),
    slot({ clusterName: 'Clüster "0"' }),
    slot({ exportId: 'abc' }),
    slot({ groupId: '6650a0c1f1d2e3a4b5c6d7e2' }),
    slot({ at: 0, durationMs: 0 }),
    slot(),
    slot(),
  ];

  it('is the JSON of the whole entry, whatever changed since the previous one', () => {
    for (const s of slots) expect(codec.encode(s)).toBe(shortJson(s));
  });

  it('reads back as it was written (the duration in hundredths)', () => {
    slots.forEach((s, i) => {
      const { seq, ...read } = codec.decode(JSON.parse(codec.encode(s)), i + 1);
      expect(seq).toBe(i + 1);
      expect(read).toEqual({ ...s, durationMs: Math.round(s.durationMs * 100) / 100 });
    });
  });

  it('a duration that is not a finite number is written as JSON writes it', () => {
    const s = slot({ durationMs: Number.NaN });
    expect(codec.encode(s)).toBe(shortJson(s));
    expect(JSON.parse(codec.encode(s))[7]).toBeNull();
  });

  it('a URL that is not the route filled with its ids keeps the full form, right after a short entry of that URL too', () => {
    for (const s of [{ ...slot(), url: `${slot().url}?pretty=true` }, { ...slot(), exportId: 'other' }, { ...slot(), url: `${slot().url}/` }]) {
      expect(codec.encode(slot())).toBe(shortJson(slot()));
      const written = JSON.parse(codec.encode(s));
      expect(written).toHaveLength(14);
      const { seq: _, ...read } = codec.decode(written, 1);
      expect(read).toEqual({ ...s, durationMs: Math.round(s.durationMs * 100) / 100 });
    }
  });
});
