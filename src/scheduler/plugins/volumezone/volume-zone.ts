/**
 * VolumeZone, after pkg/scheduler/framework/plugins/volumezone/volume_zone.go.
 *
 * Contract: PreFilter collects the zone/region labels (beta and GA keys; values split on "__")
 * of the PVs bound to the pod's claims; it Skips when there are none. Unbound claims whose
 * StorageClass is WaitForFirstConsumer are ignored; other unbound claims, missing claims, PVs
 * or classes are UU with upstream's text. Filter passes nodes without any zone/region label
 * and otherwise fails with UU `ErrReasonConflict` when a PV's topology value is not the node's
 * (a PV's beta key also matches the node's GA key).
 */
import type { Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  Handle,
  NodeInfo,
  PluginFactoryArgs,
  PreFilterPlugin,
  PreFilterResult,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { claimClass, getClaim, getStorageClass, getVolume, notFoundMessage, podClaims } from '../volumebinding/storage';

/** The plugin name. */
const NAME = 'VolumeZone';
/** Upstream `ErrReasonConflict`. */
export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const GA_ZONE = 'topology.kubernetes.io/zone';
const GA_REGION = 'topology.kubernetes.io/region';
/** `topologyLabels`, in upstream order. */
const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, GA_ZONE, GA_REGION];
const STATE_KEY = `PreFilter${NAME}`;

interface PVTopology {
  pvName: string;
  key: string;
  values: Set<string>;
}

function translateToGALabel(key: string): string {
  if (key === BETA_REGION) return GA_REGION;
  if (key === BETA_ZONE) return GA_ZONE;
  return key;
}

/** The VolumeZone plugin. */
export class VolumeZone implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  /** `getPVbyPod`. */
  private topologies(pod: Pod): PVTopology[] | Status {
    const out: PVTopology[] = [];
    for (const c of podClaims(pod)) {
      if (c.name === '') return Status.unresolvable('PersistentVolumeClaim had no name');
      const pvc = getClaim(this.handle, pod, c.name);
      if (!pvc) return Status.unresolvable(notFoundMessage('persistentvolumeclaim', c.name));
      const pvName = pvc.spec?.volumeName;
      if (typeof pvName !== 'string' || pvName === '') {
        const sc = claimClass(pvc);
        if (sc === '') return Status.unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
        const cls = getStorageClass(this.handle, sc);
        if (!cls) return Status.unresolvable(notFoundMessage('storageclass.storage.k8s.io', sc));
        // The apiserver defaults volumeBindingMode to Immediate; the model does the same.
        if (cls['volumeBindingMode'] === 'WaitForFirstConsumer') continue;
        return Status.unresolvable('PersistentVolume had no name');
      }
      const pv = getVolume(this.handle, pvName);
      if (!pv) return Status.unresolvable(notFoundMessage('persistentvolume', pvName));
      const labels = pv.metadata?.labels ?? {};
      for (const key of TOPOLOGY_LABELS) {
        const v = labels[key];
        if (v === undefined) continue;
        // `LabelZonesToSet`: values joined by "__"; an empty element is a parse error and is skipped.
        const parts = v.split('__');
        if (parts.some((p) => p === '')) continue;
        out.push({ pvName, key, values: new Set(parts) });
      }
    }
    return out;
  }

  preFilter(
    state: CycleState,
    pod: Pod,
    _nodes?: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const t = this.topologies(pod);
    if (t instanceof Status) return { status: t };
    if (t.length === 0) return { status: Status.skip() };
    state.write(STATE_KEY, t);
    return { status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if ((pod.spec?.volumes?.length ?? 0) === 0) return null;
    let tops = state.read<PVTopology[]>(STATE_KEY);
    if (!tops) {
      const t = this.topologies(pod);
      if (t instanceof Status) return t;
      tops = t;
    }
    const labels = nodeInfo.node.metadata?.labels ?? {};
    if (!TOPOLOGY_LABELS.some((k) => labels[k] !== undefined)) return null;
    for (const t of tops) {
      let v = labels[t.key];
      if (v === undefined) v = labels[translateToGALabel(t.key)];
      if (v === undefined || !t.values.has(v)) return Status.unresolvable(ERR_REASON_CONFLICT);
    }
    return null;
  }
}

/** The plugin factory. */
export function create(a: PluginFactoryArgs): VolumeZone {
  return new VolumeZone(a.handle);
}
