/**
 * The container log of the real cluster: kwok runs no containers, so every container of every pod
 * shows one log file that the launcher writes, in the CRI log format a container runtime writes
 * (`<RFC 3339 time> stdout F <text>`), which kwok's kubelet server reads like a kubelet does
 * (k8s.io/cri-client's ReadLogs: timestamps, tailLines, limitBytes, follow through fsnotify).
 *
 * Contract of `startContainerLog(file)`:
 * - before it returns, `file` holds a few lines stamped with the current time;
 * - while running, it appends `heartbeat N` every `intervalMs` (default 1 s), so a follower sees new
 *   lines, as the simulated cluster's synthetic log does;
 * - `clusterLogs()` is the kwok ClusterLogs document (kwok.x-k8s.io/v1alpha1, in kwok's `--config`)
 *   that maps every container of every pod to `file`;
 * - `stop()` stops appending (the file stays until the cluster's folder is removed).
 */
import fs from 'node:fs';
import path from 'node:path';

/** A running container-log writer. */
export interface ContainerLog {
  file: string;
  /** The kwok ClusterLogs document (YAML) that points every container at `file`. */
  clusterLogs(): string;
  stop(): void;
}

/** `t` as a container runtime stamps a line: RFC 3339 in UTC with nine fraction digits. */
function runtimeTime(t: Date): string {
  return `${t.toISOString().slice(0, 23)}000000Z`;
}

/** One line of a CRI container log file (stdout, full line). */
function criLine(t: Date, text: string): string {
  return `${runtimeTime(t)} stdout F ${text}\n`;
}

/** Writes the first lines of `file` and starts appending; see the file comment. */
export function startContainerLog(file: string, opts: { intervalMs?: number } = {}): ContainerLog {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const now = new Date();
  fs.writeFileSync(
    file,
    criLine(now, 'container log of the real cluster (test/real-cluster): every container shows this file') +
      criLine(now, 'served by kwok from a ClusterLogs rule') +
      criLine(now, 'ready'),
  );
  let n = 0;
  const timer = setInterval(() => {
    try {
      fs.appendFileSync(file, criLine(new Date(), `heartbeat ${++n}`));
    } catch {
      // The folder is gone (the cluster is stopping).
    }
  }, opts.intervalMs ?? 1000);
  timer.unref();
  return {
    file,
    clusterLogs: () =>
      [
        'apiVersion: kwok.x-k8s.io/v1alpha1',
        'kind: ClusterLogs',
        'metadata:',
        '  name: every-container',
        'spec:',
        '  logs:',
        `    - logsFile: ${JSON.stringify(file)}`,
        '      follow: true',
        '',
      ].join('\n'),
    stop: () => clearInterval(timer),
  };
}
