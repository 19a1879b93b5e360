/**
 * The Kubernetes release whose kube-scheduler the model reproduces.
 *
 * Contract: a few plugins changed behaviour between releases (NodeResourcesBalancedAllocation's
 * formula in v1.36, PR #135573). Plugin factories read `PluginFactoryArgs.kubernetesVersion`
 * through `atLeast`; an absent or unparsable version means the newest release modelled,
 * `MODELLED_VERSION`. Predictions against a live cluster pass the cluster's `/version`, so a
 * v1.33 cluster is predicted with v1.33's arithmetic.
 */

/** The newest release modelled (see src/scheduler/README.md). */
const MODELLED_VERSION = '1.37';

/** `{major, minor}` from "1.33", "v1.33.2", "v1.33.2-eks-1234"; undefined when unparsable. */
export function parseMinorVersion(v: string | undefined): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(v ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Whether `version` (default: the newest modelled) is at least `major.minor`. */
export function atLeast(version: string | undefined, target: string): boolean {
  const v = parseMinorVersion(version) ?? parseMinorVersion(MODELLED_VERSION)!;
  const t = parseMinorVersion(target)!;
  return v.major > t.major || (v.major === t.major && v.minor >= t.minor);
}
