/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns
 * kube-apiserver's printers produce per kind (pkg/printers/internalversion/printers.go), declared by
 * each built-in kind's file under store/kinds/ (`printer`), CRD additionalPrinterColumns, and the
 * Name/Age default. Column types, formats and descriptions are
 * kube-apiserver v1.37.2's own, captured by `npm run conformance:apiserver -- --capture-tables`
 * into openapi-data/kube-apiserver-tables.json.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import capturedTables from './openapi-data/kube-apiserver-tables.json';
import { type Cells, type Column, definitionOf } from '../store/kinds';
import { AGE, NAME, age, col } from '../store/kinds/shared/printing';
import type { ResourceKind } from '../store/registry';
import type { KubeObject } from '../store/types';

function jsonPath(o: KubeObject, path: string): unknown {
  let cur: any = o;
  for (const p of path.replace(/^\./, '').split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** kube-apiserver's column definitions by `group/resource` (captured, see the file comment). */
const CAPTURED = (capturedTables as { tables: Record<string, Column[]> }).tables;
const capturedPrinters = new Map<string, { columns: Column[]; cells: Cells }>();

/** A column as kube-apiserver defines it (type, format, description), when it defines one by that name. */
function upstreamColumn(key: string, c: Column): Column {
  const u =
    (CAPTURED[key] ?? []).find((x) => x.name === c.name) ??
    (CAPTURED['/configmaps'] ?? []).find((x) => x.name === c.name && (x.name === 'Name' || x.name === 'Age'));
  return u === undefined
    ? c
    : { name: u.name, type: u.type, format: u.format ?? '', description: u.description, priority: u.priority };
}

/**
 * Column definitions and a row function for one kind: a built-in kind's printer from its file under
 * store/kinds/ (columns as kube-apiserver defines them), a CRD's additionalPrinterColumns, or Name
 * and Created At for other custom kinds.
 */
export function printerFor(kind: ResourceKind): { columns: Column[]; cells: Cells } {
  const key = `${kind.group}/${kind.resource}`;
  const hit = capturedPrinters.get(key);
  if (hit !== undefined) return hit;
  const p = definitionOf(kind)?.printer;
  if (p !== undefined) {
    const q = { columns: p.columns.map((c) => upstreamColumn(key, c)), cells: p.cells };
    capturedPrinters.set(key, q);
    return q;
  }
  if (kind.custom && kind.printerColumns !== undefined && kind.printerColumns.length > 0) {
    const cols = kind.printerColumns;
    // apiextensions' tableconvertor: the metadata Name column, then each additionalPrinterColumn with
    // its format ('' when unset) and, unless the CRD gives one, a description naming its JSONPath.
    return {
      columns: [
        upstreamColumn(key, NAME),
        ...cols.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          priority: c.priority ?? 0,
        })),
      ],
      cells: (o) => [o.metadata.name, ...cols.map((c) => jsonPath(o, c.jsonPath) ?? null)],
    };
  }
  if (kind.custom)
    return {
      columns: [NAME, col('Created At', 'date')],
      cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
    };
  return {
    columns: [NAME, AGE].map((c) => upstreamColumn(key, c)),
    cells: (o, now) => [o.metadata.name, age(o, now)],
  };
}

/** Whether the Accept header asks for a Table (any position). */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** Whether the Accept header accepts only Table (no JSON fallback). */
export function onlyTable(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').every((a) => /as=Table/.test(a));
}

/** One Table row: the cells plus PartialObjectMetadata for the object. */
/** What a Table row carries of its object (`includeObject`): nothing, its metadata (default), or all of it. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The `includeObject` query value (anything else is the default, Metadata). */
export function includeObjectOf(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export function tableRow(
  kind: ResourceKind,
  o: KubeObject,
  now: number,
  include: IncludeObject = 'Metadata',
  version: TableVersion = 'v1',
): string {
  const cells = JSON.stringify(printerFor(kind).cells(o, now));
  if (include === 'None') return `{"cells":${cells},"object":null}`;
  const object =
    include === 'Object'
      ? JSON.stringify(o)
      : JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata });
  return `{"cells":${cells},"object":${object}}`;
}

/** The meta.k8s.io version a Table is served in. */
export type TableVersion = 'v1' | 'v1beta1';

/** The version of the first Table the Accept header names (v1beta1 only when that comes first). */
export function tableVersionOf(accept: string | undefined): TableVersion {
  const first = (accept ?? '').split(',').find((a) => /as=Table/.test(a) && /g=meta\.k8s\.io/.test(a));
  return first !== undefined && /(^|;)\s*v=v1beta1\s*(;|$)/.test(first) ? 'v1beta1' : 'v1';
}

/** A Table response body (string) for `items`. */
export function tableJSON(
  kind: ResourceKind,
  items: readonly KubeObject[],
  listMeta: Record<string, unknown>,
  include: IncludeObject = 'Metadata',
  version: TableVersion = 'v1',
): string {
  const now = Date.now();
  const p = printerFor(kind);
  const rows = items.map((o) => tableRow(kind, o, now, include, version)).join(',');
  return `{"kind":"Table","apiVersion":"meta.k8s.io/${version}","metadata":${JSON.stringify(listMeta)},"columnDefinitions":${JSON.stringify(p.columns)},"rows":[${rows}]}`;
}
