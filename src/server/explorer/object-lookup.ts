/**
 * The cached object a tree row stands for: its kind's cache (or a CRD's custom resources, or the Helm
 * release Secrets), with `apiVersion` and `kind` filled in, and the collection it is listed from.
 */
import { WATCHED_KINDS } from '../../cluster/cluster-session';
import { latestReleases } from '../../cluster/helm-release';
import type { ClusterData, KindSource, KubeObj } from './cluster-data';
import { kindInfo } from './kinds';
import { objectOf } from './tree-ids';

/** A row's object: `key` is its cache key, `path` its collection (none for a Helm release, which is not one object). */
export type FoundObject = { obj: KubeObj; key: string; path?: string };

/** The cluster-wide collection path of a CRD's custom resources (its storage version). */
export function customPath(crd: KubeObj): string {
  const group = String(crd.spec?.group ?? '');
  const versions = (crd.spec?.versions ?? []) as { name: string; served?: boolean; storage?: boolean }[];
  const version =
    (versions.find((v) => v.storage) ?? versions.find((v) => v.served !== false) ?? versions[0])?.name ?? 'v1';
  return `/apis/${group}/${version}/${String(crd.spec?.names?.plural ?? '')}`;
}

/** The cache of a CRD's custom resources (started on first use). */
export function customSource(data: ClusterData, crd: KubeObj): KindSource {
  return data.customSource(`cr:${crd.metadata?.name ?? ''}`, customPath(crd), crd.spec?.scope === 'Namespaced');
}

/** The Helm release Secrets' cache (`owner=helm`). */
export function helmSource(data: ClusterData): KindSource {
  return data.customSource('helm', '/api/v1/secrets', true, 'owner=helm');
}

/** The cached object the row `nodeId` stands for, or why there is none. */
export function objectFor(data: ClusterData, nodeId: string): FoundObject | { error: string } {
  const ref = objectOf(nodeId);
  if (ref === undefined) return { error: 'This row is not a Kubernetes object.' };
  if (ref.kind === 'crd') {
    const o = data.source('customresourcedefinitions').get(ref.name);
    return o
      ? {
          obj: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', ...o },
          key: 'customresourcedefinitions',
          path: WATCHED_KINDS.customresourcedefinitions,
        }
      : { error: `${ref.name} no longer exists.` };
  }
  if (ref.kind.startsWith('cr:')) {
    const crd = data.source('customresourcedefinitions').get(ref.kind.slice(3));
    if (crd === undefined) return { error: `The custom resource definition ${ref.kind.slice(3)} no longer exists.` };
    const src = customSource(data, crd);
    const o = src.get(ref.name, ref.namespace || undefined);
    const versions = (crd.spec?.versions ?? []) as { name: string; storage?: boolean }[];
    const apiVersion = `${String(crd.spec?.group ?? '')}/${(versions.find((v) => v.storage) ?? versions[0])?.name ?? 'v1'}`;
    return o
      ? { obj: { apiVersion, kind: String(crd.spec?.names?.kind ?? ''), ...o }, key: ref.kind, path: customPath(crd) }
      : { error: `${ref.name} no longer exists.` };
  }
  if (ref.kind === 'helm') {
    // The release as `helm list` and `helm get manifest` would summarise it; its values are not shown.
    const r = latestReleases(helmSource(data).list()).find((x) => x.name === ref.name && x.namespace === ref.namespace);
    if (r === undefined) return { error: `Helm release ${ref.namespace}/${ref.name} no longer exists.` };
    return {
      obj: {
        apiVersion: 'helm.sh/v3',
        kind: 'Release',
        metadata: { name: r.name, namespace: r.namespace },
        chart: `${r.chart}-${r.chartVersion}`,
        ...(r.appVersion ? { appVersion: r.appVersion } : {}),
        revision: r.revision,
        status: r.status,
        ...(r.updated ? { updated: r.updated } : {}),
        resources: r.resources ?? [],
      } as KubeObj,
      key: 'helm',
    };
  }
  const info = kindInfo(ref.kind);
  if (info === undefined) return { error: `Unknown kind ${ref.kind}.` };
  const o = data.source(info.key).get(ref.name, ref.namespace || undefined);
  if (o === undefined)
    return { error: `${info.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} no longer exists.` };
  return {
    obj: { apiVersion: info.apiVersion, kind: info.kind, ...o },
    key: info.key,
    path: WATCHED_KINDS[info.key],
  };
}
