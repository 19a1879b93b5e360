/**
 * In-tree volume plugins migrated to CSI drivers, as NodeVolumeLimits sees them: the scheduler-relevant
 * part of staging/src/k8s.io/csi-translation-lib (translate.go, plugins/*.go: `IsInlineMigratable`,
 * `IsPVMigratable`, `IsMigratableIntreePluginByName`, `GetCSINameFromInTreeName`,
 * `TranslateInTree{Inline,PV}ToCSI`' volume handles) and
 * pkg/scheduler/framework/plugins/nodevolumelimits/utils.go (`isCSIMigrationOn`).
 *
 * Contract: pure. A volume or PV of an in-tree plugin translates to `{ driver, handle }` exactly as
 * upstream builds the CSI volume handle (only what the attach count needs); `error` carries
 * upstream's translation error text (an invalid AWS volume ID).
 */
import type { KubeObject } from '../../api/types';

/** One in-tree plugin: its name, the CSI driver it migrated to, and its volume source field. */
interface InTreePlugin {
  inTree: string;
  driver: string;
  source: string;
  /** Whether `isCSIMigrationOn` is true for it (a CSINode exists): the plugins kube-scheduler v1.37 counts. */
  counted: boolean;
}

const PLUGINS: readonly InTreePlugin[] = [
  { inTree: 'kubernetes.io/aws-ebs', driver: 'ebs.csi.aws.com', source: 'awsElasticBlockStore', counted: true },
  { inTree: 'kubernetes.io/gce-pd', driver: 'pd.csi.storage.gke.io', source: 'gcePersistentDisk', counted: true },
  { inTree: 'kubernetes.io/azure-disk', driver: 'disk.csi.azure.com', source: 'azureDisk', counted: true },
  { inTree: 'kubernetes.io/azure-file', driver: 'file.csi.azure.com', source: 'azureFile', counted: false },
  { inTree: 'kubernetes.io/cinder', driver: 'cinder.csi.openstack.org', source: 'cinder', counted: true },
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
