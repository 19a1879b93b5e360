/**
 * Flags the fields of a pod spec that the scheduler model (and kube-apiserver) would not
 * understand, instead of silently ignoring them: unknown keys in the scheduling-relevant parts of
 * the spec (with a "did you mean" suggestion), resource names that are neither standard nor
 * domain-qualified, and values outside an enum.
 *
 * Pure: `(template, position node) → problems` with field paths relative to the pod template, each
 * naming whether its key or its value is wrong and, when safe, the replacement a quick fix writes.
 */
import { CONTAINER_FIELDS, POD_SPEC_FIELDS, WORKLOAD_SPEC_FIELDS } from '../../kube-api/known-fields';
import { isRecord } from '../services/manifest';

/** A field the model does not understand. */
export interface FieldProblem {
  /** Path from the pod template (`spec.affinity.nodeAffinity.requiredDuringScheduling...`). */
  field: string;
  message: string;
  /** What is wrong: the mapping key (unknown field, resource name) or its value (enum). */
  at: 'key' | 'value';
  /**
   * The text the message's "did you mean" names, to replace the key or value with. Left out when
   * there is no suggestion, or when a key rename would duplicate a sibling key already present.
   */
  replacement?: string;
}

type Schema =
  | { keys: Record<string, Schema | 'any'>; strict: boolean }
  | { list: Schema }
  | { enum: readonly string[] }
  | 'any'
  | 'resources';

const obj = (keys: Record<string, Schema | 'any'>): Schema => ({ keys, strict: true });
const list = (s: Schema): Schema => ({ list: s });
const en = (...v: string[]): Schema => ({ enum: v });

const requirement = obj({
  key: 'any',
  operator: en('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'),
  values: 'any',
});
const nodeSelectorTerm = obj({ matchExpressions: list(requirement), matchFields: list(requirement) });
const labelSelector = obj({
  matchLabels: 'any',
  matchExpressions: list(obj({ key: 'any', operator: en('In', 'NotIn', 'Exists', 'DoesNotExist'), values: 'any' })),
});
const podAffinityTerm = obj({
  labelSelector,
  namespaceSelector: labelSelector,
  namespaces: 'any',
  topologyKey: 'any',
  matchLabelKeys: 'any',
  mismatchLabelKeys: 'any',
});
const podAffinity = obj({
  requiredDuringSchedulingIgnoredDuringExecution: list(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: list(obj({ weight: 'any', podAffinityTerm })),
});
const affinity = obj({
  nodeAffinity: obj({
    requiredDuringSchedulingIgnoredDuringExecution: obj({ nodeSelectorTerms: list(nodeSelectorTerm) }),
    preferredDuringSchedulingIgnoredDuringExecution: list(obj({ weight: 'any', preference: nodeSelectorTerm })),
  }),
  podAffinity,
  podAntiAffinity: podAffinity,
});
const toleration = obj({
  key: 'any',
  operator: en('Exists', 'Equal'),
  value: 'any',
  effect: en('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
  tolerationSeconds: 'any',
});
const spread = obj({
  maxSkew: 'any',
  topologyKey: 'any',
  whenUnsatisfiable: en('DoNotSchedule', 'ScheduleAnyway'),
  labelSelector,
  minDomains: 'any',
  nodeAffinityPolicy: en('Honor', 'Ignore'),
  nodeTaintsPolicy: en('Honor', 'Ignore'),
  matchLabelKeys: 'any',
});
const resources = obj({ requests: 'resources', limits: 'resources', claims: 'any' });
// Newer alpha fields (ContainerRestartRules) the editor accepts beyond the shared table.
const containerKeys = [...CONTAINER_FIELDS, 'restartPolicyRules'];
const container = (): Schema => {
  const keys: Record<string, Schema | 'any'> = {};
  for (const k of containerKeys) keys[k] = 'any';
  keys['resources'] = resources;
  keys['ports'] = list(
    obj({ name: 'any', hostPort: 'any', containerPort: 'any', protocol: en('TCP', 'UDP', 'SCTP'), hostIP: 'any' }),
  );
  return obj(keys);
};
// Newer alpha fields (HostnameOverride, the Workload API's workloadRef) the editor accepts beyond the shared table.
const podSpecKeys = [...POD_SPEC_FIELDS, 'hostnameOverride', 'workloadRef'];
const podSpec = (): Schema => {
  const keys: Record<string, Schema | 'any'> = {};
  for (const k of podSpecKeys) keys[k] = 'any';
  keys['containers'] = list(container());
  keys['initContainers'] = list(container());
  keys['affinity'] = affinity;
  keys['tolerations'] = list(toleration);
  keys['topologySpreadConstraints'] = list(spread);
  keys['resources'] = resources;
  keys['preemptionPolicy'] = en('PreemptLowerPriority', 'Never');
  return obj(keys);
};

/** The schema of a pod template's `spec`, built once. */
const POD_SPEC = podSpec();

/** Resource names Kubernetes defines without a domain. */
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

/**
 * Checks a resource name: standard, `hugepages-<size>`, or domain-qualified (`example.com/gpu`).
 * Returns the problem sentence, with the suggested standard name if any, or undefined.
 */
function resourceNameProblem(name: string): { message: string; hint?: string } | undefined {
  if (STANDARD_RESOURCES.has(name) || /^hugepages-[0-9]+[a-zA-Z]*$/.test(name)) return undefined;
  if (
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(
      name,
    )
  ) {
    if (name.startsWith('kubernetes.io/') || name.startsWith('requests.'))
      return { message: `${JSON.stringify(name)} is not a resource containers can request` };
    return undefined;
  }
  const hint = suggest(name, [...STANDARD_RESOURCES]);
  const message = `${JSON.stringify(name)} is not a valid resource name: use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as example.com/gpu${hint ? ` (did you mean ${hint}?)` : ''}; kube-apiserver rejects it and the model cannot account for it`;
  return hint === undefined ? { message } : { message, hint };
}

/** A problem with a key of `siblings`, with the rename to `hint` unless `siblings` already has that key. */
function keyProblem(field: string, message: string, hint: string | undefined, siblings: object): FieldProblem {
  const p: FieldProblem = { field, message, at: 'key' };
  if (hint !== undefined && !Object.prototype.hasOwnProperty.call(siblings, hint)) p.replacement = hint;
  return p;
}

/** Every problem in `template.spec` (paths start with `spec.`). Stops after `limit` problems. */
export function checkPodFields(template: Record<string, unknown>, limit = 50): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (isRecord(template['spec'])) walk(template['spec'], POD_SPEC, 'spec', out, limit, 0);
  return out;
}

function walk(value: unknown, schema: Schema, path: string, out: FieldProblem[], limit: number, depth: number): void {
  if (out.length >= limit || depth > 30 || schema === 'any' || value === null || value === undefined) return;
  if (schema === 'resources') {
    if (!isRecord(value)) return;
    for (const k of Object.keys(value)) {
      const p = resourceNameProblem(k);
      if (p !== undefined) out.push(keyProblem(`${path}.${k}`, p.message, p.hint, value));
    }
    return;
  }
  if ('enum' in schema) {
    if (typeof value === 'string' && !schema.enum.includes(value)) {
      const hint = suggest(value, schema.enum);
      const p: FieldProblem = {
        field: path,
        message: `${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}${hint ? ` (did you mean ${hint}?)` : ''}`,
        at: 'value',
      };
      if (hint !== undefined) p.replacement = hint;
      out.push(p);
    }
    return;
  }
  if ('list' in schema) {
    if (!Array.isArray(value)) return;
    value.forEach((v, i) => walk(v, schema.list, `${path}[${i}]`, out, limit, depth + 1));
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    // Own properties only: a key named `constructor` or `__proto__` is an unknown field, not a schema.
    const child = Object.hasOwn(schema.keys, k) ? schema.keys[k] : undefined;
    if (child === undefined) {
      if (!schema.strict) continue;
      const hint = suggest(k, Object.keys(schema.keys));
      out.push(
        keyProblem(
          `${path}.${k}`,
          `Unknown field ${JSON.stringify(k)}${hint ? ` (did you mean ${hint}?)` : ''}: kube-apiserver drops or rejects it, so it does not affect scheduling`,
          hint,
          value,
        ),
      );
      if (out.length >= limit) return;
      continue;
    }
    walk(v, child, `${path}.${k}`, out, limit, depth + 1);
  }
}

/** The closest candidate within edit distance 2 (case-insensitive), if any. */
function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) >= max) return max;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Unknown keys in a workload's `spec` (and a CronJob's `jobTemplate.spec`), which change what the
 * prediction is about (a misspelt `replicas` leaves the default of 1). Paths start at the document root.
 */
export function checkWorkloadFields(kind: string, object: Record<string, unknown>): FieldProblem[] {
  const keys = Object.hasOwn(WORKLOAD_SPEC_FIELDS, kind) ? WORKLOAD_SPEC_FIELDS[kind] : undefined;
  const spec = object['spec'];
  if (keys === undefined || !isRecord(spec)) return [];
  const out: FieldProblem[] = [];
  const check = (value: Record<string, unknown>, allowed: readonly string[], path: string): void => {
    for (const k of Object.keys(value)) {
      if (allowed.includes(k)) continue;
      const hint = suggest(k, allowed);
      out.push(
        keyProblem(
          `${path}.${k}`,
          `Unknown field ${JSON.stringify(k)}${hint ? ` (did you mean ${hint}?)` : ''}: kube-apiserver drops or rejects it, so the prediction does not use it`,
          hint,
          value,
        ),
      );
    }
  };
  check(spec, keys, 'spec');
  const job = isRecord(spec['jobTemplate']) ? spec['jobTemplate']['spec'] : undefined;
  if (kind === 'CronJob' && isRecord(job)) check(job, WORKLOAD_SPEC_FIELDS['Job']!, 'spec.jobTemplate.spec');
  return out;
}
