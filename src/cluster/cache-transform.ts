/**
 * What a watch cache keeps of each object, as client-go's informer transform functions
 * (`SetTransform`) do: the fields the tree and the scheduler model read, without what only a
 * details view needs. The full object is fetched from the server when a user opens it.
 *
 * Contract: `slimForCache` takes ownership of a freshly parsed object (the cache's own copy of the
 * wire JSON) and returns it without `metadata.managedFields`, without the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, and without any other annotation whose
 * value is over {@link BIG_ANNOTATION_CHARS} characters. A Pod's containers keep only what the
 * scheduler model and the tree read ({@link CONTAINER_KEPT}: name, image, resources, ports,
 * restartPolicy, resizePolicy; pod templates stay whole: Save Cluster Snapshot writes them), and its
 * container statuses lose their image, imageID and containerID; an EndpointSlice loses its
 * `endpoints`. Everything else is kept as sent. Repeated short strings (label values, images, phases,
 * node names) and the subtrees that replicas repeat are shared through a {@link CacheInterner}, which
 * is lossless; shared subtrees are frozen, so cached objects must be treated as read-only.
 *
 * Measured on the objects the simulated cluster serves for `npm run bench:explorer`'s cluster, heap per
 * cached object: Pod 2.7 KB (as served, less managedFields) -> ~1.0 KB; ReplicaSet -> ~0.9 KB;
 * EndpointSlice -> ~0.55 KB. At 150,000 pods the server's RSS after the tree's sync fell from 1,374 MB
 * to 655 MB with the rest of that work (README "Performance").
 */
import type { KubeObjectLike } from './resource-cache';

/** Annotations longer than this many characters are not cached (the details view fetches them). */
export const BIG_ANNOTATION_CHARS = 1024;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Strings shorter than this are shared through the intern table. */
const INTERN_MAX_CHARS = 96;
/** The intern table is reset beyond this many entries (unique names would grow it without bound). */
const INTERN_MAX_ENTRIES = 200_000;

/** JSON subtrees longer than this (as JSON) are not shared: comparing them costs more than it saves. */
const SHARE_MAX_CHARS = 4096;
/** The subtree table is reset beyond this many entries (sharing is an optimisation, never a record). */
const SHARE_MAX_ENTRIES = 100_000;

/** Freezes `v` and everything in it; returns `v`. */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

/**
 * Shares what is equal between cached objects (each JSON.parse makes its own copy of every value):
 * short strings, and the JSON subtrees that the replicas of a workload repeat (containers, volumes,
 * tolerations, affinity, labels, owner references; see {@link slimForCache}). Lossless and bounded:
 * each table is dropped once it is full. Shared subtrees are deep-frozen, so a write to one throws
 * instead of changing every object that holds it (cached objects are read-only).
 */
export class CacheInterner {
  private table = new Map<string, string>();
  private trees = new Map<string, unknown>();

  intern(s: string): string {
    if (s.length > INTERN_MAX_CHARS) return s;
    const found = this.table.get(s);
    if (found !== undefined) return found;
    if (this.table.size >= INTERN_MAX_ENTRIES) this.table = new Map();
    this.table.set(s, s);
    return s;
  }

  /** Interns the short strings of JSON value `v` in place; returns `v` (or the interned string). Frozen (shared) parts are left as they are. */
  internAll(v: unknown): unknown {
    if (typeof v === 'string') return this.intern(v);
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.internAll(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = this.internAll(o[k]);
    return o;
  }

  /** `v` (a JSON subtree), or an equal subtree shared before (deep-frozen, its strings interned). */
  shared<T>(v: T): T {
    if (typeof v !== 'object' || v === null) return v;
    const key = JSON.stringify(v);
    if (key.length > SHARE_MAX_CHARS) return this.internAll(v) as T;
    const found = this.trees.get(key);
    if (found !== undefined) return found as T;
    if (this.trees.size >= SHARE_MAX_ENTRIES) this.trees = new Map();
    const own = deepFreeze(this.internAll(v));
    this.trees.set(key, own);
    return own as T;
  }
}

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
 * Shares the repeated parts of pod spec `spec` in place; with `slimContainers` (a Pod's own spec, not a
 * template) its containers first keep only {@link CONTAINER_KEPT}.
 */
function slimPodSpec(spec: unknown, interner: CacheInterner, slimContainers: boolean): void {
  if (!isObject(spec)) return;
  if (slimContainers)
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const cs = spec[list];
      if (Array.isArray(cs)) spec[list] = cs.map((c) => (isObject(c) ? only(c, (k) => CONTAINER_KEPT.has(k)) : c));
    }
  for (const k of SHARED_POD_SPEC_KEYS) if (spec[k] !== undefined) spec[k] = interner.shared(spec[k]);
  // Each pod's service account volume has a name of its own (`kube-api-access-<random>`), so volumes are
  // shared one by one, their sources apart from their names.
  const volumes = spec['volumes'];
  if (Array.isArray(volumes))
    spec['volumes'] = volumes.map((v) => (isObject(v) ? shareExcept(v, 'name', interner) : v));
}

/** `o` rebuilt with `own`'s value its own and every other value shared. */
function shareExcept(o: Json, own: string, interner: CacheInterner): Json {
  const out: Json = {};
  for (const k in o) out[k] = k === own ? o[k] : interner.shared(o[k]);
  return out;
}

/** True for an EndpointSlice (lists carry no `kind`: known by its required `addressType`). */
const isEndpointSlice = (obj: Json): boolean => typeof obj['addressType'] === 'string' && 'endpoints' in obj;

/** Slims every pod spec and container status list `obj` holds, in place. */
function slimBody(obj: Json, interner: CacheInterner): void {
  const spec = obj['spec'];
  if (isObject(spec)) {
    if (Array.isArray(spec['containers'])) slimPodSpec(spec, interner, true);
    // Templates stay whole (Save Cluster Snapshot writes them, and the reloaded controllers make pods of
    // them); the revisions of a workload and the workload itself share them.
    const template = spec['template'];
    if (isObject(template)) slimPodSpec(template['spec'], interner, false);
    const jobTemplate = spec['jobTemplate'];
    if (isObject(jobTemplate) && isObject(jobTemplate['spec']) && isObject(jobTemplate['spec']['template']))
      slimPodSpec(jobTemplate['spec']['template']['spec'], interner, false);
  }
  const status = obj['status'];
  if (isObject(status)) {
    for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
      const ss = status[list];
      // Without their IDs, replicas' container statuses repeat (ready, restarts, started in the same second).
      if (Array.isArray(ss))
        status[list] = ss.map((c) =>
          isObject(c) ? interner.shared(only(c, (k) => !CONTAINER_STATUS_DROPPED.has(k))) : c,
        );
    }
    // Conditions one by one: pods that changed together (replicas started in the same second) repeat them.
    const conditions = status['conditions'];
    if (Array.isArray(conditions)) status['conditions'] = conditions.map((c) => interner.shared(c));
  }
}

/** The cached form of `o` (see the contract above). */
export function slimForCache<T extends KubeObjectLike>(o: T, interner: CacheInterner): T {
  let obj = o as unknown as Record<string, unknown>;
  // The tree shows an EndpointSlice's name; its endpoints (one per backing pod) are read from the whole object.
  if (isEndpointSlice(obj)) obj = only(obj, (k) => k !== 'endpoints');
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
