/** The explorer tree's shared row helpers: message rows, state sentences, ordering, row kinds. Pure. */
import type { TreeNode, TreeNodeKind } from '../../shared/protocol';
import type { KindState, KubeObj } from './cluster-data';
import { CATEGORIES, kindsOf, type KindInfo } from './kinds';
import { childId } from './tree-ids';

/** The id segment prefix of a category row (`workloads`, `network`, ...). */
export const CATEGORY_PREFIX = 'cat-';

/** The kinds whose rows expand to the pods (or jobs) they own. */
export const WORKLOAD_KINDS = new Set(['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs']);
/** The row kind of an object row, by watched kind (`resource` when absent). */
export const NODE_KIND: Partial<Record<string, TreeNodeKind>> = {
  pods: 'pod',
  deployments: 'deployment',
  replicasets: 'replicaset',
  statefulsets: 'statefulset',
  daemonsets: 'daemonset',
  jobs: 'job',
  cronjobs: 'cronjob',
  nodes: 'node',
  namespaces: 'namespace',
};

/** Orders objects by namespace/name. */
export function byName(a: KubeObj, b: KubeObj): number {
  const an = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const bn = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** A message row (a problem, loading, nothing to show) under `parentId`. */
export function message(parentId: string, key: string, label: string, tooltip?: string): TreeNode {
  return {
    id: childId(parentId, '!', key),
    parentId,
    label,
    kind: 'message',
    contextValue: 'message',
    hasChildren: false,
    ...(tooltip !== undefined ? { tooltip } : {}),
  };
}

/** A sentence for a kind that cannot be listed, or undefined when it can. */
export function stateProblem(what: string, s: KindState, namespaces: readonly string[]): string | undefined {
  switch (s.state) {
    case 'forbidden':
      return `Not allowed to list ${what}${namespaces.length === 0 ? ' in all namespaces' : ''}: ${s.message}${
        namespaces.length === 0 ? ' Choose Namespaces to show only the ones you may read.' : ''
      }`;
    case 'unauthorized':
      return `Credentials rejected (401) while listing ${what}: run Re-authenticate.`;
    case 'tooLarge':
      return `Too many ${what} to keep in memory (${s.message}): choose Namespaces to watch only the ones you work in.`;
    case 'unreachable':
      if (/could not find the requested resource/.test(s.message)) return `${what}: not served by this cluster.`;
      return `Cannot list ${what}: ${s.message} Retrying.`;
    default:
      return undefined;
  }
}

/** The kinds listed under a namespace row. */
export function kindsInNamespaces(): KindInfo[] {
  return CATEGORIES.flatMap((c) => kindsOf(c.key)).filter((k) => k.namespaced);
}

/** Whether `o` has an owner reference to `kind`/`name`. */
export function ownedBy(o: KubeObj, kind: string, name: string): boolean {
  return (o.metadata?.ownerReferences ?? []).some((r) => r.kind === kind && r.name === name);
}

/** Pods per namespace. */
export function countBy(pods: readonly KubeObj[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    m.set(ns, (m.get(ns) ?? 0) + 1);
  }
  return m;
}

/** A node's conditions, one line each. */
export function conditionLines(node: KubeObj): string[] {
  return ((node.status?.conditions ?? []) as { type?: string; status?: string; message?: string }[]).map(
    (c) => `${c.type ?? '?'}=${c.status ?? '?'}${c.message ? ` (${c.message})` : ''}`,
  );
}
