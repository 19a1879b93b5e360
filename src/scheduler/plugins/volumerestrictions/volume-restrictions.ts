/**
 * VolumeRestrictions, after pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go.
 *
 * Contract: PreFilter Skips unless the pod has a conflict-prone inline volume (GCE PD, AWS EBS,
 * RBD, iSCSI) or a ReadWriteOncePod claim already used by a scheduled pod; a missing claim is
 * UU with client-go's NotFound text. Filter fails with U `ErrReasonDiskConflict` for the
 * classic same-volume conflicts, then U `ErrReasonReadWriteOncePodConflict`. AddPod/RemovePod
 * keep the ReadWriteOncePod reference count current for preemption.
 */
import type { Pod, Volume } from '../../../kube-api/types';
import type { CycleState, StateData } from '../../framework/cycle-state';
import type {
  FilterPlugin,
  Handle,
  NodeInfo,
  PluginFactoryArgs,
  PodInfo,
  PreFilterExtensions,
  PreFilterPlugin,
  PreFilterResult,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { getClaim, notFoundMessage } from '../volumebinding/storage';

/** The plugin name. */
const NAME = 'VolumeRestrictions';
/** Upstream `ErrReasonDiskConflict`. */
export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
/** Upstream `ErrReasonReadWriteOncePodConflict`. */
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT =
  'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

const STATE_KEY = `PreFilter${NAME}`;

// Inline volume sources are read by field name; their shapes are not in api/types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Rec = Record<string, any>;

class PreFilterState implements StateData {
  constructor(
    readonly readWriteOncePodPVCs: ReadonlySet<string>,
    public conflictingPVCRefCount: number,
  ) {}

  updateWithPod(pi: PodInfo, multiplier: number): void {
    let n = 0;
    for (const v of pi.pod.spec?.volumes ?? []) {
      const c = v?.persistentVolumeClaim?.claimName;
      if (c !== undefined && this.readWriteOncePodPVCs.has(c)) n += 1;
    }
    this.conflictingPVCRefCount += multiplier * n;
  }

  clone(): PreFilterState {
    return new PreFilterState(this.readWriteOncePodPVCs, this.conflictingPVCRefCount);
  }
}

function haveOverlap(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const s = new Set(a);
  return b.some((x) => s.has(x));
}

/** `isVolumeConflict`: the same GCE PD / EBS volume / iSCSI IQN / RBD image, unless all read-only where allowed. */
function isVolumeConflict(volume: Volume, pod: Pod): boolean {
  const v = volume as Rec;
  for (const ev of (pod.spec?.volumes ?? []) as Rec[]) {
    if (ev == null) continue;
    const g = v['gcePersistentDisk'];
    const eg = ev['gcePersistentDisk'];
    if (g && eg && g.pdName === eg.pdName && !(g.readOnly && eg.readOnly)) return true;
    const a = v['awsElasticBlockStore'];
    const ea = ev['awsElasticBlockStore'];
    if (a && ea && a.volumeID === ea.volumeID) return true;
    const i = v['iscsi'];
    const ei = ev['iscsi'];
    if (i && ei && i.iqn === ei.iqn && !(i.readOnly && ei.readOnly)) return true;
    const r = v['rbd'];
    const er = ev['rbd'];
    if (
      r &&
      er &&
      haveOverlap(r.monitors, er.monitors) &&
      (r.pool ?? 'rbd') === (er.pool ?? 'rbd') &&
      r.image === er.image &&
      !(r.readOnly && er.readOnly)
    ) {
      return true;
    }
  }
  return false;
}

/** `needsRestrictionsCheck`. */
function needsRestrictionsCheck(v: Volume): boolean {
  const r = v as Rec;
  return r['gcePersistentDisk'] != null || r['awsElasticBlockStore'] != null || r['rbd'] != null || r['iscsi'] != null;
}

/** The VolumeRestrictions plugin. */
export class VolumeRestrictions implements PreFilterPlugin, FilterPlugin, PreFilterExtensions {
  readonly name = NAME;

  constructor(private readonly handle: Handle) {}

  preFilter(
    state: CycleState,
    pod: Pod,
    _nodes?: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const vols = pod.spec?.volumes ?? [];
    const needsCheck = vols.some((v) => v != null && needsRestrictionsCheck(v));
    const rwop = new Set<string>();
    for (const v of vols) {
      const name = v?.persistentVolumeClaim?.claimName;
      if (name === undefined) continue;
      const pvc = getClaim(this.handle, pod, name);
      if (!pvc) return { status: Status.unresolvable(notFoundMessage('persistentvolumeclaim', name)) };
      const modes = pvc.spec?.accessModes;
      if (Array.isArray(modes) && modes.includes('ReadWriteOncePod')) rwop.add(pvc.metadata?.name ?? name);
    }
    let conflicts = 0;
    const ns = pod.metadata?.namespace ?? '';
    for (const c of rwop) {
      const key = `${ns}/${c}`;
      // `IsPVCUsedByPods`: any scheduled pod in the snapshot references the claim.
      if (this.handle.nodeInfos().some((n) => (n.pvcRefCounts.get(key) ?? 0) > 0)) conflicts += 1;
    }
    if (!needsCheck && conflicts === 0) return { status: Status.skip() };
    state.write(STATE_KEY, new PreFilterState(rwop, conflicts));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _pod: Pod, pi: PodInfo): Status | null {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.error(`cannot read ${JSON.stringify(STATE_KEY)} from cycleState`);
    s.updateWithPod(pi, 1);
    return null;
  }

  removePod(state: CycleState, _pod: Pod, pi: PodInfo): Status | null {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.error(`cannot read ${JSON.stringify(STATE_KEY)} from cycleState`);
    s.updateWithPod(pi, -1);
    return null;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    for (const v of pod.spec?.volumes ?? []) {
      if (v == null || !needsRestrictionsCheck(v)) continue;
      for (const ev of nodeInfo.pods)
        if (isVolumeConflict(v, ev.pod)) return Status.unschedulable(ERR_REASON_DISK_CONFLICT);
    }
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.error(`cannot read ${JSON.stringify(STATE_KEY)} from cycleState`);
    if (s.conflictingPVCRefCount > 0) return Status.unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT);
    return null;
  }
}

/** The plugin factory. */
export function create(a: PluginFactoryArgs): VolumeRestrictions {
  return new VolumeRestrictions(a.handle);
}
