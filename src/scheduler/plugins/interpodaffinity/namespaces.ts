/**
 * Namespace handling of InterPodAffinity, after pkg/scheduler/framework/plugins/interpodaffinity/plugin.go
 * (`mergeAffinityTermNamespacesIfNotEmpty`, `GetNamespaceLabelsSnapshot`).
 */
import type { AffinityTerm } from '../../framework/affinity-term';
import type { Handle } from '../../framework/interface';
import { NOTHING, type Labels } from '../../../kube-api/labels';

/**
 * For an incoming pod's term: unless its namespaceSelector is Everything (`{}`), adds the names of
 * the namespaces the selector matches to `namespaces` and sets the selector to Nothing, so later
 * matching needs no namespace labels. Mutates `term` (pass a copy of a shared term).
 */
export function mergeAffinityTermNamespacesIfNotEmpty(handle: Handle, term: AffinityTerm): void {
  if (term.namespaceSelector.empty()) return;
  if (!term.namespaceSelector.nothing) {
    for (const ns of handle.namespaces()) {
      if (term.namespaceSelector.matches(ns.metadata?.labels)) term.namespaces.add(ns.metadata?.name ?? '');
    }
  }
  term.namespaceSelector = NOTHING;
}

/** `GetNamespaceLabelsSnapshot`: a copy of the namespace's labels, or undefined if it is unknown. */
export function namespaceLabelsSnapshot(handle: Handle, ns: string): Labels {
  const namespace = handle.namespace(ns);
  if (!namespace) return undefined;
  return { ...(namespace.metadata?.labels ?? {}) };
}
