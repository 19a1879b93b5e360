/**
 * NodeVolumeLimits (CSILimits), after pkg/scheduler/framework/plugins/nodevolumelimits/csi.go (v1.37).
 *
 * Contract:
 * - PreFilter Skips pods without a PVC, a generic ephemeral volume or an in-tree volume that migrated
 *   to CSI (`IsInlineMigratable`).
 * - Filter counts the pod's unique CSI volumes `<driver>/<volumeHandle>`: a claim's CSI PV; a claim's
 *   in-tree PV, or an inline in-tree volume (AWS EBS, GCE PD, Azure Disk, Cinder, Portworx), translated
 *   to its CSI driver when the node has a CSINode (migration is GA); an unbound claim against its
 *   StorageClass provisioner (translated likewise) with a per-claim id. Volumes already used by the
 *   node's pods, or attached to it by a VolumeAttachment, are not new. When attached + new exceeds a
 *   driver's `CSINode.spec.drivers[].allocatable.count`: U `ErrReasonMaxVolumeCountExceeded`.
 * - With VolumeLimitScaling (beta, on in v1.37), a driver whose CSIDriver sets
 *   `preventPodSchedulingIfMissing` must be registered in the node's CSINode: else U
 *   `<driver> CSI driver is not installed on the node`.
 * - A missing claim of the incoming pod is UU `looking up PVC <ns>/<name>: persistentvolumeclaim
 *   "<name>" not found`; an inline volume that cannot be translated is an Error.
 */
import type { KubeObject, Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  Handle,
  NodeInfo,
  PluginFactoryArgs,
  PreFilterPlugin,
  PreFilterResult,
} from '../../framework/interface';
import { pluginFeature } from '../../framework/feature-gates';
import { Status } from '../../framework/status';
import {
  csiNameFromInTreeName,
  isCSIMigrationOn,
  isInlineMigratable,
  isMigratableInTreePluginName,
  translateInline,
  translatePV,
} from '../helper/csi-migration';
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
const NAME = 'NodeVolumeLimits';
/** Upstream `ErrReasonMaxVolumeCountExceeded`. */
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = 'node(s) exceed max volume count';

/** Per-driver attach limits from a CSINode (`getVolumeLimits`). */
function csiNodeLimits(csiNode: KubeObject | undefined): Map<string, number> {
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

  constructor(
    private readonly handle: Handle,
    /** Gate VolumeLimitScaling: CSIDriver.spec.preventPodSchedulingIfMissing is enforced. */
    private readonly volumeLimitScaling = false,
  ) {}

  preFilter(
    _state: CycleState,
    pod: Pod,
    _nodes?: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    for (const v of pod.spec?.volumes ?? []) {
      if (v?.persistentVolumeClaim != null || v?.ephemeral != null || isInlineMigratable(v as Record<string, unknown>))
        return { status: null };
    }
    return { status: Status.skip() };
  }

  /** `getCSIDriverInfo`: driver and volume handle of a claim's PV, or of its class provisioner when unbound. */
  private driverInfo(pvc: KubeObject, csiNode: KubeObject | undefined): [string, string] {
    const pvName = pvc.spec?.volumeName;
    const pv = typeof pvName === 'string' && pvName !== '' ? getVolume(this.handle, pvName) : undefined;
    if (pv) {
      const csi = pv.spec?.csi;
      if (csi != null) return [String(csi.driver ?? ''), String(csi.volumeHandle ?? '')];
      // A non-CSI PV counts when its in-tree plugin migrated to CSI on this node.
      const t = translatePV(pv);
      if (t === undefined || !isCSIMigrationOn(csiNode, t.inTree) || 'error' in t.translated) return ['', ''];
      return [t.translated.driver, t.translated.handle];
    }
    // `getCSIDriverInfoFromSC`: a unique id per claim, counted against the class provisioner.
    const sc = claimClass(pvc);
    if (sc === '') return ['', ''];
    const cls = getStorageClass(this.handle, sc);
    if (!cls) return ['', ''];
    let prov = typeof cls['provisioner'] === 'string' ? (cls['provisioner'] as string) : '';
    if (isMigratableInTreePluginName(prov)) {
      if (!isCSIMigrationOn(csiNode, prov)) return ['', ''];
      prov = csiNameFromInTreeName(prov) ?? '';
    }
    return [prov, `unbound-${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`];
  }

  /** `filterAttachableVolumes`: returns an error message for the incoming pod's missing claims. */
  private attachable(
    pod: Pod,
    newPod: boolean,
    csiNode: KubeObject | undefined,
    out: Map<string, string>,
  ): string | undefined {
    const ns = pod.metadata?.namespace ?? 'default';
    // `checkAttachableInlineVolume`: in-tree volumes counted under the CSI driver they migrated to.
    for (const v of pod.spec?.volumes ?? []) {
      if (v == null || v.persistentVolumeClaim != null || v.ephemeral != null) continue;
      const t = translateInline(v as Record<string, unknown>);
      if (t === undefined || !isCSIMigrationOn(csiNode, t.inTree)) continue;
      if ('error' in t.translated)
        return `converting volume(${String(v.name ?? '')}) from inline to csi: ${t.translated.error}`;
      if (t.translated.handle === '') continue;
      out.set(`${t.translated.driver}/${t.translated.handle}`, t.translated.driver);
    }
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
      const [driver, handle] = this.driverInfo(pvc, csiNode);
      if (driver === '' || handle === '') continue;
      out.set(`${driver}/${handle}`, driver);
    }
    return undefined;
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if ((pod.spec?.volumes?.length ?? 0) === 0) return null;
    const csiNode = this.handle.getObject('CSINode', undefined, nodeInfo.name);
    const newVolumes = new Map<string, string>();
    const err = this.attachable(pod, true, csiNode, newVolumes);
    if (err !== undefined) {
      return err.includes(' not found') && err.startsWith('looking up PVC')
        ? Status.unresolvable(err)
        : Status.error(err);
    }
    if (newVolumes.size === 0) return null;
    if (this.volumeLimitScaling) {
      for (const driver of new Set(newVolumes.values())) {
        if (!this.driverInstalled(driver, csiNode))
          return Status.unschedulable(`${driver} CSI driver is not installed on the node`);
      }
    }
    const limits = csiNodeLimits(csiNode);
    if (limits.size === 0) return null;
    const attached = new Map<string, string>();
    for (const ep of nodeInfo.pods) this.attachable(ep.pod, false, csiNode, attached);
    const attachedCount = new Map<string, number>();
    for (const [unique, driver] of attached) {
      newVolumes.delete(unique);
      attachedCount.set(driver, (attachedCount.get(driver) ?? 0) + 1);
    }
    // `getNodeVolumeAttachmentInfo`: volumes attached to the node that no pod there uses (yet).
    for (const [unique, driver] of this.volumeAttachments(nodeInfo.name)) {
      if (!attached.has(unique)) attachedCount.set(driver, (attachedCount.get(driver) ?? 0) + 1);
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

  /** `checkCSIDriverOnNode`: a driver whose CSIDriver opts in must be registered on the node. */
  private driverInstalled(driver: string, csiNode: KubeObject | undefined): boolean {
    const d = this.handle.getObject('CSIDriver', undefined, driver);
    if (d === undefined || d.spec?.preventPodSchedulingIfMissing !== true) return true;
    const drivers = csiNode?.spec?.drivers;
    return Array.isArray(drivers) && drivers.some((x: { name?: unknown }) => x?.name === driver);
  }

  /** The CSI volumes VolumeAttachments attach to `nodeName`: `<attacher>/<volumeHandle>` → attacher. */
  private volumeAttachments(nodeName: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const va of this.handle.objects('VolumeAttachment')) {
      const spec = va.spec ?? {};
      if (spec.nodeName !== nodeName || typeof spec.attacher !== 'string' || spec.attacher === '') continue;
      const pvName = spec.source?.persistentVolumeName;
      if (typeof pvName !== 'string') continue;
      const csi = getVolume(this.handle, pvName)?.spec?.csi;
      if (csi == null) continue;
      out.set(`${spec.attacher}/${String(csi.volumeHandle ?? '')}`, spec.attacher);
    }
    return out;
  }
}

/** The plugin factory. */
export function create(a: PluginFactoryArgs): CSILimits {
  return new CSILimits(a.handle, pluginFeature(a.features, 'VolumeLimitScaling'));
}
