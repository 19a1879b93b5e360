/**
 * Label selectors with k8s.io/apimachinery semantics (`metav1.LabelSelectorAsSelector`,
 * `labels.Selector`).
 *
 * Contract:
 * - a nil/undefined selector is Nothing: matches no labels, `empty()` is false;
 * - `{}` (no matchLabels, no matchExpressions) is Everything: matches all, `empty()` is true;
 * - matchLabels and matchExpressions are ANDed;
 * - an invalid selector is returned as a `SelectorError` value naming the field, never thrown.
 */
import { isQualifiedName, QUALIFIED_NAME_FMT, regexError } from './qualified-name';
import type { LabelSelector, LabelSelectorRequirement } from './types';

/** An object's labels; absent labels (undefined or null) match only selectors that need none. */
export type Labels = Readonly<Record<string, string>> | undefined | null;

/** One compiled requirement of a selector (`labels.Requirement`); `Equals` comes from a label set (`selectorFromSet`). */
export interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Equals' | 'NotEquals';
  readonly values: readonly string[];
}

/** A compiled selector; immutable and safe to share between cycles. */
export interface Selector {
  matches(labels: Labels): boolean;
  /** True only for Everything (no requirements), as upstream's `Selector.Empty()`. */
  empty(): boolean;
  readonly requirements: readonly Requirement[];
  readonly nothing: boolean;
}

/** A selector that does not compile: the message with its field path. */
export interface SelectorError {
  readonly error: string;
  /** The text upstream's `metav1.LabelSelectorAsSelector` returns for the same input (no field path), when known. */
  readonly upstream?: string;
}

/** True when a compile result is a `SelectorError` rather than a `Selector`. */
export function isSelectorError(x: unknown): x is SelectorError {
  return typeof x === 'object' && x !== null && typeof (x as SelectorError).error === 'string';
}

class RequirementsSelector implements Selector {
  readonly nothing = false;
  constructor(readonly requirements: readonly Requirement[]) {}

  matches(labels: Labels): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }
}

class NothingSelector implements Selector {
  readonly nothing = true;
  readonly requirements: readonly Requirement[] = [];
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
}

/** `labels.Nothing()`: the selector a nil LabelSelector compiles to; matches nothing. */
export const NOTHING: Selector = new NothingSelector();
const EVERYTHING: Selector = new RequirementsSelector([]);

function requirementMatches(r: Requirement, labels: Labels): boolean {
  const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case 'In':
    case 'Equals':
      return has && r.values.includes(value!);
    case 'NotIn':
    case 'NotEquals':
      return !has || !r.values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** Builds a selector from explicit requirements (e.g. matchLabelKeys merges); sorted by key as upstream. */
function selectorFromRequirements(reqs: readonly Requirement[]): Selector {
  return new RequirementsSelector([...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

/** `labels.SelectorFromSet`: every pair must be equal; an empty set is Everything. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const reqs: Requirement[] = Object.keys(set).map((key) => ({ key, operator: 'Equals', values: [set[key]!] }));
  return selectorFromRequirements(reqs);
}

/** Adds requirements to a selector (upstream `Selector.Add`), keeping Nothing as Nothing. */
export function addRequirements(sel: Selector, reqs: readonly Requirement[]): Selector {
  if (sel.nothing) return sel;
  return selectorFromRequirements([...sel.requirements, ...reqs]);
}

/**
 * `metav1.LabelSelectorAsSelector`. `path` names the field for error messages,
 * e.g. `spec.topologySpreadConstraints[0].labelSelector`.
 */
export function labelSelectorAsSelector(
  ls: LabelSelector | null | undefined,
  path = 'labelSelector',
): Selector | SelectorError {
  if (ls == null) return NOTHING;
  if (typeof ls !== 'object' || Array.isArray(ls)) return { error: `${path}: must be an object` };
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) {
    return { error: `${path}.matchLabels: must be a map of strings` };
  }
  if (!Array.isArray(exprs)) return { error: `${path}.matchExpressions: must be a list` };
  if (Object.keys(matchLabels).length === 0 && exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const key of Object.keys(matchLabels)) {
    const v = matchLabels[key];
    if (typeof v !== 'string') return { error: `${path}.matchLabels.${key}: must be a string` };
    const invalid = validateRequirementStrings(key, [v]);
    if (invalid !== undefined) return { error: `${path}.matchLabels.${key}: ${invalid}`, upstream: invalid };
    reqs.push({ key, operator: 'In', values: [v] });
  }
  for (let i = 0; i < exprs.length; i++) {
    const r = requirementFromExpression(exprs[i]!, `${path}.matchExpressions[${i}]`);
    if (isSelectorError(r)) return r;
    reqs.push(r);
  }
  return selectorFromRequirements(reqs);
}

function requirementFromExpression(e: LabelSelectorRequirement, path: string): Requirement | SelectorError {
  if (e == null || typeof e !== 'object') return { error: `${path}: must be an object` };
  if (typeof e.key !== 'string') return { error: `${path}.key: Required value` };
  const values = e.values ?? [];
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
    return { error: `${path}.values: must be a list of strings` };
  }
  const badOperator = `${JSON.stringify(String(e.operator))} is not a valid label selector operator`;
  if (e.operator !== 'In' && e.operator !== 'NotIn' && e.operator !== 'Exists' && e.operator !== 'DoesNotExist') {
    return {
      error: `${path}.operator: Unsupported value: ${JSON.stringify(e.operator)}: ${badOperator}`,
      upstream: badOperator,
    };
  }
  const badKey = validateLabelKey(e.key);
  if (badKey !== undefined) return { error: `${path}.${badKey}`, upstream: badKey };
  switch (e.operator) {
    case 'In':
    case 'NotIn': {
      if (values.length === 0) {
        const upstream = `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`;
        return {
          error: `${path}.values: Required value: for 'in', 'notin' operators, values set can't be empty`,
          upstream,
        };
      }
      const badValue = validateLabelValues(e.key, values);
      if (badValue !== undefined) return { error: `${path}.${badValue}`, upstream: badValue };
      return { key: e.key, operator: e.operator, values };
    }
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        const upstream = `values: Invalid value: ${goStringSlice(values)}: values set must be empty for exists and does not exist`;
        return {
          error: `${path}.values: Invalid value: values set must be empty for exists and does not exist`,
          upstream,
        };
      }
      return { key: e.key, operator: e.operator, values: [] };
  }
}

// Label key and value validation, after k8s.io/apimachinery/pkg/util/validation (IsQualifiedName,
// IsValidLabelValue) and labels.NewRequirement. Messages are upstream's, byte for byte; the
// qualified-name check is the shared one in api/qualified-name.
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** `labels.validateLabelKey`: upstream's error text, or undefined when the key is valid. */
function validateLabelKey(key: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : `key: Invalid value: ${JSON.stringify(key)}: ${errs.join('; ')}`;
}

/** `labels.validateLabelValue` over each value: upstream's error text for the first invalid one. */
function validateLabelValues(key: string, values: readonly string[]): string | undefined {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const errs: string[] = [];
    if (v.length > 63) errs.push('must be no more than 63 characters');
    if (!LABEL_VALUE_RE.test(v))
      errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
    if (errs.length > 0) return `values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`;
  }
  return undefined;
}

/** Key then value validation, as `labels.NewRequirement` does for an equality requirement. */
function validateRequirementStrings(key: string, values: readonly string[]): string | undefined {
  return validateLabelKey(key) ?? validateLabelValues(key, values);
}

/** Go's `%#v` of a `[]string`. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
