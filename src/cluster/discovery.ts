/**
 * API discovery: which resources a cluster serves, so that any kind (built-in or custom)
 * can be listed, created or deleted by GroupVersionKind.
 *
 * Contract: `resolve(apiVersion, kind)` answers from a cache filled lazily on first use and
 * refreshed by `invalidate()` (call it when CRDs change). Unknown kinds resolve to undefined;
 * discovery failures are returned as `{ error }`, never thrown.
 */
import type { RestClient } from './rest-client';

export interface ApiResource {
  group: string;
  version: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
}

interface ApiResourceListBody {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[] }[];
}

export class Discovery {
  private byGvk: Map<string, ApiResource> | undefined;
  private loading: Promise<string | undefined> | undefined;

  constructor(private readonly client: RestClient) {}

  invalidate(): void {
    this.byGvk = undefined;
  }

  /** All served top-level resources (no subresources), after discovery. */
  async all(): Promise<ApiResource[] | { error: string }> {
    const err = await this.ensure();
    if (err) return { error: err };
    return [...this.byGvk!.values()];
  }

  async resolve(apiVersion: string, kind: string): Promise<ApiResource | undefined | { error: string }> {
    const err = await this.ensure();
    if (err) return { error: err };
    return this.byGvk!.get(`${apiVersion}/${kind}`);
  }

  /** The collection URL path for a resource in a namespace (ignored for cluster-scoped ones). */
  static collectionPath(r: ApiResource, namespace?: string): string {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    return r.namespaced && namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`
      : `${base}/${r.resource}`;
  }

  private ensure(): Promise<string | undefined> {
    if (this.byGvk) return Promise.resolve(undefined);
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<string | undefined> {
    const map = new Map<string, ApiResource>();
    const core = await this.client.request<ApiResourceListBody>({ path: '/api/v1' });
    if (core.status !== 200 || !core.body) return core.error ?? 'discovery of /api/v1 failed';
    addResources(map, '', 'v1', core.body);
    const groups = await this.client.request<{
      groups?: {
        name: string;
        versions: { groupVersion: string; version: string }[];
        preferredVersion?: { version: string };
      }[];
    }>({ path: '/apis' });
    if (groups.status !== 200 || !groups.body) return groups.error ?? 'discovery of /apis failed';
    const lists = await Promise.all(
      (groups.body.groups ?? []).flatMap((g) =>
        g.versions.map(async (v) => {
          const r = await this.client.request<ApiResourceListBody>({ path: `/apis/${g.name}/${v.version}` });
          return { g: g.name, v: v.version, body: r.status === 200 ? r.body : undefined };
        }),
      ),
    );
    for (const l of lists) if (l.body) addResources(map, l.g, l.v, l.body);
    this.byGvk = map;
    return undefined;
  }
}

function addResources(map: Map<string, ApiResource>, group: string, version: string, body: ApiResourceListBody): void {
  const apiVersion = group ? `${group}/${version}` : version;
  for (const r of body.resources ?? []) {
    if (r.name.includes('/')) continue;
    map.set(`${apiVersion}/${r.kind}`, {
      group,
      version,
      resource: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      verbs: r.verbs ?? [],
      shortNames: r.shortNames ?? [],
    });
  }
}
