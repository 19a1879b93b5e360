/**
 * Label and field selectors (upstream: apimachinery/pkg/labels/selector.go, pkg/fields/selector.go).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { badRequest } from './errors';

/** A compiled selector: returns whether an object's labels (or fields) match. */
export type Matcher = (get: (key: string) => string | undefined) => boolean;

interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
  values: string[];
}

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Parses a label selector (`a=b,c!=d,e in (x,y),!f,g`); throws 400 on bad syntax. Empty selects all. */
export function parseLabelSelector(sel: string): {
  matches: (labels: Record<string, string> | undefined) => boolean;
  requirements: Requirement[];
} {
  const reqs: Requirement[] = [];
  const trimmed = sel.trim();
  if (trimmed !== '') {
    for (const raw of splitTop(trimmed)) {
      const part = raw.trim();
      let m: RegExpMatchArray | null;
      if ((m = part.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/)) !== null) {
        reqs.push({
          key: m[1]!,
          op: m[2] as 'in' | 'notin',
          values: m[3]!
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
        });
      } else if ((m = part.match(/^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/)) !== null) {
        reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
      } else if ((m = part.match(/^!\s*(\S+)$/)) !== null) {
        reqs.push({ key: m[1]!, op: '!', values: [] });
      } else if (/^\S+$/.test(part) && !/[=!()]/.test(part)) {
        reqs.push({ key: part, op: 'exists', values: [] });
      } else {
        throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
      }
      const last = reqs[reqs.length - 1]!;
      if (!KEY_RE.test(last.key) || last.key.length > 317) {
        throw badRequest(
          `unable to parse requirement: invalid label key "${last.key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
        );
      }
    }
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
