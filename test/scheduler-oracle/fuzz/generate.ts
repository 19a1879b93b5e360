/**
 * Random yet valid scheduling scenarios for the model-vs-real-scheduler campaign
 * (`npm run fuzz:scheduler`). Each case is a full-profile scenario in the conformance format
 * (FORMAT.md plus `objects`): nodes, pods already bound to them, the objects the scheduler reads,
 * and one incoming pod.
 *
 * Contract:
 * - `generateCase(seed, index)` is a pure function of its arguments: the same numbers give the
 *   same case on every machine, so a disagreement can be replayed from its id alone.
 * - Objects look as kube-apiserver and the controllers would store them: valid names, labels and
 *   quantities, requests never above limits, PVCs and PVs bound to each other with the phases the
 *   PV controller sets, PDB status as the disruption controller would compute it, existing pods
 *   Running with a start time. A case the real scheduler rejects as invalid input is a bug here.
 * - Coverage: resources (cpu, memory, ephemeral storage, extended resources, hugepages, init and
 *   sidecar containers, pod-level requests), nodeSelector and node affinity (every operator,
 *   matchFields), pod (anti-)affinity with namespaces and namespaceSelector, topology spread with
 *   every policy field, taints of every effect and tolerations of every operator v1.37 admits
 *   (Equal, Exists; Lt/Gt need the alpha gate TaintTolerationComparisonOperators), host ports, images,
 *   PVCs bound and unbound (Immediate and WaitForFirstConsumer, zone-bound PVs, ReadWriteOncePod),
 *   CSI attach limits (CSI and in-tree volumes migrated to CSI), unschedulable nodes, priorities,
 *   preemption policies and PodDisruptionBudgets.
 */
import type { Scenario } from '../../../src/scheduler/conformance';
import { Rng } from '../../../src/simulator/util/rng';

/* eslint-disable @typescript-eslint/no-explicit-any -- generated wire JSON, built field by field. */
type Obj = Record<string, any>;

/** Options of the generator. */
export interface GenerateOptions {
  /** A fixed node count (default: 2 to 12 per case). */
  nodes?: number;
}

const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const APPS = ['web', 'db', 'cache', 'batch'];
const NAMESPACES: Obj[] = [
  { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } },
  { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a', team: 'a', env: 'prod' } },
  { name: 'team-b', labels: { 'kubernetes.io/metadata.name': 'team-b', team: 'b', env: 'dev' } },
];
const IMAGES = [
  { names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 187_000_000 },
  { names: ['docker.io/library/redis:7', 'redis:7'], sizeBytes: 117_000_000 },
  { names: ['registry.k8s.io/pause:3.10'], sizeBytes: 320_000 },
  { names: ['example.com/ml/trainer:2.1'], sizeBytes: 4_500_000_000 },
  { names: ['docker.io/library/postgres:16', 'postgres:16'], sizeBytes: 432_000_000 },
];
const POD_IMAGES = [
  'nginx:1.27',
  'redis:7',
  'registry.k8s.io/pause:3.10',
  'example.com/ml/trainer:2.1',
  'postgres:16',
  'busybox',
];
const PRIORITY_CLASSES: Obj[] = [
  { name: 'low', value: 100, preemptionPolicy: 'PreemptLowerPriority' },
  { name: 'mid', value: 1000, preemptionPolicy: 'PreemptLowerPriority' },
  { name: 'high', value: 10000, preemptionPolicy: 'PreemptLowerPriority' },
  { name: 'high-never', value: 10000, preemptionPolicy: 'Never' },
];
const CSI_DRIVER = 'ebs.csi.aws.com';
const TAINTS: Obj[] = [
  { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
  { key: 'dedicated', value: 'db', effect: 'NoExecute' },
  { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
  { key: 'maintenance', effect: 'NoSchedule' },
  { key: 'tier', value: '3', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
  { key: 'example.com/flaky', value: 'yes', effect: 'PreferNoSchedule' },
];

/** Millicores of a cpu quantity the generator writes ("250m", "2", "3500m"). */
function milli(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Math.ceil(Number(q) * 1000);
}

/** Mebibytes (rounded up) of a memory quantity the generator writes ("64Mi", "2Gi"). */
function mebi(q: string): number {
  if (q.endsWith('Gi')) return Number(q.slice(0, -2)) * 1024;
  if (q.endsWith('Mi')) return Number(q.slice(0, -2));
  return Math.ceil(Number(q) / 1048576);
}

/** A deterministic case: seed and index pick everything. */
export function generateCase(seed: number, index: number, opts: GenerateOptions = {}): Scenario {
  const rng = new Rng(((seed >>> 0) * 1_000_003 + index) >>> 0);
  const g = new CaseBuilder(rng, `fuzz/${seed}/${index}`, false);
  return g.build(opts);
}

/** A generated cluster for a real control plane: what to create, in dependency order. */
export interface PlacementCluster {
  /** Namespaces, PriorityClasses, RuntimeClass, CSIDriver, StorageClasses, PVs, CSINodes, PVCs, Services, PDBs, VolumeAttachments. */
  objects: Obj[];
  nodes: Obj[];
  /** Pods bound to their nodes (`spec.nodeName`). */
  pods: Obj[];
}

/** One workload pod to create, with the objects it needs created first (its claims and their PVs). */
export interface PlacementWorkload {
  pod: Obj;
  objects: Obj[];
}

/**
 * The generator in real-cluster mode (`npm run oracle:placement`): one cluster, then a stream of pods.
 * Everything it makes is something kube-apiserver accepts and the controllers can settle: no status
 * (kwok and the controllers write it), no terminating or finished pods, no claims only a missing
 * provisioner could satisfy, no generic ephemeral volumes (their claim appears after the pod: the
 * prediction before creation could not see it), no ReplicaSets (their controller would adopt pods),
 * PDBs by minAvailable (bare pods have no scale for maxUnavailable), no taints the node lifecycle
 * controller owns. A pure function of (seed, nodes) and the order of calls.
 */
export class PlacementGenerator {
  private readonly b: CaseBuilder;

  constructor(seed: number, nodes: number) {
    this.b = new CaseBuilder(new Rng(((seed >>> 0) * 2_000_029 + nodes) >>> 0), `placement/${seed}`, true);
    this.nodeCount = nodes;
  }

  private readonly nodeCount: number;

  /** The cluster (call once, first). */
  cluster(): PlacementCluster {
    return this.b.realCluster(this.nodeCount);
  }

  /** The `index`th workload pod (named `w-<index>`). */
  workload(index: number): PlacementWorkload {
    return this.b.realWorkload(`w-${index}`);
  }

  /** A number in [0, 1) from the same stream (for the run's churn decisions). */
  next(): number {
    return this.b.random();
  }
}

class CaseBuilder {
  private readonly objects: Obj[] = [];
  private readonly nodes: Obj[] = [];
  private readonly pods: Obj[] = [];
  private serial = 0;

  constructor(
    private readonly rng: Rng,
    private readonly id: string,
    /** Real-cluster mode (see `PlacementGenerator`); false keeps the fuzz cases exactly as they were. */
    private readonly real: boolean,
  ) {}

  random(): number {
    return this.rng.next();
  }

  realCluster(n: number): PlacementCluster {
    this.setup(n);
    const order = [
      'Namespace',
      'PriorityClass',
      'RuntimeClass',
      'CSIDriver',
      'StorageClass',
      'PersistentVolume',
      'CSINode',
      'PersistentVolumeClaim',
      'Service',
      'PodDisruptionBudget',
      'VolumeAttachment',
    ];
    const objects = [...this.objects].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    this.objects.length = 0;
    return { objects, nodes: this.nodes, pods: [...this.pods] };
  }

  realWorkload(name: string): PlacementWorkload {
    const pod = this.incomingPod();
    pod.metadata.name = name;
    const objects = this.objects.splice(0);
    return { pod, objects };
  }

  /** `fuzz` in fuzz mode, `real` in real-cluster mode (after the same random draws). */
  private realOnly<T>(fuzz: T, real: T): T {
    return this.real ? real : fuzz;
  }

  private chance(p: number): boolean {
    return this.rng.next() < p;
  }

  private between(lo: number, hi: number): number {
    return lo + this.rng.int(hi - lo + 1);
  }

  private some<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }

  private name(prefix: string): string {
    return `${prefix}-${++this.serial}`;
  }

  build(opts: GenerateOptions): Scenario {
    this.setup(opts.nodes);
    const pod = this.incomingPod();
    this.ephemeralClaims(pod);
    return {
      id: this.id,
      plugins: { filter: [], score: [] },
      profile: { schedulerName: 'default-scheduler' },
      pod: pod as never,
      nodes: this.nodes as never,
      existingPods: this.pods as never,
      objects: this.objects as never,
      expect: {},
    };
  }

  /** Namespaces, classes, storage, `nodes` nodes (2 to 12 when not given) with their pods, workload objects and attachments. */
  private setup(nodes: number | undefined): void {
    for (const ns of NAMESPACES)
      this.objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.name, labels: ns.labels } });
    for (const pc of PRIORITY_CLASSES)
      this.objects.push({
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: pc.name },
        value: pc.value,
        preemptionPolicy: pc.preemptionPolicy,
      });
    this.storage();
    this.runtimeClass();
    const n = nodes ?? this.between(2, 12);
    for (let i = 0; i < n; i++) this.nodes.push(this.node(i));
    for (const node of this.nodes) {
      const count = this.between(0, 4);
      for (let i = 0; i < count; i++) this.pods.push(this.existingPod(node));
    }
    this.workloadObjects();
    this.volumeAttachments();
  }

  // ---- nodes ----------------------------------------------------------------------------------

  private node(i: number): Obj {
    const name = `node-${i}`;
    const labels: Obj = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
    if (this.chance(0.9)) {
      labels['topology.kubernetes.io/region'] = 'region-1';
      labels['topology.kubernetes.io/zone'] = ZONES[i % ZONES.length]!;
    }
    if (this.chance(0.5)) labels['disktype'] = this.rng.pick(['ssd', 'hdd']);
    if (this.chance(0.6)) labels['tier'] = String(this.between(1, 5));
    if (this.chance(0.3)) labels['pool'] = this.rng.pick(['general', 'gpu', 'memory']);
    const cpu = this.rng.pick(['2', '4', '8', '3920m', '7910m']);
    const memory = this.rng.pick(['4Gi', '8Gi', '16Gi', '15Gi', '32Gi']);
    const allocatable: Obj = {
      cpu,
      memory,
      pods: this.rng.pick(['8', '20', '110']),
      'ephemeral-storage': this.rng.pick(['20Gi', '100Gi']),
    };
    if (this.chance(0.3)) allocatable['example.com/foo'] = String(this.between(0, 4));
    if (this.chance(0.25)) allocatable['nvidia.com/gpu'] = String(this.between(1, 4));
    if (this.chance(0.2)) allocatable['hugepages-2Mi'] = this.rng.pick(['256Mi', '1Gi']);
    const spec: Obj = {};
    // A real cluster run keeps most nodes open, so large clusters have hundreds of feasible nodes and
    // kube-scheduler's sampled search (percentageOfNodesToScore) happens.
    const taints = this.some(TAINTS, this.real ? 0.03 : 0.12).filter(
      (t) => !this.real || !String(t.key).startsWith('node.kubernetes.io/'),
    );
    if (taints.length > 0) spec['taints'] = taints.map((t) => ({ ...t }));
    if (this.chance(this.real ? 0.02 : 0.08)) spec['unschedulable'] = true;
    const images = this.some(IMAGES, 0.4).map((im) => ({ names: [...im.names], sizeBytes: im.sizeBytes }));
    const status: Obj = {
      capacity: { ...allocatable },
      allocatable,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      nodeInfo: { kubeletVersion: 'v1.37.2', osImage: 'Debian', architecture: 'amd64', operatingSystem: 'linux' },
    };
    if (images.length > 0) status['images'] = images;
    if (this.chance(0.5)) {
      // CSINode: the attach limit of the CSI driver (and the in-tree EBS plugin migrated to it).
      this.objects.push({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'CSINode',
        metadata: {
          name,
          annotations: { 'storage.alpha.kubernetes.io/migrated-plugins': 'kubernetes.io/aws-ebs' },
        },
        spec: {
          drivers: [
            {
              name: CSI_DRIVER,
              nodeID: `i-${name}`,
              topologyKeys: ['topology.kubernetes.io/zone'],
              allocatable: { count: this.between(1, 3) },
            },
          ],
        },
      });
    }
    return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec, status };
  }

  // ---- storage ---------------------------------------------------------------------------------

  private storageClasses: string[] = [];
  /** CSI PVs to attach to random nodes with VolumeAttachments once the nodes exist. */
  private readonly attachments: string[] = [];
  private freePVs: Obj[] = [];

  private storage(): void {
    // VolumeLimitScaling (v1.37): a driver may refuse nodes whose CSINode does not list it.
    const csiDriverSpec: Obj = { attachRequired: true, podInfoOnMount: false };
    if (this.chance(0.2)) csiDriverSpec['preventPodSchedulingIfMissing'] = true;
    this.objects.push({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: CSI_DRIVER },
      spec: csiDriverSpec,
    });
    const classes: Obj[] = [
      { name: 'wffc', provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
      { name: 'immediate', provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' },
      { name: 'ebs', provisioner: CSI_DRIVER, volumeBindingMode: 'WaitForFirstConsumer' },
      // An in-tree provisioner: its claims count against the CSI driver it migrated to.
      { name: 'gp2', provisioner: 'kubernetes.io/aws-ebs', volumeBindingMode: 'WaitForFirstConsumer' },
    ];
    for (const c of classes) {
      this.storageClasses.push(c.name);
      this.objects.push({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: c.name },
        provisioner: c.provisioner,
        volumeBindingMode: c.volumeBindingMode,
        reclaimPolicy: 'Delete',
      });
    }
    // Available local PVs for WaitForFirstConsumer claims, each pinned to a zone.
    const count = this.between(0, 4);
    for (let i = 0; i < count; i++) {
      const pv = this.pv(this.name('pv-free'), 'wffc', this.rng.pick(ZONES), this.rng.pick(['1Gi', '5Gi', '10Gi']));
      this.freePVs.push(pv);
      this.objects.push(pv);
    }
  }

  private pv(
    name: string,
    storageClassName: string,
    zone: string | undefined,
    size: string,
    csi: boolean | 'in-tree' = false,
  ): Obj {
    const spec: Obj = {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName,
    };
    if (csi === 'in-tree')
      spec['awsElasticBlockStore'] = { volumeID: `aws://${zone ?? ZONES[0]}/vol-${this.rng.hex(8)}`, fsType: 'ext4' };
    else if (csi) spec['csi'] = { driver: CSI_DRIVER, volumeHandle: `vol-${name}`, fsType: 'ext4' };
    else spec['local'] = { path: `/mnt/${name}` };
    if (zone !== undefined || !csi)
      spec['nodeAffinity'] = {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone ?? ZONES[0]!] }] },
          ],
        },
      };
    return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec, status: { phase: 'Available' } };
  }

  /** A claim bound to a new PV (zone-pinned or CSI), as the PV controller leaves them. */
  private boundClaim(
    namespace: string,
    zone: string | undefined,
    accessMode = 'ReadWriteOnce',
    csi: boolean | 'in-tree' = false,
  ): string {
    const claim = this.name('data');
    const pvName = this.name('pv');
    const pv = this.pv(pvName, csi === 'in-tree' ? 'gp2' : csi ? 'ebs' : 'immediate', zone, '10Gi', csi);
    if (csi && this.chance(0.3)) {
      // Attached to some node by the attach/detach controller (in use, or not yet detached).
      this.attachments.push(pvName);
    }
    pv.spec.accessModes = [accessMode];
    pv.spec.claimRef = { kind: 'PersistentVolumeClaim', namespace, name: claim, apiVersion: 'v1' };
    pv.status = { phase: 'Bound' };
    this.objects.push(pv);
    this.objects.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claim,
        namespace,
        annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' },
      },
      spec: {
        accessModes: [accessMode],
        resources: { requests: { storage: '10Gi' } },
        storageClassName: pv.spec.storageClassName,
        volumeName: pvName,
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound', accessModes: [accessMode], capacity: { storage: '10Gi' } },
    });
    return claim;
  }

  /** A pending claim (WaitForFirstConsumer, local or provisioned). */
  private pendingClaim(namespace: string): string {
    const claim = this.name('scratch');
    this.objects.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claim, namespace },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: this.rng.pick(['1Gi', '5Gi', '20Gi']) } },
        storageClassName: this.realOnly(this.rng.pick(['wffc', 'ebs', 'gp2']), 'wffc'),
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Pending' },
    });
    return claim;
  }

  /** In-tree inline volumes of the plugins that migrated to CSI (and two that are never counted). */
  private inlineVolumes(): Obj[] {
    return [
      { name: 'pd', gcePersistentDisk: { pdName: `disk-${this.rng.hex(6)}`, fsType: 'ext4' } },
      { name: 'cinder', cinder: { volumeID: this.rng.uuid() } },
      {
        name: 'azure',
        azureDisk: {
          diskName: 'd1',
          diskURI: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/disks/d${this.rng.hex(4)}`,
          kind: 'Managed',
        },
      },
      { name: 'px', portworxVolume: { volumeID: `px-${this.rng.hex(6)}` } },
      { name: 'vsphere', vsphereVolume: { volumePath: `[datastore1] volumes/${this.rng.hex(6)}.vmdk` } },
    ];
  }

  private claimTemplate(): Obj {
    return {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: this.rng.pick(['ebs', 'wffc', 'gp2']),
      volumeMode: 'Filesystem',
    };
  }

  /** The PVC the ephemeral-volume controller creates for a pod's generic ephemeral volume. */
  private ephemeralClaims(pod: Obj): void {
    for (const v of (pod.spec.volumes ?? []) as Obj[]) {
      if (v['ephemeral'] === undefined || !this.chance(0.7)) continue; // else: not created yet
      this.objects.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: `${pod.metadata.name}-${v['name']}`,
          namespace: pod.metadata.namespace,
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'Pod',
              name: pod.metadata.name,
              uid: pod.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: v['ephemeral'].volumeClaimTemplate.spec,
        status: { phase: 'Pending' },
      });
    }
  }

  /** VolumeAttachments of the CSI PVs chosen in `boundClaim`, each to a random node. */
  private volumeAttachments(): void {
    for (const pv of this.attachments) {
      const node = this.rng.pick(this.nodes).metadata.name as string;
      this.objects.push({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'VolumeAttachment',
        metadata: { name: `csi-${this.rng.hex(16)}` },
        spec: { attacher: CSI_DRIVER, nodeName: node, source: { persistentVolumeName: pv } },
        status: { attached: true },
      });
    }
  }

  /** A RuntimeClass with pod overhead (admission copies it into pods that name it). */
  private runtimeClass(): void {
    this.objects.push({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'kata' },
      handler: 'kata',
      overhead: { podFixed: { cpu: this.rng.pick(['100m', '250m']), memory: this.rng.pick(['64Mi', '160Mi']) } },
    });
  }

  // ---- pods -----------------------------------------------------------------------------------

  private resources(big: boolean): Obj {
    const r: Obj = {};
    const requests: Obj = {};
    if (this.chance(0.85))
      requests['cpu'] = this.rng.pick(big ? ['1', '2', '3500m', '6'] : ['50m', '100m', '250m', '500m', '1']);
    if (this.chance(0.85))
      requests['memory'] = this.rng.pick(big ? ['2Gi', '6Gi', '12Gi', '30Gi'] : ['64Mi', '128Mi', '512Mi', '1Gi']);
    if (this.chance(0.15)) requests['ephemeral-storage'] = this.rng.pick(['1Gi', '10Gi', '50Gi']);
    if (this.chance(0.15)) requests['example.com/foo'] = String(this.between(1, 3));
    if (this.chance(0.12)) requests['nvidia.com/gpu'] = String(this.between(1, 2));
    const limits: Obj = {};
    // Extended resources must have limits equal to requests (core validation).
    for (const k of ['example.com/foo', 'nvidia.com/gpu']) if (requests[k] !== undefined) limits[k] = requests[k];
    if (this.chance(0.1) && (requests['cpu'] !== undefined || requests['memory'] !== undefined)) {
      // Hugepages need cpu or memory requests, and limits equal to requests.
      requests['hugepages-2Mi'] = this.rng.pick(['128Mi', '512Mi']);
      limits['hugepages-2Mi'] = requests['hugepages-2Mi'];
    }
    if (this.chance(0.2) && requests['cpu'] !== undefined) limits['cpu'] = requests['cpu'];
    if (Object.keys(requests).length > 0) r['requests'] = requests;
    if (Object.keys(limits).length > 0) r['limits'] = limits;
    return r;
  }

  private container(name: string, big: boolean, ports = false): Obj {
    const c: Obj = { name, image: this.rng.pick(POD_IMAGES) };
    const res = this.resources(big);
    if (Object.keys(res).length > 0) c['resources'] = res;
    if (ports && this.chance(0.25)) {
      const port: Obj = { containerPort: this.rng.pick([80, 8080, 9000]), hostPort: this.rng.pick([80, 8080, 9000]) };
      if (this.chance(0.3)) port['protocol'] = 'UDP';
      if (this.chance(0.2)) port['hostIP'] = this.rng.pick(['127.0.0.1', '10.0.0.5']);
      c['ports'] = [port];
    }
    return c;
  }

  private labels(): Obj {
    const l: Obj = { app: this.rng.pick(APPS) };
    if (this.chance(0.5)) l['tier'] = this.rng.pick(['frontend', 'backend']);
    if (this.chance(0.3)) l['version'] = this.rng.pick(['v1', 'v2']);
    return l;
  }

  private selector(): Obj {
    const r = this.rng.int(4);
    if (r === 0) return { matchLabels: { app: this.rng.pick(APPS) } };
    if (r === 1)
      return { matchExpressions: [{ key: 'app', operator: 'In', values: this.some(APPS, 0.5).concat(['web']) }] };
    if (r === 2) return { matchExpressions: [{ key: 'tier', operator: this.rng.pick(['Exists', 'DoesNotExist']) }] };
    return {
      matchLabels: { app: this.rng.pick(APPS) },
      matchExpressions: [{ key: 'version', operator: 'NotIn', values: ['v2'] }],
    };
  }

  private affinityTerm(): Obj {
    const t: Obj = {
      labelSelector: this.selector(),
      topologyKey: this.rng.pick(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']),
    };
    const r = this.rng.int(5);
    if (r === 0) t['namespaces'] = this.some(['default', 'team-a', 'team-b'], 0.5).concat(['team-a']);
    else if (r === 1) t['namespaceSelector'] = {};
    else if (r === 2) t['namespaceSelector'] = { matchLabels: { env: this.rng.pick(['prod', 'dev']) } };
    if (this.chance(0.15) && !JSON.stringify(t['labelSelector']).includes('"version"'))
      t['matchLabelKeys'] = ['version'];
    return t;
  }

  private podAffinity(): Obj | undefined {
    const out: Obj = {};
    if (this.chance(0.2)) {
      const a: Obj = {};
      if (this.chance(0.5)) a['requiredDuringSchedulingIgnoredDuringExecution'] = [this.affinityTerm()];
      if (this.chance(0.6))
        a['preferredDuringSchedulingIgnoredDuringExecution'] = [
          { weight: this.between(1, 100), podAffinityTerm: this.affinityTerm() },
        ];
      if (Object.keys(a).length > 0) out['podAffinity'] = a;
    }
    if (this.chance(0.25)) {
      const a: Obj = {};
      if (this.chance(0.5)) a['requiredDuringSchedulingIgnoredDuringExecution'] = [this.affinityTerm()];
      if (this.chance(0.6))
        a['preferredDuringSchedulingIgnoredDuringExecution'] = [
          { weight: this.between(1, 100), podAffinityTerm: this.affinityTerm() },
        ];
      if (Object.keys(a).length > 0) out['podAntiAffinity'] = a;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private nodeSelectorRequirement(): Obj {
    const r = this.rng.int(7);
    if (r === 0) return { key: 'disktype', operator: 'In', values: [this.rng.pick(['ssd', 'hdd'])] };
    if (r === 1) return { key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: [this.rng.pick(ZONES)] };
    if (r === 2) return { key: 'pool', operator: 'Exists' };
    if (r === 3) return { key: 'pool', operator: 'DoesNotExist' };
    if (r === 4) return { key: 'tier', operator: 'Gt', values: [String(this.between(0, 4))] };
    if (r === 5) return { key: 'tier', operator: 'Lt', values: [String(this.between(2, 6))] };
    return {
      key: 'topology.kubernetes.io/zone',
      operator: 'In',
      values: this.some(ZONES, 0.5).concat([this.rng.pick(ZONES)]),
    };
  }

  private nodeAffinity(): Obj | undefined {
    const out: Obj = {};
    if (this.chance(0.25)) {
      const terms: Obj[] = [];
      const count = this.between(1, 2);
      for (let i = 0; i < count; i++) {
        const term: Obj = {};
        if (this.chance(0.85)) term['matchExpressions'] = [this.nodeSelectorRequirement()];
        if (this.chance(0.15) || term['matchExpressions'] === undefined)
          term['matchFields'] = [
            { key: 'metadata.name', operator: this.rng.pick(['In', 'NotIn']), values: [`node-${this.rng.int(6)}`] },
          ];
        terms.push(term);
      }
      out['requiredDuringSchedulingIgnoredDuringExecution'] = { nodeSelectorTerms: terms };
    }
    if (this.chance(0.3)) {
      out['preferredDuringSchedulingIgnoredDuringExecution'] = Array.from({ length: this.between(1, 2) }, () => ({
        weight: this.between(1, 100),
        preference: { matchExpressions: [this.nodeSelectorRequirement()] },
      }));
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private tolerations(): Obj[] | undefined {
    if (!this.chance(0.35)) return undefined;
    const out: Obj[] = [];
    for (const t of this.some(TAINTS, 0.3)) {
      const r = this.rng.int(4);
      if (r === 0) out.push({ key: t.key, operator: 'Exists', ...(this.chance(0.5) ? { effect: t.effect } : {}) });
      else if (r === 1 && t.value !== undefined)
        out.push({ key: t.key, operator: 'Equal', value: t.value, effect: t.effect });
      else if (r === 2)
        out.push({
          key: t.key,
          operator: 'Equal',
          value: t.value ?? '',
          ...(this.chance(0.5) ? { effect: t.effect } : {}),
        });
      else out.push({ key: t.key, operator: 'Exists' });
    }
    if (this.chance(0.05)) out.push({ operator: 'Exists' });
    return out.length > 0 ? out : undefined;
  }

  private spread(labels: Obj): Obj[] | undefined {
    if (!this.chance(0.3)) return undefined;
    const used = new Set<string>();
    return Array.from({ length: this.between(1, 2) }, () => {
      // Validation forbids two constraints with the same topologyKey and whenUnsatisfiable.
      let topologyKey: string;
      let whenUnsatisfiable: string;
      do {
        topologyKey = this.rng.pick(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
        whenUnsatisfiable = this.rng.pick(['DoNotSchedule', 'ScheduleAnyway']);
      } while (used.has(`${topologyKey}|${whenUnsatisfiable}`));
      used.add(`${topologyKey}|${whenUnsatisfiable}`);
      const c: Obj = {
        maxSkew: this.between(1, 3),
        topologyKey,
        whenUnsatisfiable,
        labelSelector: this.chance(0.8) ? { matchLabels: { app: labels['app'] } } : this.selector(),
      };
      if (whenUnsatisfiable === 'DoNotSchedule' && this.chance(0.3)) c['minDomains'] = this.between(1, 4);
      if (this.chance(0.3)) c['nodeAffinityPolicy'] = this.rng.pick(['Honor', 'Ignore']);
      if (this.chance(0.3)) c['nodeTaintsPolicy'] = this.rng.pick(['Honor', 'Ignore']);
      if (this.chance(0.2) && !JSON.stringify(c['labelSelector']).includes('"version"'))
        c['matchLabelKeys'] = ['version'];
      return c;
    });
  }

  private podSpec(big: boolean, namespace: string, zoneHint: string | undefined, pending: boolean): Obj {
    void pending;
    const containers = [this.container('app', big, true)];
    if (this.chance(0.25)) containers.push(this.container('sidecar', false));
    const spec: Obj = { containers };
    if (this.chance(0.2)) {
      const init = this.container('init', this.chance(0.5));
      delete init['ports'];
      const inits = [init];
      if (this.chance(0.5)) {
        const sidecar = this.container('log-shipper', false);
        delete sidecar['ports'];
        sidecar['restartPolicy'] = 'Always';
        inits.push(sidecar);
      }
      spec['initContainers'] = this.chance(0.5) ? inits : inits.reverse();
    }
    if (this.chance(0.1)) {
      // Pod-level requests: validation wants them at least the containers' sum.
      // (Every container counted, init ones too: at least the aggregate whatever their order.)
      const all: Obj[] = [...containers, ...((spec['initContainers'] as Obj[] | undefined) ?? [])];
      const sum = (res: string, unit: (q: string) => number): number =>
        all.reduce((n, c) => n + unit(c.resources?.requests?.[res] ?? '0'), 0);
      const cpuMilli = Math.max(sum('cpu', milli), this.rng.pick([500, 2000, 4000]));
      const memMi = Math.max(sum('memory', mebi), this.rng.pick([512, 4096, 16384]));
      spec['resources'] = { requests: { cpu: `${cpuMilli}m`, memory: `${memMi}Mi` } };
    }
    if (this.chance(pending ? 0.45 : 0.3)) {
      // Incoming pods lean to higher classes, so preemption has work to do.
      const pc = pending ? this.rng.pick([...PRIORITY_CLASSES, PRIORITY_CLASSES[2]!]) : this.rng.pick(PRIORITY_CLASSES);
      spec['priorityClassName'] = pc.name;
    }
    if (this.chance(0.08)) spec['runtimeClassName'] = 'kata';
    if (this.chance(0.05)) {
      // With the host network a declared hostPort must equal its containerPort (validation);
      // defaulting fills it in when absent.
      spec['hostNetwork'] = true;
      for (const c of containers) for (const port of (c['ports'] ?? []) as Obj[]) delete port['hostPort'];
    }
    if (this.chance(0.15)) spec['nodeSelector'] = { disktype: this.rng.pick(['ssd', 'hdd']) };
    const na = pending ? this.nodeAffinity() : undefined;
    const pa = this.podAffinity();
    if (na !== undefined || pa !== undefined) spec['affinity'] = { ...(na ? { nodeAffinity: na } : {}), ...(pa ?? {}) };
    const tol = this.tolerations();
    if (tol) spec['tolerations'] = tol;
    const volumes: Obj[] = [];
    if (this.chance(0.25)) {
      const r = this.rng.int(9);
      if (r === 0)
        volumes.push({ name: 'data', persistentVolumeClaim: { claimName: this.boundClaim(namespace, zoneHint) } });
      else if (r === 1 && pending)
        volumes.push({ name: 'data', persistentVolumeClaim: { claimName: this.pendingClaim(namespace) } });
      else if (r === 2)
        volumes.push({
          name: 'data',
          persistentVolumeClaim: { claimName: this.boundClaim(namespace, zoneHint, 'ReadWriteOncePod') },
        });
      else if (r === 3)
        volumes.push({ name: 'ebs', awsElasticBlockStore: { volumeID: `vol-${this.rng.hex(8)}`, fsType: 'ext4' } });
      else if (r === 4)
        volumes.push({
          name: 'data',
          persistentVolumeClaim: { claimName: this.boundClaim(namespace, zoneHint, 'ReadWriteOnce', true) },
        });
      else if (r === 5)
        volumes.push({
          name: 'legacy',
          persistentVolumeClaim: { claimName: this.boundClaim(namespace, zoneHint, 'ReadWriteOnce', 'in-tree') },
        });
      else if (r === 6) volumes.push(this.rng.pick(this.inlineVolumes()));
      else if (r === 7 && pending) {
        const template = this.claimTemplate();
        if (this.real) volumes.push({ name: 'scratch', emptyDir: {} });
        else volumes.push({ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: template } } });
      } else
        volumes.push({
          name: 'ebs',
          awsElasticBlockStore: { volumeID: `aws://${zoneHint ?? ZONES[0]}/vol-${this.rng.hex(8)}` },
        });
    }
    if (this.chance(0.1)) volumes.push({ name: 'cache', emptyDir: {} });
    if (volumes.length > 0) spec['volumes'] = volumes;
    return spec;
  }

  private existingPod(node: Obj): Obj {
    const namespace = this.rng.pick(NAMESPACES).name as string;
    const labels = this.labels();
    const spec = this.podSpec(false, namespace, node.metadata.labels['topology.kubernetes.io/zone'], false);
    spec['nodeName'] = node.metadata.name;
    // A pod the scheduler placed respected the node's taints; mimic that with a toleration of each.
    const taints: Obj[] = node.spec.taints ?? [];
    if (taints.length > 0)
      spec['tolerations'] = [
        ...(spec['tolerations'] ?? []),
        ...taints.map((t) => ({ key: t.key, operator: 'Exists' })),
      ];
    if (spec['affinity']?.nodeAffinity) delete spec['affinity'].nodeAffinity;
    const meta: Obj = { name: this.name(`${labels['app']}`), namespace, labels, uid: this.rng.uuid() };
    if (this.chance(0.05)) {
      meta['deletionTimestamp'] = '2026-12-01T10:00:00Z';
      meta['deletionGracePeriodSeconds'] = 30;
    }
    const started = new Date(Date.UTC(2026, 10, 1) + this.rng.int(30 * 86_400) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
    // A finished pod stays bound to its node; the scheduler no longer counts it.
    const finished = this.chance(0.04) ? this.rng.pick(['Succeeded', 'Failed']) : 'Running';
    const phase = this.realOnly(finished, 'Running');
    if (this.real) delete meta['deletionTimestamp'];
    if (this.real) delete meta['deletionGracePeriodSeconds'];
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta,
      spec,
      status: {
        phase,
        startTime: started,
        conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }],
      },
    };
  }

  private incomingPod(): Obj {
    const namespace = this.rng.pick(NAMESPACES).name as string;
    const labels = this.labels();
    // A real cluster keeps its pods: mostly small ones, so it fills slowly and large searches happen.
    const big = this.chance(0.4);
    const spec = this.podSpec(this.real ? big && this.chance(0.25) : big, namespace, this.rng.pick(ZONES), true);
    const tsc = this.spread(labels);
    if (tsc) spec['topologySpreadConstraints'] = tsc;
    // After a preemption the pod comes back nominated to a node.
    const nominated: Obj = this.chance(0.05) ? { nominatedNodeName: this.rng.pick(this.nodes).metadata.name } : {};
    const status = this.realOnly(nominated, {});
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'incoming', namespace, labels, uid: this.rng.uuid() },
      spec,
      status,
    };
  }

  /** Services, ReplicaSets and PDBs over the existing pods' labels (default spreading, preemption). */
  private workloadObjects(): void {
    for (const app of this.some(APPS, 0.4)) {
      const namespace = this.rng.pick(NAMESPACES).name as string;
      if (this.chance(0.5) || this.real)
        this.objects.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `${app}-svc`, namespace },
          spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], type: 'ClusterIP' },
        });
      else
        this.objects.push({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: `${app}-rs`, namespace },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app } },
            template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
          },
        });
    }
    for (const app of this.some(APPS, 0.3)) {
      const namespace = this.rng.pick(NAMESPACES).name as string;
      const matching = this.pods.filter((p) => p.metadata.namespace === namespace && p.metadata.labels?.app === app);
      const healthy = matching.length;
      const allowed = this.between(0, Math.min(1, healthy));
      const spec: Obj = { selector: { matchLabels: { app } } };
      if (this.chance(0.5) || this.real) spec['minAvailable'] = Math.max(0, healthy - allowed);
      else spec['maxUnavailable'] = allowed;
      this.objects.push({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: `${app}-pdb`, namespace, generation: 1 },
        spec,
        status: {
          observedGeneration: 1,
          disruptionsAllowed: allowed,
          currentHealthy: healthy,
          desiredHealthy: healthy - allowed,
          expectedPods: healthy,
        },
      });
    }
  }
}
