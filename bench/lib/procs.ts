/** Starting the servers under test as child processes, timing their start-up, reading their RSS. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Server {
  child: ChildProcess;
  url: string;
  /** ms from spawn to the first 200 on `readyPath`. */
  startupMs: number;
  rssMiB(): number;
  stop(): Promise<void>;
}

export async function startServer(command: string, args: string[], readyPath: string, readyHeaders: Record<string, string>, env: Record<string, string> = {}): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = t0 + 120_000;
  let url = '';
  while (!url) {
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) url = m[1]!;
    else if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited:\n${out}`);
    else if (performance.now() > deadline) throw new Error(`no start-up line:\n${out}`);
    else await new Promise((r) => setTimeout(r, 2));
  }
  for (;;) {
    try {
      const res = await fetch(url + readyPath, { headers: readyHeaders });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not yet */
    }
    if (performance.now() > deadline) throw new Error(`no 200 on ${readyPath}:\n${out}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = performance.now() - t0;
  return {
    child,
    url,
    startupMs,
    rssMiB: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
