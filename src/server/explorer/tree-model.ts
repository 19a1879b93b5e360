/**
 * The cluster explorer's tree, computed from the watch caches on every request (no per-view copies):
 * contexts → the connected context's Cluster, Nodes, Namespaces, Workloads, Network, Config, Storage,
 * Custom Resources and Helm Releases branches.
 *
 * Contract: `children(id)` never throws and never does I/O; a branch whose list is forbidden or
 * unreachable shows one message row explaining it while the other branches keep working. Row ids follow
 * `tree-ids.ts`, so the same object under two branches has two ids.
 */
import type { WatchedKind } from '../../cluster/cluster-session';
import type { TreeNode } from '../../shared/protocol';
import type { KubeObj } from './cluster-data';
import { CATEGORIES, kindInfo, kindsOf, type Category, type KindInfo } from './kinds';
import { podStatus } from './status-text';
import { childId, objectId, objectOf, parentOf, parseId, type ObjectRef } from './tree-ids';
import { ObjectRows } from './tree-object-rows';
import {
  byName,
  CATEGORY_PREFIX,
  countBy,
  kindsInNamespaces,
  message,
  stateProblem,
  WORKLOAD_KINDS,
} from './tree-rows';
import type { TreeScope, TreeSource } from './tree-source';

export { CATEGORY_PREFIX } from './tree-rows';
export type { ContextEntry, TreeScope, TreeSource } from './tree-source';

/** The control-plane components the Cluster row lists, by their `component` label. */
const CONTROL_PLANE = ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'etcd'];

/** The explorer's tree over a {@link TreeSource}. */
export class TreeModel {
  private readonly rows: ObjectRows;

  /** A model reading through `src`, for the connection `scope` describes at each call. */
  constructor(
    private readonly src: TreeSource,
    private readonly scope: () => TreeScope,
  ) {
    this.rows = new ObjectRows(src);
  }

  /** The rows under `parentId` (null: the root). */
  children(parentId: string | null): TreeNode[] {
    const scope = this.scope();
    if (parentId === null || parentId === '') return this.contexts(scope);
    const seg = parseId(parentId);
    if (seg[0] !== scope.context) return [];
    const ref = objectOf(parentId);
    if (ref !== undefined) return this.objectChildren(parentId, ref);
    if (seg.length === 1) return this.sections(parentId, scope);
    if (seg.length === 2) {
      const section = seg[1]!;
      if (section.startsWith(CATEGORY_PREFIX)) {
        return this.kindGroups(parentId, kindsOf(section.slice(CATEGORY_PREFIX.length) as Category), undefined);
      }
      switch (section) {
        case 'cluster':
          return this.clusterRows(parentId, scope);
        case 'nodes':
          return this.listRows(parentId, 'nodes');
        case 'namespaces':
          return this.namespaceRows(parentId);
        case 'crds':
          return this.rows.crdRows(parentId);
        case 'helm':
          return this.rows.helmRows(parentId);
        default:
          return [];
      }
    }
    // A kind group: under a category, or under a namespace row.
    const parent = parentOf(parentId);
    const kind = seg[seg.length - 1] as WatchedKind;
    if (kindInfo(kind) === undefined) return [];
    const owner = objectOf(parent);
    if (owner?.kind === 'namespaces') return this.listRows(parentId, kind, owner.name);
    if (parseId(parent).length === 2 && parseId(parent)[1]!.startsWith(CATEGORY_PREFIX))
      return this.listRows(parentId, kind);
    return [];
  }

  /** The chain of rows from the root to `id`, or [] when `id` is not in the tree. */
  path(id: string): TreeNode[] {
    const ids: string[] = [];
    for (let cur = id; cur !== ''; cur = parentOf(cur)) ids.unshift(cur);
    const chain: TreeNode[] = [];
    let parent: string | null = null;
    for (const want of ids) {
      const hit: TreeNode | undefined = this.children(parent).find((r) => r.id === want);
      if (hit === undefined) return [];
      chain.push(hit);
      parent = hit.id;
    }
    return chain;
  }

  private contexts(scope: TreeScope): TreeNode[] {
    return scope.contexts.map((c) => {
      const active = c.name === scope.context;
      return {
        id: childId('', c.name),
        label: c.label ?? c.name,
        kind: 'context',
        contextValue: active ? 'context:active' : 'context',
        hasChildren: active,
        description: active
          ? scope.problem !== undefined
            ? 'unreachable'
            : `connected${this.src.namespaces.length > 0 ? ` · ${this.src.namespaces.join(', ')}` : ''}`
          : c.simulator
            ? 'simulated cluster'
            : (c.cluster ?? ''),
        tooltip: [c.server ? `Server: ${c.server}` : undefined, active && scope.problem ? scope.problem : undefined]
          .filter((x) => x !== undefined)
          .join('\n'),
        status: active ? (scope.problem !== undefined ? 'error' : 'ok') : 'unknown',
        name: c.name,
      } satisfies TreeNode;
    });
  }

  private sections(ctxId: string, scope: TreeScope): TreeNode[] {
    const ns = this.src.namespaces;
    const group = (key: string, label: string, description?: string, tooltip?: string): TreeNode => ({
      id: childId(ctxId, key),
      parentId: ctxId,
      label,
      kind: 'group',
      contextValue: 'group',
      hasChildren: true,
      ...(description !== undefined ? { description } : {}),
      ...(tooltip !== undefined ? { tooltip } : {}),
    });
    const count = (kind: WatchedKind): string => {
      const st = this.src.state(kind);
      if (st.state === 'forbidden') return 'forbidden';
      if (st.state === 'unauthorized') return 'credentials expired';
      if (st.state === 'unreachable') return 'unreachable';
      if (st.state !== 'synced') return 'loading…';
      return String(this.src.list(kind).length);
    };
    const h = scope.health;
    const clusterDesc =
      scope.problem !== undefined
        ? 'unreachable'
        : h === undefined
          ? 'checking…'
          : !h.reachable
            ? 'unreachable'
            : `${h.version ?? ''}${h.ready === false ? ' · not ready' : ' · ready'}`;
    const rows: TreeNode[] = [
      {
        ...group('cluster', 'Cluster', clusterDesc, scope.problem ?? h?.message),
        kind: 'cluster',
        contextValue: 'cluster',
      },
      group('nodes', 'Nodes', count('nodes')),
      group('namespaces', 'Namespaces', ns.length > 0 ? `${ns.length} chosen` : count('namespaces')),
    ];
    for (const c of CATEGORIES) rows.push(group(`${CATEGORY_PREFIX}${c.key}`, c.label));
    rows.push(group('crds', 'Custom Resources', count('customresourcedefinitions')));
    rows.push(group('helm', 'Helm Releases'));
    return rows;
  }

  private clusterRows(parentId: string, scope: TreeScope): TreeNode[] {
    const rows: TreeNode[] = [];
    const h = scope.health;
    if (scope.problem !== undefined) rows.push(message(parentId, 'problem', scope.problem));
    if (h !== undefined) {
      rows.push({
        ...message(parentId, 'version', `Server version`),
        description: h.reachable ? (h.version ?? 'unknown') : 'unreachable',
      });
      rows.push({
        ...message(parentId, 'readyz', '/readyz'),
        description: !h.reachable ? 'unreachable' : h.ready ? 'ok' : `failing: ${h.message ?? ''}`,
        status: h.reachable && h.ready ? 'ok' : 'error',
      });
    }
    const st = this.src.state('pods');
    const sys = st.state === 'synced' ? this.src.list('pods', 'kube-system') : [];
    for (const comp of CONTROL_PLANE) {
      const pods = sys.filter(
        (p) =>
          p.metadata?.labels?.['component'] === comp ||
          p.metadata?.labels?.['k8s-app'] === comp ||
          (p.metadata?.name ?? '').startsWith(`${comp}-`),
      );
      const ready = pods.filter((p) => podStatus(p).status === 'ok').length;
      rows.push({
        id: childId(parentId, 'component', comp),
        parentId,
        label: comp,
        kind: 'resource',
        contextValue: 'component',
        hasChildren: false,
        description:
          st.state !== 'synced'
            ? (stateProblem('pods in kube-system', st, this.src.namespaces) ?? 'loading…')
            : pods.length === 0
              ? 'not visible (managed control plane, or not a pod)'
              : `${ready}/${pods.length} running`,
        status: pods.length === 0 ? 'unknown' : ready === pods.length ? 'ok' : 'error',
      });
    }
    return rows;
  }

  private namespaceRows(parentId: string): TreeNode[] {
    const chosen = this.src.namespaces;
    let names: { name: string; obj?: KubeObj }[];
    const st = this.src.state('namespaces');
    if (chosen.length > 0) {
      names = chosen.map((n) => {
        const obj = st.state === 'synced' ? this.src.list('namespaces').find((o) => o.metadata?.name === n) : undefined;
        return obj !== undefined ? { name: n, obj } : { name: n };
      });
    } else {
      const problem = stateProblem('namespaces', st, chosen);
      if (problem !== undefined) return [message(parentId, 'state', problem)];
      if (st.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
      names = this.src
        .list('namespaces')
        .sort(byName)
        .map((o) => ({ name: o.metadata?.name ?? '', obj: o }));
    }
    const pods = this.src.state('pods').state === 'synced' ? countBy(this.src.list('pods')) : undefined;
    return names.map(({ name, obj }) => ({
      id: objectId(parentId, { kind: 'namespaces', namespace: '', name }),
      parentId,
      label: name,
      kind: 'namespace',
      contextValue: 'namespace',
      hasChildren: true,
      name,
      description: [
        obj?.status?.phase === 'Terminating' ? 'Terminating' : undefined,
        pods ? `${pods.get(name) ?? 0} pods` : undefined,
      ]
        .filter((x) => x !== undefined)
        .join(' · '),
      status: obj?.status?.phase === 'Terminating' ? 'warning' : 'ok',
    }));
  }

  private kindGroups(parentId: string, kinds: readonly KindInfo[], ns: string | undefined): TreeNode[] {
    return kinds.map((k) => {
      const st = this.src.state(k.key);
      const problem = stateProblem(k.label, st, this.src.namespaces);
      return {
        id: childId(parentId, k.key),
        parentId,
        label: k.label,
        kind: 'group',
        contextValue: 'group',
        hasChildren: true,
        description:
          problem !== undefined
            ? problem.endsWith('not served by this cluster.')
              ? 'not served'
              : st.state
            : st.state !== 'synced'
              ? 'loading…'
              : String(this.src.list(k.key, ns).length),
        ...(problem !== undefined ? { tooltip: problem } : {}),
      } satisfies TreeNode;
    });
  }

  private listRows(parentId: string, kind: WatchedKind, ns?: string): TreeNode[] {
    const info = kindInfo(kind);
    if (info === undefined) return [];
    const st = this.src.state(kind);
    const problem = stateProblem(info.label, st, this.src.namespaces);
    if (problem !== undefined) return [message(parentId, 'state', problem)];
    if (st.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
    const items = this.src.list(kind, ns).sort(byName);
    const events =
      kind === 'pods' && items.some((p) => p.status?.phase === 'Pending') ? this.rows.pendingEvents() : undefined;
    return items.map((o) => this.rows.objectRow(parentId, info, o, ns === undefined, events));
  }

  private objectChildren(parentId: string, ref: ObjectRef): TreeNode[] {
    if (ref.kind === 'namespaces') return this.kindGroups(parentId, kindsInNamespaces(), ref.name);
    if (ref.kind === 'nodes') {
      const st = this.src.state('pods');
      const problem = stateProblem('pods', st, this.src.namespaces);
      if (problem !== undefined) return [message(parentId, 'state', problem)];
      if (st.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
      const pods = this.src.podsOnNode(ref.name).slice().sort(byName);
      return pods.map((p) => this.rows.objectRow(parentId, kindInfo('pods')!, p, true, undefined, false));
    }
    if (ref.kind === 'secrets') {
      const s = this.src.list('secrets', ref.namespace).find((o) => o.metadata?.name === ref.name);
      return Object.keys(s?.data ?? {})
        .sort()
        .map((key) => ({
          id: childId(parentId, 'key', key),
          parentId,
          label: key,
          kind: 'resource',
          contextValue: 'secretkey',
          hasChildren: false,
          description: '•••••• (hidden)',
          name: key,
          namespace: ref.namespace,
        }));
    }
    if (ref.kind.startsWith('cr:')) return [];
    if (ref.kind === 'crd') return this.rows.customObjects(parentId, ref.name);
    if (WORKLOAD_KINDS.has(ref.kind)) return this.rows.ownedRows(parentId, ref);
    return [];
  }
}
