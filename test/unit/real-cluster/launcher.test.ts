/** The real-cluster rig's pure parts: arguments, go.mod staging replaces, build errors, Node registration. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainGoFailure } from '@test/real-cluster/binaries';
import { parseCliArgs } from '@test/real-cluster/cli';
import { registrableNode } from '@test/real-cluster/control-plane';
import {
  replaceBlock,
  stagingModules,
  stagingVersion,
  withReplaceBlock,
} from '@test/real-cluster/staging-replaces.mjs';

test('the CLI takes --port, --kubeconfig-out and --nodes, and names a bad flag', () => {
  assert.deepEqual(parseCliArgs(['--port', '6443', '--kubeconfig-out', '/tmp/k']), {
    port: 6443,
    kubeconfigOut: '/tmp/k',
    nodes: undefined,
  });
  assert.deepEqual(parseCliArgs(['--port=0', '--kubeconfig-out=/tmp/k']).port, 0);
  assert.throws(() => parseCliArgs([]), /--kubeconfig-out is required/);
  assert.throws(() => parseCliArgs(['--port', '70000', '--kubeconfig-out', 'x']), /--port: expected 0-65535/);
  assert.throws(() => parseCliArgs(['--kubeconfig-out', 'x', '--nodes', '/no/such/file']), /no such file/);
  assert.throws(() => parseCliArgs(['--kubeconfig-out', 'x', '--bogus']), /unknown argument: --bogus/);
});

test("staging modules are read from the release's go.mod replace block, and replaced with the v0 release", () => {
  const goMod = [
    'module k8s.io/kubernetes',
    'require (',
    '\tk8s.io/api v0.0.0',
    ')',
    'replace (',
    '\tk8s.io/api => ./staging/src/k8s.io/api',
    '\tk8s.io/client-go => ./staging/src/k8s.io/client-go',
    '\tgithub.com/x/y => github.com/x/y v1.0.0',
    ')',
  ].join('\n');
  assert.deepEqual(stagingModules(goMod), ['k8s.io/api', 'k8s.io/client-go']);
  assert.equal(stagingVersion('v1.37.2'), 'v0.37.2');
  assert.throws(() => stagingVersion('v0.37.2'), /not a Kubernetes release tag/);
  const block = replaceBlock(['k8s.io/api'], 'v0.37.2');
  const once = withReplaceBlock('module m\n', block);
  assert.match(once, /k8s\.io\/api => k8s\.io\/api v0\.37\.2/);
  assert.equal(withReplaceBlock(once, block), once, 'rewriting is idempotent');
});

test('a module the proxy does not serve is named, with what to do', () => {
  const out =
    'go: k8s.io/sample-apiserver@v0.37.2: reading https://proxy.golang.org/k8s.io/sample-apiserver/@v/v0.37.2.mod: 404 Not Found\n';
  const why = explainGoFailure(out) ?? '';
  assert.match(why, /does not serve k8s\.io\/sample-apiserver@v0\.37\.2 \(404 Not Found/);
  assert.match(why, /go list -m -versions k8s\.io\/sample-apiserver/);
  assert.match(
    explainGoFailure('dial tcp: lookup proxy.golang.org: no such host') ?? '',
    /could not reach the module proxy/,
  );
  assert.equal(explainGoFailure('./main.go:3:2: undefined: x'), undefined, 'a compile error is shown as go printed it');
});

test('Nodes are registered as a kubelet would: without server-set metadata or conditions', () => {
  const n = registrableNode({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'a', uid: 'u', resourceVersion: '5', creationTimestamp: 't', labels: { x: 'y' } },
    spec: { taints: [{ key: 'k', effect: 'NoSchedule' }], podCIDR: '10.0.0.0/24' },
    status: { capacity: { cpu: '1' }, allocatable: { cpu: '1' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  assert.deepEqual(n, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'a', labels: { x: 'y' } },
    spec: { taints: [{ key: 'k', effect: 'NoSchedule' }], podCIDR: '10.0.0.0/24' },
    status: { capacity: { cpu: '1' }, allocatable: { cpu: '1' } },
  });
});
