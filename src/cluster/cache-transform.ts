/**
 * What a watch cache keeps of each object, as client-go's informer transform functions
 * (`SetTransform`) do: the fields the tree and the scheduler model read, without what only a
 * details view needs. The full object is fetched from the server when a user opens it.
 *
 * Contract: `slimForCache` takes ownership of a freshly parsed object (the cache's own copy of the
 * wire JSON) and returns it without `metadata.managedFields`, without the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, and without any other annotation whose
 * value is over {@link BIG_ANNOTATION_CHARS} characters. Every pod spec it holds (a Pod's, a workload's
 * template, a CronJob's job template) keeps of each container only what the scheduler model and the
 * tree read ({@link CONTAINER_KEPT}: name, image, resources, ports, restartPolicy, resizePolicy); a
 * Pod's container statuses lose their image, imageID and containerID; an EndpointSlice loses its
 * `endpoints`. Everything else is kept as sent. Repeated short strings (label values, images, phases,
 * node names) are shared through a {@link StringInterner}, which is lossless.
 *
 * Measured on `npm run bench:explorer`'s cluster (150,000 pods, 60,000 ReplicaSets, 30,000 of each of
 * Deployments, Services, EndpointSlices and Events): a Pod's cached copy fell from ~3.3 KB of heap to
 * ~1.3 KB, a ReplicaSet's from ~2.2 KB to ~1 KB.
 */
import type { KubeObjectLike } from './resource-cache';

/** Annotations longer than this many characters are not cached (the details view fetches them). */
export const BIG_ANNOTATION_CHARS = 1024;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Strings shorter than this are shared through the intern table. */
const INTERN_MAX_CHARS = 96;
/** The intern table is reset beyond this many entries (unique names would grow it without bound). */
const INTERN_MAX_ENTRIES = 200_000;

/**
 * Shares equal short strings between cached objects (each JSON.parse makes its own copy of every
 * value). Bounded: the table is dropped once it holds {@link INTERN_MAX_ENTRIES} strings.
 */
export class StringInterner {
  private table = new Map<string, string>();

  intern(s: string): string {
    if (s.length > INTERN_MAX_CHARS) return s;
    const found = this.table.get(s);
    if (found !== undefined) return found;
    if (this.table.size >= INTERN_MAX_ENTRIES) this.table = new Map();
    this.table.set(s, s);
    return s;
  }

  /** Interns the short strings of JSON value `v` in place; returns `v` (or the interned string). */
  internAll(v: unknown): unknown {
    if (typeof v === 'string') return this.intern(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.internAll(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = this.internAll(o[k]);
    return o;
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

/** `o` rebuilt with only the keys `keep` accepts (rebuilt, not `delete`d: see slimForCache). */
function only(o: Json, keep: (key: string) => boolean): Json {
  const out: Json = {};
  for (const k in o) if (keep(k)) out[k] = o[k];
  return out;
}

/** Slims the containers of pod spec `spec` in place (see {@link CONTAINER_KEPT}). */
function slimPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) spec[list] = cs.map((c) => (isObject(c) ? only(c, (k) => CONTAINER_KEPT.has(k)) : c));
  }
}

/** True for an EndpointSlice (lists carry no `kind`: known by its required `addressType`). */
const isEndpointSlice = (obj: Json): boolean => typeof obj['addressType'] === 'string' && 'endpoints' in obj;

/** Slims every pod spec and container status list `obj` holds, in place. */
function slimBody(obj: Json): void {
  const spec = obj['spec'];
  if (isObject(spec)) {
    if (Array.isArray(spec['containers'])) slimPodSpec(spec);
    const template = spec['template'];
    if (isObject(template)) slimPodSpec(template['spec']);
    const jobTemplate = spec['jobTemplate'];
    if (isObject(jobTemplate) && isObject(jobTemplate['spec']) && isObject(jobTemplate['spec']['template']))
      slimPodSpec(jobTemplate['spec']['template']['spec']);
  }
  const status = obj['status'];
  if (isObject(status))
    for (const list of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
      const ss = status[list];
      if (Array.isArray(ss))
        status[list] = ss.map((c) => (isObject(c) ? only(c, (k) => !CONTAINER_STATUS_DROPPED.has(k)) : c));
    }
}

/** The cached form of `o` (see the contract above). */
export function slimForCache<T extends KubeObjectLike>(o: T, interner: StringInterner): T {
  let obj = o as unknown as Record<string, unknown>;
  // The tree shows an EndpointSlice's name; its endpoints (one per backing pod) are read from the whole object.
  if (isEndpointSlice(obj)) obj = only(obj, (k) => k !== 'endpoints');
  slimBody(obj);
  const meta = obj['metadata'] as Record<string, unknown> | undefined;
  if (meta === undefined || meta === null || typeof meta !== 'object') return interner.internAll(obj) as T;
  // Rebuilt rather than `delete`d: a deleted property turns a V8 object into a slower, larger dictionary.
  const slim: Record<string, unknown> = {};
  for (const k in meta) {
    if (k === 'managedFields') continue;
    const v = meta[k];
    // Unique per object: interning them would only churn the table.
    if (k === 'name' || k === 'uid' || k === 'resourceVersion') {
      slim[k] = v;
      continue;
    }
    if (k === 'annotations' && v !== null && typeof v === 'object') {
      const kept: Record<string, unknown> = {};
      for (const [a, text] of Object.entries(v as Record<string, unknown>))
        if (a !== LAST_APPLIED && !(typeof text === 'string' && text.length > BIG_ANNOTATION_CHARS))
          kept[interner.intern(a)] = interner.internAll(text);
      slim[k] = kept;
    } else slim[k] = interner.internAll(v);
  }
  for (const k in obj) obj[k] = k === 'metadata' ? slim : interner.internAll(obj[k]);
  return obj as unknown as T;
}
