/**
 * Reads the cluster choice of editors other than VS Code from `initializationOptions`:
 * `{ "kubeconfig": PATH, "context": NAME, "namespaces": [...] }`, or `{ "simulator": true }`.
 * Wrong types are ignored (the server then starts without a cluster, and its lenses say so).
 */
import type { ConnectClusterParams } from '../../shared/protocol';

/** The connection to open at start, or undefined when the options choose none (VS Code sends none). */
export function clusterFromInitializationOptions(options: unknown): ConnectClusterParams | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const o = options as Record<string, unknown>;
  if (o['simulator'] === true) return { source: 'simulator' };
  const kubeconfig = o['kubeconfig'];
  const context = o['context'];
  if (typeof kubeconfig !== 'string' && typeof context !== 'string') return undefined;
  const namespaces = Array.isArray(o['namespaces'])
    ? o['namespaces'].filter((n): n is string => typeof n === 'string')
    : [];
  return {
    source: 'kubeconfig',
    kubeconfigPaths: typeof kubeconfig === 'string' && kubeconfig !== '' ? [kubeconfig] : [],
    context: typeof context === 'string' ? context : '',
    namespaces,
  };
}
