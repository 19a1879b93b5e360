/**
 * What a watch cache keeps of each object, as client-go's informer transform functions
 * (`SetTransform`) do: the fields the tree and the scheduler model read, without what only a
 * details view needs. The full object is fetched from the server when a user opens it.
 *
 * Contract: `slimForCache` takes ownership of a freshly parsed object (the cache's own copy of the
 * wire JSON) of a collection (`resource`: `pods`, `secrets`...) and returns it without
 * `metadata.managedFields`, without the `kubectl.kubernetes.io/last-applied-configuration` annotation,
 * and without any other annotation whose value is over {@link BIG_ANNOTATION_CHARS} characters.
 * - A Pod's containers keep only what the scheduler model and the tree read ({@link CONTAINER_KEPT}:
 *   name, image, resources, ports, restartPolicy, resizePolicy); its volumes whose sources put no
 *   constraint on placement (ConfigMap, Secret, projected, downward API, emptyDir) are not kept; its
 *   status loses `podIPs` and `hostIPs` (`podIP` and `hostIP` stay) and its container statuses their
 *   image, imageID and containerID. Pod templates stay whole: Save Cluster Snapshot writes them.
 * - An EndpointSlice loses its `endpoints`; a ConfigMap its `data` and `binaryData`; a Secret keeps
 *   its keys with empty values (the tree lists keys; a value is read from the server when revealed),
 *   except Helm release records (type `helm.sh/release.v1`), which the Helm branch decodes.
 * Everything else is kept as sent. Repeated short strings and the subtrees that replicas repeat
 * (containers, tolerations, labels, owner references, condition lists, a workload's template spec and
 * status) are shared through a {@link CacheInterner}, losslessly; shared subtrees are frozen, so cached
 * objects must be treated as read-only.
 *
 * Measured on `npm run bench:explorer`'s cluster (heap per cached object after a full collection):
 * Pod 2.7 KB as served (less managedFields) -> 0.63 KB; ConfigMap and EndpointSlice ~0.29 KB; Secret
 * 0.28 KB. The language server's RSS after the tree's sync at 150,000 pods: README "Performance".
 */
import type { CacheInterner } from './cache-interner';
import type { KubeObjectLike } from './resource-cache';

/** Annotations longer than this many characters are not cached (the details view fetches them). */
export const BIG_ANNOTATION_CHARS = 1024;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The container fields a cached pod spec keeps: what the scheduler model reads (requests and limits,
 * host ports, images for ImageLocality, sidecar `restartPolicy`, `resizePolicy`) and the tree shows
 * (names). Commands, environment, probes and mounts are read only from the whole object.
 */
export const CONTAINER_KEPT: ReadonlySet<string> = new Set([
  'name',
  'image',
  'resources',
  'ports',
  'restartPolicy',
  'resizePolicy',
]);

/** Container status fields dropped from the cache: identifiers nothing reads but the whole object's views. */
const CONTAINER_STATUS_DROPPED: ReadonlySet<string> = new Set(['image', 'imageID', 'containerID']);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `o` rebuilt with only the keys `keep` accepts (deleting any but an object's last property would turn it into a slower, larger dictionary). */
function only(o: Json, keep: (key: string) => boolean): Json {
  const out: Json = {};
  for (const k in o) if (keep(k)) out[k] = o[k];
  return out;
}

/** The parts of a pod spec that the replicas of a workload repeat, shared between cached objects. */
const SHARED_POD_SPEC_KEYS = [
  'containers',
  'initContainers',
  'tolerations',
  'affinity',
  'nodeSelector',
  'topologySpreadConstraints',
  'securityContext',
  'imagePullSecrets',
];

/** The metadata that the replicas of a workload repeat, shared between cached objects. */
const SHARED_METADATA_KEYS: ReadonlySet<string> = new Set(['labels', 'annotations', 'ownerReferences']);

/**
 * Volume sources that put no constraint on where a pod runs: no scheduler plugin reads them
 * (VolumeBinding, VolumeRestrictions, VolumeZone and NodeVolumeLimits read claims, ephemeral claims,
 * CSI and the in-tree disk sources). A Pod's own volumes of only these sources are not cached.
 */
const LOCAL_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'configMap',
  'secret',
  'projected',
  'downwardAPI',
  'emptyDir',
]);

/** True for a volume whose source is one of {@link LOCAL_VOLUME_SOURCES}. */
function isLocalVolume(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const k in v) if (k !== 'name' && !LOCAL_VOLUME_SOURCES.has(k)) return false;
  return true;
}

/**
 * Pod spec `spec` with its repeated parts shared (in place, or rebuilt when a key goes). A Pod's own
 * spec (`podOwn`; not a template) also keeps only {@link CONTAINER_KEPT} of each container and none of
 * its local volumes.
 */
function slimPodSpec(spec: Json, interner: CacheInterner, podOwn: boolean): Json {
  if (podOwn)
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const cs = spec[list];
      if (Array.isArray(cs)) spec[list] = cs.map((c) => (isObject(c) ? only(c, (k) => CONTAINER_KEPT.has(k)) : c));
    }
  for (const k of SHARED_POD_SPEC_KEYS) if (spec[k] !== undefined) spec[k] = interner.shared(spec[k]);
  let volumes = spec['volumes'];
  if (podOwn && Array.isArray(volumes)) {
    volumes = volumes.filter((v) => !isLocalVolume(v));
    if ((volumes as unknown[]).length === 0) return only(spec, (k) => k !== 'volumes');
  }
  // Each pod's service account volume has a name of its own (`kube-api-access-<random>`), so volumes are
  // shared one by one, their sources apart from their names.
  if (Array.isArray(volumes))
    spec['volumes'] = volumes.map((v) => (isObject(v) ? shareExcept(v, 'name', interner) : v));
  return spec;
}

/** `o` rebuilt with `own`'s value its own and every other value shared. */
function shareExcept(o: Json, own: string, interner: CacheInterner): Json {
  const out: Json = {};
  for (const k in o) out[k] = k === own ? o[k] : interner.shared(o[k]);
  return out;
}

/** Pod status fields not cached: the IP lists repeat `podIP` and `hostIP`, which stay. */
const POD_STATUS_DROPPED: ReadonlySet<string> = new Set(['podIPs', 'hostIPs']);

/** A Pod's (or any) status with its container statuses and conditions shared, without {@link POD_STATUS_DROPPED}. */
function slimStatus(status: Json, interner: CacheInterner): Json {
  const out = Object.keys(status).some((k) => POD_STATUS_DROPPED.has(k))
    ? only(status, (k) => !POD_STATUS_DROPPED.has(k))
    : status;
  for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    const ss = out[list];
    // Without their IDs, replicas' container statuses repeat (ready, restarts, started in the same second).
    if (Array.isArray(ss))
      out[list] = interner.shared(
        ss.map((c) => (isObject(c) ? interner.shared(only(c, (k) => !CONTAINER_STATUS_DROPPED.has(k))) : c)),
      );
  }
  // Conditions one by one (pods that changed together repeat them), then the list (all of them did).
  const conditions = out['conditions'];
  if (Array.isArray(conditions)) out['conditions'] = interner.shared(conditions.map((c) => interner.shared(c)));
  return out;
}

/** A collection's resource (`pods`, `secrets`...): the last segment of its path, without a query. */
export function resourceOfPath(path: string): string {
  const bare = path.split('?')[0]!;
  return bare.slice(bare.lastIndexOf('/') + 1);
}

/** The Secret type whose values the Helm branch decodes (its release records). */
const HELM_RELEASE_TYPE = 'helm.sh/release.v1';

/**
 * `obj` of collection `resource` without what only the whole object's views read: an EndpointSlice's
 * endpoints, a ConfigMap's data, a Secret's values (not its keys; Helm release records stay whole).
 */
function slimKind(obj: Json, resource: string | undefined, interner: CacheInterner): Json {
  switch (resource) {
    case 'endpointslices':
      return 'endpoints' in obj ? only(obj, (k) => k !== 'endpoints') : obj;
    case 'configmaps':
      return 'data' in obj || 'binaryData' in obj ? only(obj, (k) => k !== 'data' && k !== 'binaryData') : obj;
    case 'secrets': {
      if (obj['type'] === HELM_RELEASE_TYPE || !isObject(obj['data'])) return obj;
      const keys: Json = {};
      for (const k in obj['data']) keys[k] = '';
      obj['data'] = interner.shared(keys);
      return obj;
    }
    default:
      return obj;
  }
}

/** Slims every pod spec and the status `obj` holds (in place; `obj` itself is kept). */
function slimBody(obj: Json, interner: CacheInterner): void {
  const spec = obj['spec'];
  const isPod = isObject(spec) && Array.isArray(spec['containers']);
  if (isPod) obj['spec'] = slimPodSpec(spec, interner, true);
  else if (isObject(spec)) {
    // Templates stay whole (Save Cluster Snapshot writes them, and the reloaded controllers make pods of
    // them); a workload and its current revision share one (their pod specs are equal).
    const template = spec['template'];
    if (isObject(template) && isObject(template['spec']))
      template['spec'] = interner.shared(slimPodSpec(template['spec'], interner, false));
    const jobTemplate = spec['jobTemplate'];
    if (isObject(jobTemplate) && isObject(jobTemplate['spec']) && isObject(jobTemplate['spec']['template'])) {
      const t = jobTemplate['spec']['template'];
      if (isObject(t['spec'])) t['spec'] = interner.shared(slimPodSpec(t['spec'], interner, false));
    }
  }
  const status = obj['status'];
  if (!isObject(status)) return;
  // A pod's status is its own (its IPs, its start time); a workload's repeats (3 of 3 ready, generation 1).
  obj['status'] = isPod ? slimStatus(status, interner) : interner.shared(slimStatus(status, interner));
}

/** The cached form of `o`, an object of collection `resource` (`pods`, `secrets`...; see the contract above). */
export function slimForCache<T extends KubeObjectLike>(o: T, interner: CacheInterner, resource?: string): T {
  const obj = slimKind(o as unknown as Json, resource, interner);
  slimBody(obj, interner);
  const parsed = obj['metadata'];
  if (!isObject(parsed)) return interner.internAll(obj) as T;
  const meta = withoutManagedFields(parsed);
  for (const k in meta) {
    // Unique per object: interning them would only churn the table.
    if (k === 'name' || k === 'uid' || k === 'resourceVersion') continue;
    const v = meta[k];
    if (k === 'annotations' && isObject(v)) meta[k] = interner.shared(keptAnnotations(v));
    else meta[k] = SHARED_METADATA_KEYS.has(k) ? interner.shared(v) : interner.internAll(v);
  }
  for (const k in obj) if (k !== 'metadata') obj[k] = interner.internAll(obj[k]);
  obj['metadata'] = meta;
  return obj as unknown as T;
}

/**
 * `meta` without managedFields. kube-apiserver writes managedFields last, and deleting an object's last
 * property keeps V8's compact layout (the object as JSON.parse made it, its properties in the object);
 * any other position would make it a slower, larger dictionary, so the object is rebuilt then.
 */
function withoutManagedFields(meta: Json): Json {
  if (!('managedFields' in meta)) return meta;
  const keys = Object.keys(meta);
  if (keys[keys.length - 1] !== 'managedFields') return only(meta, (k) => k !== 'managedFields');
  delete meta['managedFields'];
  return meta;
}

/** `annotations` without last-applied-configuration and values over {@link BIG_ANNOTATION_CHARS}: the same object when it has neither. */
function keptAnnotations(annotations: Json): Json {
  const dropped = (a: string, text: unknown): boolean =>
    a === LAST_APPLIED || (typeof text === 'string' && text.length > BIG_ANNOTATION_CHARS);
  for (const a in annotations)
    if (dropped(a, annotations[a])) return only(annotations, (k) => !dropped(k, annotations[k]));
  return annotations;
}
