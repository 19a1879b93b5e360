/** The namespace every later behaviour works in, created first (and deleted by the last behaviours). */
import { NS } from '../kinds';
import { behaviour, type Behaviour } from './behaviour';

export const SETUP: Behaviour[] = [
  behaviour('create the working namespace', async (c) => {
    await c.call('POST namespace', {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    });
    // Pods are admitted only once the namespace's default ServiceAccount exists.
    const ready = await c.until(
      async () =>
        (await c.send({ method: 'GET', path: `/api/v1/namespaces/${NS}/serviceaccounts/default` })).status === 200,
    );
    c.note('default ServiceAccount created', ready);
    await c.call('GET the namespace', { method: 'GET', path: `/api/v1/namespaces/${NS}` });
    await c.call('GET its kube-root-ca.crt', {
      method: 'GET',
      path: `/api/v1/namespaces/${NS}/configmaps/kube-root-ca.crt`,
    });
  }),
];
