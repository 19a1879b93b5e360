/**
 * Discovery documents generated from the kind registry: /version, /api, /apis, /api/v1, /apis/G/V and
 * aggregated discovery (apidiscovery.k8s.io/v2) when the client asks for it.
 */
import type { KindRegistry, ResourceKind } from '../store/registry';

/** The `/version` body for a given minor of Kubernetes 1.x. */
export function versionInfo(minor: number): Record<string, string> {
  const patch = minor === 33 ? 1 : 0;
  return {
    major: '1',
    minor: String(minor),
    gitVersion: `v1.${minor}.${patch}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
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
  for (const [g, vs] of reg.groups()) if (g !== '') groups.push(groupEntry(g, vs));
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
  main['storageVersionHash'] = Buffer.from(`${k.group}/${k.version}/${k.kind}`).toString('base64').slice(0, 11);
  const out = [main];
  for (const s of k.subresources) {
    const e: Record<string, unknown> = {
      name: `${k.resource}/${s}`,
      singularName: '',
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: ['get', 'patch', 'update'],
    };
    if (s === 'binding') Object.assign(e, { kind: 'Binding', verbs: ['create'] });
    if (s === 'eviction') Object.assign(e, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    if (s === 'log') Object.assign(e, { verbs: ['get'] });
    if (s === 'scale') Object.assign(e, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    if (s === 'finalize') Object.assign(e, { verbs: ['update'] });
    out.push(e);
  }
  return out;
}

/** `GET /api/v1` or `/apis/G/V`: the APIResourceList, or undefined if the group version is not served. */
export function apiResourceList(reg: KindRegistry, group: string, version: string): unknown {
  const kinds = reg.all().filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
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
  for (const [g, vs] of reg.groups()) {
    if ((g === '') !== core) continue;
    items.push({
      metadata: { name: g, creationTimestamp: null },
      versions: vs.map((v) => ({
        version: v,
        resources: reg
          .all()
          .filter((k) => k.group === g && k.version === v)
          .map((k) => ({
            resource: k.resource,
            responseKind: { group: k.group, version: k.version, kind: k.kind },
            scope: k.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: k.singular,
            verbs: k.verbs,
            ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
            ...(k.categories.length > 0 ? { categories: k.categories } : {}),
            ...(k.subresources.length > 0
              ? {
                  subresources: k.subresources.map((s) => ({
                    subresource: s,
                    responseKind: {
                      group: s === 'scale' ? 'autoscaling' : k.group,
                      version: k.version,
                      kind: s === 'scale' ? 'Scale' : s === 'binding' ? 'Binding' : k.kind,
                    },
                    verbs: s === 'binding' ? ['create'] : s === 'log' ? ['get'] : ['get', 'patch', 'update'],
                  })),
                }
              : {}),
          })),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
