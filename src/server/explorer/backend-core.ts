/**
 * What the parts of a `KubeClusterBackend` share: how it was reached ({@link BackendOptions}), the
 * current session and its watch caches (both replaced together on Re-authenticate or a kubeconfig
 * change, so parts read them through {@link BackendCore} on every use, never keep them), and the wait
 * for a cache's first list.
 */
import type { ClusterSession } from '../../cluster/cluster-session';
import type { ClusterSource } from '../../shared/protocol';
import type { ClusterData, KindSource } from './cluster-data';
import type { ContextEntry } from './tree-source';

/** How the backend was reached and how to rebuild its session (Re-authenticate, kubeconfig changes). */
export interface BackendOptions {
  source: ClusterSource;
  context: string;
  server: string;
  namespaces: readonly string[];
  /** Builds a fresh session (re-reading credentials). */
  makeSession: () => Promise<ClusterSession>;
  /** The contexts the root lists. */
  contexts: () => readonly ContextEntry[];
  /** Milliseconds between health checks (0: only on demand). */
  healthIntervalMs?: number;
  /** The kubeconfig context's namespace: where documents without one go when no namespace is chosen. */
  contextNamespace?: string | undefined;
  /** Called on dispose (stop watchers, the simulator...). */
  onDispose?: () => void;
  /** The cluster's name for the user when not the context name (`ClusterStatus.label`). */
  label?: string;
}

/** The backend's current session and caches, as its parts see them. */
export interface BackendCore {
  readonly opts: BackendOptions;
  /** The current session (replaced on Re-authenticate and kubeconfig changes). */
  readonly session: ClusterSession;
  /** The current session's caches. */
  readonly data: ClusterData;
}

/** Resolves when the source of `data` synced or reached a failure state (forbidden, unauthorized, unreachable). */
export function settled(data: ClusterData, s: KindSource): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const st = s.state.state;
      return st === 'synced' || st === 'forbidden' || st === 'unauthorized' || st === 'unreachable';
    };
    if (check()) return resolve();
    const off = data.onDidChangeState(() => {
      if (check()) {
        off();
        resolve();
      }
    });
    void s.whenSynced().then(() => {
      off();
      resolve();
    });
  });
}

/** Waits for `work`, or `ms` milliseconds, whichever comes first (the timer never keeps the process alive). */
export async function within(work: Promise<unknown>, ms: number): Promise<void> {
  await Promise.race([work, new Promise((r) => setTimeout(r, ms).unref())]);
}
