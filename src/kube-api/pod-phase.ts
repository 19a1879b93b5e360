/**
 * Pod phases that matter to more than one layer.
 *
 * Contract: a pod in phase Succeeded or Failed is terminal. It holds no resources on its node, counts
 * toward no controller's replicas, and the scheduler's informer never sees it (its field selector
 * excludes both phases). Any other phase, or none, is not terminal.
 */

/** True for a pod in phase Succeeded or Failed. */
export function isTerminalPod(pod: object): boolean {
  const phase = (pod as { status?: { phase?: unknown } | null }).status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
