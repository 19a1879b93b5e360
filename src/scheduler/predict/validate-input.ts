/**
 * Input checks for `predict`: the pod and snapshot fields the model reads must have the right
 * JSON types, quantities must parse, and operators must be known.
 *
 * Contract: returns every problem as `{ field, message }` where `message` starts with the field
 * path (e.g. `spec.containers[0].resources.requests.cpu: quantities must match ...`); never throws.
 * Checks follow the API server's validation wording where the model has it.
 */
import type { Pod } from '../../kube-api/types';
import { isSelectorError, labelSelectorAsSelector } from '../../kube-api/labels';
import { isQuantityError, parseQuantity } from '../../kube-api/quantity';

/** One input problem. */
export interface InputError {
  field: string;
  message: string;
}

type Rec = Record<string, unknown>;

const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const TOLERATION_OPERATORS = ['', 'Equal', 'Exists'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

function isObj(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

class Checker {
  readonly errors: InputError[] = [];

  add(field: string, msg: string): void {
    this.errors.push({ field, message: `${field}: ${msg}` });
  }

  obj(x: unknown, field: string, required = false): x is Rec {
    if (x === undefined || x === null) {
      if (required) this.add(field, 'Required value');
      return false;
    }
    if (!isObj(x)) {
      this.add(field, `Invalid value: must be an object, got ${Array.isArray(x) ? 'a list' : typeof x}`);
      return false;
    }
    return true;
  }

  list(x: unknown, field: string): x is unknown[] {
    if (x === undefined || x === null) return false;
    if (!Array.isArray(x)) {
      this.add(field, `Invalid value: must be a list, got ${typeof x}`);
      return false;
    }
    return true;
  }

  stringMap(x: unknown, field: string): void {
    if (x === undefined || x === null) return;
    if (!isObj(x)) return void this.add(field, 'Invalid value: must be a map of strings');
    for (const [k, v] of Object.entries(x))
      if (typeof v !== 'string') this.add(`${field}.${k}`, `Invalid value: ${JSON.stringify(v)}: must be a string`);
  }

  str(x: unknown, field: string): void {
    if (x !== undefined && x !== null && typeof x !== 'string')
      this.add(field, `Invalid value: ${JSON.stringify(x)}: must be a string`);
  }

  num(x: unknown, field: string, integer = true): void {
    if (x === undefined || x === null) return;
    if (typeof x !== 'number' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
      this.add(field, `Invalid value: ${JSON.stringify(x)}: must be ${integer ? 'an integer' : 'a number'}`);
    }
  }

  resources(x: unknown, field: string): void {
    if (x === undefined || x === null) return;
    if (!isObj(x)) return void this.add(field, 'Invalid value: must be a map of resource quantities');
    for (const [k, v] of Object.entries(x)) {
      const q = parseQuantity(v, `${field}.${k}`);
      if (isQuantityError(q)) this.errors.push({ field: q.field || `${field}.${k}`, message: q.error });
    }
  }

  requirements(x: unknown, field: string): void {
    if (!this.obj(x, field)) return;
    this.resources(x['requests'], `${field}.requests`);
    this.resources(x['limits'], `${field}.limits`);
  }

  selector(x: unknown, field: string): void {
    if (x === undefined || x === null) return;
    const s = labelSelectorAsSelector(x as never, field);
    if (isSelectorError(s)) this.errors.push({ field, message: s.error });
  }

  nodeSelectorTerm(t: unknown, field: string): void {
    if (!this.obj(t, field)) return;
    for (const which of ['matchExpressions', 'matchFields']) {
      const list = t[which];
      if (!this.list(list, `${field}.${which}`)) continue;
      list.forEach((e, i) => {
        const p = `${field}.${which}[${i}]`;
        if (!this.obj(e, p, true)) return;
        if (typeof e['key'] !== 'string') this.add(`${p}.key`, 'Required value');
        if (!NODE_SELECTOR_OPERATORS.includes(e['operator'] as string)) {
          this.add(
            `${p}.operator`,
            `Unsupported value: ${JSON.stringify(e['operator'])}: supported values: ${NODE_SELECTOR_OPERATORS.map((o) => JSON.stringify(o)).join(', ')}`,
          );
        }
        const vals = e['values'];
        if (vals !== undefined && vals !== null && (!Array.isArray(vals) || vals.some((v) => typeof v !== 'string'))) {
          this.add(`${p}.values`, 'Invalid value: must be a list of strings');
        }
      });
    }
  }

  podAffinityTerm(t: unknown, field: string): void {
    if (!this.obj(t, field, true)) return;
    this.selector(t['labelSelector'], `${field}.labelSelector`);
    this.selector(t['namespaceSelector'], `${field}.namespaceSelector`);
    if (typeof t['topologyKey'] !== 'string' || t['topologyKey'] === '')
      this.add(`${field}.topologyKey`, 'Required value: can not be empty');
    if (
      t['namespaces'] !== undefined &&
      (!Array.isArray(t['namespaces']) || t['namespaces'].some((n) => typeof n !== 'string'))
    ) {
      this.add(`${field}.namespaces`, 'Invalid value: must be a list of strings');
    }
  }

  podAffinity(x: unknown, field: string): void {
    if (!this.obj(x, field)) return;
    const req = x['requiredDuringSchedulingIgnoredDuringExecution'];
    if (this.list(req, `${field}.requiredDuringSchedulingIgnoredDuringExecution`)) {
      req.forEach((t, i) => this.podAffinityTerm(t, `${field}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    }
    const pref = x['preferredDuringSchedulingIgnoredDuringExecution'];
    if (this.list(pref, `${field}.preferredDuringSchedulingIgnoredDuringExecution`)) {
      pref.forEach((w, i) => {
        const p = `${field}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
        if (!this.obj(w, p, true)) return;
        this.num(w['weight'], `${p}.weight`);
        this.podAffinityTerm(w['podAffinityTerm'], `${p}.podAffinityTerm`);
      });
    }
  }

  containers(x: unknown, field: string, required: boolean): void {
    if (x === undefined || x === null) {
      if (required) this.add(field, 'Required value');
      return;
    }
    if (!this.list(x, field)) return;
    if (required && x.length === 0) this.add(field, 'Required value');
    x.forEach((c, i) => {
      const p = `${field}[${i}]`;
      if (!this.obj(c, p, true)) return;
      this.str(c['name'], `${p}.name`);
      this.str(c['image'], `${p}.image`);
      this.requirements(c['resources'], `${p}.resources`);
      if (this.list(c['ports'], `${p}.ports`)) {
        (c['ports'] as unknown[]).forEach((port, j) => {
          const pp = `${p}.ports[${j}]`;
          if (!this.obj(port, pp, true)) return;
          this.num(port['hostPort'], `${pp}.hostPort`);
          this.num(port['containerPort'], `${pp}.containerPort`);
          this.str(port['protocol'], `${pp}.protocol`);
          this.str(port['hostIP'], `${pp}.hostIP`);
        });
      }
    });
  }
}

/** Checks a pod the model is asked to place. */
export function validatePod(pod: unknown): InputError[] {
  const c = new Checker();
  if (!c.obj(pod, 'pod', true)) return c.errors;
  const p = pod as Pod & Rec;
  if (c.obj(p.metadata, 'metadata')) {
    c.str(p.metadata['name' as never], 'metadata.name');
    c.str(p.metadata['namespace' as never], 'metadata.namespace');
    c.stringMap(p.metadata['labels' as never], 'metadata.labels');
  }
  if (!c.obj(p.spec, 'spec', true)) return c.errors;
  const s = p.spec as Rec;
  c.containers(s['containers'], 'spec.containers', true);
  c.containers(s['initContainers'], 'spec.initContainers', false);
  c.resources(s['overhead'], 'spec.overhead');
  c.requirements(s['resources'], 'spec.resources');
  c.stringMap(s['nodeSelector'], 'spec.nodeSelector');
  c.str(s['nodeName'], 'spec.nodeName');
  c.str(s['schedulerName'], 'spec.schedulerName');
  c.num(s['priority'], 'spec.priority');
  c.str(s['priorityClassName'], 'spec.priorityClassName');
  if (
    s['preemptionPolicy'] !== undefined &&
    s['preemptionPolicy'] !== 'Never' &&
    s['preemptionPolicy'] !== 'PreemptLowerPriority'
  ) {
    c.add(
      'spec.preemptionPolicy',
      `Unsupported value: ${JSON.stringify(s['preemptionPolicy'])}: supported values: "Never", "PreemptLowerPriority"`,
    );
  }
  if (c.obj(s['affinity'], 'spec.affinity')) {
    const a = s['affinity'] as Rec;
    if (c.obj(a['nodeAffinity'], 'spec.affinity.nodeAffinity')) {
      const na = a['nodeAffinity'] as Rec;
      const base = 'spec.affinity.nodeAffinity';
      const req = na['requiredDuringSchedulingIgnoredDuringExecution'];
      if (c.obj(req, `${base}.requiredDuringSchedulingIgnoredDuringExecution`)) {
        const terms = req['nodeSelectorTerms'];
        if (c.list(terms, `${base}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`)) {
          terms.forEach((t, i) =>
            c.nodeSelectorTerm(t, `${base}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`),
          );
        }
      }
      const pref = na['preferredDuringSchedulingIgnoredDuringExecution'];
      if (c.list(pref, `${base}.preferredDuringSchedulingIgnoredDuringExecution`)) {
        pref.forEach((w, i) => {
          const pp = `${base}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
          if (!c.obj(w, pp, true)) return;
          c.num(w['weight'], `${pp}.weight`);
          c.nodeSelectorTerm(w['preference'], `${pp}.preference`);
        });
      }
    }
    c.podAffinity(a['podAffinity'], 'spec.affinity.podAffinity');
    c.podAffinity(a['podAntiAffinity'], 'spec.affinity.podAntiAffinity');
  }
  if (c.list(s['tolerations'], 'spec.tolerations')) {
    (s['tolerations'] as unknown[]).forEach((t, i) => {
      const tp = `spec.tolerations[${i}]`;
      if (!c.obj(t, tp, true)) return;
      c.str(t['key'], `${tp}.key`);
      c.str(t['value'], `${tp}.value`);
      c.str(t['effect'], `${tp}.effect`);
      if (t['operator'] !== undefined && !TOLERATION_OPERATORS.includes(t['operator'] as string)) {
        c.add(
          `${tp}.operator`,
          `Unsupported value: ${JSON.stringify(t['operator'])}: supported values: "Equal", "Exists"`,
        );
      }
    });
  }
  if (c.list(s['topologySpreadConstraints'], 'spec.topologySpreadConstraints')) {
    (s['topologySpreadConstraints'] as unknown[]).forEach((t, i) => {
      const tp = `spec.topologySpreadConstraints[${i}]`;
      if (!c.obj(t, tp, true)) return;
      const ms = t['maxSkew'];
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms <= 0)
        c.add(`${tp}.maxSkew`, `Invalid value: ${JSON.stringify(ms ?? null)}: must be greater than zero`);
      if (typeof t['topologyKey'] !== 'string' || t['topologyKey'] === '')
        c.add(`${tp}.topologyKey`, 'Required value: can not be empty');
      if (!WHEN_UNSATISFIABLE.includes(t['whenUnsatisfiable'] as string)) {
        c.add(
          `${tp}.whenUnsatisfiable`,
          `Unsupported value: ${JSON.stringify(t['whenUnsatisfiable'] ?? '')}: supported values: "DoNotSchedule", "ScheduleAnyway"`,
        );
      }
      c.selector(t['labelSelector'], `${tp}.labelSelector`);
      c.num(t['minDomains'], `${tp}.minDomains`);
    });
  }
  if (c.list(s['volumes'], 'spec.volumes')) {
    (s['volumes'] as unknown[]).forEach((v, i) => {
      const vp = `spec.volumes[${i}]`;
      if (!c.obj(v, vp, true)) return;
      const pvc = v['persistentVolumeClaim'];
      if (
        c.obj(pvc, `${vp}.persistentVolumeClaim`) &&
        (typeof pvc['claimName'] !== 'string' || pvc['claimName'] === '')
      ) {
        c.add(`${vp}.persistentVolumeClaim.claimName`, 'Required value');
      }
    });
  }
  return c.errors;
}

/** Checks the plain snapshot lists: nodes need names; quantities must parse. */
export function validateSnapshotInput(input: Rec): InputError[] {
  const c = new Checker();
  for (const key of ['nodes', 'pods', 'namespaces', 'objects']) c.list(input[key], key);
  if (Array.isArray(input['nodes'])) {
    (input['nodes'] as unknown[]).forEach((n, i) => {
      const p = `nodes[${i}]`;
      if (!c.obj(n, p, true)) return;
      const md = n['metadata'];
      if (!isObj(md) || typeof md['name'] !== 'string' || md['name'] === '')
        c.add(`${p}.metadata.name`, 'Required value');
      else c.stringMap(md['labels'], `${p}.metadata.labels`);
      if (c.obj(n['status'], `${p}.status`))
        c.resources((n['status'] as Rec)['allocatable'], `${p}.status.allocatable`);
      if (c.obj(n['spec'], `${p}.spec`) && c.list((n['spec'] as Rec)['taints'], `${p}.spec.taints`)) {
        ((n['spec'] as Rec)['taints'] as unknown[]).forEach((t, j) => {
          if (!isObj(t) || typeof t['key'] !== 'string' || typeof t['effect'] !== 'string')
            c.add(`${p}.spec.taints[${j}]`, 'Invalid value: a taint needs a key and an effect');
        });
      }
    });
  }
  if (Array.isArray(input['pods'])) {
    (input['pods'] as unknown[]).forEach((pod, i) => {
      for (const e of validatePod(pod))
        c.errors.push({ field: `pods[${i}].${e.field}`, message: `pods[${i}].${e.message}` });
    });
  }
  return c.errors;
}
