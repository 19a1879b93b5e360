/**
 * What a kind's server-side Table printer is made of (pkg/printers/internalversion/printers.go), and
 * the cell helpers several kinds share. Column types, formats and descriptions are replaced by
 * kube-apiserver's own captured definitions where it has them (api/table.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { KubeObject } from '../../types';

/** A Table column definition (metav1.TableColumnDefinition). */
export interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}

/** The cells of one row, in column order; `now` is the time the Table is printed (ms). */
export type Cells = (o: KubeObject, now: number) => unknown[];

/** A kind's printer: its columns and a row function. */
export interface Printer {
  readonly columns: readonly Column[];
  readonly cells: Cells;
}

/** A column (its description is its name until the captured one replaces it). */
export const col = (name: string, type = 'string', priority = 0, format?: string): Column => ({
  name,
  type,
  description: name,
  priority,
  ...(format !== undefined ? { format } : {}),
});

/** The Name column every printer starts with. */
export const NAME = col('Name', 'string', 0, 'name');
/** The Age column. */
export const AGE = col('Age');

/** Renders a duration the way kubectl does (`5s`, `3m2s`, `4h`, `2d3h`, `400d`). */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 > 0 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 > 0 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return `${d}d${h % 24 > 0 ? `${h % 24}h` : ''}`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The Age cell: time since creationTimestamp. */
export function age(o: KubeObject, now: number): string {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? '<unknown>' : humanAge(now - t);
}

/** The printer of kinds upstream prints only Name and Age for (the default table convertor). */
export const nameAgePrinter: Printer = {
  columns: [NAME, AGE],
  cells: (o, now) => [o.metadata.name, age(o, now)],
};

/** A label selector (`matchLabels` or a plain map) as `k=v,k=v`, or `<none>`. */
export function selectorString(sel: any): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? sel).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? parts.join(',') : '<none>';
}

/** A volume access mode as kubectl abbreviates it (`RWO`, `ROX`, `RWX`, `RWOP`). */
export function abbrMode(m: string): string {
  return (
    (
      { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' } as Record<
        string,
        string
      >
    )[m] ?? m
  );
}

/** The template's container names and images (`a,b`), the wide columns of workload printers. */
export function containerCells(o: KubeObject): [string, string] {
  const c: any[] = o['spec']?.template?.spec?.containers ?? [];
  return [c.map((x: any) => x.name).join(','), c.map((x: any) => x.image).join(',')];
}

/** ReplicaSets and ReplicationControllers print the same columns (printReplicaSet / printReplicationController). */
export const replicaCountsPrinter: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer'),
    col('Current', 'integer'),
    col('Ready', 'integer'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells: (o, now) => [
    o.metadata.name,
    o['spec']?.replicas ?? 0,
    o['status']?.replicas ?? 0,
    o['status']?.readyReplicas ?? 0,
    age(o, now),
    ...containerCells(o),
    selectorString(o['spec']?.selector),
  ],
};
