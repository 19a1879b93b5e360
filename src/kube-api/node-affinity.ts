/**
 * Required node affinity matching, after
 * staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 * (`GetRequiredNodeAffinity`, `RequiredNodeAffinity.Match`, `LazyErrorNodeSelector`,
 * `nodeSelectorRequirementsAsSelector`, `nodeSelectorRequirementsAsFieldSelector`).
 *
 * Contract: compiling never throws. A term that fails to parse (bad operator, bad values, bad
 * key) never matches, exactly as upstream, which records the error and ignores it when callers
 * use `Match` with `_` for the error (PodTopologySpread, NodeAffinity Filter).
 */
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod } from './types';
import { isSelectorError, labelSelectorAsSelector, type Labels, type Selector } from './labels';

/** A compiled node selector term; `matches` is false for terms that failed to parse. */
export interface CompiledNodeSelectorTerm {
  matches(node: Node): boolean;
  /** Upstream's parse error text, when the term failed to parse. */
  readonly parseError?: string;
}

/** `RequiredNodeAffinity`: the pod's nodeSelector AND its required node affinity terms (OR). */
export interface RequiredNodeAffinity {
  match(node: Node): boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's `strconv.ParseInt(s, 10, 64)`: undefined when `s` is not a base-10 int64. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

type LabelMatcher = (labels: Labels) => boolean;

/**
 * The matcher of a parsed `Gt`/`Lt` requirement: the label `key` must be present and parse as a
 * base-10 int64 that is greater (`gt`) or less than `bound`; a missing or non-integer label never
 * matches.
 */
export function int64LabelMatcher(key: string, gt: boolean, bound: bigint): LabelMatcher {
  return (labels) => {
    if (labels == null || !Object.prototype.hasOwnProperty.call(labels, key)) return false;
    const v = parseInt64(labels[key]!);
    if (v === undefined) return false;
    return gt ? v > bound : v < bound;
  };
}

/** One label requirement of a node selector term (`labels.NewRequirement` with node operators). */
function compileLabelRequirement(r: NodeSelectorRequirement): LabelMatcher | string {
  if (r == null || typeof r !== 'object') return 'invalid requirement';
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
    case 'Exists':
    case 'DoesNotExist': {
      const sel = labelSelectorAsSelector({ matchExpressions: [{ key: r.key, operator: r.operator, values }] });
      if (isSelectorError(sel)) return sel.upstream ?? sel.error;
      return (labels) => sel.matches(labels);
    }
    case 'Gt':
    case 'Lt': {
      // Key and value syntax are validated as for any label requirement.
      const probe = labelSelectorAsSelector({
        matchExpressions: [{ key: r.key, operator: 'In', values: values.length ? values : [''] }],
      });
      if (isSelectorError(probe)) return probe.upstream ?? probe.error;
      if (values.length !== 1) return "values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required";
      const bound = parseInt64(values[0]!);
      if (bound === undefined)
        return "values[0]: Invalid value: for 'Gt', 'Lt' operators, the value must be an integer";
      return int64LabelMatcher(r.key, r.operator === 'Gt', bound);
    }
    default:
      return `${JSON.stringify(String(r.operator))} is not a valid label selector operator`;
  }
}

/** One field requirement: only `In`/`NotIn` with exactly one value are valid. */
function compileFieldRequirement(r: NodeSelectorRequirement): ((fields: Record<string, string>) => boolean) | string {
  if (r == null || typeof r !== 'object') return 'invalid requirement';
  const values = r.values ?? [];
  if (values.length !== 1)
    return `unexpected number of value (${values.length}) for node field selector operator ${JSON.stringify(r.operator)}`;
  const key = r.key;
  const want = values[0]!;
  switch (r.operator) {
    case 'In':
      return (fields) => fields[key] === want;
    case 'NotIn':
      return (fields) => fields[key] !== want;
    default:
      return `${JSON.stringify(String(r.operator))} is not a valid node field selector operator`;
  }
}

/**
 * Compiles a node selector term. Returns undefined for a term with neither matchExpressions nor
 * matchFields, which upstream drops (it matches nothing and does not count as a term).
 */
function compileNodeSelectorTerm(term: NodeSelectorTerm): CompiledNodeSelectorTerm | undefined {
  const exprs = term?.matchExpressions ?? [];
  const fieldReqs = term?.matchFields ?? [];
  if (exprs.length === 0 && fieldReqs.length === 0) return undefined;
  const labelMatchers: LabelMatcher[] = [];
  const fieldMatchers: ((fields: Record<string, string>) => boolean)[] = [];
  const errors: string[] = [];
  for (const r of exprs) {
    const m = compileLabelRequirement(r);
    if (typeof m === 'string') errors.push(m);
    else labelMatchers.push(m);
  }
  for (const r of fieldReqs) {
    const m = compileFieldRequirement(r);
    if (typeof m === 'string') errors.push(m);
    else fieldMatchers.push(m);
  }
  if (errors.length > 0) {
    return { matches: () => false, parseError: errors.join(', ') };
  }
  return {
    matches(node: Node): boolean {
      const labels = node.metadata?.labels;
      for (const m of labelMatchers) if (!m(labels)) return false;
      const name = node.metadata?.name ?? '';
      if (fieldMatchers.length > 0 && name !== '') {
        const fields = { 'metadata.name': name };
        for (const m of fieldMatchers) if (!m(fields)) return false;
      }
      return true;
    },
  };
}

/** `LazyErrorNodeSelector.Match`: OR over the non-empty terms; no terms means no match. */
export function compileNodeSelector(ns: NodeSelector): (node: Node) => boolean {
  const terms: CompiledNodeSelectorTerm[] = [];
  for (const t of ns?.nodeSelectorTerms ?? []) {
    const c = compileNodeSelectorTerm(t);
    if (c) terms.push(c);
  }
  return (node) => {
    for (const t of terms) if (t.matches(node)) return true;
    return false;
  };
}

const MATCH_ALL: RequiredNodeAffinity = { match: () => true };

/**
 * `nodeaffinity.GetRequiredNodeAffinity(pod)`: `spec.nodeSelector` (every pair must equal the node
 * label; used only when non-empty) AND `requiredDuringSchedulingIgnoredDuringExecution`.
 */
export function getRequiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  const nodeSelector = pod.spec?.nodeSelector;
  let labelSelector: Selector | undefined;
  if (nodeSelector && Object.keys(nodeSelector).length > 0) {
    const pairs = Object.entries(nodeSelector);
    labelSelector = {
      matches: (labels) => {
        if (labels == null) return false;
        for (const [k, v] of pairs) {
          if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== v) return false;
        }
        return true;
      },
      empty: () => false,
      requirements: [],
      nothing: false,
    };
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const nodeSelectorMatch = required != null ? compileNodeSelector(required) : undefined;
  if (!labelSelector && !nodeSelectorMatch) return MATCH_ALL;
  return {
    match(node: Node): boolean {
      if (labelSelector && !labelSelector.matches(node.metadata?.labels)) return false;
      if (nodeSelectorMatch) return nodeSelectorMatch(node);
      return true;
    },
  };
}
