/**
 * `it` with a fresh World (mock + recorder) and an Atlas CLI for each test, torn down after it. A test that
 * needs the clients fails here, with the explanation, when they are missing.
 */
import { test as base } from 'vitest';
import { atlasCli, type AtlasCli } from './atlas-cli.js';
import { realClients } from './provided.js';
import { startWorld, type World } from './world.js';

export const it = base.extend<{ world: World; cli: AtlasCli }>({
  // eslint-disable-next-line no-empty-pattern
  world: async ({}, use) => {
    realClients();
    const world = await startWorld();
    try {
      await use(world);
    } finally {
      await world.stop();
    }
  },
  cli: async ({ world }, use) => {
    const cli = atlasCli(world);
    try {
      await use(cli);
    } finally {
      cli.dispose();
    }
  },
});
