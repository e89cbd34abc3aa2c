/**
 * Runs once before the real-clients suite: finds the clients (unpacking them with real-clients.sh when
 * needed, which checks their sha256) and checks the mock is built. Nothing here throws: a missing client
 * makes every test fail with the explanation (harness/clients.ts), so the report counts the failures.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { CLI } from '../helpers/cli.js';
import { findRealClients } from './harness/clients.js';

export default function setup(project: TestProject): void {
  const found = findRealClients();
  if (found.ok) {
    console.log(`real clients: ${found.clients.source}\n  atlas ${found.clients.atlasCli}\n  tofu ${found.clients.tofu}\n  provider ${found.clients.providerDir}`);
  } else {
    console.error(found.reason);
  }
  if (!existsSync(CLI)) console.error(`${CLI} is missing: \`npm run test:clients\` builds it first (npm run build).`);
  project.provide('realClients', found);
}
