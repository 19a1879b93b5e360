/**
 * Discovery documents generated from the kind registry: /version, /api, /apis, /api/v1, /apis/G/V and
 * aggregated discovery (apidiscovery.k8s.io/v2) when the client asks for it.
 */
import { createHash } from 'node:crypto';
import type { KindRegistry, ResourceKind } from '../store/registry';

/** The patch release reported per minor (v1.37.2 is the release the OpenAPI documents come from). */
const PATCH: Record<number, number> = { 33: 1, 37: 2 };

/** The `/version` body for a given minor of Kubernetes 1.x, shaped as kube-apiserver v1.37's. */
export function versionInfo(minor: number): Record<string, string> {
  return {
    major: '1',
    minor: String(minor),
    emulationMajor: '1',
    emulationMinor: String(minor),
    minCompatibilityMajor: '1',
    minCompatibilityMinor: String(minor - 1),
    gitVersion: `v1.${minor}.${PATCH[minor] ?? 0}`,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.26.8',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/**
 * kube-apiserver's group order in discovery (its APIService priorities); kubectl resolves an
 * ambiguous resource name to the first group. Other groups (CRDs) follow, by name.
 */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
  'storagemigration.k8s.io',
];

/** The registry's groups in discovery order. */
function orderedGroups(reg: KindRegistry): [string, string[]][] {
  const rank = (g: string): number => {
    const i = GROUP_ORDER.indexOf(g);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  return [...reg.groups()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Kinds whose storage version lives in another group (events.k8s.io Events are stored as core Events). */
const STORAGE_GVK: Record<string, string> = { 'events.k8s.io/v1/Event': '/v1/Event' };

/** upstream's discovery.StorageVersionHash: base64 of the first 8 bytes of SHA-256 of `group/version/kind`. */
export function storageVersionHash(k: { group: string; version: string; kind: string }): string {
  const gvk = `${k.group}/${k.version}/${k.kind}`;
  return createHash('sha256')
    .update(STORAGE_GVK[gvk] ?? gvk)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

/** A subresource's discovery fields: its kind (and group/version when not the parent's) and verbs. */
function subresourceInfo(
  k: ResourceKind,
  s: string,
): { group?: string; version?: string; kind: string; verbs: string[] } {
  switch (s) {
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'log':
      return { kind: k.kind, verbs: ['get'] };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    case 'finalize':
      return { kind: k.kind, verbs: ['update'] };
    default:
      return { kind: k.kind, verbs: ['get', 'patch', 'update'] };
  }
}

/** `GET /api`. */
export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): unknown {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

/** `GET /apis`: every non-core group with its versions. */
export function apiGroupList(reg: KindRegistry): unknown {
  const groups: unknown[] = [];
  for (const [g, vs] of orderedGroups(reg)) if (g !== '') groups.push(groupEntry(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/G`: one group, or undefined if not served. */
export function apiGroup(reg: KindRegistry, group: string): unknown {
  const vs = reg.groups().get(group);
  if (vs === undefined || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(group, vs) as object) };
}

function resourceEntries(k: ResourceKind): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: k.resource,
    singularName: k.singular,
    namespaced: k.namespaced,
    kind: k.kind,
    verbs: k.verbs,
  };
  if (k.shortNames.length > 0) main['shortNames'] = k.shortNames;
  if (k.categories.length > 0) main['categories'] = k.categories;
  main['storageVersionHash'] = storageVersionHash(k);
  const out = [main];
  for (const s of [...k.subresources].sort()) {
    const info = subresourceInfo(k, s);
    out.push({
      name: `${k.resource}/${s}`,
      singularName: '',
      namespaced: k.namespaced,
      ...(info.group !== undefined ? { group: info.group, version: info.version } : {}),
      kind: info.kind,
      verbs: info.verbs,
    });
  }
  return out;
}

/** `GET /api/v1` or `/apis/G/V`: the APIResourceList, or undefined if the group version is not served. */
export function apiResourceList(reg: KindRegistry, group: string, version: string): unknown {
  const kinds = reg.all().filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    // kube-apiserver leaves apiVersion out for the core group version only.
    ...(group === '' ? {} : { apiVersion: 'v1' }),
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: kinds.flatMap(resourceEntries),
  };
}

/** The media type of aggregated discovery (v2). */
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  return (
    accept !== undefined && /as=APIGroupDiscoveryList/.test(accept) && /v=v2(;|,|$)/.test(accept.split(',')[0] ?? '')
  );
}

/** The aggregated discovery document for `/api` (core=true) or `/apis`. */
export function aggregatedDiscovery(reg: KindRegistry, core: boolean): unknown {
  const items: unknown[] = [];
  for (const [g, vs] of orderedGroups(reg)) {
    if ((g === '') !== core) continue;
    items.push({
      metadata: g === '' ? {} : { name: g },
      versions: vs.map((v) => ({
        version: v,
        resources: reg
          .all()
          .filter((k) => k.group === g && k.version === v)
          .map((k) => ({
            resource: k.resource,
            responseKind: { group: '', version: '', kind: k.kind },
            scope: k.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: k.singular,
            verbs: k.verbs,
            ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
            ...(k.categories.length > 0 ? { categories: k.categories } : {}),
            ...(k.subresources.length > 0
              ? {
                  subresources: [...k.subresources].sort().map((s) => {
                    const info = subresourceInfo(k, s);
                    return {
                      subresource: s,
                      responseKind: { group: info.group ?? '', version: info.version ?? '', kind: info.kind },
                      verbs: info.verbs,
                    };
                  }),
                }
              : {}),
          })),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
