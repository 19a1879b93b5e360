/**
 * The whole object behind a tree row. The watch caches keep a slim copy (cache-transform.ts: no
 * managedFields, no last-applied-configuration, no big annotations), so the views that show an object
 * as the server has it (View YAML, Describe) fetch it with one GET when the user opens it.
 *
 * Contract: resolves (never rejects) to `{ obj }`, the server's object with `apiVersion` and `kind` set
 * (or the cached copy when the GET fails other than 404: forbidden `get`, unreachable; the view then
 * shows what the cache has rather than nothing), or to `{ gone }` when the server answers 404.
 */
import type { RestClient } from '../../cluster/rest-client';
import type { KubeObj } from './cluster-data';

/** The object's own path under its collection path (`/api/v1/pods` → `/api/v1/namespaces/ns/pods/name`). */
export function objectPath(collectionPath: string, name: string, namespace: string | undefined): string {
  const base = namespace
    ? collectionPath.replace(/\/([^/]+)$/, `/namespaces/${encodeURIComponent(namespace)}/$1`)
    : collectionPath;
  return `${base}/${encodeURIComponent(name)}`;
}

/** GETs `cached`'s object from the server (see the contract above). */
export async function fetchFullObject(
  client: RestClient,
  collectionPath: string,
  cached: KubeObj,
): Promise<{ obj: KubeObj } | { gone: string }> {
  const name = cached.metadata?.name ?? '';
  const ns = cached.metadata?.namespace || undefined;
  const r = await client.request<KubeObj>({ path: objectPath(collectionPath, name, ns) });
  if (r.status === 404)
    return { gone: `${cached.kind ?? 'The object'} ${ns !== undefined ? `${ns}/` : ''}${name} no longer exists.` };
  if (r.status !== 200 || r.body === undefined || typeof r.body !== 'object') return { obj: cached };
  return { obj: { apiVersion: cached.apiVersion, kind: cached.kind, ...r.body } };
}
