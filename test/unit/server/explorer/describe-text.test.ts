/** Describe reads like `kubectl describe`: aligned keys, containers, the pod template, tables with ages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { age, describe } from '@src/server/explorer/describe-text';
import type { KubeObj } from '@src/server/explorer/cluster-data';

const NOW = Date.parse('2026-12-05T17:10:00Z');
const container = {
  name: 'nginx',
  image: 'nginx:1.27',
  ports: [{ containerPort: 80 }],
  resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } },
};

test('a pod: aligned keys, its container with image, ports, state, requests and limits, conditions and events as tables', () => {
  const pod: KubeObj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'shop',
      uid: 'u1',
      labels: { app: 'web', tier: 'front' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true } as never],
    },
    spec: { nodeName: 'node-a', containers: [container] },
    status: {
      phase: 'Running',
      podIP: '10.0.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'nginx', ready: true, restartCount: 2, state: { running: { startedAt: '2026-12-05T17:00:02Z' } } },
      ],
    },
  };
  const events: KubeObj[] = [
    {
      involvedObject: { uid: 'u1' },
      type: 'Normal',
      reason: 'Pulled',
      count: 3,
      firstTimestamp: '2026-12-05T17:01:00Z',
      lastTimestamp: '2026-12-05T17:05:00Z',
      source: { component: 'kubelet' },
      message: 'Container image "nginx:1.27" already present on machine',
    } as never,
  ];
  const text = describe(pod, events, NOW);
  const lines = text.split('\n');
  const col = (key: string): number => {
    const l = lines.find((x) => x.startsWith(`${key}:`))!;
    return l.length - l.slice(key.length + 1).trimStart().length;
  };
  assert.equal(col('Name'), col('Controlled By'), 'top-level values share one column');
  assert.match(text, /^Labels: +app=web\n +tier=front$/m, 'a label block continues under its key');
  assert.match(text, /^ {4}Image: +nginx:1\.27$/m);
  assert.match(text, /^ {4}Port: +80\/TCP$/m);
  assert.match(text, /^ {4}State: +Running\n {6}Started: +2026-12-05T17:00:02Z$/m);
  assert.match(text, /^ {4}Restart Count: +2$/m);
  assert.match(text, /^ {4}Limits:\n {6}memory: +256Mi\n {4}Requests:\n {6}cpu: +250m\n {6}memory: +128Mi$/m);
  assert.match(text, /^Controlled By: +ReplicaSet\/web-abc$/m);
  assert.match(text, /^Conditions:\n {2}Type +Status +Reason\n {2}Ready +True$/m);
  assert.match(
    text,
    /^Events:\n {2}Type +Reason +Age +From +Message\n {2}---- +------ +---- +---- +-------\n {2}Normal +Pulled +5m \(x3 over 9m\) +kubelet +Container image/m,
  );
});

test('a Deployment shows its replicas line and its pod template; a Secret only the sizes of its values', () => {
  const d = describe(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        strategy: { type: 'RollingUpdate' },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
      },
      status: { replicas: 3, updatedReplicas: 3, availableReplicas: 2, unavailableReplicas: 1 },
    },
    [],
    NOW,
  );
  assert.match(d, /^Replicas: +3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable$/m);
  assert.match(d, /^Pod Template:\n {2}Labels: +app=web\n {2}Containers:\n {4}nginx:\n {6}Image: +nginx:1\.27$/m);
  assert.match(d, /^Events: +<none>$/m);
  const s = describe(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      type: 'Opaque',
      data: { password: Buffer.from('hunter2').toString('base64') },
    },
    [],
    NOW,
  );
  assert.match(s, /^password: +7 bytes$/m);
  assert.ok(!s.includes('hunter2') && !s.includes('aHVudGVy'));
});

test('ages read as kubectl writes them', () => {
  assert.equal(age('2026-12-05T17:09:15Z', NOW), '45s');
  assert.equal(age('2026-12-05T16:58:00Z', NOW), '12m');
  assert.equal(age('2026-12-05T14:05:00Z', NOW), '3h5m');
  assert.equal(age('2026-12-01T15:10:00Z', NOW), '4d2h');
  assert.equal(age(undefined, NOW), '<unknown>');
});
