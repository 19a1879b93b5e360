/**
 * Seeded Kubernetes manifests for the language-server fuzzer (`npm run fuzz:lsp`): every workload
 * kind (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet) with resources, node
 * selectors and affinities, pod (anti-)affinity, topology spread, tolerations, volumes, init
 * containers, priorities and scheduler names, sometimes next to non-workload documents.
 *
 * Contract: `generateObjects(rng)` and `renderManifest(rng, objects)` draw only from `rng`, so an
 * input is a pure function of its seed. The objects are plausible, not necessarily valid: the
 * mutations (mutate.ts) make them absurd.
 */
import { dump } from 'js-yaml';
import type { Rng } from '../../src/simulator/util/rng';

/* eslint-disable @typescript-eslint/no-explicit-any -- generated wire objects, built field by field. */
/** A generated manifest object. */
export type Obj = Record<string, any>;

/** Workload kinds and the apiVersion each is served under. */
export const WORKLOAD_KINDS: Readonly<Record<string, string>> = {
  Pod: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  ReplicaSet: 'apps/v1',
};

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const APPS = ['web', 'db', 'cache', 'batch', 'api'];
const IMAGES = ['nginx:1.27', 'redis:7', 'busybox', 'postgres:16', 'registry.k8s.io/pause:3.10'];
const CPU = ['10m', '100m', '250m', '500m', '1', '2', '3500m', '0.5', '64'];
const MEMORY = ['16Mi', '64Mi', '128Mi', '512Mi', '1Gi', '4Gi', '1G', '100M', '256e6'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''];

/** One or a few objects for one file: mostly workloads, sometimes a ConfigMap, Service or Namespace. */
export function generateObjects(rng: Rng): Obj[] {
  const n = 1 + (rng.next() < 0.3 ? rng.int(4) : 0);
  const out: Obj[] = [];
  for (let i = 0; i < n; i++) out.push(rng.next() < 0.85 ? workload(rng) : other(rng));
  return out;
}

/** Renders objects as one YAML file: block style, sometimes flow style or JSON, `---` between documents. */
export function renderManifest(rng: Rng, objects: readonly Obj[]): string {
  const parts = objects.map((o) => {
    const style = rng.int(10);
    if (style === 0) return JSON.stringify(o, null, rng.int(3));
    if (style === 1) return dump(o, { flowLevel: 1 + rng.int(4), lineWidth: -1 });
    return dump(o, { lineWidth: -1, noRefs: true });
  });
  return (rng.next() < 0.2 ? '---\n' : '') + parts.join('---\n');
}

/**
 * A file of `targetChars` or more: many workload documents, or one workload whose pod spec carries
 * a very long list (the slow inputs of the baseline campaign were all over 200 KB).
 */
export function generateLarge(rng: Rng, targetChars: number): string {
  if (rng.next() < 0.5) {
    const parts: string[] = [];
    let size = 0;
    while (size < targetChars) {
      const t = dump(workload(rng), { lineWidth: -1, noRefs: true });
      parts.push(t);
      size += t.length + 4;
    }
    return parts.join('---\n');
  }
  const w = workload(rng);
  const spec = podSpecOf(w);
  const env: Obj[] = [];
  const containers: Obj[] = spec['containers'];
  let size = 0;
  for (let i = 0; size < targetChars; i++) {
    const e = { name: `VAR_${i}`, value: rng.hex(16 + rng.int(48)) };
    env.push(e);
    size += 40 + e.value.length;
  }
  containers[0]!['env'] = env;
  return dump(w, { lineWidth: -1, noRefs: true });
}

/** The pod spec inside a workload object. */
export function podSpecOf(w: Obj): Obj {
  switch (w['kind']) {
    case 'Pod':
      return w['spec'];
    case 'CronJob':
      return w['spec']['jobTemplate']['spec']['template']['spec'];
    default:
      return w['spec']['template']['spec'];
  }
}

function workload(rng: Rng): Obj {
  const kind = rng.pick(Object.keys(WORKLOAD_KINDS));
  const app = rng.pick(APPS);
  const name = `${app}-${rng.suffix()}`;
  const labels = { app };
  const metadata: Obj = { name, labels };
  if (rng.next() < 0.3) metadata['namespace'] = rng.pick(['default', 'team-a', 'kube-system']);
  const pod = podSpec(rng, app);
  const template = { metadata: { labels }, spec: pod };
  const selector = { matchLabels: labels };
  const base: Obj = { apiVersion: WORKLOAD_KINDS[kind], kind, metadata };
  switch (kind) {
    case 'Pod':
      return { ...base, spec: pod };
    case 'Deployment':
    case 'ReplicaSet':
      return { ...base, spec: { replicas: rng.int(12), selector, template } };
    case 'StatefulSet':
      return {
        ...base,
        spec: {
          replicas: rng.int(6),
          serviceName: app,
          selector,
          template,
          ...(rng.next() < 0.5 ? { volumeClaimTemplates: [claimTemplate(rng)] } : {}),
        },
      };
    case 'DaemonSet':
      return { ...base, spec: { selector, template } };
    case 'Job':
      return { ...base, spec: jobSpec(rng, template) };
    default:
      return {
        ...base,
        spec: { schedule: `${rng.int(60)} ${rng.int(24)} * * *`, jobTemplate: { spec: jobSpec(rng, template) } },
      };
  }
}

function jobSpec(rng: Rng, template: Obj): Obj {
  template['spec']['restartPolicy'] = rng.pick(['Never', 'OnFailure']);
  const s: Obj = { template };
  if (rng.next() < 0.5) s['parallelism'] = rng.int(8);
  if (rng.next() < 0.5) s['completions'] = rng.int(20);
  return s;
}

function podSpec(rng: Rng, app: string): Obj {
  const spec: Obj = { containers: [] };
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) spec['containers'].push(container(rng, `c${i}`));
  if (rng.next() < 0.3) spec['initContainers'] = [container(rng, 'init')];
  if (rng.next() < 0.4) spec['nodeSelector'] = { 'topology.kubernetes.io/zone': rng.pick(ZONES) };
  if (rng.next() < 0.5) spec['affinity'] = affinity(rng, app);
  if (rng.next() < 0.4) spec['topologySpreadConstraints'] = [spread(rng, app)];
  if (rng.next() < 0.4) spec['tolerations'] = [toleration(rng)];
  if (rng.next() < 0.5) spec['volumes'] = volumes(rng);
  if (rng.next() < 0.2) spec['priorityClassName'] = rng.pick(['high', 'low', 'system-cluster-critical']);
  if (rng.next() < 0.1) spec['schedulerName'] = rng.pick(['default-scheduler', 'my-scheduler']);
  if (rng.next() < 0.1) spec['nodeName'] = `node-${rng.int(5)}`;
  if (rng.next() < 0.1) spec['overhead'] = { cpu: rng.pick(CPU) };
  if (rng.next() < 0.1) spec['resources'] = { requests: { cpu: rng.pick(CPU) } };
  return spec;
}

function container(rng: Rng, name: string): Obj {
  const c: Obj = { name, image: rng.pick(IMAGES) };
  if (rng.next() < 0.85) {
    const requests: Obj = { cpu: rng.pick(CPU), memory: rng.pick(MEMORY) };
    if (rng.next() < 0.2) requests['ephemeral-storage'] = rng.pick(MEMORY);
    if (rng.next() < 0.1) requests['nvidia.com/gpu'] = rng.int(3);
    c['resources'] = { requests };
    if (rng.next() < 0.5) c['resources']['limits'] = { cpu: rng.pick(CPU), memory: rng.pick(MEMORY) };
  }
  if (rng.next() < 0.2) c['ports'] = [{ containerPort: 80 + rng.int(9000), hostPort: 8000 + rng.int(100) }];
  return c;
}

function matchExpression(rng: Rng, key: string, values: string[]): Obj {
  const operator = rng.pick(OPERATORS);
  const e: Obj = { key, operator };
  if (operator === 'Gt' || operator === 'Lt') e['values'] = [String(rng.int(100))];
  else if (operator === 'In' || operator === 'NotIn') e['values'] = values;
  return e;
}

function affinity(rng: Rng, app: string): Obj {
  const a: Obj = {};
  if (rng.next() < 0.6) {
    const term = { matchExpressions: [matchExpression(rng, 'topology.kubernetes.io/zone', [rng.pick(ZONES)])] };
    a['nodeAffinity'] =
      rng.next() < 0.5
        ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } }
        : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + rng.int(100), preference: term }] };
  }
  const podTerm = (): Obj => ({
    labelSelector: { matchLabels: { app: rng.next() < 0.7 ? app : rng.pick(APPS) } },
    topologyKey: rng.pick(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']),
  });
  for (const k of ['podAffinity', 'podAntiAffinity']) {
    if (rng.next() < 0.4)
      a[k] =
        rng.next() < 0.5
          ? { requiredDuringSchedulingIgnoredDuringExecution: [podTerm()] }
          : {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 1 + rng.int(100), podAffinityTerm: podTerm() },
              ],
            };
  }
  return a;
}

function spread(rng: Rng, app: string): Obj {
  const s: Obj = {
    maxSkew: 1 + rng.int(3),
    topologyKey: rng.pick(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']),
    whenUnsatisfiable: rng.pick(['DoNotSchedule', 'ScheduleAnyway']),
    labelSelector: { matchLabels: { app } },
  };
  if (rng.next() < 0.3) s['minDomains'] = 1 + rng.int(4);
  if (rng.next() < 0.2) s['matchLabelKeys'] = ['pod-template-hash'];
  return s;
}

function toleration(rng: Rng): Obj {
  const t: Obj = { key: rng.pick(['dedicated', 'node.kubernetes.io/not-ready', 'gpu']), effect: rng.pick(EFFECTS) };
  if (rng.next() < 0.5) {
    t['operator'] = 'Equal';
    t['value'] = rng.pick(['true', 'batch', 'x']);
  } else t['operator'] = 'Exists';
  if (t['effect'] === 'NoExecute' && rng.next() < 0.5) t['tolerationSeconds'] = rng.int(600);
  return t;
}

function volumes(rng: Rng): Obj[] {
  const out: Obj[] = [];
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const name = `v${i}`;
    switch (rng.int(5)) {
      case 0:
        out.push({ name, persistentVolumeClaim: { claimName: `data-${rng.suffix()}` } });
        break;
      case 1:
        out.push({ name, emptyDir: rng.next() < 0.5 ? {} : { sizeLimit: rng.pick(MEMORY) } });
        break;
      case 2:
        out.push({ name, configMap: { name: 'settings' } });
        break;
      case 3:
        out.push({ name, hostPath: { path: '/var/data' } });
        break;
      default:
        out.push({ name, csi: { driver: 'ebs.csi.aws.com' } });
    }
  }
  return out;
}

function claimTemplate(rng: Rng): Obj {
  return {
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: rng.pick(MEMORY) } } },
  };
}

function other(rng: Rng): Obj {
  switch (rng.int(3)) {
    case 0:
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { spec: 'x', a: 'b' } };
    case 1:
      return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: rng.pick(APPS) },
        spec: { selector: { app: rng.pick(APPS) }, ports: [{ port: 80 }] },
      };
    default:
      return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${rng.suffix()}` } };
  }
}
