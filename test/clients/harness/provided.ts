/** The clients found once by the global setup (global-setup.ts), read in each test file. */
import { inject } from 'vitest';
import type { ClientsLookup, RealClients } from './clients.js';

declare module 'vitest' {
  export interface ProvidedContext {
    realClients: ClientsLookup;
  }
}

/** The clients, or an error that explains how to get them (every test that needs them fails with it). */
export function realClients(): RealClients {
  const found = inject('realClients');
  if (!found.ok) throw new Error(found.reason);
  return found.clients;
}
