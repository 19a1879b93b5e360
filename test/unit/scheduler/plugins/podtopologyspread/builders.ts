/**
 * Tiny object builders for the PodTopologySpread / InterPodAffinity tests, in the spirit of
 * upstream's st.MakePod() / st.MakeNode() (pkg/scheduler/testing/wrappers.go).
 */
import type { Node, Pod, PodSpec } from '../../../../../src/scheduler/api/types';

/** A node with a name and labels. */
export function makeNode(name: string, labels: Record<string, string> = {}, spec: Node['spec'] = {}): Node {
  return { metadata: { name, labels }, spec, status: { allocatable: { pods: '110' } } };
}

/** A pod; `node` binds it (spec.nodeName). */
export function makePod(
  name: string,
  opts: {
    ns?: string;
    labels?: Record<string, string>;
    node?: string;
    terminating?: boolean;
    spec?: PodSpec;
    owner?: { apiVersion: string; kind: string; name: string };
  } = {},
): Pod {
  const pod: Pod = {
    metadata: { name, namespace: opts.ns ?? 'default', labels: opts.labels ?? {} },
    spec: { ...(opts.spec ?? {}), containers: [{ name: 'c' }] },
  };
  if (opts.node) pod.spec!.nodeName = opts.node;
  if (opts.terminating) pod.metadata!.deletionTimestamp = '2026-01-01T00:00:00Z';
  if (opts.owner) pod.metadata!.ownerReferences = [{ ...opts.owner, controller: true }];
  return pod;
}

/** `n` pods named `<prefix>1..n` bound to `node`, all with `labels`. */
export function podsOn(node: string, prefix: string, n: number, labels: Record<string, string>, ns = 'default'): Pod[] {
  const out: Pod[] = [];
  for (let i = 1; i <= n; i++) out.push(makePod(`${prefix}${i}`, { node, labels, ns }));
  return out;
}
