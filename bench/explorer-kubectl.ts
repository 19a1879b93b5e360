/**
 * The explorer benchmark's kubectl side by side: `kubectl get pods -A -o json` (and the table,
 * `kubectl get pods -A`, which kubectl prints page by page) against the same cluster, its own
 * `--cache-dir` per run. kubectl prints one JSON List, which at 150,000 pods is over
 * V8's 512 MB string limit, so its stdout goes straight to a file (a file descriptor, never a pipe
 * into this process) and only the file's size and its pods (a streamed count of `"kind": "Pod"`
 * lines) are read back.
 *
 * Contract: `runKubectl` never throws for kubectl's own failure: it returns `{ error }` with kubectl's
 * stderr tail, or, when kubectl's resident memory passes `maxRssMb` (kubectl decodes the whole list
 * before printing it), kills that kubectl (only it) and says so, so the benchmark and the machine survive.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface KubectlRun {
  ms?: number;
  bytes?: number;
  pods?: number;
  peakRssMb: number;
  error?: string;
}

function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Counts `needle` in a file, reading it in chunks (pods: `"kind": "Pod"` in JSON, lines in a table). */
function countIn(file: string, needle: string): number {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(8 << 20);
  let count = 0;
  let carry = '';
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = carry + buf.subarray(0, n).toString('latin1');
      for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
      carry = text.slice(-needle.length + 1);
    }
  } finally {
    fs.closeSync(fd);
  }
  return count;
}

/**
 * One `kubectl get pods -A -o json` (`table`: `kubectl get pods -A --no-headers`) into `dir`/kubectl.out
 * (removed afterwards).
 */
export async function runKubectl(
  kubeconfig: string,
  dir: string,
  maxRssMb: number,
  table = false,
): Promise<KubectlRun> {
  const cacheDir = fs.mkdtempSync(path.join(dir, 'kubectl-cache-'));
  const out = path.join(dir, 'kubectl.out');
  const fd = fs.openSync(out, 'w');
  let peakRssMb = 0;
  let killed = false;
  let stderr = '';
  const a = performance.now();
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        'kubectl',
        [
          'get',
          'pods',
          '-A',
          ...(table ? ['--no-headers'] : ['-o', 'json']),
          '--kubeconfig',
          kubeconfig,
          '--cache-dir',
          cacheDir,
        ],
        { stdio: ['ignore', fd, 'pipe'] },
      );
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
      const watch = setInterval(() => {
        peakRssMb = Math.max(peakRssMb, rssMb(child.pid!));
        if (peakRssMb > maxRssMb && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }, 100);
      child.on('error', (e) => {
        clearInterval(watch);
        reject(e);
      });
      child.on('exit', (c) => {
        clearInterval(watch);
        resolve(c);
      });
    });
    const ms = performance.now() - a;
    const peak = Math.round(peakRssMb);
    if (killed) return { peakRssMb: peak, error: `kubectl passed ${maxRssMb} MB of resident memory and was stopped` };
    if (code !== 0)
      return { peakRssMb: peak, error: `kubectl failed: ${stderr.trim().split('\n').slice(-3).join(' ')}` };
    return { ms, bytes: fs.statSync(out).size, pods: countIn(out, table ? '\n' : '"kind": "Pod"'), peakRssMb: peak };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(out, { force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}
