/**
 * The explorer benchmark's cluster: a realistic one, not only pods. Per namespace, the pods belong to
 * Deployments of 5 replicas (the last one takes the remainder); each Deployment has its current
 * ReplicaSet (the pods' owner, `pod-template-hash` label) and one old ReplicaSet scaled to 0, a Service
 * and its EndpointSlice (one endpoint per running pod), a ConfigMap; every second Deployment has a
 * Secret; every namespace has `kube-root-ca.crt` and a service-account-token-like Secret; one Event per
 * 5 pods (Scheduled / Pulled / Started). 1 pod in 500 is Pending (Insufficient cpu).
 *
 * The objects carry what a real cluster stores: `managedFields` (kubectl-client-side-apply on what
 * `kubectl apply` created, kube-controller-manager on ReplicaSets, pods and EndpointSlices, kubelet on
 * pod status) and `kubectl.kubernetes.io/last-applied-configuration` on applied objects.
 *
 * Contract: deterministic for the same sizes. `writeCluster` streams the objects into `kind: List` JSON
 * files of at most `chunkBytes` each (a single file of this size would be over V8's string limit) and
 * returns the counts per kind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ClusterSize {
  nodes: number;
  namespaces: number;
  pods: number;
}

type Obj = Record<string, unknown>;

const REPLICAS = 5;
const T0 = '2026-01-01T00:00:00Z';

/** The `fieldsV1` set of `o` as the apiserver's field manager records it (`f:` fields, `k:` keyed list items). */
function fieldsV1(o: unknown): Obj {
  if (Array.isArray(o)) {
    const out: Obj = {};
    for (const item of o) {
      const name = (item as Obj | undefined)?.['name'] ?? (item as Obj | undefined)?.['type'];
      const key =
        typeof item === 'object' && item !== null && typeof name === 'string'
          ? `k:${JSON.stringify({ [(item as Obj)['name'] !== undefined ? 'name' : 'type']: name })}`
          : `v:${JSON.stringify(item)}`;
      out[key] = typeof item === 'object' && item !== null ? { '.': {}, ...fieldsV1(item) } : {};
    }
    return out;
  }
  if (typeof o !== 'object' || o === null) return {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(o as Obj)) out[`f:${k}`] = typeof v === 'object' && v !== null ? fieldsV1(v) : {};
  return out;
}

function managed(manager: string, operation: string, fields: Obj, subresource?: string): Obj {
  return {
    manager,
    operation,
    apiVersion: 'v1',
    time: T0,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

/** What `kubectl apply` leaves on an object it created from `manifest`. */
function applied(manifest: Obj): Obj {
  const meta = manifest['metadata'] as Obj;
  const { metadata: _m, ...rest } = manifest;
  return {
    ...manifest,
    metadata: {
      ...meta,
      annotations: {
        ...((meta['annotations'] as Obj | undefined) ?? {}),
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest) + '\n',
      },
      managedFields: [
        managed('kubectl-client-side-apply', 'Update', {
          'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
          ...fieldsV1(rest),
        }),
      ],
    },
  };
}

function podTemplate(ns: string, app: string, image: string): Obj {
  return {
    metadata: { labels: { app, tier: 'web' }, annotations: { 'prometheus.io/scrape': 'true' } },
    spec: {
      containers: [
        {
          name: 'main',
          image,
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            { name: 'CONFIG_PATH', value: `/etc/${app}/config.yaml` },
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${app}-secret`, key: 'password' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          livenessProbe: {
            httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
            initialDelaySeconds: 10,
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
          readinessProbe: {
            httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' },
            periodSeconds: 5,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
          volumeMounts: [{ name: 'config', mountPath: `/etc/${app}`, readOnly: true }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      volumes: [{ name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
      ...(ns.endsWith('7') ? { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-1' } } : {}),
    },
  };
}

function node(i: number): Obj {
  const name = `node-${String(i).padStart(4, '0')}`;
  const gpu = i % 50 === 0 ? { 'nvidia.com/gpu': '4' } : {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${i % 3}`,
        'node.kubernetes.io/instance-type': 'm5.2xlarge',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: i % 50 === 0 ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {},
    status: {
      capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi', ...gpu },
      allocatable: { cpu: '7910m', memory: '31Gi', pods: '110', 'ephemeral-storage': '95Gi', ...gpu },
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: T0, lastTransitionTime: T0 },
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
      ],
      addresses: [
        { type: 'InternalIP', address: `10.0.${Math.floor(i / 250)}.${i % 250}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.33.1',
        osImage: 'Debian GNU/Linux 12',
        containerRuntimeVersion: 'containerd://1.7.0',
      },
    },
  };
}

/** The objects of namespace `n` holding `pods` pods, in dependency order, handed to `emit`. */
function namespaceObjects(n: number, pods: number, size: ClusterSize, podBase: number, emit: (o: Obj) => void): void {
  const ns = `team-${n}`;
  emit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `t${n % 20}` } } });
  emit({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-root-ca.crt', namespace: ns },
    data: { 'ca.crt': `-----BEGIN CERTIFICATE-----\n${'MIIC'.repeat(280)}\n-----END CERTIFICATE-----\n` },
  });
  emit({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'registry-pull', namespace: ns },
    type: 'kubernetes.io/dockerconfigjson',
    data: {
      '.dockerconfigjson': Buffer.from(`{"auths":{"registry.example.com":{"auth":"${ns}"}}}`).toString('base64'),
    },
  });
  const deployments = Math.max(1, Math.ceil(pods / REPLICAS));
  let p = 0;
  for (let d = 0; d < deployments; d++) {
    const app = `app-${d}`;
    const replicas = d === deployments - 1 ? pods - p : Math.min(REPLICAS, pods - p);
    const image = `registry.example.com/${app}:1.${d % 7}`;
    const hash = `${(n * 131 + d).toString(36).padStart(4, 'x')}5c7d9`;
    const template = podTemplate(ns, app, image);
    const selector = { matchLabels: { app } };
    const dep = applied({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: { replicas, selector, template },
    });
    const depUid = `dep-${n}-${d}`;
    (dep['metadata'] as Obj)['uid'] = depUid;
    (dep['metadata'] as Obj)['annotations'] = {
      ...((dep['metadata'] as Obj)['annotations'] as Obj),
      'deployment.kubernetes.io/revision': '2',
    };
    dep['status'] = { replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas };
    emit(dep);
    const depOwner = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: depUid, controller: true, blockOwnerDeletion: true },
    ];
    const rsUid = `rs-${n}-${d}`;
    for (const [suffix, h, count] of [
      ['', hash, replicas],
      ['-old', `${hash.slice(0, 6)}old`, 0],
    ] as const) {
      const rsTemplate = {
        ...template,
        metadata: { ...(template['metadata'] as Obj), labels: { app, tier: 'web', 'pod-template-hash': h } },
      };
      const rsSpec = {
        replicas: count,
        selector: { matchLabels: { app, 'pod-template-hash': h } },
        template: rsTemplate,
      };
      emit({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${app}-${h}`,
          namespace: ns,
          uid: suffix === '' ? rsUid : `${rsUid}${suffix}`,
          labels: { app, 'pod-template-hash': h },
          annotations: {
            'deployment.kubernetes.io/revision': suffix === '' ? '2' : '1',
            'deployment.kubernetes.io/desired-replicas': String(replicas),
          },
          ownerReferences: depOwner,
          managedFields: [
            managed('kube-controller-manager', 'Update', {
              'f:metadata': { 'f:labels': {}, 'f:ownerReferences': {} },
              'f:spec': fieldsV1(rsSpec),
            }),
            managed(
              'kube-controller-manager',
              'Update',
              { 'f:status': { 'f:replicas': {}, 'f:readyReplicas': {} } },
              'status',
            ),
          ],
        },
        spec: rsSpec,
        status: { replicas: count, readyReplicas: count, availableReplicas: count, fullyLabeledReplicas: count },
      });
    }
    const endpoints: Obj[] = [];
    for (let r = 0; r < replicas; r++, p++) {
      const g = podBase + p;
      const name = `${app}-${hash}-${(g * 7919).toString(36).slice(-5).padStart(5, 'z')}`;
      const pending = g % 500 === 7;
      const nodeName = `node-${String(g % size.nodes).padStart(4, '0')}`;
      const podIP = `10.${1 + (Math.floor(g / 62500) % 200)}.${Math.floor(g / 250) % 250}.${g % 250}`;
      const spec = {
        ...(template['spec'] as Obj),
        ...(pending ? {} : { nodeName }),
        serviceAccountName: 'default',
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        priority: 0,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
      };
      const status = pending
        ? {
            phase: 'Pending',
            qosClass: 'Burstable',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                lastTransitionTime: T0,
                message: `0/${size.nodes} nodes are available: ${size.nodes} Insufficient cpu. preemption: 0/${size.nodes} nodes are available: ${size.nodes} No preemption victims found for incoming pod.`,
              },
            ],
          }
        : {
            phase: 'Running',
            hostIP: `10.0.${Math.floor((g % size.nodes) / 250)}.${(g % size.nodes) % 250}`,
            podIP,
            podIPs: [{ ip: podIP }],
            startTime: T0,
            qosClass: 'Burstable',
            conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
              (type) => ({
                type,
                status: 'True',
                lastProbeTime: null,
                lastTransitionTime: T0,
              }),
            ),
            containerStatuses: [
              {
                name: 'main',
                ready: true,
                restartCount: g % 13 === 0 ? 1 : 0,
                started: true,
                image,
                imageID: `${image.split(':')[0]}@sha256:${(g % 7).toString(16).repeat(64)}`,
                containerID: `containerd://${g.toString(16).padStart(64, '0')}`,
                state: { running: { startedAt: T0 } },
              },
            ],
          };
      emit({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: ns,
          uid: `pod-${g}`,
          generateName: `${app}-${hash}-`,
          labels: { app, tier: 'web', 'pod-template-hash': hash },
          annotations: { 'prometheus.io/scrape': 'true' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${app}-${hash}`,
              uid: rsUid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
          managedFields: [
            managed('kube-controller-manager', 'Update', {
              'f:metadata': {
                'f:generateName': {},
                'f:labels': fieldsV1({ app, tier: 'web', 'pod-template-hash': hash }),
                'f:ownerReferences': {},
              },
              'f:spec': fieldsV1(template['spec']),
            }),
            managed('kubelet', 'Update', { 'f:status': fieldsV1(status) }, 'status'),
          ],
        },
        spec,
        status,
      });
      if (!pending)
        endpoints.push({
          addresses: [podIP],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName,
          targetRef: { kind: 'Pod', namespace: ns, name, uid: `pod-${g}` },
        });
    }
    const svcUid = `svc-${n}-${d}`;
    const svc = applied({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: {
        selector: { app },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        type: 'ClusterIP',
      },
    });
    (svc['metadata'] as Obj)['uid'] = svcUid;
    emit(svc);
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${app}-${hash.slice(0, 5)}`,
        namespace: ns,
        labels: {
          'kubernetes.io/service-name': app,
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Service', name: app, uid: svcUid, controller: true, blockOwnerDeletion: true },
        ],
      },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    };
    // `endpoints` and `ports` are atomic lists: their owner holds them whole.
    (slice['metadata'] as Obj)['managedFields'] = [
      managed('endpointslice-controller.k8s.io', 'Update', {
        'f:addressType': {},
        'f:endpoints': {},
        'f:metadata': { 'f:labels': fieldsV1(slice.metadata.labels), 'f:ownerReferences': {} },
        'f:ports': {},
      }),
    ];
    emit(slice);
    emit(
      applied({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${app}-config`, namespace: ns, labels: { app } },
        data: {
          'config.yaml': `server:\n  port: 8080\n  name: ${app}\nlog:\n  level: info\nfeatures:\n${'  - flag\n'.repeat(20)}`,
        },
      }),
    );
    if (d % 2 === 0)
      emit(
        applied({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: `${app}-secret`, namespace: ns, labels: { app } },
          type: 'Opaque',
          data: {
            password: Buffer.from(`pw-${ns}-${app}`).toString('base64'),
            username: Buffer.from(app).toString('base64'),
          },
        }),
      );
  }
  // One Event per 5 pods: what the scheduler and kubelet said.
  for (let e = 0; e < Math.floor(pods / 5); e++) {
    const g = podBase + e * 5;
    const reason = ['Scheduled', 'Pulled', 'Started'][e % 3]!;
    emit({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `ev-${g.toString(36)}.${(g * 31).toString(16)}`, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: `pod-${g}`, uid: `pod-${g}` },
      reason,
      message:
        reason === 'Scheduled'
          ? `Successfully assigned ${ns}/pod-${g} to node-${String(g % size.nodes).padStart(4, '0')}`
          : reason === 'Pulled'
            ? 'Container image already present on machine'
            : 'Started container main',
      source: { component: reason === 'Scheduled' ? 'default-scheduler' : 'kubelet' },
      firstTimestamp: T0,
      lastTimestamp: T0,
      count: 1,
      type: 'Normal',
    });
  }
}

/** Writes the cluster into `dir` as `cluster-NNN.json` files of at most `chunkBytes`; returns the counts per kind. */
export function writeCluster(size: ClusterSize, dir: string, chunkBytes = 128 * 1024 * 1024): Record<string, number> {
  fs.mkdirSync(dir, { recursive: true });
  const counts: Record<string, number> = {};
  let file = -1;
  let fd = -1;
  let bytes = 0;
  let first = true;
  const open = (): void => {
    if (fd >= 0) close();
    file++;
    fd = fs.openSync(path.join(dir, `cluster-${String(file).padStart(3, '0')}.json`), 'w');
    fs.writeSync(fd, '{"apiVersion":"v1","kind":"List","items":[\n');
    bytes = 0;
    first = true;
  };
  const close = (): void => {
    fs.writeSync(fd, '\n]}\n');
    fs.closeSync(fd);
    fd = -1;
  };
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length) fs.writeSync(fd, pending.join(''));
    pending = [];
  };
  const emit = (o: Obj): void => {
    const text = JSON.stringify(o);
    if (fd < 0 || bytes + text.length > chunkBytes) {
      if (fd >= 0) flush();
      open();
    }
    pending.push(first ? text : ',\n' + text);
    first = false;
    bytes += text.length + 2;
    if (pending.length >= 1000) flush();
    counts[String(o['kind'])] = (counts[String(o['kind'])] ?? 0) + 1;
  };
  for (let i = 0; i < size.nodes; i++) emit(node(i));
  let podBase = 0;
  for (let n = 0; n < size.namespaces; n++) {
    const pods = Math.floor(size.pods / size.namespaces) + (n < size.pods % size.namespaces ? 1 : 0);
    namespaceObjects(n, pods, size, podBase, emit);
    podBase += pods;
  }
  flush();
  close();
  return counts;
}
