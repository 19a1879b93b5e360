/**
 * Hovers on the scheduling fields of a pod spec (resources, nodeSelector, affinity, tolerations,
 * topologySpreadConstraints, priorityClassName, schedulerName) saying what the field does to this
 * prediction, computed by predicting again without it, with a link to the kubernetes.io page.
 *
 * Pure over its inputs: the caller supplies a `predict` function bound to the current snapshot.
 */
import type { Hover } from 'vscode-languageserver';
import type { PredictionJSON } from '../../scheduler';
import type { PodSpecLocation } from '../services/manifest';
import { isRecord } from '../services/manifest';
import type { PodObject } from './pod-from-spec';
import { pathAtOffset } from './yaml-tree';

/** The fields with hovers, their one-line meaning and their documentation page. */
const HOVER_FIELDS: Readonly<Record<string, { what: string; url: string }>> = {
  resources: {
    what: 'Requests reserve CPU and memory on the node: NodeResourcesFit filters out nodes without room and scores the rest.',
    url: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
  },
  nodeSelector: {
    what: 'The node must carry every one of these labels (NodeAffinity filter).',
    url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodeselector',
  },
  affinity: {
    what: 'Node affinity restricts or prefers nodes by label; pod (anti-)affinity places the pod near or away from other pods.',
    url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity',
  },
  tolerations: {
    what: 'Tolerations let the pod onto nodes whose taints would otherwise repel it (TaintToleration).',
    url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/',
  },
  topologySpreadConstraints: {
    what: 'Spreads matching pods across zones or nodes within maxSkew (PodTopologySpread).',
    url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/',
  },
  priorityClassName: {
    what: 'Sets the pod priority: it orders the scheduling queue and lets the pod preempt lower-priority pods; it is not part of any score.',
    url: 'https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/',
  },
  schedulerName: {
    what: 'Chooses the scheduler profile; pods naming a scheduler that does not exist stay Pending.',
    url: 'https://kubernetes.io/docs/tasks/extend-kubernetes/configure-multiple-schedulers/',
  },
};

/** Predicts a pod against the current cluster (all-nodes mode), or returns an error sentence. */
export type PredictFn = (pod: PodObject) => PredictionJSON | string;

/** The hover at `offset` in `doc`'s spec, or null when the offset is not on a scheduling field. */
export function schedulingHover(
  spec: PodSpecLocation,
  pod: PodObject,
  offset: number,
  predict: PredictFn | undefined,
  positionAt: (offset: number) => { line: number; character: number },
): Hover | null {
  const hit = pathAtOffset(spec.node, offset);
  if (hit === undefined) return null;
  const path = hit.path;
  // The field's position inside the pod spec: `spec.<field>` or `spec.containers[i].resources`.
  if (path[0] !== 'spec') return null;
  let fieldIndex = -1;
  for (let i = path.length - 1; i >= 1; i--) {
    const k = path[i];
    if (
      typeof k === 'string' &&
      Object.hasOwn(HOVER_FIELDS, k) &&
      (i === 1 || (k === 'resources' && (path[1] === 'containers' || path[1] === 'initContainers')))
    ) {
      fieldIndex = i;
      break;
    }
  }
  if (fieldIndex === -1) return null;
  const field = path[fieldIndex] as string;
  const info = HOVER_FIELDS[field]!;
  // Remove what is hovered: inside a list (a toleration, a term, a constraint) the whole item, since
  // removing one of its keys would change its meaning (a toleration without `key` tolerates everything).
  const firstIndex = path.findIndex((k, i) => i > fieldIndex && typeof k === 'number');
  const target = firstIndex === -1 ? path : path.slice(0, firstIndex + 1);
  const removePath = target.slice(1);
  const label = target.join('.').replace(/\.(\d+)/g, '[$1]');
  const lines: string[] = [`**${label}** — ${info.what}`];
  if (predict !== undefined) {
    const without = removeAt(pod, removePath);
    const a = predict(pod);
    const b = without === undefined ? 'the field could not be removed' : predict(without);
    lines.push('', effect(a, b, field));
  } else {
    lines.push('', '_Connect a cluster to see what this field does to the prediction._');
  }
  lines.push('', `[Kubernetes documentation](${info.url})`);
  const keyNode = hit.keyNode ?? hit.node;
  return {
    contents: { kind: 'markdown', value: lines.join('\n') },
    range: { start: positionAt(keyNode.start), end: positionAt(keyNode.end) },
  };
}

/** The sentence comparing the prediction with and without the field. */
function effect(withIt: PredictionJSON | string, without: PredictionJSON | string, field: string): string {
  if (typeof withIt === 'string') return `With it the model cannot predict: ${withIt}`;
  if (typeof without === 'string') return `Without it the model cannot predict: ${without}`;
  const a = withIt.feasibleNodes;
  const b = without.feasibleNodes;
  const n = withIt.numAllNodes;
  const where = (p: PredictionJSON): string =>
    p.selectedNode !== undefined
      ? `→ ${p.selectedNode}`
      : p.preemption?.nominatedNode !== undefined
        ? `→ ${p.preemption.nominatedNode} by preemption`
        : 'no node fits';
  let verdict: string;
  if (a > b) verdict = `${verb(field, true)}: opens ${a - b} node${a - b === 1 ? '' : 's'}`;
  else if (a < b) verdict = `${verb(field, false)}: excludes ${b - a} node${b - a === 1 ? '' : 's'}`;
  else if (where(withIt) !== where(without)) {
    verdict =
      withIt.selectedNode === undefined && withIt.preemption?.nominatedNode !== undefined
        ? 'lets the pod preempt lower-priority pods'
        : 'changes the choice, not which nodes fit';
  } else verdict = 'makes no difference to this prediction';
  return `This field ${verdict}. With it: ${a}/${n} nodes fit, ${where(withIt)}. Without it: ${b}/${n} fit, ${where(without)}.`;
}

function verb(field: string, opens: boolean): string {
  if (field === 'tolerations') return opens ? 'tolerates taints' : 'narrows the nodes';
  if (field === 'resources') return opens ? 'lowers what the pod needs' : 'needs room the nodes lack';
  return opens ? 'widens the choice' : 'restricts the nodes';
}

/** A copy of `pod` without the value at `path` (keys and indexes under `spec`); undefined if absent. */
function removeAt(pod: PodObject, path: readonly (string | number)[]): PodObject | undefined {
  if (path.length === 0) return undefined;
  const spec = cloneAlong(pod.spec, path);
  if (spec === undefined) return undefined;
  return { ...pod, spec: spec as Record<string, unknown> };
}

function cloneAlong(value: unknown, path: readonly (string | number)[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  if (Array.isArray(value) && typeof head === 'number') {
    if (head >= value.length) return undefined;
    const copy = [...value];
    if (rest.length === 0) copy.splice(head, 1);
    else {
      const inner = cloneAlong(value[head], rest);
      if (inner === undefined) return undefined;
      copy[head] = inner;
    }
    return copy;
  }
  if (isRecord(value) && typeof head === 'string') {
    if (!(head in value)) return undefined;
    const copy = { ...value };
    if (rest.length === 0) delete copy[head];
    else {
      const inner = cloneAlong(value[head], rest);
      if (inner === undefined) return undefined;
      copy[head] = inner;
    }
    return copy;
  }
  return undefined;
}
