/**
 * OpenTofu with the MongoDB Atlas provider against a World. Everything lives in a temp folder: the
 * configuration, the state, TF_DATA_DIR, the plugin cache and a CLI configuration whose dev_overrides
 * points the provider source at TF_PROVIDER_DIR (so no `init` and no registry). The provider's base_url is
 * the recorder. TF_LOG=DEBUG goes to a file kept next to the state, quoted in failure messages when short.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { failedExchanges } from './explain.js';
import { realClients } from './provided.js';
import type { Exchange } from './recorder.js';
import { CLIENT_KEY, startWorld, type World } from './world.js';

export interface TofuRun {
  command: string;
  code: number | null;
  output: string;
  exchanges: readonly Exchange[];
}

export interface Tofu {
  dir: string;
  apply(): Promise<TofuRun>;
  /** `plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error. */
  plan(): Promise<TofuRun>;
  destroy(): Promise<TofuRun>;
  /** `tofu output -json`, as name → value. */
  outputs(): Promise<Record<string, any>>;
  /** The resources of the state file (`tofu show -json`), by address. */
  resources(): Promise<Record<string, { values: Record<string, any> }>>;
  dispose(): void;
}

/** The provider block and required_providers every configuration starts with. */
export function providerBlock(world: World): string {
  return `terraform {
  required_providers {
    mongodbatlas = { source = "mongodb/mongodbatlas" }
  }
}

provider "mongodbatlas" {
  base_url    = "${world.url}/"
  public_key  = "${CLIENT_KEY.publicKey}"
  private_key = "${CLIENT_KEY.privateKey}"
}
`;
}

export function tofu(world: World, configuration: string): Tofu {
  const dir = mkdtempSync(join(tmpdir(), 'tofu-'));
  const home = join(dir, 'home');
  const cache = join(dir, 'plugin-cache');
  mkdirSync(home);
  mkdirSync(cache);
  const cliConfig = join(dir, 'cli.tfrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  dev_overrides { "mongodb/mongodbatlas" = "${realClients().providerDir}" }\n  direct {}\n}\nplugin_cache_dir = "${cache}"\n`,
  );
  const work = join(dir, 'config');
  mkdirSync(work);
  writeFileSync(join(work, 'main.tf'), providerBlock(world) + configuration);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_DATA_DIR: join(dir, 'data'),
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_INPUT: '0',
  };

  const run = (command: string, args: string[], timeoutMs: number): Promise<TofuRun> => {
    const from = world.exchanges().length;
    const log = join(dir, `${command}.log`);
    const child = spawn(realClients().tofu, [command, ...args, '-no-color'], {
      cwd: work,
      env: { ...env, TF_LOG: 'DEBUG', TF_LOG_PATH: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        output += `\n[test harness: tofu ${command} killed after ${timeoutMs} ms; debug log: ${log}]`;
        child.kill('SIGKILL');
      }, timeoutMs);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ command, code, output, exchanges: world.exchanges().slice(from) });
      });
    });
  };

  const json = async (args: string[]): Promise<any> => {
    const r = await run(args[0]!, [...args.slice(1), '-json'], 60_000);
    expect(r.code, r.output).toBe(0);
    return JSON.parse(r.output.replace(/^[^{]*/s, ''));
  };

  return {
    dir,
    apply: () => run('apply', ['-auto-approve', '-input=false'], 10 * 60_000),
    plan: () => run('plan', ['-detailed-exitcode', '-input=false'], 3 * 60_000),
    destroy: () => run('destroy', ['-auto-approve', '-input=false'], 5 * 60_000),
    async outputs() {
      const out = (await json(['output'])) as Record<string, { value: unknown }>;
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
    },
    async resources() {
      if (!existsSync(join(work, 'terraform.tfstate'))) return {};
      const shown = await json(['show']);
      const all = (shown.values?.root_module?.resources ?? []) as { address: string; values: Record<string, any> }[];
      return Object.fromEntries(all.map((r) => [r.address, r]));
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** What a failed tofu command printed (its Error blocks first) and the requests the mock refused. */
export function describeTofu(r: TofuRun): string {
  const errors = r.output.split(/\n(?=Error: )/).filter((b) => b.startsWith('Error: '));
  const tail = r.output.trim().split('\n').slice(-25).join('\n');
  return [
    `tofu ${r.command} → exit ${r.code}`,
    errors.length ? errors.map((e) => e.trim()).join('\n\n') : `output (end):\n${tail}`,
    failedExchanges(r.exchanges),
  ].join('\n');
}

/** The `Error:` blocks tofu printed about one resource address (e.g. `mongodbatlas_cloud_backup_snapshot.snap`). */
export function errorsAbout(r: TofuRun, address: string): string[] {
  return r.output
    .split(/\n(?=Error: )/)
    .filter((b) => b.startsWith('Error: ') && b.includes(`with ${address},`))
    .map((b) => b.trim());
}

export function readLog(t: Tofu, command: string): string {
  const p = join(t.dir, `${command}.log`);
  return existsSync(p) ? readFileSync(p, 'utf8') : '';
}

/** The command exited `code` (0 by default); the message quotes tofu's errors and the refused requests. */
export function expectTofu(r: TofuRun | undefined, code = 0): TofuRun {
  expect(r, 'the command did not run (an earlier step failed)').toBeDefined();
  expect(r!.code, describeTofu(r!)).toBe(code);
  return r!;
}

/**
 * One workspace and one mock for a whole test file (its tests are the steps of one lifecycle: apply, plan,
 * destroy, with checks in between), torn down after the file. A setup that fails (no clients, no mock) is
 * kept and thrown by every test, so each one fails with the reason (a failing hook would skip them).
 */
export function useTofu(configuration: (world: World) => string): { world(): World; tf(): Tofu } {
  let world: World | undefined;
  let tf: Tofu | undefined;
  let setupError: unknown;
  beforeAll(async () => {
    try {
      realClients();
      world = await startWorld();
      tf = tofu(world, configuration(world));
    } catch (e) {
      setupError = e;
    }
  });
  afterAll(async () => {
    tf?.dispose();
    await world?.stop();
  });
  const ready = () => {
    if (setupError !== undefined) throw setupError;
  };
  return {
    world: () => (ready(), world ?? expect.fail('no mock')),
    tf: () => (ready(), tf ?? expect.fail('no tofu workspace')),
  };
}
