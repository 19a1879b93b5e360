/**
 * What kube-apiserver's own controllers keep in every cluster, created when the server starts: the
 * `default/kubernetes` Service (the bootstrap controller: the first address of the service range,
 * https 443 to the secure port), written by the manager `kube-apiserver`.
 */
import { StatusError } from '../store/errors';
import type { Store } from '../store/store';

const SERVICES = { group: '', resource: 'services' };

/** Creates `default/kubernetes` unless it (or the default namespace's absence) says otherwise. */
export function ensureKubernetesService(store: Store, securePort = 6443): void {
  if (store.get({ group: '', resource: 'namespaces' }, undefined, 'default') === undefined) return;
  if (store.get(SERVICES, 'default', 'kubernetes') !== undefined) return;
  try {
    store.create(
      SERVICES,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.96.0.1',
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }],
          sessionAffinity: 'None',
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
        },
      },
      { fieldManager: 'kube-apiserver' },
    );
  } catch (e) {
    // A loaded cluster that already uses the address keeps what it has.
    if (!(e instanceof StatusError)) throw e;
  }
}
