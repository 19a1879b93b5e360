/**
 * The cluster explorer's tree, computed from the watch caches on every request (no per-view copies):
 * contexts → the connected context's Cluster, Nodes, Namespaces, Workloads, Network, Config, Storage,
 * Custom Resources and Helm Releases branches.
 *
 * Contract: `children(id)` never throws and never does I/O; a branch whose list is forbidden or
 * unreachable shows one message row explaining it while the other branches keep working. Row ids follow
 * `tree-ids.ts`, so the same object under two branches has two ids.
 */
import { latestReleases, type HelmReleaseSummary } from '../../cluster/helm-release';
import type { ClusterHealth, WatchedKind } from '../../cluster/cluster-session';
import type { TreeNode, TreeNodeKind } from '../../shared/protocol';
import type { KindState, KubeObj } from './cluster-data';
import { CATEGORIES, kindInfo, kindsOf, type Category, type KindInfo } from './kinds';
import { describeUsage, nodeUsage } from './resources-summary';
import { nodeStatus, podStatus, taintsOf, workloadStatus } from './status-text';
import { childId, objectId, objectOf, parentOf, parseId, type ObjectRef } from './tree-ids';

/** What the model reads: lists and states of kinds, from the caches. */
export interface TreeSource {
  /** The namespaces chosen by the user (empty: all). */
  readonly namespaces: readonly string[];
  list(kind: WatchedKind, ns?: string): KubeObj[];
  state(kind: WatchedKind): KindState;
  podsOnNode(node: string): KubeObj[];
  /** The objects of a CRD (starting its cache on first use). */
  custom(crd: KubeObj): { list(ns?: string): KubeObj[]; state: KindState };
  /** Helm release Secrets (`owner=helm`). */
  helmSecrets(): { list(): KubeObj[]; state: KindState };
}

/** One kubeconfig context as the root lists it. */
export interface ContextEntry {
  name: string;
  cluster?: string;
  server?: string;
  /** True for the simulated cluster's context. */
  simulator?: boolean;
  /** How the row reads, when not the context name (the built-in simulated cluster's). */
  label?: string;
}

/** The connection the tree belongs to. */
export interface TreeScope {
  /** The connected context. */
  context: string;
  /** Every context to list at the root (the connected one included). */
  contexts: readonly ContextEntry[];
  /** The last health check, if any. */
  health: ClusterHealth | undefined;
  /** A sentence when the connection as a whole has a problem (unreachable, expired credentials). */
  problem: string | undefined;
}

/** The id segment prefix of a category row (`workloads`, `network`, ...). */
export const CATEGORY_PREFIX = 'cat-';

/** The control-plane components the Cluster row lists, by their `component` label. */
const CONTROL_PLANE = ['kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'etcd'];

const WORKLOAD_KINDS = new Set(['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs']);
const NODE_KIND: Partial<Record<string, TreeNodeKind>> = {
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

function byName(a: KubeObj, b: KubeObj): number {
  const an = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
  const bn = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

function message(parentId: string, key: string, label: string, tooltip?: string): TreeNode {
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
function stateProblem(what: string, s: KindState, namespaces: readonly string[]): string | undefined {
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

/** The explorer's tree over a {@link TreeSource}. */
export class TreeModel {
  constructor(
    private readonly src: TreeSource,
    private readonly scope: () => TreeScope,
  ) {}

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
          return this.crdRows(parentId);
        case 'helm':
          return this.helmRows(parentId);
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
      kind === 'pods' && items.some((p) => p.status?.phase === 'Pending') ? this.pendingEvents() : undefined;
    return items.map((o) => this.objectRow(parentId, info, o, ns === undefined, events));
  }

  private pendingEvents(): KubeObj[] {
    const st = this.src.state('events');
    return st.state === 'synced' ? this.src.list('events').filter((e) => e['reason'] === 'FailedScheduling') : [];
  }

  /** The row of one object. */
  objectRow(
    parentId: string,
    info: KindInfo,
    o: KubeObj,
    showNamespace: boolean,
    events?: KubeObj[],
    showNode = true,
  ): TreeNode {
    const name = o.metadata?.name ?? '';
    const namespace = o.metadata?.namespace ?? '';
    const ref: ObjectRef = { kind: info.key, namespace, name };
    const row: TreeNode = {
      id: objectId(parentId, ref),
      parentId,
      label: name,
      kind: NODE_KIND[info.key] ?? 'resource',
      contextValue: info.contextValue,
      hasChildren: false,
      name,
      ...(namespace ? { namespace } : {}),
    };
    const nsPart = showNamespace && namespace ? namespace : undefined;
    const join = (...p: (string | undefined)[]): string => p.filter((x) => x !== undefined && x !== '').join(' · ');
    switch (info.key) {
      case 'pods': {
        const s = podStatus(o, events);
        row.description = join(s.text, nsPart, showNode ? (o.spec?.nodeName as string | undefined) : undefined);
        row.status = s.status;
        if (s.status === 'pending' && !o.spec?.nodeName) {
          row.contextValue = 'pod:pending';
          if (s.detail !== undefined) row.description = join('Pending', nsPart, s.detail);
        }
        row.tooltip = join(`${namespace}/${name}`, s.detail);
        break;
      }
      case 'nodes': {
        const s = nodeStatus(o);
        const u = nodeUsage(o, this.src.podsOnNode(name));
        const taints = taintsOf(o);
        // The taints are in the row: they decide where pods may go.
        const shownTaints =
          taints.length === 0 ? undefined : taints.length <= 2 ? taints.join(', ') : `${taints.length} taints`;
        row.description = join(describeUsage(u), shownTaints !== undefined ? `⚑ ${shownTaints}` : undefined);
        row.status = s.status;
        row.hasChildren = true;
        row.tooltip = [
          `${name}: ${s.text}`,
          `Taints: ${taints.length ? taints.join(', ') : 'none'}`,
          ...conditionLines(o),
        ].join('\n');
        break;
      }
      default:
        if (WORKLOAD_KINDS.has(info.key)) {
          const s = workloadStatus(o.kind ? o : { ...o, kind: info.kind });
          row.description = join(s.text, nsPart);
          row.status = s.status;
          row.hasChildren = true;
          if (typeof o.spec?.replicas === 'number') row.replicas = o.spec.replicas as number;
        } else if (info.key === 'secrets') {
          row.description = join(String(o['type'] ?? ''), `${Object.keys(o.data ?? {}).length} keys`, nsPart);
          row.hasChildren = Object.keys(o.data ?? {}).length > 0;
        } else if (info.key === 'services') {
          row.description = join(String(o.spec?.type ?? 'ClusterIP'), o.spec?.clusterIP as string | undefined, nsPart);
        } else if (info.key === 'persistentvolumeclaims') {
          row.description = join(String(o.status?.phase ?? ''), o.spec?.volumeName as string | undefined, nsPart);
        } else if (info.key === 'persistentvolumes') {
          row.description = join(String(o.status?.phase ?? ''), o.spec?.capacity?.storage as string | undefined);
        } else if (info.key === 'storageclasses') {
          row.description = String(o['provisioner'] ?? '');
        } else {
          row.description = nsPart ?? '';
        }
    }
    return row;
  }

  private objectChildren(parentId: string, ref: ObjectRef): TreeNode[] {
    if (ref.kind === 'namespaces') return this.kindGroups(parentId, kindsInNamespaces(), ref.name);
    if (ref.kind === 'nodes') {
      const st = this.src.state('pods');
      const problem = stateProblem('pods', st, this.src.namespaces);
      if (problem !== undefined) return [message(parentId, 'state', problem)];
      if (st.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
      const pods = this.src.podsOnNode(ref.name).slice().sort(byName);
      return pods.map((p) => this.objectRow(parentId, kindInfo('pods')!, p, true, undefined, false));
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
    if (ref.kind === 'crd') return this.customObjects(parentId, ref.name);
    if (WORKLOAD_KINDS.has(ref.kind)) return this.ownedRows(parentId, ref);
    return [];
  }

  private ownedRows(parentId: string, ref: ObjectRef): TreeNode[] {
    if (ref.kind === 'cronjobs') {
      const jobs = this.src.list('jobs', ref.namespace).filter((j) => ownedBy(j, 'CronJob', ref.name));
      return jobs.sort(byName).map((j) => this.objectRow(parentId, kindInfo('jobs')!, j, false));
    }
    const owners = new Set<string>([ref.name]);
    const ownerKind = kindInfo(ref.kind)!.kind;
    if (ref.kind === 'deployments') {
      for (const rs of this.src.list('replicasets', ref.namespace))
        if (ownedBy(rs, 'Deployment', ref.name)) owners.add(`ReplicaSet/${rs.metadata?.name ?? ''}`);
    }
    const pods = this.src
      .list('pods', ref.namespace)
      .filter((p) =>
        (p.metadata?.ownerReferences ?? []).some(
          (o) => (o.kind === ownerKind && o.name === ref.name) || owners.has(`${o.kind}/${o.name}`),
        ),
      );
    return pods.sort(byName).map((p) => this.objectRow(parentId, kindInfo('pods')!, p, false));
  }

  private crdRows(parentId: string): TreeNode[] {
    const st = this.src.state('customresourcedefinitions');
    const problem = stateProblem('CustomResourceDefinitions', st, []);
    if (problem !== undefined) return [message(parentId, 'state', problem)];
    if (st.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
    const crds = this.src.list('customresourcedefinitions').sort(byName);
    if (crds.length === 0) return [message(parentId, 'none', 'No custom resource definitions')];
    return crds.map((c) => ({
      id: objectId(parentId, { kind: 'crd', namespace: '', name: c.metadata?.name ?? '' }),
      parentId,
      label: String(c.spec?.names?.kind ?? c.metadata?.name ?? ''),
      kind: 'resource',
      contextValue: 'customresourcedefinition',
      hasChildren: true,
      name: c.metadata?.name ?? '',
      description: `${c.metadata?.name ?? ''} · ${String(c.spec?.scope ?? '')}`,
    }));
  }

  private customObjects(parentId: string, crdName: string): TreeNode[] {
    const crd = this.src.list('customresourcedefinitions').find((c) => c.metadata?.name === crdName);
    if (crd === undefined) return [];
    const src = this.src.custom(crd);
    const problem = stateProblem(String(crd.spec?.names?.plural ?? crdName), src.state, this.src.namespaces);
    if (problem !== undefined) return [message(parentId, 'state', problem)];
    if (src.state.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
    const items = src.list().sort(byName);
    if (items.length === 0) return [message(parentId, 'none', 'No objects')];
    return items.map((o) => {
      const name = o.metadata?.name ?? '';
      const namespace = o.metadata?.namespace ?? '';
      return {
        id: objectId(parentId, { kind: `cr:${crdName}`, namespace, name }),
        parentId,
        label: name,
        kind: 'resource',
        contextValue: 'customresource',
        hasChildren: false,
        name,
        ...(namespace ? { namespace, description: namespace } : {}),
      };
    });
  }

  private helmRows(parentId: string): TreeNode[] {
    const src = this.src.helmSecrets();
    const problem = stateProblem('Helm release Secrets', src.state, this.src.namespaces);
    if (problem !== undefined) return [message(parentId, 'state', problem)];
    if (src.state.state !== 'synced') return [message(parentId, 'loading', 'Loading…')];
    const releases: HelmReleaseSummary[] = latestReleases(src.list());
    if (releases.length === 0) return [message(parentId, 'none', 'No Helm releases')];
    return releases.map((r) => ({
      id: objectId(parentId, { kind: 'helm', namespace: r.namespace, name: r.name }),
      parentId,
      label: r.name,
      kind: 'resource',
      contextValue: 'helmrelease',
      hasChildren: false,
      name: r.name,
      namespace: r.namespace,
      description: `${r.chart}-${r.chartVersion} · rev ${r.revision} · ${r.status} · ${r.namespace}`,
      tooltip: `Chart ${r.chart} ${r.chartVersion}${r.appVersion ? ` (app ${r.appVersion})` : ''}\nRevision ${r.revision}, ${r.status}${
        r.updated ? `\nUpdated ${r.updated}` : ''
      }`,
      status: r.status === 'deployed' ? 'ok' : r.status === 'failed' ? 'error' : 'pending',
    }));
  }
}

function kindsInNamespaces(): KindInfo[] {
  return CATEGORIES.flatMap((c) => kindsOf(c.key)).filter((k) => k.namespaced);
}

function ownedBy(o: KubeObj, kind: string, name: string): boolean {
  return (o.metadata?.ownerReferences ?? []).some((r) => r.kind === kind && r.name === name);
}

function countBy(pods: readonly KubeObj[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    m.set(ns, (m.get(ns) ?? 0) + 1);
  }
  return m;
}

function conditionLines(node: KubeObj): string[] {
  return ((node.status?.conditions ?? []) as { type?: string; status?: string; message?: string }[]).map(
    (c) => `${c.type ?? '?'}=${c.status ?? '?'}${c.message ? ` (${c.message})` : ''}`,
  );
}
