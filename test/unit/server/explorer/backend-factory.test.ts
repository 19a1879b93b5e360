/**
 * The backend factory without a cluster: a missing kubeconfig and a simulated cluster that cannot
 * start. The tests that connect are in backend-factory.cluster.test.ts (both clusters).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeBackendFactory } from '@src/server/explorer/backend-factory';

process.env['KF_NO_LOGIN_SHELL'] = '1';

test('no kubeconfig at all: not connected, with a sentence naming the missing file', async () => {
  const factory = new KubeBackendFactory({
    simulatorScript: '/nonexistent',
    envKubeconfig: () => '/nonexistent/kubeconfig',
  });
  const backend = await factory.create({ source: 'kubeconfig', kubeconfigPaths: [], context: '', namespaces: [] });
  assert.equal(backend.status.state, 'none');
  assert.match(
    backend.status.message ?? '',
    /No cluster connected: no kubeconfig context found \(\/nonexistent\/kubeconfig: no such file\)/,
  );
  factory.dispose();
});

test('the simulated cluster cannot start without its script: an error status, not a rejection', async () => {
  const factory = new KubeBackendFactory({ simulatorScript: '/nonexistent/simulator.js' });
  const backend = await factory.create({ source: 'simulator' });
  assert.equal(backend.status.state, 'error');
  assert.match(
    backend.status.message ?? '',
    /Could not start the simulated cluster: the simulated cluster is not built/,
  );
  factory.dispose();
});

test('Choose Context names the built-in cluster only while it runs: none before, none after a failed start', async () => {
  const factory = new KubeBackendFactory({ simulatorScript: '/nonexistent/simulator.js' });
  assert.equal(factory.runningSimulatorLabel(), undefined);
  await factory.create({ source: 'simulator', snapshot: '/nonexistent/prod-snapshot.json' });
  assert.equal(factory.runningSimulatorLabel(), undefined);
  factory.dispose();
});
