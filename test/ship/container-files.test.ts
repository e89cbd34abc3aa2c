/**
 * The Dockerfile, .dockerignore and docker-compose.yml, checked without a container engine (none runs here;
 * `.ci/run` builds and probes the image with ../shared/tools/container-check.sh): the names they use must be
 * the mock's own (variables of src/cli/flags.ts, the health route, the credentials of the default dataset),
 * and the compose file must be what `docker compose` expects for a sidecar the client waits for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { FLAGS, parseArgs } from '../../src/cli/flags.js';
import { ROOT } from '../helpers/cli.js';
import { testMock } from '../helpers/mock.js';

const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
const FLAG_VARS = new Set(FLAGS.flatMap((f) => f.env));

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions (continuation lines joined, comments dropped), with the index of their stage. */
function dockerfile(): Instruction[] {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const out: Instruction[] = [];
  let stage = -1;
  for (const line of lines.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = m[1]!.toUpperCase();
    if (op === 'FROM') stage++;
    out.push({ op, args: m[2]!.trim(), stage });
  }
  return out;
}

/** `ENV A=1 B=2` (or the old `ENV A 1`) as pairs. */
function envPairs(args: string): [string, string][] {
  if (!args.includes('=')) {
    const [k, ...v] = args.split(/\s+/);
    return [[k!, v.join(' ')]];
  }
  return [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')]);
}

describe('Dockerfile', () => {
  const ins = dockerfile();
  const last = Math.max(...ins.map((i) => i.stage));
  const final = ins.filter((i) => i.stage === last);

  it('is multi-stage on node:24-bookworm-slim only, with production dependencies only in the runtime', () => {
    const froms = ins.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(new Set(froms)).toEqual(new Set(['node:24-bookworm-slim']));
    const npmCi = ins.filter((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    // node_modules of the runtime come from a stage whose npm ci omits the dev dependencies.
    const copied = final.find((i) => i.op === 'COPY' && /\/app\/node_modules/.test(i.args));
    const from = /--from=(\S+)/.exec(copied?.args ?? '')?.[1];
    const fromStage = ins.find((i) => i.op === 'FROM' && new RegExp(`\\sAS\\s+${from}$`, 'i').test(i.args))?.stage;
    expect(npmCi.filter((i) => i.stage === fromStage).map((i) => /--omit=dev/.test(i.args) && /--ignore-scripts/.test(i.args))).toEqual([true]);
    expect(final.some((i) => i.op === 'RUN')).toBe(false); // nothing is installed or built in the runtime stage
  });

  it('runs as node, listens on 0.0.0.0:8080, fixtures at /fixtures, with variables the CLI reads', () => {
    expect(final.filter((i) => i.op === 'USER').map((i) => i.args)).toEqual(['node']);
    const env = Object.fromEntries(final.filter((i) => i.op === 'ENV').flatMap((i) => envPairs(i.args)));
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', ATLAS_MOCK_FIXTURES: '/fixtures', ATLAS_MOCK_EXPORT_DIR: '/exports' });
    for (const name of Object.keys(env).filter((n) => n !== 'NODE_ENV')) expect(FLAG_VARS, name).toContain(name);
    const config = parseArgs([], env);
    expect([config.host, config.port, config.app.fixtures, config.app.exportFiles?.dir]).toEqual(['0.0.0.0', 8080, '/fixtures', '/exports']);
    // The export folder exists and belongs to node (no RUN here): a volume mounted on it is writable by the mock.
    expect(final.some((i) => i.op === 'COPY' && /^--from=\S+\s+--chown=node:node\s+\S+\s+\/exports\/?$/.test(i.args))).toBe(true);
    expect(final.filter((i) => i.op === 'EXPOSE').map((i) => i.args)).toEqual(['8080']);
    // The bundled dataset is what /fixtures holds when nothing is mounted there.
    expect(final.some((i) => i.op === 'COPY' && /^fixtures\/default\s+\/fixtures\/?$/.test(i.args))).toBe(true);
  });

  it('starts the CLI without a shell (signals reach Node) and checks health through Node on /__mock/health', async () => {
    const entry = final.find((i) => i.op === 'ENTRYPOINT')!;
    expect(JSON.parse(entry.args)).toEqual(['node', 'dist/cli.js']);
    expect(existsSync(join(ROOT, 'src/cli.ts'))).toBe(true);
    const hc = final.find((i) => i.op === 'HEALTHCHECK')!;
    // container-check.sh runs the command inside single quotes: none may appear in it.
    expect(hc.args).not.toContain("'");
    const cmd = JSON.parse(hc.args.slice(hc.args.indexOf('CMD') + 3).trim()) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', 'dist/healthcheck.js']);
    expect(existsSync(join(ROOT, 'src/healthcheck.ts'))).toBe(true);
    const path = cmd[2] ?? '/__mock/health';
    expect(path).toBe('/__mock/health');
    const mock = testMock();
    const res = await mock.app.inject({ url: path }); // no credentials: the health page is open
    expect(res.statusCode).toBe(200);
    await mock.app.close();
  });

  it('.dockerignore keeps the context to what the COPY lines read', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const sources = ins
      .filter((i) => i.op === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const source of new Set(sources)) {
      // Let in as a whole folder (`!src/`) or as the one file (`!scripts/bundle-cli.mjs`).
      const top = source.split('/')[0]!;
      expect(ignore.some((l) => l === `!${source}` || l === `!${top}` || l === `!${top}/`), source).toBe(true);
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
    for (const never of ['node_modules', 'dist', 'test', '.git']) expect(ignore).not.toContain(`!${never}`);
  });
});

describe('docker-compose.yml', () => {
  const doc = parseDocument(read('docker-compose.yml'), { uniqueKeys: true, prettyErrors: true });
  const compose = doc.toJS() as {
    services: Record<
      string,
      {
        build?: string;
        image?: string;
        environment?: Record<string, string>;
        healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
        depends_on?: Record<string, { condition: string }>;
        ports?: string[];
        volumes?: string[];
      }
    >;
  };
  const mock = compose.services?.['atlas-mock'];
  const client = compose.services?.client;
  const principals = JSON.parse(read('fixtures/default/principals.json')) as {
    apiKeys: { publicKey: string; privateKey: string; projects: { groupId: string; roles: string[] }[] }[];
    serviceAccounts: { clientId: string; clientSecret: string; projects: { groupId: string; roles: string[] }[] }[];
  };

  it('parses as YAML with the mock sidecar and a client service', () => {
    expect(doc.errors).toEqual([]);
    expect(Object.keys(compose.services).sort()).toEqual(['atlas-mock', 'client']);
    expect(mock?.build).toBe('.');
  });

  it('gives the mock a healthcheck through Node, and the client waits for service_healthy', () => {
    expect(mock?.healthcheck?.test).toEqual(['CMD', 'node', 'dist/healthcheck.js', '/__mock/health']);
    for (const d of [mock!.healthcheck!.interval, mock!.healthcheck!.timeout, mock!.healthcheck!.start_period]) expect(d).toMatch(/^\d+(ms|s|m)$/);
    expect(mock?.healthcheck?.retries).toBeGreaterThan(0);
    expect(client?.depends_on).toEqual({ 'atlas-mock': { condition: 'service_healthy' } });
  });

  it('sets the mock only through variables the CLI knows, with values it accepts', () => {
    const env = mock!.environment!;
    for (const name of Object.keys(env)) expect(FLAG_VARS, name).toContain(name);
    const config = parseArgs([], { HOST: '0.0.0.0', PORT: '8080', ...env });
    expect(config.clock.mode).toBe('manual');
    expect(config.app.adminToken).toBe(env.ATLAS_MOCK_ADMIN_TOKEN);
    expect(mock!.ports).toEqual(['8080:8080']);
  });

  it('gives the client the base URLs and credentials of the default dataset', () => {
    const env = client!.environment!;
    for (const name of ['MOCK_URL', 'MONGODB_ATLAS_BASE_URL', 'MONGODB_ATLAS_OPS_MANAGER_URL']) expect(env[name], name).toMatch(/^http:\/\/atlas-mock:8080\/?$/);
    const project = env.MONGODB_ATLAS_PROJECT_ID;
    const owns = (p: { projects: { groupId: string; roles: string[] }[] }) => p.projects.some((g) => g.groupId === project && g.roles.includes('Project Owner'));
    for (const [pub, priv] of [
      ['MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PRIVATE_KEY'],
      ['MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY'],
    ] as const) {
      const key = principals.apiKeys.find((k) => k.publicKey === env[pub]);
      expect(key && key.privateKey === env[priv] && owns(key), pub).toBe(true);
    }
    const sa = principals.serviceAccounts.find((s) => s.clientId === env.MONGODB_ATLAS_CLIENT_ID);
    expect(sa && sa.clientSecret === env.MONGODB_ATLAS_CLIENT_SECRET && owns(sa)).toBe(true);
    expect(env.MOCK_ADMIN_TOKEN).toBe(mock!.environment!.ATLAS_MOCK_ADMIN_TOKEN);
    // The client mounts the Go suite, whose go.mod names the Go it needs.
    const goVersion = /^go (\d+\.\d+)/m.exec(read('test/interop/go/go.mod'))?.[1];
    expect(client!.image).toBe(`golang:${goVersion}-bookworm`);
    expect(client!.volumes).toEqual(['./test/interop/go:/src:ro']);
  });
});

describe('the documentation: Docker and Clients', () => {
  it('docs/docker.md names every variable of the CLI, and the mount path and health route the image uses', () => {
    const text = read('docs/docker.md');
    // A feature with a page of its own names its variables in that page's Docker section (export files).
    const pages = section(read('docs/export-files.md'), '## Docker');
    for (const name of FLAG_VARS) expect(text + pages, name).toContain(`\`${name}\``);
    expect(text).toContain('/fixtures');
    expect(text).toContain('/__mock/health');
  });

  it('the README and docs/ show only the Go SDK module the interop suite uses', () => {
    const sdk = /^\s*(?:require\s+)?(go\.mongodb\.org\/atlas-sdk\/v\d+)\s+v/m.exec(read('test/interop/go/go.mod'))?.[1];
    expect(sdk).toBeDefined();
    const text = [read('README.md'), ...readdirSync(join(ROOT, 'docs')).map((f) => read(`docs/${f}`))].join('\n');
    const named = new Set(text.match(/go\.mongodb\.org\/atlas-sdk\/v\d+/g));
    expect(named).toEqual(new Set([sdk]));
  });
});

/** The part of a Markdown text under `heading`, up to the next heading of the same level. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `${heading} is missing`).toBeGreaterThan(-1);
  const level = heading.split(' ')[0]!;
  const next = text.indexOf(`\n${level} `, start + heading.length + 1);
  return text.slice(start, next === -1 ? undefined : next);
}

describe('docker-compose.replicas.yml', () => {
  const doc = parseDocument(read('docker-compose.replicas.yml'), { uniqueKeys: true, prettyErrors: true, merge: true });
  const compose = doc.toJS({ maxAliasCount: 100 }) as {
    services: Record<string, { image?: string; environment?: Record<string, string>; volumes?: string[]; depends_on?: Record<string, { condition: string }> }>;
    volumes?: Record<string, unknown>;
  };
  const replicas = Object.entries(compose.services ?? {}).filter(([, s]) => s.environment?.ATLAS_MOCK_STORE);

  it('runs three replicas of one world on Redis, behind the load balancer, with variables the CLI knows', () => {
    expect(doc.errors).toEqual([]);
    expect(replicas.map(([name]) => name).sort()).toEqual(['atlas-mock-1', 'atlas-mock-2', 'atlas-mock-3']);
    for (const [name, s] of replicas) {
      for (const v of Object.keys(s.environment!)) expect(FLAG_VARS, `${name}: ${v}`).toContain(v);
      const config = parseArgs([], { HOST: '0.0.0.0', PORT: '8080', ...s.environment });
      expect(config.app.store, name).toBe('redis://redis:6379/0');
    }
    expect(Object.keys(compose.services.lb!.depends_on!).sort()).toEqual(replicas.map(([name]) => name).sort());
  });

  it('gives every replica the same export folder, on one named volume: the writer may be any of them', () => {
    const mounts = replicas.map(([, s]) => {
      const dir = s.environment!.ATLAS_MOCK_EXPORT_DIR;
      const volume = (s.volumes ?? []).map((v) => v.split(':')).find(([, target]) => target === dir)?.[0];
      return `${volume}:${dir}`;
    });
    expect(new Set(mounts).size).toBe(1);
    const [volume, dir] = mounts[0]!.split(':');
    expect(dir).toBe('/exports');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });
});
