/**
 * The kube-apiserver's pod-creation mutation for `matchLabelKeys` / `mismatchLabelKeys` in pod
 * (anti-)affinity terms, after pkg/registry/core/pod/strategy.go (`mutatePodAffinity`,
 * `applyMatchLabelKeysAndMismatchLabelKeys`, `applyLabelKeysToLabelSelector`; gate
 * `MatchLabelKeysInPodAffinity`, GA).
 *
 * The scheduler itself ignores those two fields: a real cluster has already merged them into the
 * term's labelSelector when the pod was created. Anything that feeds pods to the model without a
 * real API server (the simulated cluster, conformance full-profile runs, manifest predictions)
 * applies this first.
 *
 * Contract: pure and idempotent (a requirement already in the selector is not added again); returns
 * the pod itself when it has no pod (anti-)affinity, else a copy (the input is never mutated).
 */
import type { LabelSelectorRequirement, Pod, PodAffinity, PodAffinityTerm } from './types';

function mergeTerm(term: PodAffinityTerm, labels: Readonly<Record<string, string>>): PodAffinityTerm {
  const match = term.matchLabelKeys ?? [];
  const mismatch = term.mismatchLabelKeys ?? [];
  // A nil labelSelector matches nothing, so there is nothing to merge into.
  if ((match.length === 0 && mismatch.length === 0) || term.labelSelector == null) return term;
  const added: LabelSelectorRequirement[] = [];
  const present = (key: string, operator: string, value: string): boolean =>
    (term.labelSelector?.matchExpressions ?? []).some(
      (r) => r.key === key && r.operator === operator && r.values?.length === 1 && r.values[0] === value,
    );
  // A requirement already merged (an admitted pod admitted again) is not added twice.
  for (const key of match) {
    if (Object.prototype.hasOwnProperty.call(labels, key) && !present(key, 'In', labels[key]!))
      added.push({ key, operator: 'In', values: [labels[key]!] });
  }
  for (const key of mismatch) {
    if (Object.prototype.hasOwnProperty.call(labels, key) && !present(key, 'NotIn', labels[key]!))
      added.push({ key, operator: 'NotIn', values: [labels[key]!] });
  }
  if (added.length === 0) return term;
  return {
    ...term,
    labelSelector: {
      ...term.labelSelector,
      matchExpressions: [...(term.labelSelector.matchExpressions ?? []), ...added],
    },
  };
}

function mergeAffinity(a: PodAffinity | undefined, labels: Readonly<Record<string, string>>): PodAffinity | undefined {
  if (a == null) return a;
  return {
    ...a,
    ...(a.preferredDuringSchedulingIgnoredDuringExecution
      ? {
          preferredDuringSchedulingIgnoredDuringExecution: a.preferredDuringSchedulingIgnoredDuringExecution.map(
            (w) => ({
              ...w,
              podAffinityTerm: mergeTerm(w.podAffinityTerm, labels),
            }),
          ),
        }
      : {}),
    ...(a.requiredDuringSchedulingIgnoredDuringExecution
      ? {
          requiredDuringSchedulingIgnoredDuringExecution: a.requiredDuringSchedulingIgnoredDuringExecution.map((t) =>
            mergeTerm(t, labels),
          ),
        }
      : {}),
  };
}

/** `mutatePodAffinity`: merges matchLabelKeys (In) and mismatchLabelKeys (NotIn) into each term's selector. */
export function mutatePodAffinity(pod: Pod): Pod {
  const affinity = pod.spec?.affinity;
  if (affinity == null || (affinity.podAffinity == null && affinity.podAntiAffinity == null)) return pod;
  const labels = pod.metadata?.labels ?? {};
  const podAffinity = mergeAffinity(affinity.podAffinity, labels);
  const podAntiAffinity = mergeAffinity(affinity.podAntiAffinity, labels);
  return {
    ...pod,
    spec: {
      ...pod.spec,
      affinity: {
        ...affinity,
        ...(podAffinity ? { podAffinity } : {}),
        ...(podAntiAffinity ? { podAntiAffinity } : {}),
      },
    },
  };
}
