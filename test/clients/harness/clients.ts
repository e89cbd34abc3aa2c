/**
 * Where the official clients are (Atlas CLI, OpenTofu, the MongoDB Atlas Terraform provider). They are not
 * npm packages: `../shared/tools/real-clients.sh` unpacks them from `../shared/clients` and prints
 * `export ATLAS_CLI=… TOFU=… TF_PROVIDER_DIR=…`. The suite takes the first of these that is set, and only
 * that one (a wrong setting fails rather than falling back to something else):
 *   1. ATLAS_CLI, TOFU and TF_PROVIDER_DIR from the environment (after `eval "$(bash …/real-clients.sh)"`);
 *   2. the script named by ATLAS_REAL_CLIENTS;
 *   3. ../shared/tools/real-clients.sh beside the repository.
 * When none works the suite fails (it never skips): `npm run test:clients` exists to prove the mock works
 * with these programs, and a run without them proves nothing.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../../helpers/cli.js';

export interface RealClients {
  atlasCli: string;
  tofu: string;
  /** The folder holding terraform-provider-mongodbatlas (a dev_overrides target). */
  providerDir: string;
  /** Where they came from, for messages. */
  source: string;
}

export type ClientsLookup = { ok: true; clients: RealClients } | { ok: false; reason: string };

const DEFAULT_SCRIPT = resolve(ROOT, '../shared/tools/real-clients.sh');

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function check(c: Omit<RealClients, 'source'>, source: string): ClientsLookup {
  const missing = [
    !executable(c.atlasCli) && `ATLAS_CLI=${c.atlasCli} is not an executable file`,
    !executable(c.tofu) && `TOFU=${c.tofu} is not an executable file`,
    !executable(join(c.providerDir, 'terraform-provider-mongodbatlas')) &&
      `TF_PROVIDER_DIR=${c.providerDir} holds no executable terraform-provider-mongodbatlas`,
  ].filter((x): x is string => typeof x === 'string');
  return missing.length ? { ok: false, reason: `${source}: ${missing.join('; ')}` } : { ok: true, clients: { ...c, source } };
}

/** Runs the unpacking script and reads the three `export NAME='value'` lines it prints. */
function fromScript(script: string): ClientsLookup {
  let out: string;
  try {
    out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (e) {
    const err = e as { status?: number; stderr?: string };
    return { ok: false, reason: `${script} failed (exit ${err.status ?? '?'}): ${(err.stderr ?? String(e)).trim()}` };
  }
  const vars = Object.fromEntries([...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]));
  if (!vars.ATLAS_CLI || !vars.TOFU || !vars.TF_PROVIDER_DIR) return { ok: false, reason: `${script} did not print ATLAS_CLI, TOFU and TF_PROVIDER_DIR:\n${out}` };
  return check({ atlasCli: vars.ATLAS_CLI, tofu: vars.TOFU, providerDir: vars.TF_PROVIDER_DIR }, script);
}

export function findRealClients(env: NodeJS.ProcessEnv = process.env): ClientsLookup {
  let found: ClientsLookup;
  if (env.ATLAS_CLI || env.TOFU || env.TF_PROVIDER_DIR) {
    found = check({ atlasCli: env.ATLAS_CLI ?? '', tofu: env.TOFU ?? '', providerDir: env.TF_PROVIDER_DIR ?? '' }, 'ATLAS_CLI/TOFU/TF_PROVIDER_DIR');
  } else {
    const script = env.ATLAS_REAL_CLIENTS || DEFAULT_SCRIPT;
    found = existsSync(script) ? fromScript(script) : { ok: false, reason: `${script}: no such file` };
  }
  return found.ok ? found : { ok: false, reason: explainMissing(found.reason) };
}

function explainMissing(why: string): string {
  return [
    'The real-clients suite needs the official Atlas CLI (1.46.4), OpenTofu (1.10.10) and the MongoDB Atlas',
    'Terraform provider (2.9.0), built unmodified from their public sources, and did not find them:',
    `  ${why}`,
    'Get them with one of:',
    '  eval "$(bash ../shared/tools/real-clients.sh)"   # sets ATLAS_CLI, TOFU, TF_PROVIDER_DIR, then npm run test:clients',
    '  ATLAS_REAL_CLIENTS=/path/to/real-clients.sh npm run test:clients',
    '(../shared/clients/README.md says where the archives come from.) `npm test` does not need them.',
  ].join('\n');
}
