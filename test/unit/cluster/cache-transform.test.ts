/**
 * slimForCache: what a watch cache keeps of an object (managedFields, last-applied-configuration and
 * big annotations dropped; pod specs keep the container fields the model and the tree read;
 * EndpointSlices lose their endpoints; everything else equal).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- cached JSON read by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CacheInterner } from '@src/cluster/cache-interner';
import { BIG_ANNOTATION_CHARS, slimForCache } from '@src/cluster/cache-transform';

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
  spec['volumes'] = [
    { name: 'config', configMap: { name: 'cfg' } },
    { name: 'data', persistentVolumeClaim: { claimName: 'data-0' } },
    { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
    { name: 'disk', csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' } },
  ];
  spec['tolerations'] = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }];
  p['status'] = {
    phase: 'Running',
    hostIP: '10.0.0.7',
    hostIPs: [{ ip: '10.0.0.7' }],
    podIP: '10.1.0.9',
    podIPs: [{ ip: '10.1.0.9' }],
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
  const sent = structuredClone(spec['volumes']) as unknown[];
  const slim = slimForCache(p, interner) as Record<string, any>;
  assert.deepEqual(slim['spec'].containers, [MODEL_FIELDS]);
  assert.deepEqual(slim['spec'].initContainers, [{ ...MODEL_FIELDS, name: 'sidecar', restartPolicy: 'Always' }]);
  assert.deepEqual(
    slim['spec'].volumes,
    sent.slice(1),
    'the volumes the scheduler reads stay (claims, ephemeral claims, CSI); a ConfigMap volume does not',
  );
  assert.deepEqual(slim['spec'].tolerations, [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }]);
  assert.equal(slim['spec'].nodeName, 'node-1');
  assert.deepEqual(
    Object.keys(slim['status']),
    ['phase', 'hostIP', 'podIP', 'containerStatuses'],
    'the IP lists repeat hostIP and podIP',
  );
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
  const slim = slimForCache(structuredClone(slice), interner, 'endpointslices') as Record<string, unknown>;
  assert.equal('endpoints' in slim, false);
  assert.deepEqual(slim['ports'], slice.ports);
  assert.deepEqual(slim['metadata'], slice.metadata);
  const service = { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  assert.deepEqual(slimForCache(structuredClone(service), interner, 'services'), service);
  assert.deepEqual(
    slimForCache(structuredClone(slice), interner, 'services'),
    slice,
    'only an EndpointSlice loses endpoints',
  );
});

test('a Secret keeps its keys, not its values, unless it is a Helm release record; a ConfigMap keeps no data', () => {
  const interner = new CacheInterner();
  const secret = (name: string, type: string): Record<string, any> => ({
    metadata: { name, namespace: 'n' },
    type,
    data: { password: Buffer.from(`pw-${name}`).toString('base64'), username: 'YWRtaW4=' },
  });
  const a = slimForCache(secret('a', 'Opaque'), interner, 'secrets') as Record<string, any>;
  const b = slimForCache(secret('b', 'Opaque'), interner, 'secrets') as Record<string, any>;
  assert.deepEqual(a['data'], { password: '', username: '' });
  assert.equal(a['data'], b['data'], 'the same keys are one object');
  assert.doesNotMatch(JSON.stringify(a), /cHct|YWRtaW4/);
  const helm = slimForCache(secret('sh.helm.release.v1.web.v1', 'helm.sh/release.v1'), interner, 'secrets');
  assert.deepEqual(helm, secret('sh.helm.release.v1.web.v1', 'helm.sh/release.v1'));
  const cm = { metadata: { name: 'cfg', namespace: 'n' }, data: { 'a.yaml': 'x: 1' }, binaryData: { b: 'AA==' } };
  assert.deepEqual(slimForCache(structuredClone(cm), interner, 'configmaps'), { metadata: cm.metadata });
  assert.deepEqual(slimForCache(structuredClone(cm), interner, 'pods'), cm, 'only a ConfigMap loses data');
});

test('replicas share their equal containers, volume sources, tolerations, conditions, labels and owner references, frozen; what differs stays their own', () => {
  const interner = new CacheInterner();
  const replica = (name: string, cpu: string): Record<string, any> => {
    const p = pod(name);
    p['spec'] = {
      nodeName: 'node-1',
      containers: [{ ...container('main'), resources: { requests: { cpu } } }],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'shared' } },
        // A volume may have a name of its own per pod (as the service account's kube-api-access-<random>).
        { name: `csi-${name}`, csi: { driver: 'd', volumeAttributes: { size: '1Gi' } } },
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
  assert.equal(a['spec'].volumes[0].persistentVolumeClaim, b['spec'].volumes[0].persistentVolumeClaim);
  assert.equal(a['spec'].volumes[1].csi, b['spec'].volumes[1].csi, 'volume sources are shared');
  assert.deepEqual(
    [a['spec'].volumes[1].name, b['spec'].volumes[1].name],
    ['csi-a', 'csi-b'],
    'volume names stay their own',
  );
  assert.equal(a['status'].conditions, c['status'].conditions, 'equal condition lists are one object');
  assert.equal(a['status'].containerStatuses, b['status'].containerStatuses, 'without IDs, statuses repeat');
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

test('a pod of only local volumes (ConfigMap, Secret, projected, downward API, emptyDir) is cached without volumes', () => {
  const interner = new CacheInterner();
  const p = pod('a');
  (p['spec'] as any).volumes = [
    { name: 'config', configMap: { name: 'cfg' } },
    { name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
    { name: 'tmp', emptyDir: {} },
    { name: 'creds', secret: { secretName: 's' } },
    { name: 'info', downwardAPI: { items: [] } },
  ];
  const slim = slimForCache(p, interner, 'pods') as Record<string, any>;
  assert.equal('volumes' in slim['spec'], false);
  assert.equal(slim['spec'].nodeName, 'node-1');
  const template = {
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [], volumes: [{ name: 'tmp', emptyDir: {} }] } } },
  };
  assert.deepEqual(
    slimForCache(structuredClone(template), interner, 'deployments'),
    template,
    'templates keep every volume',
  );
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
