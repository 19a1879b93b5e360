/**
 * The read-only texts of View YAML, Describe, Logs and Why Pending?: pure renderers over JSON objects.
 *
 * Contract: YAML hides `metadata.managedFields`; Secret values are never rendered (each value becomes a
 * `<hidden: N bytes>` placeholder), in YAML and in Describe alike. Never throws.
 */
import * as yaml from 'js-yaml';
import type { KubeObj } from './cluster-data';
import { pendingReason, podStatus, taintsOf } from './status-text';

/** A copy of `o` without managedFields and with Secret values masked. */
export function redact(o: KubeObj): KubeObj {
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

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`${title}:`, ...lines.map((l) => `  ${l}`)];
}

function kv(m: Record<string, string> | undefined): string[] {
  return Object.entries(m ?? {}).map(([k, v]) => `${k}=${v}`);
}

/** Events about `o`, newest last, as `kubectl describe` lists them. */
export function eventLines(o: KubeObj, events: readonly KubeObj[]): string[] {
  const mine = events
    .filter((e) => {
      const inv = e['involvedObject'] as { kind?: string; name?: string; namespace?: string; uid?: string } | undefined;
      if (inv === undefined) return false;
      if (inv.uid && o.metadata?.uid) return inv.uid === o.metadata.uid;
      return (
        inv.kind === o.kind && inv.name === o.metadata?.name && (inv.namespace ?? '') === (o.metadata?.namespace ?? '')
      );
    })
    .sort((a, b) =>
      String(a['lastTimestamp'] ?? a['eventTime'] ?? '').localeCompare(
        String(b['lastTimestamp'] ?? b['eventTime'] ?? ''),
      ),
    );
  return mine.map(
    (e) =>
      `${String(e['type'] ?? 'Normal').padEnd(8)} ${String(e['reason'] ?? '').padEnd(20)} ${String(e['lastTimestamp'] ?? e['eventTime'] ?? '').padEnd(22)} ${String(
        (e['source'] as { component?: string } | undefined)?.component ?? e['reportingComponent'] ?? '',
      ).padEnd(18)} ${String(e['message'] ?? '')}${Number(e['count'] ?? 1) > 1 ? ` (x${String(e['count'])})` : ''}`,
  );
}

/** Describe: a `kubectl describe`-like summary of the object, then its events. */
export function describe(o: KubeObj, events: readonly KubeObj[]): string {
  const m = o.metadata ?? {};
  const lines: string[] = [
    `Name:         ${m.name ?? ''}`,
    ...(m.namespace ? [`Namespace:    ${m.namespace}`] : []),
    `Kind:         ${o.kind ?? ''} (${o.apiVersion ?? ''})`,
    `Created:      ${m.creationTimestamp ?? ''}`,
    ...(m.deletionTimestamp ? [`Deleting:     since ${m.deletionTimestamp}`] : []),
    ...section('Labels', kv(m.labels)),
    ...section(
      'Annotations',
      Object.keys(m.annotations ?? {}).map((k) =>
        o.kind === 'Secret' ? `${k}=<hidden>` : `${k}=${String(m.annotations![k]).slice(0, 200)}`,
      ),
    ),
    ...section(
      'Owners',
      (m.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}${r.controller ? ' (controller)' : ''}`),
    ),
  ];
  switch (o.kind) {
    case 'Pod': {
      const s = podStatus(o, events);
      lines.push(
        `Status:       ${s.text}`,
        `Node:         ${String(o.spec?.nodeName ?? '<none>')}`,
        `IP:           ${String(o.status?.podIP ?? '')}`,
      );
      const reason = o.status?.phase === 'Pending' && !o.spec?.nodeName ? pendingReason(o, events) : undefined;
      if (reason !== undefined) lines.push(`Why pending:  ${reason}`);
      lines.push(
        ...section(
          'Containers',
          (
            (o.spec?.containers ?? []) as {
              name?: string;
              image?: string;
              resources?: { requests?: object; limits?: object };
            }[]
          ).map(
            (c) =>
              `${c.name ?? ''}: ${c.image ?? ''}${c.resources?.requests ? ` requests ${JSON.stringify(c.resources.requests)}` : ''}${
                c.resources?.limits ? ` limits ${JSON.stringify(c.resources.limits)}` : ''
              }`,
          ),
        ),
        ...section(
          'Conditions',
          ((o.status?.conditions ?? []) as { type?: string; status?: string; message?: string }[]).map(
            (c) => `${c.type ?? ''}=${c.status ?? ''}${c.message ? `: ${c.message}` : ''}`,
          ),
        ),
        ...section(
          'Tolerations',
          ((o.spec?.tolerations ?? []) as object[]).map((t) => JSON.stringify(t)),
        ),
        ...section('Node-Selectors', kv(o.spec?.nodeSelector)),
      );
      break;
    }
    case 'Node':
      lines.push(
        ...section('Taints', taintsOf(o)),
        `Unschedulable: ${o.spec?.unschedulable ? 'true' : 'false'}`,
        ...section('Capacity', kv(o.status?.capacity)),
        ...section('Allocatable', kv(o.status?.allocatable)),
        ...section(
          'Conditions',
          ((o.status?.conditions ?? []) as { type?: string; status?: string; message?: string }[]).map(
            (c) => `${c.type ?? ''}=${c.status ?? ''}${c.message ? `: ${c.message}` : ''}`,
          ),
        ),
      );
      break;
    case 'Secret':
      lines.push(
        `Type:         ${String(o['type'] ?? '')}`,
        ...section(
          'Data',
          Object.entries(o.data ?? {}).map(([k, v]) => `${k}: ${Buffer.from(v, 'base64').length} bytes`),
        ),
      );
      break;
    default:
      if (o.spec !== undefined) {
        const spec = { ...o.spec };
        delete spec.template;
        lines.push(...section('Spec', yaml.dump(spec, { lineWidth: 120 }).trimEnd().split('\n')));
      }
      if (o.status !== undefined)
        lines.push(...section('Status', yaml.dump(o.status, { lineWidth: 120 }).trimEnd().split('\n')));
  }
  const ev = eventLines(o, events);
  lines.push('', 'Events:');
  lines.push(...(ev.length > 0 ? ev.map((l) => `  ${l}`) : ['  <none>']));
  return lines.join('\n') + '\n';
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
