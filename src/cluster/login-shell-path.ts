/**
 * The PATH of the user's login shell, so that exec credential plugins (aws, gke-gcloud-auth-plugin,
 * kubelogin, oidc-login) are found even when the editor was started from a desktop launcher
 * whose PATH lacks them (vscode-kubernetes-tools #1000).
 *
 * Contract: resolves within `timeoutMs` to the login shell's PATH, or to the current PATH when
 * the shell cannot tell (Windows, no SHELL, a shell that hangs or prints junk). Never throws.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

const MARKER = '__KUBE_FORECAST_PATH__';

export function loginShellPath(env: NodeJS.ProcessEnv = process.env, timeoutMs = 3000): Promise<string> {
  const current = env['PATH'] ?? '';
  const shell = env['SHELL'];
  if (process.platform === 'win32' || !shell) return Promise.resolve(current);
  return new Promise((resolve) => {
    execFile(
      shell,
      ['-l', '-i', '-c', `printf '%s%s%s' ${MARKER} "$PATH" ${MARKER}`],
      { timeout: timeoutMs, env: { ...env }, encoding: 'utf8' },
      (err, stdout) => {
        const m = typeof stdout === 'string' ? stdout.split(MARKER) : [];
        const found = m.length >= 3 ? m[1]! : '';
        resolve(err && !found ? current : mergePaths(found, current));
      },
    );
  });
}

/** The login PATH first, then any entries only the current PATH has; no duplicates. */
export function mergePaths(login: string, current: string): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of [...login.split(path.delimiter), ...current.split(path.delimiter)]) {
    if (p && !seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  }
  return out.join(path.delimiter);
}
