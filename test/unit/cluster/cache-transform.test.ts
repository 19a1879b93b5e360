/**
 * slimForCache: what a watch cache keeps of an object (managedFields, last-applied-configuration and
 * big annotations dropped; pod specs keep the container fields the model and the tree read;
 * EndpointSlices lose their endpoints; everything else equal).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- cached JSON read by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIG_ANNOTATION_CHARS, slimForCache, CacheInterner } from '@src/cluster/cache-transform';

const pod = (name: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'team-1',
    uid: `uid-${name}`,
    labels: { app: 'web', 'pod-template-hash': 'abc' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Pod"}\n',
      'example.com/big': 'y'.repeat(BIG_ANNOTATION_CHARS + 1),
      'example.com/edge': 'z'.repeat(BIG_ANNOTATION_CHARS),
      'prometheus.io/scrape': 'true',
    },
    managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu: '1' } } }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

test('drops managedFields, last-applied-configuration and annotations over the limit; keeps the rest as sent', () => {
  const interner = new CacheInterner();
  const slim = slimForCache(pod('a'), interner) as ReturnType<typeof pod>;
  const expected = pod('a');
  const meta = expected['metadata'] as Record<string, unknown>;
  delete meta['managedFields'];
  meta['annotations'] = { 'example.com/edge': 'z'.repeat(BIG_ANNOTATION_CHARS), 'prometheus.io/scrape': 'true' };
  assert.deepEqual(slim, expected);
  assert.equal(Object.keys(slim['metadata'] as object).includes('managedFields'), false);
});

test('an object without metadata or annotations passes unchanged', () => {
  const interner = new CacheInterner();
  assert.deepEqual(slimForCache({ kind: 'Status' } as never, interner), { kind: 'Status' });
  const plain = { metadata: { name: 'n' }, spec: { x: ['a', 1, null, true] } };
  assert.deepEqual(slimForCache(structuredClone(plain), interner), plain);
});

/** A container as a real cluster returns it: what the model reads, and what only the whole object's views read. */
const container = (name: string): Record<string, unknown> => ({
  name,
  image: 'registry.example.com/app:1.3',
  command: ['/app'],
  args: ['--serve'],
  env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } }],
  ports: [{ containerPort: 8080, hostPort: 80, protocol: 'TCP' }],
  resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
});

const MODEL_FIELDS = {
  name: 'main',
  image: 'registry.example.com/app:1.3',
  ports: [{ containerPort: 8080, hostPort: 80, protocol: 'TCP' }],
  resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
};

test("a pod's containers keep what the scheduler model and the tree read; commands, env, probes and mounts are dropped", () => {
  const interner = new CacheInterner();
  const p = pod('a');
  const spec = p['spec'] as Record<string, unknown>;
  spec['containers'] = [container('main')];
  spec['initContainers'] = [{ ...container('sidecar'), restartPolicy: 'Always' }];
  spec['volumes'] = [{ name: 'config', configMap: { name: 'cfg' } }];
  spec['tolerations'] = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }];
  p['status'] = {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'main',
        ready: true,
        restartCount: 2,
        image: 'registry.example.com/app:1.3',
        imageID: 'registry.example.com/app@sha256:22',
        containerID: 'containerd://00',
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        allocatedResources: { cpu: '100m' },
      },
    ],
  };
  const slim = slimForCache(p, interner) as Record<string, any>;
  assert.deepEqual(slim['spec'].containers, [MODEL_FIELDS]);
  assert.deepEqual(slim['spec'].initContainers, [{ ...MODEL_FIELDS, name: 'sidecar', restartPolicy: 'Always' }]);
  assert.deepEqual(slim['spec'].volumes, [{ name: 'config', configMap: { name: 'cfg' } }]);
  assert.deepEqual(slim['spec'].tolerations, [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }]);
  assert.equal(slim['spec'].nodeName, 'node-1');
  assert.deepEqual(slim['status'].containerStatuses, [
    {
      name: 'main',
      ready: true,
      restartCount: 2,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      allocatedResources: { cpu: '100m' },
    },
  ]);
  assert.doesNotMatch(JSON.stringify(slim), /DB_PASSWORD|healthz|sha256|containerd/);
});

test('pod templates stay whole (Save Cluster Snapshot writes them), shared between a workload and its revisions', () => {
  const interner = new CacheInterner();
  const template = (hash: string): Record<string, unknown> => ({
    metadata: { labels: { app: 'web', 'pod-template-hash': hash } },
    spec: { containers: [container('main')] },
  });
  const deployment = {
    metadata: { name: 'web', namespace: 'n' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('') },
    status: { replicas: 3, readyReplicas: 2 },
  };
  const slimD = slimForCache(structuredClone(deployment), interner) as Record<string, any>;
  assert.deepEqual(slimD['spec'], deployment.spec, 'the template keeps command, args, env, probes and mounts');
  assert.deepEqual(slimD['status'], { replicas: 3, readyReplicas: 2 });
  const rs = slimForCache(
    { metadata: { name: 'web-abc', namespace: 'n' }, spec: { template: template('abc') } },
    interner,
  ) as any;
  const templateContainers = (o: any): unknown => o.spec.template.spec.containers;
  assert.equal(templateContainers(rs), templateContainers(slimD));
  const cronJob = {
    metadata: { name: 'nightly', namespace: 'n' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: { containers: [container('main')], restartPolicy: 'OnFailure' } } } },
    },
  };
  assert.deepEqual(slimForCache(structuredClone(cronJob), interner), cronJob);
});

test("an EndpointSlice is cached without its endpoints (the key is gone, not emptied); a Service's spec is untouched", () => {
  const interner = new CacheInterner();
  const slice = {
    metadata: { name: 'web-abc', namespace: 'n', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-1' } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
  const slim = slimForCache(slice, interner) as Record<string, unknown>;
  assert.equal('endpoints' in slim, false);
  assert.deepEqual(slim['ports'], slice.ports);
  assert.deepEqual(slim['metadata'], slice.metadata);
  const service = { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  assert.deepEqual(slimForCache(structuredClone(service), interner), service);
});

test('replicas share their equal containers, volume sources, tolerations, conditions, labels and owner references, frozen; what differs stays their own', () => {
  const interner = new CacheInterner();
  const replica = (name: string, cpu: string): Record<string, any> => {
    const p = pod(name);
    p['spec'] = {
      nodeName: 'node-1',
      containers: [{ ...container('main'), resources: { requests: { cpu } } }],
      volumes: [
        { name: 'config', configMap: { name: 'cfg' } },
        // Every pod's service account volume has a name of its own.
        { name: `kube-api-access-${name}`, projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      ],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
    };
    p['status'] = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'T1' }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, containerID: `containerd://${name}` }],
    };
    return slimForCache(p, interner) as Record<string, any>;
  };
  const a = replica('a', '100m');
  const b = replica('b', '100m');
  const c = replica('c', '200m');
  assert.equal(a['spec'].containers, b['spec'].containers, 'equal containers are one object');
  assert.equal(a['spec'].volumes[0].configMap, b['spec'].volumes[0].configMap);
  assert.equal(a['spec'].volumes[1].projected, b['spec'].volumes[1].projected, 'volume sources are shared');
  assert.deepEqual(
    [a['spec'].volumes[1].name, b['spec'].volumes[1].name],
    ['kube-api-access-a', 'kube-api-access-b'],
    'volume names stay their own',
  );
  assert.equal(a['status'].conditions[0], c['status'].conditions[0], 'equal conditions are one object');
  assert.equal(a['status'].containerStatuses[0], b['status'].containerStatuses[0], 'without IDs, statuses repeat');
  assert.equal(a['spec'].tolerations, c['spec'].tolerations);
  assert.equal(a['metadata'].labels, b['metadata'].labels);
  assert.equal(a['metadata'].ownerReferences, b['metadata'].ownerReferences);
  assert.notEqual(a['spec'].containers, c['spec'].containers, 'different requests are not shared');
  assert.equal(c['spec'].containers[0].resources.requests.cpu, '200m');
  assert.notEqual(a['metadata'], b['metadata']);
  assert.equal(a['metadata'].name, 'a');
  assert.equal(b['metadata'].name, 'b');
  assert.ok(Object.isFrozen(a['spec'].containers[0].resources.requests));
  assert.throws(() => {
    a['spec'].containers[0].resources.requests.cpu = '9';
  }, TypeError);
  assert.equal(b['spec'].containers[0].resources.requests.cpu, '100m');
});

test('managedFields written last, as kube-apiserver writes it, is deleted from the parsed metadata in place; elsewhere the metadata is rebuilt without it', () => {
  const interner = new CacheInterner();
  const last = { metadata: { name: 'a', labels: { app: 'web' }, managedFields: [{ manager: 'm' }] }, spec: {} };
  const parsed = last.metadata;
  const slim = slimForCache(last, interner) as Record<string, any>;
  assert.equal(slim['metadata'], parsed, 'the same object, not a copy');
  assert.deepEqual(slim['metadata'], { name: 'a', labels: { app: 'web' } });
  const first = { metadata: { managedFields: [{ manager: 'm' }], name: 'b', labels: { app: 'web' } }, spec: {} };
  const slimFirst = slimForCache(first, interner) as Record<string, any>;
  assert.deepEqual(slimFirst['metadata'], { name: 'b', labels: { app: 'web' } });
  assert.equal(slimFirst['metadata'].labels, slim['metadata'].labels, 'labels shared either way');
});
