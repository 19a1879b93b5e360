/**
 * The processes of a real-cluster run: each component runs as a child with its output in its own log
 * file, and the run is registered in `<cache>/real-cluster/runs/<launcher pid>.json` so that a later
 * start can clean up after a launcher that was SIGKILLed (its children would otherwise hold ports and
 * files). Contract: `reapLeftovers()` kills only processes whose command line is a binary of the rig's
 * cache, belonging to runs whose launcher is gone, and removes those runs' temporary folders.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cacheRoot } from './binaries';

/** A started component. */
export interface Component {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit description when the process ends. */
  exited: Promise<string>;
  /** True once it has exited. */
  isDead(): boolean;
}

/** Spawns `bin args` with stdout and stderr appended to `<logDir>/<name>.log`. */
export function startComponent(name: string, bin: string, args: readonly string[], logDir: string): Component {
  const logFile = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd], detached: false });
  fs.closeSync(fd);
  let dead = false;
  const exited = new Promise<string>((resolve) => {
    child.on('error', (e) => {
      dead = true;
      resolve(`could not start (${e.message})`);
    });
    child.on('exit', (code, signal) => {
      dead = true;
      resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`);
    });
  });
  return { name, child, logFile, exited, isDead: () => dead };
}

/** Stops components in reverse start order: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopComponents(components: readonly Component[], graceMs = 5000): Promise<void> {
  for (const c of [...components].reverse()) {
    if (c.isDead()) continue;
    c.child.kill('SIGTERM');
    const timer = setTimeout(() => c.child.kill('SIGKILL'), graceMs);
    await c.exited;
    clearTimeout(timer);
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Rejects with a message naming `part` when 127.0.0.1:`port` is taken. */
export function assertPortFree(port: number, part: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `${part}: port ${port} on 127.0.0.1 is already in use; stop what listens there or pass another --port`
            : `${part}: cannot listen on 127.0.0.1:${port} (${e.message})`,
        ),
      ),
    );
    s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
  });
}

/** What a run records about itself for leftover cleanup. */
export interface RunRecord {
  launcherPid: number;
  dir: string;
  pids: number[];
}

function runsDir(): string {
  return path.join(cacheRoot(), 'real-cluster', 'runs');
}

/** Writes (or rewrites) this launcher's run record. */
export function recordRun(r: RunRecord): string {
  fs.mkdirSync(runsDir(), { recursive: true });
  const file = path.join(runsDir(), `${r.launcherPid}.json`);
  fs.writeFileSync(file, JSON.stringify(r));
  return file;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True while `pid` runs. A zombie (dead, not yet reaped) has released its ports and files once its
 * last thread is gone: a multi-threaded Go process shows state Z while its other threads still exit.
 */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat) || fs.readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * Cleans up after runs whose launcher no longer exists: kills their component processes (only if
 * the process still runs a binary from the rig's cache) and deletes their folders. Returns how many
 * processes it killed.
 */
export function reapLeftovers(): number {
  if (!fs.existsSync(runsDir())) return 0;
  const binRoot = path.join(cacheRoot(), 'real-cluster');
  const killed: number[] = [];
  for (const f of fs.readdirSync(runsDir())) {
    const file = path.join(runsDir(), f);
    let r: RunRecord;
    try {
      r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
    } catch {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (r.launcherPid !== process.pid && alive(r.launcherPid) && cmdline(r.launcherPid).includes('node')) continue;
    for (const pid of r.pids) {
      if (alive(pid) && cmdline(pid).startsWith(binRoot)) {
        try {
          process.kill(pid, 'SIGKILL');
          killed.push(pid);
        } catch {
          // already gone
        }
      }
    }
    fs.rmSync(r.dir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
  // SIGKILL is delivered asynchronously: wait (up to 10 s) until the ports are free again.
  const until = Date.now() + 10_000;
  while (killed.some(running) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  return killed.length;
}
