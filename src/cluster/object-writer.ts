/**
 * Creating, applying, replacing and deleting arbitrary objects by apiVersion/kind.
 *
 * Contract: each operation returns an `ObjectResult` (never throws) with the server's own
 * message on failure, so a caller can report one result per manifest document. `dryRun`
 * sends `dryRun=All` (server-side validation, admission and defaulting, nothing stored).
 * Creation uses `fieldValidation=Strict` so unknown fields are errors, as kubectl does.
 */
import { Discovery } from './discovery';
import type { KubeStatus, RestClient } from './rest-client';

export interface ManifestObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    resourceVersion?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export type ObjectOutcome = 'created' | 'applied' | 'replaced' | 'deleted' | 'validated' | 'failed';

export interface ObjectResult {
  outcome: ObjectOutcome;
  /** `Kind/name` or `Kind/namespace/name` of the object as the server answered. */
  ref: string;
  object?: ManifestObject;
  /** HTTP status (0 when unreachable). */
  status: number;
  /** Server `Status.reason`, e.g. `AlreadyExists`, `Invalid`, `Forbidden`, `Conflict`. */
  reason?: string;
  message?: string;
  warnings?: string[];
  causes?: NonNullable<KubeStatus['details']>['causes'];
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Used when the object has no namespace of its own (namespaced kinds only). */
  defaultNamespace?: string;
  fieldManager?: string;
  force?: boolean;
}

const FIELD_MANAGER = 'kube-forecast';

export class ObjectWriter {
  constructor(
    private readonly client: RestClient,
    readonly discovery: Discovery = new Discovery(client),
  ) {}

  async create(obj: ManifestObject, o: WriteOptions = {}): Promise<ObjectResult> {
    const t = await this.target(obj, o);
    if ('result' in t) return t.result;
    const r = await this.client.request<ManifestObject>({
      method: 'POST',
      path: t.collection,
      query: {
        dryRun: o.dryRun ? 'All' : undefined,
        fieldValidation: 'Strict',
        fieldManager: o.fieldManager ?? FIELD_MANAGER,
      },
      body: withNamespace(obj, t.namespace),
    });
    return toResult(r, o.dryRun ? 'validated' : 'created', obj, t.namespace);
  }

  /** Server-side apply (`application/apply-patch+yaml`, JSON is valid YAML). */
  async apply(obj: ManifestObject, o: WriteOptions = {}): Promise<ObjectResult> {
    const t = await this.target(obj, o);
    if ('result' in t) return t.result;
    const name = obj.metadata?.name;
    if (!name) return failed(obj, 'server-side apply needs metadata.name', 422, 'Invalid');
    const r = await this.client.request<ManifestObject>({
      method: 'PATCH',
      path: `${t.collection}/${encodeURIComponent(name)}`,
      contentType: 'application/apply-patch+yaml',
      query: {
        dryRun: o.dryRun ? 'All' : undefined,
        fieldManager: o.fieldManager ?? FIELD_MANAGER,
        force: o.force ? true : undefined,
        fieldValidation: 'Strict',
      },
      body: withNamespace(obj, t.namespace),
    });
    return toResult(r, o.dryRun ? 'validated' : 'applied', obj, t.namespace);
  }

  /** Replaces the stored object (PUT) with the current resourceVersion. */
  async replace(obj: ManifestObject, o: WriteOptions = {}): Promise<ObjectResult> {
    const t = await this.target(obj, o);
    if ('result' in t) return t.result;
    const name = obj.metadata?.name;
    if (!name) return failed(obj, 'replace needs metadata.name', 422, 'Invalid');
    const url = `${t.collection}/${encodeURIComponent(name)}`;
    const current = await this.client.request<ManifestObject>({ path: url });
    if (current.status !== 200) return toResult(current, 'failed', obj, t.namespace);
    const body = withNamespace(obj, t.namespace);
    body.metadata = { ...body.metadata, resourceVersion: current.body?.metadata?.resourceVersion };
    const r = await this.client.request<ManifestObject>({
      method: 'PUT',
      path: url,
      query: {
        dryRun: o.dryRun ? 'All' : undefined,
        fieldValidation: 'Strict',
        fieldManager: o.fieldManager ?? FIELD_MANAGER,
      },
      body,
    });
    return toResult(r, o.dryRun ? 'validated' : 'replaced', obj, t.namespace);
  }

  async delete(
    obj: ManifestObject,
    o: WriteOptions & { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' } = {},
  ): Promise<ObjectResult> {
    const t = await this.target(obj, o);
    if ('result' in t) return t.result;
    const name = obj.metadata?.name;
    if (!name) return failed(obj, 'delete needs metadata.name', 422, 'Invalid');
    const r = await this.client.request<ManifestObject>({
      method: 'DELETE',
      path: `${t.collection}/${encodeURIComponent(name)}`,
      query: { dryRun: o.dryRun ? 'All' : undefined },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: o.propagationPolicy ?? 'Background' },
    });
    return toResult(r, o.dryRun ? 'validated' : 'deleted', obj, t.namespace);
  }

  /** Reads one object (for View YAML / Describe). */
  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<ObjectResult> {
    const obj: ManifestObject = { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
    const t = await this.target(obj, {});
    if ('result' in t) return t.result;
    const r = await this.client.request<ManifestObject>({ path: `${t.collection}/${encodeURIComponent(name)}` });
    return toResult(r, 'validated', obj, t.namespace);
  }

  private async target(
    obj: ManifestObject,
    o: WriteOptions,
  ): Promise<{ collection: string; namespace?: string } | { result: ObjectResult }> {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      return { result: failed(obj, 'the document is not a Kubernetes object (a mapping)', 400, 'BadRequest') };
    if (typeof obj.apiVersion !== 'string' || !obj.apiVersion)
      return { result: failed(obj, 'apiVersion: Required value', 400, 'BadRequest') };
    if (typeof obj.kind !== 'string' || !obj.kind)
      return { result: failed(obj, 'kind: Required value', 400, 'BadRequest') };
    const r = await this.discovery.resolve(obj.apiVersion, obj.kind);
    if (r && 'error' in r) return { result: failed(obj, r.error, 0, 'Unreachable') };
    if (!r) {
      return {
        result: failed(obj, `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`, 404, 'NotFound'),
      };
    }
    const namespace = r.namespaced ? (obj.metadata?.namespace ?? o.defaultNamespace ?? 'default') : undefined;
    return { collection: Discovery.collectionPath(r, namespace), ...(namespace ? { namespace } : {}) };
  }
}

function withNamespace(obj: ManifestObject, namespace: string | undefined): ManifestObject {
  if (!namespace || obj.metadata?.namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

/** `Kind/name` or `Kind/namespace/name`. */
function objectRef(obj: ManifestObject | undefined, namespace?: string): string {
  const kind = obj?.kind ?? '?';
  const name = obj?.metadata?.name ?? (obj?.metadata?.generateName ? `${obj.metadata.generateName}*` : '?');
  const ns = obj?.metadata?.namespace ?? namespace;
  return ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
}

function failed(obj: ManifestObject, message: string, status: number, reason: string): ObjectResult {
  return { outcome: 'failed', ref: objectRef(obj), status, reason, message };
}

function toResult(
  r: { status: number; body?: ManifestObject; errorStatus?: KubeStatus; error?: string; warnings?: string[] },
  ok: ObjectOutcome,
  obj: ManifestObject,
  namespace: string | undefined,
): ObjectResult {
  const warnings = r.warnings?.length ? { warnings: r.warnings } : {};
  if (r.status >= 200 && r.status < 300) {
    const got = r.body && typeof r.body === 'object' && r.body.kind && r.body.kind !== 'Status' ? r.body : obj;
    return { outcome: ok, ref: objectRef(got, namespace), object: got, status: r.status, ...warnings };
  }
  return {
    outcome: 'failed',
    ref: objectRef(obj, namespace),
    status: r.status,
    ...(r.errorStatus?.reason ? { reason: r.errorStatus.reason } : r.status === 0 ? { reason: 'Unreachable' } : {}),
    message: r.error ?? `HTTP ${r.status}`,
    ...(r.errorStatus?.details?.causes ? { causes: r.errorStatus.details.causes } : {}),
    ...warnings,
  };
}
