/**
 * Lists kubeconfig contexts for Choose Context, with kubectl's merge rules from `src/cluster/kubeconfig.ts`.
 * Reads files only when asked; never writes them; never returns credentials.
 */
import type { KubeconfigContexts } from '../shared/protocol';

/** Reads and merges `paths` (empty: `KUBECONFIG`, then `~/.kube/config`) and lists their contexts. Never rejects. */
export async function readKubeconfigContexts(paths: readonly string[]): Promise<KubeconfigContexts> {
  try {
    // Loaded on demand: client-node is large and most sessions never choose a context.
    const { loadKubeconfig } = await import('../cluster/kubeconfig');
    const loaded = loadKubeconfig({
      explicitPath: paths.join(process.platform === 'win32' ? ';' : ':'),
      envKubeconfig: process.env['KUBECONFIG'],
    });
    return {
      files: loaded.files,
      problems: loaded.problems,
      contexts: loaded.contexts.map((c) => ({
        name: c.name,
        cluster: c.cluster,
        ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
      })),
      ...(loaded.currentContext ? { currentContext: loaded.currentContext } : {}),
    };
  } catch (e) {
    return {
      files: [],
      contexts: [],
      problems: [`Could not read the kubeconfig: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
}
