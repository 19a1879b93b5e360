/**
 * Node selectors with upstream's parse errors, after
 * staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 * (`NewNodeSelector`, `LazyErrorNodeSelector`, `NewPreferredSchedulingTerms`,
 * `nodeSelectorRequirementsAsSelector`, `nodeSelectorRequirementsAsFieldSelector`).
 *
 * Contract: compiling never throws. Each term records its parse errors as upstream's field-path
 * messages (e.g. `[0].matchExpressions[0].key: Invalid value: ...`); a term with errors never
 * matches. Terms with neither matchExpressions nor matchFields are dropped.
 */
import type {
  Node,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PreferredSchedulingTerm,
} from '../../../kube-api/types';
import { int64LabelMatcher, parseInt64 } from '../../../kube-api/node-affinity';
import { isSelectorError, labelSelectorAsSelector, type Labels } from '../../../kube-api/labels';

type LabelMatcher = (labels: Labels) => boolean;
type FieldMatcher = (nodeName: string) => boolean;

/** A parsed node selector term. */
export interface CompiledTerm {
  readonly errors: readonly string[];
  matches(node: Node): boolean;
}

const LABEL_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const FIELD_OPS = ['In', 'NotIn'];

function goQuote(s: unknown): string {
  return JSON.stringify(String(s));
}

function goStringSlice(values: readonly unknown[]): string {
  return `[]string{${values.map((v) => goQuote(v)).join(', ')}}`;
}

function notSupported(path: string, value: unknown, supported: readonly string[]): string {
  return `${path}: Unsupported value: ${goQuote(value ?? '')}: supported values: ${supported.map((s) => goQuote(s)).join(', ')}`;
}

/** Upstream's `errors.NewAggregate(...).Error()`: one message as is, several in brackets. */
export function aggregate(errs: readonly string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
}

function compileLabelRequirement(r: NodeSelectorRequirement, path: string): LabelMatcher | string[] {
  if (r == null || typeof r !== 'object') return [`${path}: Invalid value: must be an object`];
  const values: unknown = r.values ?? [];
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
    return [`${path}.values: Invalid value: must be a list of strings`];
  }
  if (typeof r.key !== 'string') return [`${path}.key: Required value`];
  if (!LABEL_OPS.includes(r.operator)) return [notSupported(`${path}.operator`, r.operator, LABEL_OPS)];
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    const errs: string[] = [];
    const probe = labelSelectorAsSelector({ matchExpressions: [{ key: r.key, operator: 'Exists' }] });
    if (isSelectorError(probe)) errs.push(`${path}.${probe.upstream ?? probe.error}`);
    if (values.length !== 1) {
      errs.push(
        `${path}.values: Invalid value: ${goStringSlice(values)}: for 'Gt', 'Lt' operators, exactly one value is required`,
      );
    }
    values.forEach((v: string, i: number) => {
      if (parseInt64(v) === undefined) {
        errs.push(
          `${path}.values[${i}]: Invalid value: ${goQuote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
        );
      }
    });
    if (errs.length > 0) return errs;
    const bound = parseInt64(values[0] as string)!;
    return int64LabelMatcher(r.key, r.operator === 'Gt', bound);
  }
  const sel = labelSelectorAsSelector({
    matchExpressions: [{ key: r.key, operator: r.operator, values: values as string[] }],
  });
  if (isSelectorError(sel)) return [`${path}.${sel.upstream ?? sel.error}`];
  return (labels) => sel.matches(labels);
}

function compileFieldRequirement(r: NodeSelectorRequirement, path: string): FieldMatcher | string[] {
  if (r == null || typeof r !== 'object') return [`${path}: Invalid value: must be an object`];
  const values: unknown = r.values ?? [];
  if (!Array.isArray(values)) return [`${path}.values: Invalid value: must be a list of strings`];
  if (r.operator !== 'In' && r.operator !== 'NotIn') return [notSupported(`${path}.operator`, r.operator, FIELD_OPS)];
  if (values.length !== 1) return [`${path}.values: Invalid value: ${goStringSlice(values)}: must have one element`];
  const want = String(values[0]);
  const isName = r.key === 'metadata.name';
  // The field set holds only metadata.name; any other key reads as "".
  if (r.operator === 'In') return (name) => (isName ? name : '') === want;
  return (name) => (isName ? name : '') !== want;
}

/** `newNodeSelectorTerm` for a non-empty term at `path` (e.g. `nodeSelectorTerms[0]` or `[0]`). */
function compileTerm(term: NodeSelectorTerm, path: string): CompiledTerm {
  const errors: string[] = [];
  const labelMatchers: LabelMatcher[] = [];
  const fieldMatchers: FieldMatcher[] = [];
  const exprs = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
  const fields = Array.isArray(term?.matchFields) ? term.matchFields : [];
  exprs.forEach((r, i) => {
    const m = compileLabelRequirement(r, `${path}.matchExpressions[${i}]`);
    if (Array.isArray(m)) errors.push(...m);
    else labelMatchers.push(m);
  });
  fields.forEach((r, i) => {
    const m = compileFieldRequirement(r, `${path}.matchFields[${i}]`);
    if (Array.isArray(m)) errors.push(...m);
    else fieldMatchers.push(m);
  });
  if (errors.length > 0) return { errors, matches: () => false };
  return {
    errors,
    matches(node: Node): boolean {
      const labels = node.metadata?.labels;
      for (const m of labelMatchers) if (!m(labels)) return false;
      const name = node.metadata?.name ?? '';
      if (name !== '') for (const m of fieldMatchers) if (!m(name)) return false;
      return true;
    },
  };
}

/** `isEmptyNodeSelectorTerm`. */
function isEmptyTerm(term: NodeSelectorTerm | undefined | null): boolean {
  return (term?.matchExpressions?.length ?? 0) === 0 && (term?.matchFields?.length ?? 0) === 0;
}

/** `LazyErrorNodeSelector`: OR over the non-empty terms; no terms match nothing. */
export class CompiledNodeSelector {
  readonly terms: CompiledTerm[] = [];

  constructor(ns: NodeSelector | undefined | null, rootPath = '') {
    const terms = Array.isArray(ns?.nodeSelectorTerms) ? ns!.nodeSelectorTerms : [];
    terms.forEach((t, i) => {
      if (isEmptyTerm(t)) return;
      this.terms.push(compileTerm(t, `${rootPath === '' ? '' : `${rootPath}.`}nodeSelectorTerms[${i}]`));
    });
  }

  /** All parse errors (`NewNodeSelector` fails with their aggregate). */
  errors(): string[] {
    return this.terms.flatMap((t) => t.errors);
  }

  matches(node: Node): boolean {
    for (const t of this.terms) if (t.errors.length === 0 && t.matches(node)) return true;
    return false;
  }
}

/** `PreferredSchedulingTerms`: weighted terms; weight 0 and empty preferences are dropped. */
export class CompiledPreferredTerms {
  private constructor(private readonly terms: { term: CompiledTerm; weight: number }[]) {}

  /** `NewPreferredSchedulingTerms`: the compiled terms, or the aggregate parse error text. */
  static compile(
    terms: readonly PreferredSchedulingTerm[] | undefined | null,
    rootPath = '',
  ): CompiledPreferredTerms | { error: string } {
    if (terms != null && !Array.isArray(terms)) return { error: `${rootPath}: Invalid value: must be a list` };
    const out: { term: CompiledTerm; weight: number }[] = [];
    const errs: string[] = [];
    (terms ?? []).forEach((t, i) => {
      const weight = typeof t?.weight === 'number' ? t.weight : 0;
      if (weight === 0 || isEmptyTerm(t?.preference)) return;
      const c = compileTerm(t.preference, `${rootPath}[${i}]`);
      if (c.errors.length > 0) errs.push(...c.errors);
      else out.push({ term: c, weight });
    });
    if (errs.length > 0) return { error: aggregate(errs) };
    return new CompiledPreferredTerms(out);
  }

  /** `Score`: the sum of the weights of matching terms. */
  score(node: Node): number {
    let s = 0;
    for (const t of this.terms) if (t.term.matches(node)) s += t.weight;
    return s;
  }
}
