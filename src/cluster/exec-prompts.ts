/**
 * Surfaces what exec credential plugins print on stderr while they run (device codes, login URLs),
 * so the user sees the prompt instead of a silent hang (vscode-kubernetes-tools PR #1795).
 *
 * client-node's `ExecAuth` spawns the plugin itself and only keeps stderr for its error message; this
 * wraps its `execFn` on one `KubeConfig` to tee stderr to a listener. Stdout (which carries the
 * credential) is never read here. Contract: a no-op if client-node's internals change shape.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';

type ExecFn = (command: string, args: readonly string[], opts: object) => ChildProcess;

/** Calls `listener` with each stderr chunk of any exec plugin `kc` runs. Returns false when it could not hook in. */
export function onExecPluginStderr(kc: KubeConfig, listener: (text: string, command: string) => void): boolean {
  const auths = (kc as unknown as { authenticators?: { execFn?: ExecFn }[] }).authenticators;
  const exec = auths?.find((a) => typeof a.execFn === 'function');
  if (exec === undefined) return false;
  exec.execFn = (command, args, opts) => {
    const child = spawn(command, [...(args ?? [])], opts);
    child.stderr?.on('data', (d: Buffer | string) => listener(String(d), command));
    return child;
  };
  return true;
}
