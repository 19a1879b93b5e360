import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LooseObject } from '@src/simulator/controllers/common';
import { podTemplate, simulatedCluster } from '@test/builders/simulator';

const SERVICES = { group: '', resource: 'services' };
const ENDPOINTS = { group: '', resource: 'endpoints' };
const SLICES = { group: 'discovery.k8s.io', resource: 'endpointslices' };

test('a Service gets Endpoints and an EndpointSlice for its ready pods', async () => {
  const { store, cm } = simulatedCluster();
  const tmpl = podTemplate({ app: 'web' }) as LooseObject;
  tmpl['spec'].containers[0].ports = [{ name: 'http', containerPort: 8080 }];
  store.create(
    { group: 'apps', resource: 'deployments' },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tmpl },
    },
  );
  store.create(SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  await cm.whenIdle();
  const ep = store.get(ENDPOINTS, 'default', 'web')!;
  assert.equal(ep['subsets'][0].addresses.length, 2);
  assert.deepEqual(ep['subsets'][0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const slices = store.list(SLICES, { namespace: 'default' }).items;
  assert.equal(slices.length, 1);
  assert.equal(slices[0]!.metadata.labels!['kubernetes.io/service-name'], 'web');
  assert.ok(slices[0]!['endpoints'].every((e: LooseObject) => e['conditions'].ready === true));
  store.mutate({ group: 'apps', resource: 'deployments' }, 'default', 'web', (d) => {
    d['spec'].replicas = 3;
  });
  await cm.whenIdle();
  assert.equal(store.get(ENDPOINTS, 'default', 'web')!['subsets'][0].addresses.length, 3);
  store.delete(SERVICES, 'default', 'web');
  await cm.whenIdle();
  assert.equal(store.get(ENDPOINTS, 'default', 'web'), undefined);
  assert.equal(store.list(SLICES, { namespace: 'default' }).items.length, 0);
  cm.stop();
  store.dispose();
});
