/**
 * The read-only texts of View YAML and Why Pending?: pure renderers over JSON objects (Describe is
 * describe-text.ts).
 *
 * Contract: YAML hides `metadata.managedFields`; Secret values are never rendered (each value becomes a
 * `<hidden: N bytes>` placeholder). Never throws.
 */
import * as yaml from 'js-yaml';
import type { KubeObj } from './cluster-data';
import { pendingReason } from './status-text';

/** A copy of `o` without managedFields and with Secret values masked. */
function redact(o: KubeObj): KubeObj {
  const copy: KubeObj = { ...o, metadata: { ...o.metadata } };
  delete copy.metadata!.managedFields;
  if (o.kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      const d = o[field] as Record<string, string> | undefined;
      if (d === undefined) continue;
      copy[field] = Object.fromEntries(
        Object.entries(d).map(([k, v]) => [
          k,
          `<hidden: ${field === 'data' ? Buffer.from(v, 'base64').length : v.length} bytes>`,
        ]),
      );
    }
    const ann = copy.metadata?.annotations;
    if (ann?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined) {
      copy.metadata!.annotations = { ...ann, 'kubectl.kubernetes.io/last-applied-configuration': '<hidden>' };
    }
  }
  return copy;
}

/** View YAML: the object as YAML, managedFields hidden, Secret values masked. */
export function toYaml(o: KubeObj): string {
  return yaml.dump(redact(o), { noRefs: true, lineWidth: 120, sortKeys: false });
}

/** Why Pending?: the scheduler's reason for a pod, as Markdown. */
export function whyPending(pod: KubeObj, events: readonly KubeObj[]): string {
  const name = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  if (pod.spec?.nodeName)
    return `# ${name}\n\nThe pod is bound to node \`${String(pod.spec.nodeName)}\`; it is not waiting for the scheduler.\n`;
  const reason = pendingReason(pod, events);
  return `# Why is ${name} pending?\n\n${
    reason !== undefined
      ? `The scheduler says:\n\n> ${reason}\n`
      : 'The scheduler has not reported a reason yet (no PodScheduled condition or FailedScheduling event).\n'
  }`;
}
