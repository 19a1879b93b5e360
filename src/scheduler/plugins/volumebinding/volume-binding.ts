/**
 * VolumeBinding, after pkg/scheduler/framework/plugins/volumebinding/{volume_binding.go,binder.go,scorer.go}.
 *
 * Contract:
 * - PreFilter: pods without claims write empty state and Skip. A missing claim is UU with
 *   `persistentvolumeclaim "<name>" not found` (ephemeral: `waiting for ephemeral volume
 *   controller to create the persistentvolumeclaim "<name>"`). Unbound claims whose class is not
 *   WaitForFirstConsumer give UU `pod has unbound immediate PersistentVolumeClaims`. Bound
 *   claims whose PVs pin `kubernetes.io/hostname In [...]` restrict the nodes (PreFilterResult).
 * - Filter (`FindPodVolumes`): bound claims must have their PV (else `ErrReasonPVNotExist`) and
 *   its node affinity must match (else `ErrReasonNodeConflict`); delayed-binding claims need a
 *   matching available PV or a provisioner whose class topology and CSIStorageCapacity fit
 *   (else `ErrReasonBindConflict` / `ErrReasonNotEnoughSpace`). Reasons are UU, in upstream order.
 * - PreScore never Skips (StorageCapacityScoring is on); Score is 0 for nodes without volume
 *   decisions (every pod without claims) and otherwise the shape score of class utilisation.
 *
 * Simplifications: a claim with `spec.volumeName` counts as bound (no bind-completed annotation
 * needed); static PV matching picks the smallest fitting Available PV (claimRef pre-binding
 * honoured); CSI migration of in-tree PVs is not modelled.
 */
import type { KubeObject, Node, Pod } from '../../../kube-api/types';
import type { CycleState, StateData } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  Handle,
  NodeInfo,
  PluginFactoryArgs,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/interface';
import { labelSelectorAsSelector, isSelectorError } from '../../../kube-api/labels';
import { Status } from '../../framework/status';
import { isQuantityError, parseQuantity, valueBig } from '../../../kube-api/quantity';
import {
  ANN_SELECTED_NODE,
  NOT_SUPPORTED_PROVISIONER,
  claimClass,
  claimRequest,
  getClaim,
  getStorageClass,
  getVolume,
  isClaimBound,
  notFoundMessage,
  podClaims,
  volumeCapacity,
  volumeClass,
  volumeFitsNode,
  volumeIsForPod,
} from './storage';
import { translatedForBinding } from '../helper/csi-migration';

/** The plugin name. */
const NAME = 'VolumeBinding';
/** Upstream `ErrReasonBindConflict`. */
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
/** Upstream `ErrReasonNodeConflict`. */
export const ERR_REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity";
/** Upstream `ErrReasonNotEnoughSpace`. */
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
/** Upstream `ErrReasonPVNotExist`. */
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
/** The PreFilter reason for unbound claims with Immediate binding. */
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

const STATE_KEY = NAME;
const ZERO_SCORE: { score: number; status: Status | null } = Object.freeze({ score: 0, status: null }) as {
  score: number;
  status: Status | null;
};
const MAX_UTILIZATION = 100;

interface PodVolumeClaims {
  boundClaims: KubeObject[];
  unboundClaimsDelayBinding: KubeObject[];
  unboundClaimsImmediate: KubeObject[];
}

interface StaticBinding {
  pvc: KubeObject;
  pv: KubeObject;
}

interface DynamicProvision {
  pvc: KubeObject;
  /** The CSIStorageCapacity capacity in bytes that admitted the claim, when capacity is tracked. */
  nodeCapacity?: bigint;
}

interface PodVolumes {
  staticBindings: StaticBinding[];
  dynamicProvisions: DynamicProvision[];
}

class VolumeBindingState implements StateData {
  podVolumesByNode = new Map<string, PodVolumes>();
  hasStaticBindings = false;
  constructor(readonly claims: PodVolumeClaims | undefined) {}
  clone(): VolumeBindingState {
    // Upstream shares the state between clones (it is only written in Filter).
    return this;
  }
}

/** `GetLocalPersistentVolumeNodeNames`: union over terms of the `kubernetes.io/hostname In` intersections. */
function localVolumeNodeNames(pv: KubeObject): string[] {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!Array.isArray(terms)) return [];
  const result = new Set<string>();
  for (const t of terms) {
    let nodes: Set<string> | undefined;
    for (const e of t?.matchExpressions ?? []) {
      if (e?.key === 'kubernetes.io/hostname' && e?.operator === 'In') {
        const vals = new Set<string>(Array.isArray(e.values) ? e.values : []);
        nodes = nodes === undefined ? vals : new Set([...nodes].filter((x) => vals.has(x)));
      }
    }
    for (const n of nodes ?? []) result.add(n);
  }
  return [...result].sort();
}

/** `MatchTopologySelectorTerms`: no terms match everything; otherwise some term's expressions all match. */
function matchTopologySelectorTerms(terms: unknown, labels: Record<string, string>): boolean {
  if (!Array.isArray(terms) || terms.length === 0) return true;
  return terms.some((t) =>
    (t?.matchLabelExpressions ?? []).every(
      (e: { key: string; values?: string[] }) =>
        labels[e.key] !== undefined && (e.values ?? []).includes(labels[e.key]!),
    ),
  );
}

function modes(x: KubeObject): string[] {
  const m = x.spec?.accessModes;
  return Array.isArray(m) ? m : [];
}

/** The VolumeBinding plugin. */
export class VolumeBinding implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  private readonly shape: { utilization: number; score: number }[];
  private scoreCycle: CycleState | undefined;
  private scoreState: VolumeBindingState | undefined;

  constructor(
    private readonly handle: Handle,
    args: Record<string, unknown> | undefined,
  ) {
    const s = Array.isArray(args?.['shape'])
      ? (args!['shape'] as { utilization: number; score: number }[])
      : [
          { utilization: 0, score: 10 },
          { utilization: 100, score: 0 },
        ];
    // Shape scores are 0..10 in the config and scaled to 0..100 (MaxNodeScore / MaxCustomPriorityScore).
    this.shape = s.map((p) => ({ utilization: p.utilization, score: p.score * 10 }));
  }

  preFilter(
    state: CycleState,
    pod: Pod,
    _nodes?: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const claims = podClaims(pod);
    if (claims.length === 0) {
      state.write(STATE_KEY, new VolumeBindingState(undefined));
      return { status: Status.skip() };
    }
    const pvc: PodVolumeClaims = { boundClaims: [], unboundClaimsDelayBinding: [], unboundClaimsImmediate: [] };
    // `podHasPVCs`: any problem with a claim rejects the pod UnschedulableAndUnresolvable.
    for (const c of claims) {
      const obj = getClaim(this.handle, pod, c.name);
      if (!obj) {
        const msg = c.ephemeral
          ? `waiting for ephemeral volume controller to create the persistentvolumeclaim ${JSON.stringify(c.name)}`
          : notFoundMessage('persistentvolumeclaim', c.name);
        return { status: Status.unresolvable(msg) };
      }
      if (obj.status?.phase === 'Lost') {
        return {
          status: Status.unresolvable(
            `persistentvolumeclaim ${JSON.stringify(c.name)} bound to non-existent persistentvolume ${JSON.stringify(obj.spec?.volumeName ?? '')}`,
          ),
        };
      }
      if (obj.metadata?.deletionTimestamp)
        return { status: Status.unresolvable(`persistentvolumeclaim ${JSON.stringify(c.name)} is being deleted`) };
      if (c.ephemeral) {
        const e = volumeIsForPod(pod, obj);
        if (e) return { status: Status.unresolvable(e) };
      }
      if (isClaimBound(obj)) {
        pvc.boundClaims.push(obj);
        continue;
      }
      const sc = claimClass(obj);
      const cls = sc === '' ? undefined : getStorageClass(this.handle, sc);
      if (cls && cls['volumeBindingMode'] === 'WaitForFirstConsumer') pvc.unboundClaimsDelayBinding.push(obj);
      else pvc.unboundClaimsImmediate.push(obj);
    }
    if (pvc.unboundClaimsImmediate.length > 0) return { status: Status.unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
    // `GetEligibleNodes`: only when every bound claim's PV exists.
    let eligible: Set<string> | undefined;
    let missing = false;
    for (const c of pvc.boundClaims) {
      const pv = getVolume(this.handle, c.spec.volumeName);
      if (!pv) {
        missing = true;
        continue;
      }
      const names = localVolumeNodeNames(pv);
      if (names.length === 0) continue;
      const s = new Set(names);
      eligible = eligible === undefined ? s : new Set([...eligible].filter((n) => s.has(n)));
    }
    state.write(STATE_KEY, new VolumeBindingState(pvc));
    if (!missing && eligible !== undefined) return { result: { nodeNames: eligible }, status: null };
    return { status: null };
  }

  /** `findMatchingVolumes` (simplified): the smallest Available PV that fits each claim on this node. */
  private findMatching(
    claims: KubeObject[],
    node: Node,
  ): { ok: boolean; bindings: StaticBinding[]; unbound: KubeObject[] } {
    const chosen = new Set<string>();
    const bindings: StaticBinding[] = [];
    const unbound: KubeObject[] = [];
    const pvs = this.handle.objects('PersistentVolume');
    for (const pvc of claims) {
      const cls = claimClass(pvc);
      const req = claimRequest(pvc);
      const want = modes(pvc);
      const sel = pvc.spec?.selector != null ? labelSelectorAsSelector(pvc.spec.selector) : undefined;
      let best: KubeObject | undefined;
      for (const pv of pvs) {
        const name = pv.metadata?.name ?? '';
        if (chosen.has(name)) continue;
        const ref = pv.spec?.claimRef;
        const prebound =
          ref != null && ref.name === pvc.metadata?.name && (ref.namespace ?? '') === (pvc.metadata?.namespace ?? '');
        if (ref != null && !prebound) continue;
        if (!prebound && pv.status?.phase !== undefined && pv.status.phase !== 'Available') continue;
        if (volumeClass(pv) !== cls) continue;
        if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) continue;
        if (!want.every((m) => modes(pv).includes(m))) continue;
        const cap = volumeCapacity(pv);
        if (cap < req) continue;
        if (sel && (isSelectorError(sel) || !sel.matches(pv.metadata?.labels))) continue;
        if (!volumeFitsNode(pv, node)) continue;
        if (prebound) {
          best = pv;
          break;
        }
        if (!best || cap < volumeCapacity(best)) best = pv;
      }
      if (best) {
        chosen.add(best.metadata?.name ?? '');
        bindings.push({ pvc, pv: best });
      } else {
        unbound.push(pvc);
      }
    }
    return { ok: true, bindings, unbound };
  }

  /** `checkVolumeProvisions`: [unboundSatisfied, sufficientStorage, provisions] or an error message. */
  private checkProvisions(claims: KubeObject[], node: Node): [boolean, boolean, DynamicProvision[]] | string {
    const provisions: DynamicProvision[] = [];
    const labels = node.metadata?.labels ?? {};
    for (const pvc of claims) {
      const key = `${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;
      const sc = claimClass(pvc);
      if (sc === '') return `no class for claim ${JSON.stringify(key)}`;
      const cls = getStorageClass(this.handle, sc);
      if (!cls) return `failed to find storage class ${JSON.stringify(sc)}`;
      const prov = typeof cls['provisioner'] === 'string' ? (cls['provisioner'] as string) : '';
      if (prov === '' || prov === NOT_SUPPORTED_PROVISIONER) return [false, true, []];
      if (!matchTopologySelectorTerms(cls['allowedTopologies'], labels)) return [false, true, []];
      const cap = this.capacityFor(prov, pvc, sc, node);
      if (cap === false) return [true, false, []];
      provisions.push(cap === true ? { pvc } : { pvc, nodeCapacity: cap });
    }
    return [true, true, provisions];
  }

  /**
   * `hasEnoughCapacity`: `true` when the driver does not track capacity; otherwise the capacity of
   * the first CSIStorageCapacity for the class whose topology matches the node and which is large
   * enough, or `false`.
   */
  private capacityFor(provisioner: string, pvc: KubeObject, sc: string, node: Node): bigint | boolean {
    const driver = this.handle.getObject('CSIDriver', undefined, provisioner);
    if (!driver || driver.spec?.storageCapacity !== true) return true;
    const req = claimRequest(pvc);
    for (const c of this.handle.objects('CSIStorageCapacity')) {
      if (c['storageClassName'] !== sc) continue;
      const top = c['nodeTopology'] as Record<string, unknown> | undefined;
      const sel = labelSelectorAsSelector(top as never);
      if (isSelectorError(sel) || !sel.matches(node.metadata?.labels)) continue;
      const raw = c['maximumVolumeSize'] ?? c['capacity'];
      const q = parseQuantity(raw ?? 0);
      const size = isQuantityError(q) ? 0n : valueBig(q);
      if (size >= req) {
        const capQ = parseQuantity(c['capacity'] ?? 0);
        return isQuantityError(capQ) ? 0n : valueBig(capQ);
      }
    }
    return false;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<VolumeBindingState>(STATE_KEY);
    if (!s) return Status.error(`cannot read ${JSON.stringify(STATE_KEY)} from cycleState`);
    const claims = s.claims;
    if (!claims) return null;
    const node = nodeInfo.node;
    let boundOk = true;
    let pvsFound = true;
    let unboundOk = true;
    let storageOk = true;
    const pv: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
    for (const c of claims.boundClaims) {
      const vol = getVolume(this.handle, c.spec.volumeName);
      if (!vol) {
        pvsFound = false;
        break;
      }
      // checkBoundClaims: an in-tree PV migrated on this node is checked with its CSI topology.
      const csiNode = this.handle.getObject('CSINode', undefined, nodeInfo.name);
      if (!volumeFitsNode(translatedForBinding(vol, csiNode), node)) {
        boundOk = false;
        break;
      }
    }
    if (claims.unboundClaimsDelayBinding.length > 0) {
      const toMatch: KubeObject[] = [];
      let toProvision: KubeObject[] = [];
      for (const c of claims.unboundClaimsDelayBinding) {
        const sel = c.metadata?.annotations?.[ANN_SELECTED_NODE];
        if (sel !== undefined) {
          if (sel !== nodeInfo.name) {
            unboundOk = false;
            break;
          }
          toProvision.push(c);
        } else toMatch.push(c);
      }
      if (unboundOk) {
        if (toMatch.length) {
          const m = this.findMatching(toMatch, node);
          pv.staticBindings = m.bindings;
          toProvision = toProvision.concat(m.unbound);
        }
        if (toProvision.length) {
          const r = this.checkProvisions(toProvision, node);
          if (typeof r === 'string') return Status.error(r);
          [unboundOk, storageOk, pv.dynamicProvisions] = r;
        }
      }
    }
    const reasons: string[] = [];
    if (!boundOk) reasons.push(ERR_REASON_NODE_CONFLICT);
    if (!unboundOk) reasons.push(ERR_REASON_BIND_CONFLICT);
    if (!storageOk) reasons.push(ERR_REASON_NOT_ENOUGH_SPACE);
    if (!pvsFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
    if (reasons.length) return Status.unresolvable(...reasons);
    s.podVolumesByNode.set(nodeInfo.name, pv);
    if (pv.staticBindings.length) s.hasStaticBindings = true;
    return null;
  }

  preScore(state: CycleState): Status | null {
    if (!state.read<VolumeBindingState>(STATE_KEY))
      return Status.error(`cannot read ${JSON.stringify(STATE_KEY)} from cycleState`);
    // StorageCapacityScoring is on by default in 1.37, so PreScore never Skips.
    return null;
  }

  /** The broken-linear shape over utilisation percent (`helper.BuildBrokenLinearFunction`). */
  private shapeScore(p: number): number {
    const s = this.shape;
    for (let i = 0; i < s.length; i++) {
      if (p <= s[i]!.utilization) {
        if (i === 0) return s[0]!.score;
        const a = s[i - 1]!;
        const b = s[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return s[s.length - 1]!.score;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    // The state is read once per cycle: Score runs once per node, and most pods have no claims.
    if (state !== this.scoreCycle) {
      this.scoreCycle = state;
      this.scoreState = state.read<VolumeBindingState>(STATE_KEY);
    }
    const s = this.scoreState;
    if (!s || s.podVolumesByNode.size === 0) return ZERO_SCORE;
    const pv = s.podVolumesByNode.get(nodeInfo.name);
    if (!pv) return ZERO_SCORE;
    const classes = new Map<string, { requested: bigint; capacity: bigint }>();
    if (pv.staticBindings.length) {
      for (const b of pv.staticBindings) {
        const c = classes.get(volumeClass(b.pv)) ?? { requested: 0n, capacity: 0n };
        c.requested += claimRequest(b.pvc);
        c.capacity += volumeCapacity(b.pv);
        classes.set(volumeClass(b.pv), c);
      }
    } else {
      for (const d of pv.dynamicProvisions) {
        if (d.nodeCapacity === undefined) continue;
        const cls = claimClass(d.pvc);
        const c = classes.get(cls) ?? { requested: 0n, capacity: 0n };
        c.capacity = d.nodeCapacity;
        c.requested += claimRequest(d.pvc);
        classes.set(cls, c);
      }
    }
    if (classes.size === 0) return { score: 0, status: null };
    let total = 0;
    for (const c of classes.values()) {
      const util =
        c.capacity === 0n || c.requested > c.capacity ? MAX_UTILIZATION : Number((c.requested * 100n) / c.capacity);
      total += this.shapeScore(util);
    }
    return { score: Math.round(total / classes.size), status: null };
  }

  /** Batch `score`: 0 for every node when the pod has no volume decisions (most pods), else `score` per node. */
  scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    const s = state.read<VolumeBindingState>(STATE_KEY);
    if (!s || s.podVolumesByNode.size === 0) {
      out.fill(0, 0, nodes.length);
      return null;
    }
    for (let i = 0; i < nodes.length; i++) {
      const r = this.score(state, pod, nodes[i]!);
      if (r.status != null && !r.status.isSuccess()) return r.status;
      out[i] = r.score;
    }
    return null;
  }
}

/** The plugin factory. */
export function create(a: PluginFactoryArgs): VolumeBinding {
  return new VolumeBinding(a.handle, a.args);
}
