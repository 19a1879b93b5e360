/**
 * The subset of Kubernetes v1 API objects the scheduler model reads, as plain JSON.
 *
 * These mirror the wire format (`kubectl get -o json`), not client-node's classes: the model
 * never depends on client-node at runtime. Every field is optional because input comes from
 * user manifests and snapshots that may be incomplete; plugins must tolerate absent fields.
 */

/** `metav1.ObjectMeta`: name, namespace, labels, annotations, uid, owner references, timestamps. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  deletionTimestamp?: string | null;
  creationTimestamp?: string;
  resourceVersion?: string;
}

/** `metav1.OwnerReference`: the controller that owns an object (spreading looks owners up). */
export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

/** A map of resource name to quantity string (or number, as YAML may give). */
export type ResourceList = Record<string, string | number>;

/** `v1.ResourceRequirements`: quantities as manifests write them (`"250m"`, `"1Gi"`, numbers). */
export interface ResourceRequirements {
  requests?: ResourceList;
  limits?: ResourceList;
}

/** `v1.ContainerPort`: a host port here is what NodePorts checks. */
export interface ContainerPort {
  name?: string;
  containerPort?: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

/** `v1.Container`: the fields scheduling reads (resources, ports, image, restartPolicy for sidecars). */
export interface Container {
  name?: string;
  image?: string;
  resources?: ResourceRequirements;
  ports?: ContainerPort[];
  restartPolicy?: string;
}

/** `metav1.LabelSelectorRequirement`: one `matchExpressions` entry. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** `metav1.LabelSelector`: compile it with `labelSelectorAsSelector` (labels.ts). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** `v1.NodeSelectorRequirement`: one matchExpressions / matchFields entry of a node selector term. */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** `v1.NodeSelectorTerm`: its requirements are ANDed. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** `v1.NodeSelector`: its terms are ORed. */
export interface NodeSelector {
  nodeSelectorTerms: NodeSelectorTerm[];
}

/** `v1.PreferredSchedulingTerm`: a weighted node selector term (NodeAffinity scoring). */
export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

/** `v1.NodeAffinity`: required and preferred node selector terms. */
export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** `v1.PodAffinityTerm`: pods matching the selector (in the namespaces) within one topology domain. */
export interface PodAffinityTerm {
  labelSelector?: LabelSelector | null;
  namespaces?: string[];
  topologyKey: string;
  namespaceSelector?: LabelSelector | null;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

/** `v1.WeightedPodAffinityTerm`: a preferred pod (anti-)affinity term with its weight. */
export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

/** `v1.PodAffinity` (also the shape of `v1.PodAntiAffinity`): required and preferred terms. */
export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/** `v1.Affinity`: node affinity, pod affinity and pod anti-affinity. */
export interface Affinity {
  nodeAffinity?: NodeAffinity;
  podAffinity?: PodAffinity;
  podAntiAffinity?: PodAffinity;
}

/** `v1.Toleration`: matched against taints by `tolerationsTolerateTaint` (tolerations.ts). */
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** `v1.TopologySpreadConstraint`: as written in the pod spec (PodTopologySpread compiles it). */
export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: LabelSelector | null;
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
  matchLabelKeys?: string[];
}

/** `v1.Volume`: the sources volume plugins read (claims, ephemeral volumes, in-tree disks). */
export interface Volume {
  name?: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  ephemeral?: unknown;
  [source: string]: unknown;
}

/** `v1.PodSpec`: what scheduling reads; other fields pass through untouched. */
export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  schedulerName?: string;
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: string;
  overhead?: ResourceList;
  resources?: ResourceRequirements;
  containers?: Container[];
  initContainers?: Container[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  volumes?: Volume[];
  schedulingGates?: { name: string }[];
  hostNetwork?: boolean;
  restartPolicy?: string;
}

/** `v1.ContainerStatus`: read for in-place resize (allocated and actual resources). */
export interface ContainerStatus {
  name?: string;
  resources?: ResourceRequirements;
}

/** `v1.PodStatus`: phase, nominated node, conditions and the resize status scheduling reads. */
export interface PodStatus {
  phase?: string;
  nominatedNodeName?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  resize?: string;
  resources?: ResourceRequirements;
}

/** `v1.Pod`. */
export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

/** `v1.Taint`: key, value and effect (`NoSchedule`, `PreferNoSchedule`, `NoExecute`). */
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** `v1.ContainerImage`: one image a node reports (ImageLocality). */
export interface ContainerImage {
  names?: string[];
  sizeBytes?: number;
}

/** `v1.Node`: labels, taints, unschedulable, allocatable and images. */
export interface Node {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: { unschedulable?: boolean; taints?: Taint[]; podCIDR?: string };
  status?: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    images?: ContainerImage[];
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** `v1.Namespace`: its labels answer pod affinity namespaceSelectors. */
export interface Namespace {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Any other object the snapshot holds (Service, ReplicaSet, PVC, ...): read by field path. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the spec of any kind, read by field path.
  spec?: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the status of any kind, read by field path.
  status?: any;
  [extra: string]: unknown;
}
