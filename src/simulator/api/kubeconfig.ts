/**
 * Writes kubeconfig files for the simulator (context `kube-forecast-sim`).
 */
import * as yaml from 'js-yaml';

/** The context, cluster and user name used in generated kubeconfigs. */
export const CONTEXT_NAME = 'kube-forecast-sim';

/** Inputs for a kubeconfig: server URL, CA (HTTPS) and either a token or a client certificate. */
export interface KubeconfigInput {
  server: string;
  caCert?: string;
  token?: string;
  clientCert?: { cert: string; key: string };
  namespace?: string;
  /** The context (and cluster and user) name; default `kube-forecast-sim`. */
  context?: string;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Builds the kubeconfig YAML. Plain-HTTP servers get `insecure-skip-tls-verify: true` (client-node needs it). */
export function buildKubeconfig(k: KubeconfigInput): string {
  const cluster: Record<string, unknown> = { server: k.server };
  if (k.caCert !== undefined) cluster['certificate-authority-data'] = b64(k.caCert);
  else cluster['insecure-skip-tls-verify'] = true;
  const user: Record<string, unknown> = {};
  if (k.clientCert !== undefined) {
    user['client-certificate-data'] = b64(k.clientCert.cert);
    user['client-key-data'] = b64(k.clientCert.key);
  } else if (k.token !== undefined) user['token'] = k.token;
  const name = k.context ?? CONTEXT_NAME;
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: k.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
