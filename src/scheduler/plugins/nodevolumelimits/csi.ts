/**
 * NodeVolumeLimits (CSILimits), after pkg/scheduler/framework/plugins/nodevolumelimits/csi.go.
 *
 * Contract: PreFilter Skips pods without PVC or generic ephemeral volumes. Filter counts the
 * pod's unique CSI volumes (`<driver>/<volumeHandle>`; unbound claims count against their
 * StorageClass provisioner with a per-claim id) not already attached by pods on the node, and
 * fails with U `ErrReasonMaxVolumeCountExceeded` when attached + new exceeds the driver's
 * `CSINode.spec.drivers[].allocatable.count`. A missing claim of the incoming pod is UU with
 * `looking up PVC <ns>/<name>: persistentvolumeclaim "<name>" not found`.
 *
 * Not modelled: in-tree volume CSI migration (inline GCE PD/EBS/... volumes and non-CSI PVs are
 * not counted, as upstream does when migration is off for the driver).
 */
import type { KubeObject, Pod } from '../../api/types';
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
import {
  claimClass,
  getClaim,
  getStorageClass,
  getVolume,
  notFoundMessage,
  podClaims,
  volumeIsForPod,
} from '../volumebinding/storage';

/** The plugin name. */
export const NAME = 'NodeVolumeLimits';
/** Upstream `ErrReasonMaxVolumeCountExceeded`. */
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = 'node(s) exceed max volume count';

/** Per-driver attach limits from a CSINode (`getVolumeLimits`). */
export function csiNodeLimits(csiNode: KubeObject | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const drivers = csiNode?.spec?.drivers;
  if (!Array.isArray(drivers)) return out;
  for (const d of drivers) {
    const c = d?.allocatable?.count;
    if (typeof d?.name === 'string' && typeof c === 'number') out.set(d.name, c);
  }
  return out;
}

/** The NodeVolumeLimits plugin. */
export class CSILimits implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  preFilter(
    _state: CycleState,
    pod: Pod,
    _nodes?: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    for (const v of pod.spec?.volumes ?? []) {
      if (v?.persistentVolumeClaim != null || v?.ephemeral != null) return { status: null };
    }
    return { status: Status.skip() };
  }

  /** `getCSIDriverInfo`: driver and volume handle of a claim's PV, or of its class provisioner when unbound. */
  private driverInfo(pvc: KubeObject): [string, string] {
    const pvName = pvc.spec?.volumeName;
    const pv = typeof pvName === 'string' && pvName !== '' ? getVolume(this.handle, pvName) : undefined;
    if (pv) {
      const csi = pv.spec?.csi;
      if (csi == null) return ['', ''];
      return [String(csi.driver ?? ''), String(csi.volumeHandle ?? '')];
    }
    // `getCSIDriverInfoFromSC`: a unique id per claim, counted against the class provisioner.
    const sc = claimClass(pvc);
    if (sc === '') return ['', ''];
    const cls = getStorageClass(this.handle, sc);
    if (!cls) return ['', ''];
    const prov = typeof cls['provisioner'] === 'string' ? (cls['provisioner'] as string) : '';
    return [prov, `unbound-${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`];
  }

  /** `filterAttachableVolumes`: returns an error message for the incoming pod's missing claims. */
  private attachable(pod: Pod, newPod: boolean, out: Map<string, string>): string | undefined {
    const ns = pod.metadata?.namespace ?? 'default';
    for (const c of podClaims(pod)) {
      if (c.name === '') return 'PersistentVolumeClaim had no name';
      const pvc = getClaim(this.handle, pod, c.name);
      if (!pvc) {
        if (newPod) return `looking up PVC ${ns}/${c.name}: ${notFoundMessage('persistentvolumeclaim', c.name)}`;
        continue;
      }
      if (c.ephemeral) {
        const e = volumeIsForPod(pod, pvc);
        if (e) return e;
      }
      const [driver, handle] = this.driverInfo(pvc);
      if (driver === '' || handle === '') continue;
      out.set(`${driver}/${handle}`, driver);
    }
    return undefined;
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if ((pod.spec?.volumes?.length ?? 0) === 0) return null;
    const newVolumes = new Map<string, string>();
    const err = this.attachable(pod, true, newVolumes);
    if (err !== undefined) {
      return err.includes(' not found') ? Status.unresolvable(err) : Status.error(err);
    }
    if (newVolumes.size === 0) return null;
    const limits = csiNodeLimits(this.handle.getObject('CSINode', undefined, nodeInfo.name));
    if (limits.size === 0) return null;
    const attached = new Map<string, string>();
    for (const ep of nodeInfo.pods) this.attachable(ep.pod, false, attached);
    const attachedCount = new Map<string, number>();
    for (const [unique, driver] of attached) {
      newVolumes.delete(unique);
      attachedCount.set(driver, (attachedCount.get(driver) ?? 0) + 1);
    }
    const newCount = new Map<string, number>();
    for (const driver of newVolumes.values()) newCount.set(driver, (newCount.get(driver) ?? 0) + 1);
    for (const [driver, count] of newCount) {
      const max = limits.get(driver);
      if (max !== undefined && (attachedCount.get(driver) ?? 0) + count > max) {
        return Status.unschedulable(ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED);
      }
    }
    return null;
  }
}

/** The plugin factory. */
export function create(a: PluginFactoryArgs): CSILimits {
  return new CSILimits(a.handle);
}
