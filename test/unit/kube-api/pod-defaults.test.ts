import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admitPod } from '@src/kube-api/defaulting';
import { defaultPod, defaultPodSpec } from '@src/kube-api/pod-defaults';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON */

const pod = (): any => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: {
    hostNetwork: true,
    containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }],
  },
});

describe('pod defaults (SetDefaults_Pod, SetDefaults_PodSpec)', () => {
  it('fills what kube-apiserver fills on decode', () => {
    const p = pod();
    defaultPod(p);
    const c = p.spec.containers[0];
    assert.deepEqual(c.resources.requests, { cpu: '1' }, 'requests from limits');
    assert.equal(c.ports[0].hostPort, 80, 'host port under hostNetwork');
    assert.equal(c.imagePullPolicy, 'Always', 'untagged image');
    assert.equal(p.spec.restartPolicy, 'Always');
    assert.equal(p.spec.schedulerName, 'default-scheduler');
    assert.equal(p.spec.enableServiceLinks, true);
  });

  it('gives pod templates only the pod spec defaults: no requests from limits', () => {
    const p = pod();
    defaultPodSpec(p.spec);
    assert.equal(p.spec.containers[0].resources.requests, undefined);
    assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
  });

  it('is idempotent, so admission after the simulated cluster’s decode changes nothing more', () => {
    const once = pod();
    defaultPod(once);
    const twice = structuredClone(once);
    defaultPod(twice);
    assert.deepEqual(twice, once);
    const admitted = structuredClone(once);
    assert.equal(admitPod(admitted), undefined);
    const again = structuredClone(admitted);
    assert.equal(admitPod(again), undefined);
    assert.deepEqual(again, admitted);
    assert.equal(admitted.spec.priority, 0);
  });
});
