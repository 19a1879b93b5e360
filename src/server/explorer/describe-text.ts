/**
 * Describe: the object as `kubectl describe` prints it (k8s.io/kubectl/pkg/describe): `Key:` columns
 * aligned, nested blocks indented by two, Containers with their image, ports, state, requests and
 * limits, the pod template of workloads, Conditions and Events as aligned tables with their age.
 *
 * Contract: pure; Secret values are never rendered (only their sizes); never throws on odd input.
 * `now` (ms) is the clock for ages.
 */
import * as yaml from 'js-yaml';
import type { KubeObj } from './cluster-data';
import { pendingReason, podStatus, taintsOf } from './status-text';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
type Any = any;

/** A described line: `[key, value]` pairs align their values; a plain string is printed as it is. */
type Line = string | [string, string];

/**
 * Aligns `Key:  value` pairs as kubectl's tabwriter does: pairs at one indent share a column while
 * deeper lines between them (a State's Started) do not break the run; an empty key continues the
 * previous pair's value (a label block's next label).
 */
function render(lines: readonly Line[]): string {
  const indentOf = (l: Line): number => (typeof l === 'string' ? -1 : /^\s*/.exec(l[0])![0].length);
  const widths = new Map<number, number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (typeof l === 'string' || widths.has(i)) continue;
    const d = indentOf(l!);
    const run: number[] = [];
    for (let j = i; j < lines.length; j++) {
      const x = lines[j]!;
      if (typeof x === 'string' || indentOf(x) < d) break;
      if (indentOf(x) === d) run.push(j);
    }
    const w = Math.max(...run.map((j) => (lines[j] as [string, string])[0].trim().length)) + d + 2;
    for (const j of run) widths.set(j, w);
  }
  return lines
    .map((l, i) => {
      if (typeof l === 'string') return l;
      const [k, v] = l;
      const key = k.trim() === '' ? k : `${k}:`;
      return `${key.padEnd(widths.get(i)! + 1)}${v}`.trimEnd();
    })
    .join('\n');
}

/** Rows as an aligned table (the first row is the header), each line indented by `indent`. */
function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    `${indent}${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 2))).join('')}`.trimEnd(),
  );
}

/** `kubectl`'s short age: `45s`, `12m`, `3h5m`, `4d2h`. */
export function age(since: string | undefined, now: number): string {
  const t = since === undefined ? NaN : Date.parse(since);
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}

/** A map as `key=value` lines under `key`, the first on the key's line (kubectl's label block). */
function mapBlock(indent: string, key: string, m: Record<string, string> | undefined, hide = false): Line[] {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return [[`${indent}${key}`, '<none>']];
  const fmt = ([k, v]: [string, string]): string => (hide ? `${k}=<hidden>` : `${k}=${String(v).slice(0, 200)}`);
  return [
    [`${indent}${key}`, fmt(entries[0]!)],
    ...entries.slice(1).map((e) => [`${indent}`, fmt(e)] as [string, string]),
  ];
}

/** `memory:  512Mi` lines of a resource list, two deeper than `indent`. */
function resourceBlock(indent: string, title: string, list: Record<string, string> | undefined): Line[] {
  const entries = Object.entries(list ?? {});
  if (entries.length === 0) return [];
  return [`${indent}${title}:`, ...entries.map(([k, v]) => [`${indent}  ${k}`, String(v)] as [string, string])];
}

function containerState(s: Any): [string, string][] {
  if (s?.running)
    return [
      ['      State', 'Running'],
      ['        Started', String(s.running.startedAt ?? '')],
    ];
  if (s?.terminated)
    return [
      ['      State', 'Terminated'],
      ['        Reason', String(s.terminated.reason ?? '')],
      ['        Exit Code', String(s.terminated.exitCode ?? '')],
      ['        Started', String(s.terminated.startedAt ?? '')],
      ['        Finished', String(s.terminated.finishedAt ?? '')],
    ];
  if (s?.waiting)
    return [
      ['      State', 'Waiting'],
      ['        Reason', String(s.waiting.reason ?? '')],
    ];
  return [['      State', '<none>']];
}

/** The Containers block of a pod spec (with statuses for a live pod). */
function containers(title: string, list: Any[] | undefined, statuses: Any[] | undefined, indent = ''): Line[] {
  if (!list || list.length === 0) return [];
  const out: Line[] = [`${indent}${title}:`];
  for (const c of list) {
    const st = (statuses ?? []).find((s) => s?.name === c?.name);
    const ports = ((c?.ports ?? []) as Any[]).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
    const hostPorts = ((c?.ports ?? []) as Any[])
      .map((p) => (p.hostPort ? `${p.hostPort}/${p.protocol ?? 'TCP'}` : '0/TCP'))
      .join(', ');
    out.push(`${indent}  ${String(c?.name ?? '')}:`);
    const body: [string, string][] = [
      ['    Image', String(c?.image ?? '')],
      ['    Port', ports || '<none>'],
      ['    Host Port', hostPorts || '<none>'],
    ];
    if (c?.restartPolicy === 'Always') body.push(['    Restart Policy', 'Always']);
    if (st !== undefined) {
      body.push(...containerState(st.state).map(([k, v]): [string, string] => [k.replace(/^ {6}/, '    '), v]));
      body.push(['    Ready', st.ready ? 'True' : 'False'], ['    Restart Count', String(st.restartCount ?? 0)]);
    }
    out.push(...body.map(([k, v]): [string, string] => [`${indent}${k}`, v]));
    out.push(...resourceBlock(`${indent}    `, 'Limits', c?.resources?.limits));
    out.push(...resourceBlock(`${indent}    `, 'Requests', c?.resources?.requests));
    const env = (c?.env ?? []) as Any[];
    if (env.length === 0) out.push([`${indent}    Environment`, '<none>']);
    else {
      out.push(`${indent}    Environment:`);
      for (const e of env)
        out.push([
          `${indent}      ${String(e.name)}`,
          e.valueFrom !== undefined ? '<set from a reference>' : String(e.value ?? ''),
        ]);
    }
  }
  return out;
}

function tolerationText(t: Any): string {
  const key = t.key ? `${t.key}` : '';
  const value = t.operator === 'Exists' ? '' : t.value !== undefined ? `=${t.value}` : '';
  const effect = t.effect ? `:${t.effect}` : '';
  const op = t.operator === 'Exists' ? (key ? ' op=Exists' : 'op=Exists') : '';
  const secs = t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : '';
  return `${key}${value}${effect}${op}${secs}`;
}

function podSpecLines(spec: Any, statuses: { init?: Any[]; main?: Any[] } = {}, indent = ''): Line[] {
  const out: Line[] = [];
  out.push(...containers('Init Containers', spec?.initContainers, statuses.init, indent));
  out.push(...containers('Containers', spec?.containers, statuses.main, indent));
  const vols = (spec?.volumes ?? []) as Any[];
  if (vols.length > 0) {
    out.push(`${indent}Volumes:`);
    for (const v of vols) {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      const detail = v.persistentVolumeClaim?.claimName ? ` (claim ${v.persistentVolumeClaim.claimName})` : '';
      out.push([`${indent}  ${String(v.name)}`, `${kind}${detail}`]);
    }
  }
  return out;
}

function conditionsTable(conds: Any[] | undefined): string[] {
  if (!conds || conds.length === 0) return [];
  return [
    'Conditions:',
    ...table([
      ['Type', 'Status', 'Reason'],
      ...conds.map((c) => [String(c.type ?? ''), String(c.status ?? ''), String(c.reason ?? '')]),
    ]),
  ];
}

/** Events about `o`, oldest first, as kubectl's table: Type, Reason, Age, From, Message. */
function eventsTable(o: KubeObj, events: readonly KubeObj[], now: number): string[] {
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
  if (mine.length === 0) return ['Events:  <none>'];
  const rows = mine.map((e) => {
    const count = Number(e['count'] ?? 1);
    const last = String(e['lastTimestamp'] ?? e['eventTime'] ?? '');
    const first = String(e['firstTimestamp'] ?? last);
    const when = count > 1 ? `${age(last, now)} (x${count} over ${age(first, now)})` : age(last, now);
    const from = String(
      (e['source'] as { component?: string } | undefined)?.component ?? e['reportingComponent'] ?? '',
    );
    return [String(e['type'] ?? 'Normal'), String(e['reason'] ?? ''), when, from, String(e['message'] ?? '')];
  });
  return [
    'Events:',
    ...table([['Type', 'Reason', 'Age', 'From', 'Message'], ['----', '------', '----', '----', '-------'], ...rows]),
  ];
}

/** The `kubectl describe` text of `o` and its events. */
export function describe(o: KubeObj, events: readonly KubeObj[], now: number = Date.now()): string {
  const m = o.metadata ?? {};
  const owner = (m.ownerReferences ?? []).find((r) => r.controller);
  const lines: Line[] = [['Name', String(m.name ?? '')]];
  if (m.namespace) lines.push(['Namespace', m.namespace]);
  const spec = o.spec as Any;
  const status = o.status as Any;
  if (o.kind === 'Pod') {
    lines.push(['Priority', String(spec?.priority ?? 0)]);
    if (spec?.priorityClassName) lines.push(['Priority Class Name', String(spec.priorityClassName)]);
    lines.push(['Service Account', String(spec?.serviceAccountName ?? 'default')]);
    lines.push(['Node', spec?.nodeName ? `${spec.nodeName}${status?.hostIP ? `/${status.hostIP}` : ''}` : '<none>']);
    lines.push(['Start Time', String(status?.startTime ?? '<none>')]);
  } else {
    lines.push(
      ['Kind', `${o.kind ?? ''} (${o.apiVersion ?? ''})`],
      ['CreationTimestamp', String(m.creationTimestamp ?? '')],
    );
  }
  lines.push(...mapBlock('', 'Labels', m.labels));
  lines.push(...mapBlock('', 'Annotations', m.annotations as Record<string, string> | undefined, o.kind === 'Secret'));
  if (m.deletionTimestamp) lines.push(['Terminating', `since ${m.deletionTimestamp}`]);
  switch (o.kind) {
    case 'Pod': {
      const s = podStatus(o, events);
      lines.push(['Status', s.text]);
      const reason = status?.phase === 'Pending' && !spec?.nodeName ? pendingReason(o, events) : undefined;
      if (reason !== undefined) lines.push(['Why pending', reason]);
      lines.push(['IP', String(status?.podIP ?? '')]);
      lines.push(['Controlled By', owner ? `${owner.kind}/${owner.name}` : '<none>']);
      lines.push(...podSpecLines(spec, { init: status?.initContainerStatuses, main: status?.containerStatuses }));
      lines.push(...conditionsTable(status?.conditions));
      if (status?.qosClass) lines.push(['QoS Class', String(status.qosClass)]);
      lines.push(...mapBlock('', 'Node-Selectors', spec?.nodeSelector));
      const tol = ((spec?.tolerations ?? []) as Any[]).map(tolerationText);
      lines.push(['Tolerations', tol[0] ?? '<none>'], ...tol.slice(1).map((t) => ['', t] as [string, string]));
      break;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'Job': {
      if (o.kind === 'DaemonSet')
        lines.push(
          ['Desired Number of Nodes Scheduled', String(status?.desiredNumberScheduled ?? 0)],
          ['Current Number of Nodes Scheduled', String(status?.currentNumberScheduled ?? 0)],
          ['Number Ready', String(status?.numberReady ?? 0)],
        );
      else if (o.kind === 'Job')
        lines.push(
          ['Completions', String(spec?.completions ?? '<unset>')],
          ['Parallelism', String(spec?.parallelism ?? 1)],
          [
            'Pods Statuses',
            `${status?.active ?? 0} Active / ${status?.succeeded ?? 0} Succeeded / ${status?.failed ?? 0} Failed`,
          ],
        );
      else
        lines.push([
          'Replicas',
          `${spec?.replicas ?? 1} desired | ${status?.updatedReplicas ?? 0} updated | ${status?.replicas ?? 0} total | ${status?.availableReplicas ?? status?.readyReplicas ?? 0} available | ${status?.unavailableReplicas ?? 0} unavailable`,
        ]);
      const sel = spec?.selector?.matchLabels as Record<string, string> | undefined;
      if (sel)
        lines.push([
          'Selector',
          Object.entries(sel)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ]);
      if (spec?.strategy?.type) lines.push(['StrategyType', String(spec.strategy.type)]);
      if (owner) lines.push(['Controlled By', `${owner.kind}/${owner.name}`]);
      lines.push('Pod Template:');
      lines.push(...mapBlock('  ', 'Labels', spec?.template?.metadata?.labels));
      lines.push(...podSpecLines(spec?.template?.spec, {}, '  '));
      lines.push(...conditionsTable(status?.conditions));
      break;
    }
    case 'Node': {
      const taints = taintsOf(o);
      lines.push(['Taints', taints[0] ?? '<none>'], ...taints.slice(1).map((t) => ['', t] as [string, string]));
      lines.push(['Unschedulable', spec?.unschedulable ? 'true' : 'false']);
      lines.push(...conditionsTable(status?.conditions));
      const addrs = (status?.addresses ?? []) as Any[];
      if (addrs.length > 0)
        lines.push('Addresses:', ...addrs.map((a) => [`  ${a.type}`, String(a.address)] as [string, string]));
      lines.push(...resourceBlock('', 'Capacity', status?.capacity));
      lines.push(...resourceBlock('', 'Allocatable', status?.allocatable));
      break;
    }
    case 'Secret':
      lines.push(['Type', String(o['type'] ?? '')], '', 'Data', '====');
      for (const [k, v] of Object.entries(o.data ?? {})) lines.push([k, `${Buffer.from(v, 'base64').length} bytes`]);
      break;
    default:
      if (spec !== undefined) {
        const s = { ...spec };
        delete s.template;
        lines.push(
          'Spec:',
          ...yaml
            .dump(s, { lineWidth: 120 })
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`),
        );
      }
      if (status !== undefined)
        lines.push(
          'Status:',
          ...yaml
            .dump(status, { lineWidth: 120 })
            .trimEnd()
            .split('\n')
            .map((l) => `  ${l}`),
        );
  }
  return `${render(lines)}\n${eventsTable(o, events, now).join('\n')}\n`;
}
