/**
 * What kube-controller-manager adds to every namespace: the `default` ServiceAccount
 * (serviceaccounts-controller) and the `kube-root-ca.crt` ConfigMap with the cluster CA
 * (root-ca-cert-publisher). Real-cluster tests see these objects, so the simulator has them too.
 */
import { REF, splitKey } from './common';
import { CONTROLLER_MANAGER, tryWrite, type ControllerContext } from './context';

const SERVICE_ACCOUNTS = { group: '', resource: 'serviceaccounts' };
const CONFIG_MAPS = { group: '', resource: 'configmaps' };

/** The ConfigMap name the root CA publisher writes. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** A placeholder CA bundle used when the server's CA is not given. */
export const PLACEHOLDER_CA =
  '-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKkubeforecastsimulatorplaceholderMA0GCSqGSIb3DQEBCwUA\n-----END CERTIFICATE-----\n';

/** Makes sure an active namespace has its default ServiceAccount and root CA ConfigMap. */
export function reconcileNamespace(ctx: ControllerContext, key: string, rootCA: string): void {
  const { name } = splitKey(key);
  const ns = ctx.store.get(REF.namespaces, undefined, name);
  if (!ns || ns.metadata.deletionTimestamp !== undefined || ns['status']?.phase === 'Terminating') return;
  if (!ctx.store.get(SERVICE_ACCOUNTS, name, 'default')) {
    tryWrite(() =>
      ctx.store.create(
        SERVICE_ACCOUNTS,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } },
        { fieldManager: CONTROLLER_MANAGER },
      ),
    );
  }
  if (!ctx.store.get(CONFIG_MAPS, name, ROOT_CA_CONFIGMAP)) {
    tryWrite(() =>
      ctx.store.create(
        CONFIG_MAPS,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: ROOT_CA_CONFIGMAP,
            namespace: name,
            annotations: { 'kubernetes.io/description': DESCRIPTION },
          },
          data: { 'ca.crt': rootCA },
        },
        { fieldManager: CONTROLLER_MANAGER },
      ),
    );
  }
}
