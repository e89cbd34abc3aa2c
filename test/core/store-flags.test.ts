/** `--store` / `--store-prefix` (docs/shared-service.md): parsing, and the combinations refused before start. */
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/flags.js';
import { buildApp } from '../../src/app.js';

describe('--store and --store-prefix', () => {
  it('take a redis:// or rediss:// URL, from the flag or ATLAS_MOCK_STORE; memory is the default', () => {
    expect(parseArgs([], {}).app.store).toBeUndefined();
    expect(parseArgs(['--store', 'redis://u:p@127.0.0.1:6379/2', '--store-prefix', 'team-a'], {}).app).toMatchObject({ store: 'redis://u:p@127.0.0.1:6379/2', storePrefix: 'team-a' });
    expect(parseArgs([], { ATLAS_MOCK_STORE: 'rediss://cache.example:6380/0' }).app.store).toBe('rediss://cache.example:6380/0');
    expect(parseArgs(['--store', 'memory'], { ATLAS_MOCK_STORE: 'redis://x:1/0' }).app.store).toBeUndefined();
  });

  it('refuse anything else, without printing a password', () => {
    expect(() => parseArgs(['--store', 'http://u:secret@host/0'], {})).toThrow(UsageError);
    expect(() => parseArgs(['--store', 'http://u:secret@host/0'], {})).toThrow(/\*\*\*@host/);
    expect(() => parseArgs(['--store', 'redis://h:1/0', '--store-prefix', 'a b'], {})).toThrow(/--store-prefix/);
  });

  it('--state-file is for the memory store: the two together are refused, saying what replaces it', () => {
    expect(() => parseArgs(['--store', 'redis://h:1/0', '--state-file', '/tmp/s.json'], {})).toThrow(/appendonly/);
    expect(() => buildApp({ store: 'redis://h:1/0', stateFile: '/tmp/s.json' })).toThrow(RangeError);
    expect(() => parseArgs(['--store-prefix', 'a'], {})).toThrow(/needs --store/);
  });
});
