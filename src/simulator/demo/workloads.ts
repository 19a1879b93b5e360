/**
 * Expands compact workload definitions into the objects a real cluster would hold after its controllers
 * and scheduler ran: Deployment → ReplicaSet → Pods, StatefulSet → ordinal Pods, DaemonSet → one Pod per
 * eligible node, Job → Pods, each Pod placed on a node (or left Pending) and given a kubelet status.
 *
 * Allocation notes: the pods of one controller share their `labels`, `ownerReferences` and container
 * arrays by reference, and differ only in name, uid, nodeName and status. Consumers must treat objects
 * as immutable (replace, never mutate in place), which the store does.
 */
import { admitPod } from '../../kube-api/defaulting';
import { defaultPodSpec } from '../../kube-api/pod-defaults';
import type { KubeObject, PodSpec } from '../../kube-api/types';
import { condition } from '../controllers/pod-status';
import { fnv32a } from '../controllers/pod-template-hash';
import { expandDeployment } from './expand-deployment';
import { expandJob } from './expand-job';
import { expandDaemonSet, expandStatefulSet } from './expand-sets';
import type { ExpandContext, Expansion, PodTemplateDef, WorkloadDef } from './expansion';
import type { PlannedNode } from './nodes';
import { assign, eligible, needOf, pickNode, plannedNodeLabels } from './placement';

export { daysAgo, newExpandContext, type ExpandContext, type PodTemplateDef, type WorkloadDef } from './expansion';

/** Builds a defaulted pod template for a definition. */
export function buildTemplate(
  def: PodTemplateDef,
  labels: Record<string, string>,
): { metadata: { labels: Record<string, string> }; spec: PodSpec & Record<string, unknown> } {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (def.cpu) requests['cpu'] = def.cpu;
  if (def.memory) requests['memory'] = def.memory;
  if (def.limitsCpu) limits['cpu'] = def.limitsCpu;
  if (def.limitsMemory) limits['memory'] = def.limitsMemory;
  if (def.gpu) {
    requests['nvidia.com/gpu'] = String(def.gpu);
    limits['nvidia.com/gpu'] = String(def.gpu);
  }
  const resources: Record<string, unknown> = {};
  if (Object.keys(requests).length > 0) resources['requests'] = requests;
  if (Object.keys(limits).length > 0) resources['limits'] = limits;
  const container: Record<string, unknown> = { name: def.container ?? 'main', image: def.image, resources };
  if (def.args) container['args'] = def.args;
  if (def.ports) container['ports'] = def.ports.map((p) => ({ ...p }));
  const spec: PodSpec & Record<string, unknown> = { containers: [container] };
  if (def.nodeSelector) spec.nodeSelector = { ...def.nodeSelector };
  if (def.tolerations) spec.tolerations = def.tolerations.map((t) => ({ ...t }));
  if (def.priorityClassName) spec.priorityClassName = def.priorityClassName;
  if (def.hostNetwork) spec.hostNetwork = true;
  if (def.restartPolicy) spec.restartPolicy = def.restartPolicy;
  if (def.serviceAccountName) spec['serviceAccountName'] = def.serviceAccountName;
  if (def.spreadHosts) {
    spec.affinity = {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: { labelSelector: { matchLabels: { ...labels } }, topologyKey: 'kubernetes.io/hostname' },
          },
        ],
      },
    };
  }
  if (def.spreadZones) {
    spec.topologySpreadConstraints = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...labels } },
      },
    ];
  }
  defaultPodSpec(spec);
  return { metadata: { labels: { ...labels } }, spec };
}

/** Expands a definition, appends its objects (plus a Service) to `ctx.out` and returns the top object. */
export function expandWorkload(ctx: ExpandContext, def: WorkloadDef): KubeObject {
  const template = buildTemplate(def.template, def.labels);
  const uid = ctx.rng.uuid();
  const ns = def.namespace;
  const meta = {
    name: def.name,
    namespace: ns,
    uid,
    creationTimestamp: def.createdAt,
    generation: 1,
    labels: { ...def.labels },
  };
  const need = needOf(template.spec);
  const image = def.template.image;
  const podSpecBase = (): PodSpec & Record<string, unknown> => {
    const p: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: def.name },
      spec: { ...template.spec, tolerations: template.spec.tolerations?.slice() },
    };
    admitPod(p, ctx.lookup);
    return p.spec as PodSpec & Record<string, unknown>;
  };
  const candidateKey = JSON.stringify([template.spec.nodeSelector ?? null, template.spec.tolerations ?? null]);
  let candidates = ctx.candidates.get(candidateKey);
  if (!candidates) {
    candidates = ctx.nodes.filter((n) => eligible(n, template.spec, plannedNodeLabels));
    ctx.candidates.set(candidateKey, candidates);
  }
  const eligibleNodes = candidates;
  const place = (): PlannedNode | undefined => {
    const n = pickNode(ctx, `${ns}/${def.name}`, eligibleNodes, need);
    if (n) assign(n, need, image);
    return n;
  };
  const x: Expansion = { ctx, def, template, uid, ns, meta, need, image, candidates, pods: [], podSpecBase, place };
  const top =
    def.kind === 'Deployment'
      ? expandDeployment(x)
      : def.kind === 'StatefulSet'
        ? expandStatefulSet(x)
        : def.kind === 'DaemonSet'
          ? expandDaemonSet(x)
          : expandJob(x);
  for (const p of x.pods) {
    p.metadata!.namespace = ns;
    ctx.out.push(p);
  }
  if (def.service) ctx.out.push(serviceFor(ctx, def));
  return top;
}

function serviceFor(ctx: ExpandContext, def: WorkloadDef): KubeObject {
  const svc = def.service!;
  let clusterIP = svc.clusterIP;
  if (svc.headless) clusterIP = 'None';
  if (!clusterIP) {
    const n = ctx.nextServiceIP++;
    clusterIP = `10.96.${(n >> 8) & 255}.${n & 255}`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: svc.name ?? def.name,
      namespace: def.namespace,
      uid: ctx.rng.uuid(),
      creationTimestamp: def.createdAt,
      labels: { ...def.labels },
    },
    spec: {
      clusterIP,
      clusterIPs: [clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: svc.ports.map((p) => ({
        name: p.name,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
        targetPort: p.targetPort ?? p.port,
      })),
      selector: { ...def.labels },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}

/** A hash-derived pseudo sha256 digest for an image name (stable across runs). */
export function imageDigest(image: string): string {
  let s = '';
  for (let i = 0; s.length < 64; i++) s += fnv32a(`${image}@${i}`).toString(16).padStart(8, '0');
  return s;
}

/** Re-export for the generator: a pod condition for Pending pods left to the scheduler. */
export { condition };
