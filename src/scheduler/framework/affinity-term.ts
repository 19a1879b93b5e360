/**
 * Inter-pod affinity terms, after pkg/scheduler/framework/types.go (`AffinityTerm`,
 * `WeightedAffinityTerm`, `newAffinityTerm`, `getAffinityTerms`, `getWeightedAffinityTerms`).
 *
 * Contract: terms are compiled once per pod (when its PodInfo is built) and are immutable.
 * A term whose selector is invalid makes the whole list an error value naming the field.
 */
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from '../../kube-api/types';
import {
  isSelectorError,
  labelSelectorAsSelector,
  type Labels,
  type Selector,
  type SelectorError,
} from '../../kube-api/labels';

export interface AffinityTerm {
  /** Namespaces listed by the term, or the pod's own namespace when neither list nor selector is set. */
  namespaces: Set<string>;
  selector: Selector;
  topologyKey: string;
  namespaceSelector: Selector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** `AffinityTerm.Matches`: namespace (by list or by the namespace's labels) and then labels. */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, nsLabels: Labels): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (term.namespaces.has(ns) || term.namespaceSelector.matches(nsLabels)) {
    return term.selector.matches(pod.metadata?.labels);
  }
  return false;
}

/** `getNamespacesFromPodAffinityTerm`. */
function namespacesOf(pod: Pod, term: PodAffinityTerm): Set<string> {
  const names = new Set<string>();
  if ((term.namespaces?.length ?? 0) === 0 && term.namespaceSelector == null) {
    names.add(pod.metadata?.namespace ?? '');
  } else {
    for (const n of term.namespaces ?? []) names.add(n);
  }
  return names;
}

function newAffinityTerm(pod: Pod, term: PodAffinityTerm, path: string): AffinityTerm | SelectorError {
  if (term == null || typeof term !== 'object') return { error: `${path}: must be an object` };
  const selector = labelSelectorAsSelector(term.labelSelector, `${path}.labelSelector`);
  if (isSelectorError(selector)) return selector;
  const namespaceSelector = labelSelectorAsSelector(term.namespaceSelector, `${path}.namespaceSelector`);
  if (isSelectorError(namespaceSelector)) return namespaceSelector;
  return {
    namespaces: namespacesOf(pod, term),
    selector,
    topologyKey: typeof term.topologyKey === 'string' ? term.topologyKey : '',
    namespaceSelector,
  };
}

export function getAffinityTerms(
  pod: Pod,
  terms: readonly PodAffinityTerm[] | undefined,
  path: string,
): AffinityTerm[] | SelectorError {
  const out: AffinityTerm[] = [];
  if (!terms) return out;
  if (!Array.isArray(terms)) return { error: `${path}: must be a list` };
  for (let i = 0; i < terms.length; i++) {
    const t = newAffinityTerm(pod, terms[i]!, `${path}[${i}]`);
    if (isSelectorError(t)) return t;
    out.push(t);
  }
  return out;
}

export function getWeightedAffinityTerms(
  pod: Pod,
  terms: readonly WeightedPodAffinityTerm[] | undefined,
  path: string,
): WeightedAffinityTerm[] | SelectorError {
  const out: WeightedAffinityTerm[] = [];
  if (!terms) return out;
  if (!Array.isArray(terms)) return { error: `${path}: must be a list` };
  for (let i = 0; i < terms.length; i++) {
    const w = terms[i]!;
    const t = newAffinityTerm(pod, w?.podAffinityTerm, `${path}[${i}].podAffinityTerm`);
    if (isSelectorError(t)) return t;
    out.push({ ...t, weight: typeof w.weight === 'number' ? w.weight : 0 });
  }
  return out;
}
