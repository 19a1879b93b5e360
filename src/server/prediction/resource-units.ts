/**
 * Unit mistakes in container resources (`requests` and `limits` of `containers` and
 * `initContainers`), each with the values a quick fix may write instead:
 *
 * - `cpu: 500` is 500 whole CPUs. It is flagged (Warning: the value is valid) when it is clearly
 *   millicores written without `m`: an integer of at least {@link MIN_MILLICORES} that is more than
 *   the largest node of the connected cluster allocates, or, with no cluster (or no nodes), at least
 *   {@link NO_CLUSTER_MIN_CORES}. Fix: `500m`.
 * - `memory: 512` (bytes) or `memory: 512m` (millibytes) below {@link MIN_MEMORY_BYTES}: no container
 *   starts with that (Warning). Fixes: `512Mi` (preferred, the unit Kubernetes' examples use), `512M`.
 * - A suffix kube-apiserver rejects because of its case or a trailing `B` (`1g`, `1gi`, `1GB`,
 *   `1 Gi`; Error, the object cannot be created). Fixes: the binary suffix (`1Gi`) and the
 *   decimal one (`1G`), binary preferred (Docker's and the JVM's `g` mean GiB); `1GiB`-style input
 *   has one fix. For `cpu` only `500 m` → `500m` is offered.
 *
 * Pure: `(pod template, node sizes) → problems` with field paths relative to the template. The fixes
 * are value texts only; `quick-fixes.ts` turns them into edits.
 */
import { isRecord } from '../services/manifest';
import { isQuantityError, NANO_PER_UNIT, parseQuantity } from '../../kube-api/quantity';

/** The largest allocatable of the connected cluster's nodes; leave it out without a cluster. */
export interface NodeSizes {
  /** The largest `status.allocatable.cpu` of any node, in millicores (> 0). */
  maxMilliCpu: number;
}

/** A value a quick fix writes instead of the current one. */
export interface UnitFix {
  value: string;
  preferred: boolean;
}

/** A unit mistake at `field` (its value). */
export interface UnitProblem {
  /** Path from the pod template (`spec.containers[0].resources.requests.cpu`). */
  field: string;
  severity: 'error' | 'warning';
  message: string;
  fixes: UnitFix[];
}

/**
 * Without a cluster, a whole-CPU integer this large is taken for millicores: more cores than nodes
 * usually allocate to one pod, while `64m`…`2000m` are everyday requests.
 */
export const NO_CLUSTER_MIN_CORES = 64;

/** Below this, an integer cpu is never read as millicores (`8` is more likely 8 CPUs than 8m). */
export const MIN_MILLICORES = 10;

/** Memory below 1 MiB is no container's real request or limit (runtimes refuse limits under a few MiB). */
const MIN_MEMORY_BYTES = 1024 * 1024;

/** Every unit mistake in the containers' and init containers' resources of `template.spec`. */
export function checkResourceUnits(template: Record<string, unknown>, nodes?: NodeSizes): UnitProblem[] {
  const out: UnitProblem[] = [];
  const spec = template['spec'];
  if (!isRecord(spec)) return out;
  for (const list of ['containers', 'initContainers']) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c: unknown, i) => {
      const resources = isRecord(c) ? c['resources'] : undefined;
      if (!isRecord(resources)) return;
      for (const kind of ['requests', 'limits'] as const) {
        const values = resources[kind];
        if (!isRecord(values)) continue;
        for (const [name, v] of Object.entries(values)) {
          const p = checkQuantity(name, v, kind, nodes);
          if (p !== undefined) out.push({ field: `spec.${list}[${i}].resources.${kind}.${name}`, ...p });
        }
      }
    });
  }
  return out;
}

/** The mistake in one `name: value` of `requests` or `limits`, if any. */
export function checkQuantity(
  name: string,
  v: unknown,
  kind: 'requests' | 'limits',
  nodes?: NodeSizes,
): Omit<UnitProblem, 'field'> | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const text = String(v).trim();
  const q = parseQuantity(v);
  const means = kind === 'requests' ? 'requests' : 'limits the container to';
  if (isQuantityError(q)) return suffixProblem(name, text);
  if (name === 'cpu' && /^[0-9]+$/.test(text)) {
    const cores = Number(text);
    const max = nodes !== undefined && nodes.maxMilliCpu > 0 ? nodes.maxMilliCpu : undefined;
    const flagged = cores >= MIN_MILLICORES && (max !== undefined ? cores * 1000 > max : cores >= NO_CLUSTER_MIN_CORES);
    if (!flagged) return undefined;
    const why =
      max !== undefined ? `; the largest node allocates ${round(max / 1000)}` : ', more than nodes usually have';
    return {
      severity: 'warning',
      message: `cpu: ${text} ${means} ${text} whole CPUs${why}. Did you mean ${text}m (${cores / 1000} CPU)?`,
      fixes: [{ value: `${text}m`, preferred: true }],
    };
  }
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(text);
  if (name === 'memory' && m !== null && q > 0n && q < BigInt(MIN_MEMORY_BYTES) * NANO_PER_UNIT) {
    const num = m[1]!;
    const bytes = Number(q) / Number(NANO_PER_UNIT);
    const milli = m[2] === 'm' ? ' (m is milli)' : '';
    return {
      severity: 'warning',
      message: `memory: ${text} ${means} ${bytes} bytes${milli}, far too little for a container. Did you mean ${num}Mi (${num} MiB)?`,
      fixes: [
        { value: `${num}Mi`, preferred: true },
        { value: `${num}M`, preferred: false },
      ],
    };
  }
  return undefined;
}

/** `1g`, `1gi`, `1GB`, `1 Gi`: a number and a suffix that only case, a `B` or a space keeps from being valid. */
function suffixProblem(name: string, text: string): Omit<UnitProblem, 'field'> | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)$/.exec(text);
  if (m === null) return undefined;
  const num = m[1]!;
  const suffix = m[2]!;
  const s = /^[kmgtpe]i?b$/i.test(suffix) ? suffix.slice(0, -1) : suffix;
  if (!/^[kmgtpe]i?$/i.test(s)) return undefined;
  const letter = s[0]!;
  const binary = `${letter.toUpperCase()}i`;
  // `m` is milli and `k` kilo; every other decimal prefix is upper case.
  const decimal = letter === 'm' && s === suffix ? 'm' : letter.toLowerCase() === 'k' ? 'k' : letter.toUpperCase();
  const isBinary = s.length === 2;
  // A cpu can only have meant millicores; bytes never mean milli-bytes.
  let units: string[];
  if (name === 'cpu') units = decimal === 'm' ? ['m'] : [];
  else units = isBinary ? [binary] : [binary, decimal === 'm' ? 'M' : decimal];
  const fixes = units.map((u) => `${num}${u}`).filter((f) => !isQuantityError(parseQuantity(f)) && f !== text);
  if (fixes.length === 0) return undefined;
  return {
    severity: 'error',
    message: `${name}: ${text} is not a valid quantity; kube-apiserver rejects it (suffixes are case-sensitive, without B: k, M, G, T, P, E or Ki, Mi, Gi, Ti, Pi, Ei). Did you mean ${fixes.join(' or ')}?`,
    fixes: fixes.map((value, i) => ({ value, preferred: i === 0 })),
  };
}

/** A number of CPUs with at most two decimals (`7.91`, `8`). */
function round(cores: number): string {
  return String(Math.round(cores * 100) / 100);
}
