/**
 * The rows of objects in the explorer's tree: one object's row (status, usage, taints, replicas in its
 * description), the pods a workload owns, custom resources and Helm releases. Pure over a {@link TreeSource}.
 */
import { latestReleases, type HelmReleaseSummary } from '../../cluster/helm-release';
import type { TreeNode } from '../../shared/protocol';
import type { KubeObj } from './cluster-data';
import { kindInfo, type KindInfo } from './kinds';
import { describeUsage, nodeUsage } from './resources-summary';
import { nodeStatus, podStatus, taintsOf, workloadStatus } from './status-text';
import { objectId, type ObjectRef } from './tree-ids';
import { byName, conditionLines, message, NODE_KIND, ownedBy, stateProblem, WORKLOAD_KINDS } from './tree-rows';
import type { TreeSource } from './tree-source';

/** Builds object rows from the caches of one connection. */
export class ObjectRows {
  /** Reads through `src`. */
  constructor(private readonly src: TreeSource) {}

  /** FailedScheduling events (why pods are Pending), when the events cache has synced. */
  pendingEvents(): KubeObj[] {
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

  /** The pods (or a CronJob's jobs) a workload row expands to. */
  ownedRows(parentId: string, ref: ObjectRef): TreeNode[] {
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

  /** The Custom Resources section: one row per definition. */
  crdRows(parentId: string): TreeNode[] {
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

  /** The objects of one custom resource definition. */
  customObjects(parentId: string, crdName: string): TreeNode[] {
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

  /** The Helm Releases section: the latest revision of each release. */
  helmRows(parentId: string): TreeNode[] {
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
