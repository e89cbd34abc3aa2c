/**
 * The servers under test as child processes: spawned (optionally pinned to CPUs with `taskset`), their
 * spawn time kept for start-up measurements, their RSS and CPU time read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Server {
  child: ChildProcess;
  url: string;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  /** ms from spawn to the "listening on" line. */
  listeningMs: number;
  rssMiB(): number;
  /** User + system CPU time of the process so far, ms. */
  cpuMs(): number;
  /** SIGSTOP / SIGCONT: a paused server runs nothing, its garbage collector included. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** CPU placement: the servers on one CPU, the load generators on the others (when there are others). */
export interface Placement {
  /** `taskset -c` list of the servers, or undefined (no pinning). */
  server?: string;
  /** `taskset -c` list of the load generators, or undefined. */
  loader?: string;
  /** CPUs the load generator may use (wrk threads). */
  loaderCpus: number;
}

export function placement(pin: boolean): Placement {
  const n = cpus().length;
  const taskset = spawnSync('taskset', ['-V']).error === undefined;
  if (!pin || !taskset || n < 2) return { loaderCpus: Math.max(1, n - 1) };
  const loaderCpus = Math.min(n - 1, 4);
  return { server: '0', loader: loaderCpus === 1 ? '1' : `1-${loaderCpus}`, loaderCpus };
}

/** `[command, args]` run under `taskset -c cpus` when `cpus` is given. */
export function pinned(cpuList: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpuList === undefined ? [command, args] : ['taskset', ['-c', cpuList, command, ...args]];
}

const CLK_TCK = 100;

export function readCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are fields 14 and 15 of the line.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/** The machine's CPU time so far from /proc/stat, in clock ticks: all of it and the part stolen by the hypervisor. */
export function readMachineTicks(): { total: number; steal: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user and nice).
    return { total: f.slice(0, 8).reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return { total: 0, steal: 0 };
  }
}

export function readRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function startServer(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; cpus?: string; timeoutMs?: number; /** Keep the server's output in this file. */ logFile?: string } = {},
): Promise<Server> {
  const [cmd, argv] = pinned(opts.cpus, command, args);
  const spawnedAt = performance.now();
  const child = spawn(cmd, argv, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')}: no "listening on" line in ${opts.timeoutMs ?? 120_000} ms:\n${out}`)), opts.timeoutMs ?? 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code}):\n${out}`));
    });
  });
  const listeningMs = performance.now() - spawnedAt;
  // Keep draining the pipes so the server never blocks on a full one (into the log file when asked).
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  if (opts.logFile) {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    log.write(`$ ${command} ${args.join(' ')}\n${out}`);
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
  } else {
    child.stdout!.resume();
    child.stderr!.resume();
  }
  child.removeAllListeners('exit');
  const pid = child.pid!;
  return {
    child,
    url,
    spawnedAt,
    listeningMs,
    rssMiB: () => readRssMiB(pid),
    cpuMs: () => readCpuMs(pid),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
