/**
 * In-tree volume plugins migrated to CSI drivers, as the volume plugins see them: the
 * scheduler-relevant part of staging/src/k8s.io/csi-translation-lib (translate.go, plugins/*.go:
 * `IsInlineMigratable`, `IsPVMigratable`, `IsMigratableIntreePluginByName`,
 * `GetCSINameFromInTreeName`, `TranslateInTree{Inline,PV}ToCSI`: volume handles and node-affinity
 * topology), pkg/scheduler/framework/plugins/nodevolumelimits/utils.go (`isCSIMigrationOn`) and
 * volumebinding/binder.go (`tryTranslatePVToCSI`, `isPluginMigratedToCSIOnNode`).
 *
 * Contract: pure. A volume or PV of an in-tree plugin translates to `{ driver, handle }` exactly as
 * upstream builds the CSI volume handle (what the attach count needs); `error` carries upstream's
 * translation error text (an invalid AWS volume ID). `translatedForBinding` gives VolumeBinding the
 * PV with its zone topology rewritten to the CSI driver's key, as the binder checks node affinity.
 */
import type { KubeObject } from '../../../kube-api/types';

/** One in-tree plugin: its name, the CSI driver it migrated to, and its volume source field. */
interface InTreePlugin {
  inTree: string;
  driver: string;
  source: string;
  /**
   * Whether kube-scheduler v1.37 treats its migration as on (`isCSIMigrationOn`,
   * `isCSIMigrationOnForPlugin`): the GA migrations it lists.
   */
  counted: boolean;
  /** The CSI topology key its PV translation writes zones to (none: topology kept). */
  topologyKey?: string;
}

const PLUGINS: readonly InTreePlugin[] = [
  {
    inTree: 'kubernetes.io/aws-ebs',
    driver: 'ebs.csi.aws.com',
    source: 'awsElasticBlockStore',
    counted: true,
    topologyKey: 'topology.ebs.csi.aws.com/zone',
  },
  {
    inTree: 'kubernetes.io/gce-pd',
    driver: 'pd.csi.storage.gke.io',
    source: 'gcePersistentDisk',
    counted: true,
    topologyKey: 'topology.gke.io/zone',
  },
  { inTree: 'kubernetes.io/azure-disk', driver: 'disk.csi.azure.com', source: 'azureDisk', counted: true },
  { inTree: 'kubernetes.io/azure-file', driver: 'file.csi.azure.com', source: 'azureFile', counted: false },
  {
    inTree: 'kubernetes.io/cinder',
    driver: 'cinder.csi.openstack.org',
    source: 'cinder',
    counted: true,
    topologyKey: 'topology.cinder.csi.openstack.org/zone',
  },
  { inTree: 'kubernetes.io/vsphere-volume', driver: 'csi.vsphere.vmware.com', source: 'vsphereVolume', counted: false },
  { inTree: 'kubernetes.io/portworx-volume', driver: 'pxd.portworx.com', source: 'portworxVolume', counted: true },
];

/** A translated volume: the CSI driver and the volume handle, or upstream's error text. */
export type Translated = { driver: string; handle: string } | { error: string };

/** `IsInlineMigratable`: the pod volume uses an in-tree plugin that has a CSI translation. */
export function isInlineMigratable(vol: Record<string, unknown>): boolean {
  return PLUGINS.some((p) => vol[p.source] != null);
}

/** `IsMigratableIntreePluginByName`. */
export function isMigratableInTreePluginName(name: string): boolean {
  return PLUGINS.some((p) => p.inTree === name);
}

/** `GetCSINameFromInTreeName` (undefined for a name that is not an in-tree plugin). */
export function csiNameFromInTreeName(name: string): string | undefined {
  return PLUGINS.find((p) => p.inTree === name)?.driver;
}

/**
 * `isCSIMigrationOn`: in v1.37 every migration is GA, so it is on for the counted plugins whenever
 * the node has a CSINode object.
 */
export function isCSIMigrationOn(csiNode: KubeObject | undefined, inTreeName: string): boolean {
  if (csiNode === undefined || inTreeName === '') return false;
  return PLUGINS.some((p) => p.inTree === inTreeName && p.counted);
}

/** `KubernetesVolumeIDToEBSVolumeID`: `aws://<zone>/vol-...` or a bare `vol-...`. */
function ebsVolumeId(kubernetesId: string): string | { error: string } {
  if (!kubernetesId.startsWith('aws://')) return kubernetesId;
  let path: string;
  try {
    path = new URL(kubernetesId).pathname;
  } catch (e) {
    return { error: `Invalid disk name (${kubernetesId}): ${(e as Error).message}` };
  }
  const id = path.replace(/^\/+|\/+$/g, '');
  if (!/^vol-[^/]*$/.test(id)) return { error: `Invalid format for AWS volume (${kubernetesId})` };
  return id;
}

const UNSPECIFIED = 'UNSPECIFIED';

function handleFor(plugin: InTreePlugin, src: Record<string, unknown>, zoneLabel: string | undefined): Translated {
  const str = (k: string): string => (typeof src[k] === 'string' ? (src[k] as string) : '');
  switch (plugin.source) {
    case 'awsElasticBlockStore': {
      const id = ebsVolumeId(str('volumeID'));
      if (typeof id !== 'string') return { error: `failed to translate Kubernetes ID to EBS Volume ID ${id.error}` };
      return { driver: plugin.driver, handle: id };
    }
    case 'gcePersistentDisk': {
      const zones = (zoneLabel ?? '').split('__');
      const name = str('pdName');
      if (zones.length === 1 && zones[0] !== '')
        return { driver: plugin.driver, handle: `projects/${UNSPECIFIED}/zones/${zones[0]}/disks/${name}` };
      if (zones.length > 1) {
        const region = zones[0]!.slice(0, zones[0]!.lastIndexOf('-'));
        return { driver: plugin.driver, handle: `projects/${UNSPECIFIED}/regions/${region}/disks/${name}` };
      }
      return { driver: plugin.driver, handle: `projects/${UNSPECIFIED}/zones/${UNSPECIFIED}/disks/${name}` };
    }
    case 'azureDisk':
      return { driver: plugin.driver, handle: str('diskURI') };
    case 'cinder':
    case 'portworxVolume':
      return { driver: plugin.driver, handle: str('volumeID') };
    default:
      return { driver: plugin.driver, handle: '' };
  }
}

/**
 * The in-tree plugin of a pod volume, and its translation (`TranslateInTreeInlineVolumeToCSI`).
 * Undefined for volumes without an in-tree migratable source.
 */
export function translateInline(vol: Record<string, unknown>): { inTree: string; translated: Translated } | undefined {
  const plugin = PLUGINS.find((p) => vol[p.source] != null);
  if (plugin === undefined) return undefined;
  const src = vol[plugin.source] as Record<string, unknown>;
  return { inTree: plugin.inTree, translated: handleFor(plugin, typeof src === 'object' ? src : {}, undefined) };
}

/** The in-tree plugin of a PV, and its translation (`TranslateInTreePVToCSI`); undefined when not migratable. */
export function translatePV(pv: KubeObject): { inTree: string; translated: Translated } | undefined {
  const spec = (pv.spec ?? {}) as Record<string, unknown>;
  const plugin = PLUGINS.find((p) => spec[p.source] != null);
  if (plugin === undefined) return undefined;
  const labels = pv.metadata?.labels ?? {};
  const zone = labels['failure-domain.beta.kubernetes.io/zone'] || labels['topology.kubernetes.io/zone'];
  const src = spec[plugin.source] as Record<string, unknown>;
  return { inTree: plugin.inTree, translated: handleFor(plugin, typeof src === 'object' ? src : {}, zone) };
}

const ZONE_GA = 'topology.kubernetes.io/zone';
const ZONE_BETA = 'failure-domain.beta.kubernetes.io/zone';
const REGION_GA = 'topology.kubernetes.io/region';
const REGION_BETA = 'failure-domain.beta.kubernetes.io/region';

type Term = { matchExpressions?: { key: string; operator: string; values?: string[] }[] };

/** `isPluginMigratedToCSIOnNode`: the node's CSINode lists the plugin in its migrated-plugins annotation. */
function migratedOnNode(inTree: string, csiNode: KubeObject | undefined): boolean {
  const ann = csiNode?.metadata?.annotations?.['storage.alpha.kubernetes.io/migrated-plugins'];
  return typeof ann === 'string' && ann.split(',').includes(inTree);
}

/** `translateTopologyFromInTreeToCSI` on a copy of the PV's required node-affinity terms. */
function translateTopology(pv: KubeObject, csiKey: string): KubeObject {
  const terms: Term[] = structuredClone(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []);
  const keyIn = (key: string): boolean => terms.some((t) => (t.matchExpressions ?? []).some((e) => e.key === key));
  const labels = pv.metadata?.labels ?? {};
  const [zoneLabel, regionLabel] = keyIn(ZONE_GA)
    ? [ZONE_GA, REGION_GA]
    : keyIn(ZONE_BETA)
      ? [ZONE_BETA, REGION_BETA]
      : labels[ZONE_GA] !== undefined
        ? [ZONE_GA, REGION_GA]
        : labels[ZONE_BETA] !== undefined
          ? [ZONE_BETA, REGION_BETA]
          : [ZONE_GA, REGION_GA];
  const rename = (from: string, to: string): void => {
    for (const t of terms) for (const e of t.matchExpressions ?? []) if (e.key === from) e.key = to;
  };
  if (keyIn(zoneLabel)) rename(zoneLabel, csiKey);
  else if (labels[zoneLabel] !== undefined) {
    const zones = [
      ...new Set(
        labels[zoneLabel]!.split('__')
          .map((z) => z.trim())
          .filter((z) => z !== ''),
      ),
    ].sort();
    if (zones.length > 0) {
      if (terms.length === 0) terms.push({});
      for (const t of terms) (t.matchExpressions ??= []).push({ key: csiKey, operator: 'In', values: zones });
    }
  }
  if (regionLabel === REGION_BETA && keyIn(REGION_BETA)) rename(REGION_BETA, REGION_GA);
  return {
    ...pv,
    spec: { ...pv.spec, nodeAffinity: { ...(pv.spec?.nodeAffinity ?? {}), required: { nodeSelectorTerms: terms } } },
  };
}

const translatedCache = new WeakMap<KubeObject, KubeObject>();

/**
 * `tryTranslatePVToCSI` for VolumeBinding: an in-tree PV whose plugin kube-scheduler migrates and
 * whose migration the node's CSINode announces is checked with its translated node affinity (zone
 * keys become the CSI driver's topology key); any other PV is returned as is.
 */
export function translatedForBinding(pv: KubeObject, csiNode: KubeObject | undefined): KubeObject {
  const spec = (pv.spec ?? {}) as Record<string, unknown>;
  const plugin = PLUGINS.find((p) => spec[p.source] != null);
  if (plugin === undefined || !plugin.counted || !migratedOnNode(plugin.inTree, csiNode)) return pv;
  if (plugin.topologyKey === undefined) return pv;
  let t = translatedCache.get(pv);
  if (t === undefined) {
    t = translateTopology(pv, plugin.topologyKey);
    translatedCache.set(pv, t);
  }
  return t;
}
