/**
 * Label and field selectors (upstream: apimachinery/pkg/labels/selector.go, pkg/fields/selector.go).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { badRequest } from './errors';

/** A compiled selector: returns whether an object's labels (or fields) match. */
export type Matcher = (get: (key: string) => string | undefined) => boolean;

interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  values: string[];
}

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const LITERAL_TOKENS: Record<string, Tok> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** The label selector lexer of apimachinery's labels package. */
function lex(s: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && WHITESPACE.has(s[pos]!)) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    if (SPECIAL.has(s[pos]!)) {
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && SPECIAL.has(s[pos]!)) {
        buf += s[pos++];
        const t = LITERAL_TOKENS[buf];
        if (t !== undefined) last = { tok: t, lit: buf };
        else if (last !== undefined) {
          pos--;
          break;
        }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !SPECIAL.has(s[pos]!) && !WHITESPACE.has(s[pos]!)) buf += s[pos++];
    out.push({ tok: LITERAL_TOKENS[buf] ?? 'id', lit: buf });
  }
}

class SelectorError extends Error {}

const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Parses a label selector as labels.Parse does, with its error messages. */
function parseRequirements(sel: string): Requirement[] {
  const items = lex(sel);
  let p = 0;
  const look = (values: boolean): { tok: Tok; lit: string } => {
    const it = items[p]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  };
  const take = (values: boolean): { tok: Tok; lit: string } => {
    const it = look(values);
    p++;
    return it;
  };
  const requirement = (): Requirement => {
    let { tok, lit } = take(true);
    let op: Requirement['op'] | undefined;
    if (tok === '!') {
      op = '!';
      ({ tok, lit } = take(true));
    }
    if (tok !== 'id') throw new SelectorError(`found '${lit}', expected: identifier`);
    if (!KEY_RE.test(lit) || lit.length > 317)
      throw new SelectorError(
        `invalid label key "${lit}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      );
    const key = lit;
    const next = look(true).tok;
    if (next === 'eos' || next === ',') return { key, op: op ?? 'exists', values: [] };
    if (op === '!') return { key, op, values: [] };
    const o = take(false);
    let values: string[];
    switch (o.tok) {
      case 'in':
      case 'notin': {
        const open = take(true);
        if (open.tok !== '(') throw new SelectorError(`found '${open.lit}' expected: '('`);
        const first = look(true);
        if (first.tok === ')') {
          take(true);
          values = [''];
        } else if (first.tok === 'id' || first.tok === ',') {
          const set = new Set<string>();
          for (;;) {
            const t = take(true);
            if (t.tok === 'id') {
              set.add(t.lit);
              const t2 = look(true);
              if (t2.tok === ',') continue;
              if (t2.tok === ')') break;
              throw new SelectorError(`found '${t2.lit}', expected: ',' or ')'`);
            } else if (t.tok === ',') {
              if (set.size === 0) set.add('');
              const t2 = look(true).tok;
              if (t2 === ')') {
                set.add('');
                break;
              }
              if (t2 === ',') set.add('');
            } else throw new SelectorError(`found '${t.lit}', expected: ',', or identifier`);
          }
          if (take(true).tok !== ')') throw new SelectorError(`found '${first.lit}', expected: ')'`);
          values = [...set].sort();
        } else throw new SelectorError(`found '${first.lit}', expected: ',', ')' or identifier`);
        op = o.tok;
        break;
      }
      case '=':
      case '==':
      case '!=':
      case '>':
      case '<': {
        const t = look(true).tok;
        if (t === 'eos' || t === ',') values = [''];
        else {
          const v = take(true);
          if (v.tok !== 'id') throw new SelectorError(`found '${v.lit}', expected: identifier`);
          values = [v.lit];
        }
        op = o.tok === '!=' ? '!=' : o.tok === '>' || o.tok === '<' ? (o.tok === '>' ? 'gt' : 'lt') : '=';
        break;
      }
      default:
        throw new SelectorError(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    for (const v of values)
      if (v.length > 63 || !LABEL_VALUE_RE.test(v))
        throw new SelectorError(
          `values[0][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        );
    if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(values[0]!))
      throw new SelectorError(
        `values[0]: Invalid value: "${values[0]}": for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    return { key, op, values };
  };
  const reqs: Requirement[] = [];
  for (;;) {
    const { tok, lit } = look(true);
    if (tok === 'id' || tok === '!') {
      let r: Requirement;
      try {
        r = requirement();
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      reqs.push(r);
      const t = take(true);
      if (t.tok === 'eos') return reqs;
      if (t.tok === ',') {
        const t2 = look(true);
        if (t2.tok !== 'id' && t2.tok !== '!')
          throw new SelectorError(`found '${t2.lit}', expected: identifier after ','`);
      } else throw new SelectorError(`found '${t.lit}', expected: ',' or 'end of string'`);
    } else if (tok === 'eos') return reqs;
    else throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
  }
}

/** Parses a label selector (`a=b,c!=d,e in (x,y),!f,g`); throws 400 on bad syntax. Empty selects all. */
export function parseLabelSelector(sel: string): {
  matches: (labels: Record<string, string> | undefined) => boolean;
  requirements: Requirement[];
} {
  let reqs: Requirement[];
  try {
    reqs = parseRequirements(sel);
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
  const matches = (labels: Record<string, string> | undefined): boolean => {
    for (const r of reqs) {
      const v = labels?.[r.key];
      switch (r.op) {
        case '=':
          if (v !== r.values[0]) return false;
          break;
        case '!=':
          if (v === r.values[0]) return false;
          break;
        case 'in':
          if (v === undefined || !r.values.includes(v)) return false;
          break;
        case 'notin':
          if (v !== undefined && r.values.includes(v)) return false;
          break;
        case 'exists':
          if (v === undefined) return false;
          break;
        case '!':
          if (v !== undefined) return false;
          break;
        case 'gt':
        case 'lt': {
          if (v === undefined || !/^-?\d+$/.test(v)) return false;
          const n = Number(v);
          const want = Number(r.values[0]);
          if (r.op === 'gt' ? !(n > want) : !(n < want)) return false;
          break;
        }
      }
    }
    return true;
  };
  return { matches, requirements: reqs };
}

/** One parsed field-selector term. */
export interface FieldTerm {
  field: string;
  op: '=' | '!=';
  value: string;
}

/**
 * Parses a field selector (`a=b,c!=d`) and checks each field against `supported`; an unsupported field
 * is 400 `field label not supported: <f>` as upstream.
 */
export function parseFieldSelector(sel: string, supported: readonly string[]): FieldTerm[] {
  const terms: FieldTerm[] = [];
  const trimmed = sel.trim();
  if (trimmed === '') return terms;
  for (const raw of trimmed.split(',')) {
    const m = raw.trim().match(/^([^!=]+?)\s*(==|=|!=)\s*(.*)$/);
    if (m === null) throw badRequest(`invalid selector: '${sel}'; can't understand '${raw}'`);
    const field = m[1]!.trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !supported.includes(field)) {
      // Kinds with their own field-label conversion (pods, nodes, events...) word it differently from the rest.
      throw badRequest(
        supported.length > 0
          ? `field label not supported: ${field}`
          : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    terms.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return terms;
}

/** Reads a dotted field path from an object as the string a field selector compares against. */
export function fieldValue(obj: Record<string, any>, field: string): string {
  let cur: any = obj;
  for (const p of field.split('.')) {
    if (cur === undefined || cur === null) break;
    cur = cur[p];
  }
  if (field === 'source' && cur !== undefined && typeof cur === 'object') cur = cur.component;
  if (cur === undefined || cur === null)
    return field === 'spec.hostNetwork' || field === 'spec.unschedulable' ? 'false' : '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Returns whether an object satisfies every field term. */
export function matchesFields(obj: Record<string, any>, terms: readonly FieldTerm[]): boolean {
  for (const t of terms) {
    const v = fieldValue(obj, t.field);
    if (t.op === '=' ? v !== t.value : v === t.value) return false;
  }
  return true;
}
