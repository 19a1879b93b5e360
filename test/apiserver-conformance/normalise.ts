/**
 * Normalisation of what one server answered, so that two servers' answers can be compared field by
 * field. Only values that legitimately differ between two correct servers are replaced:
 * - identities and clocks: uids, timestamps (also inside managedFields and inside text), ages in Table
 *   cells;
 * - resourceVersions and continue tokens (two etcds never count alike), and the numbers of
 *   "too old resource version" messages and the current one of "Too large resource version";
 * - names the server generated (`generateName` suffixes, `kube-api-access-xxxxx` volumes);
 * - addresses: IPs, `ip:port`, node ports, cluster IPs; PEM blocks and client certificate hashes
 *   (each run has its own CA);
 * - order where Kubernetes defines none: discovery resource lists, verbs; and managedFields entries,
 *   whose order follows the second each write fell in (see `managedFieldsSorted`).
 * Everything else (status codes, reasons, messages, causes, content types, field values, list order)
 * is compared as the server sent it.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON walked by key. */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;
const IP_PORT = /^(\d{1,3}\.){3}\d{1,3}:\d+$/;
const PEM = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----\r?\n?/g;
const RV_KEYS = new Set(['resourceVersion']);
/** Table columns whose cells are clock readings. */
const CLOCK_COLUMNS = new Set(['Age', 'Created At', 'Last Seen', 'First Seen', 'Duration', 'Last Schedule']);
/** Lists whose order Kubernetes does not define, sorted by this key. */
const UNORDERED_BY_NAME = new Set(['resources', 'apiResources']);

/** Names a server generated, per run: `prefix + 5 chars`, collected before normalising. */
export class GeneratedNames {
  private readonly names = new Map<string, string>();

  /** Records every `metadata.generateName` + `name` pair found in `v`. */
  collect(v: unknown): void {
    walk(v, (o) => {
      const m = o['metadata'];
      if (m && typeof m === 'object' && typeof m.generateName === 'string' && typeof m.name === 'string') {
        if (m.name.startsWith(m.generateName) && m.name.length > m.generateName.length)
          this.names.set(m.name, `${m.generateName}<gen>`);
      }
    });
  }

  /** Replaces every recorded generated name inside `s`. */
  replace(s: string): string {
    let out = s;
    for (const [name, placeholder] of this.names) if (out.includes(name)) out = out.split(name).join(placeholder);
    return out;
  }
}

function walk(v: unknown, fn: (o: Record<string, any>) => void): void {
  if (Array.isArray(v)) for (const x of v) walk(x, fn);
  else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
    fn(v as Record<string, any>);
    for (const x of Object.values(v)) walk(x, fn);
  }
}

/** Normalises one observed value (see the file comment). */
export function normalise(v: unknown, names: GeneratedNames): unknown {
  return norm(v, names, '');
}

function normString(s: string, names: GeneratedNames, key: string): string {
  if (TIME.test(s)) return '<time>';
  if (RV_KEYS.has(key) && /^\d+$/.test(s)) return '<rv>';
  if (key === 'continue' && s !== '') return '<continue>';
  if (IPV4.test(s)) return '<ip>';
  if (IP_PORT.test(s)) return '<ip>:<port>';
  let out = names.replace(s);
  out = out.replace(UUID, '<uid>');
  out = out.replace(PEM, '<pem>');
  out = out.replace(/kube-api-access-[a-z0-9]{5}\b/g, 'kube-api-access-<gen>');
  // An object quoted inside a message (a Strict patch's Invalid value) carries its own clocks and RV.
  out = out.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
  out = out.replace(/(\\?"resourceVersion\\?":\\?")\d+/g, '$1<rv>');
  out = out.replace(/too old resource version: \d+ \(\d+\)/g, 'too old resource version: <rv> (<rv>)');
  out = out.replace(/(Too large resource version: \d+, current: )\d+/g, '$1<rv>');
  out = out.replace(/([?&]hash=)[0-9A-F]{64,}/g, '$1<hash>');
  out = out.replace(/^X509SHA256=[0-9a-f]{64}$/, 'X509SHA256=<hash>');
  return out;
}

function norm(v: unknown, names: GeneratedNames, key: string): unknown {
  if (typeof v === 'string') return normString(v, names, key);
  if (typeof v === 'number' && (key === 'nodePort' || key === 'healthCheckNodePort')) return '<port>';
  if (Array.isArray(v)) {
    const items = v.map((x) => norm(x, names, key));
    if (key === 'verbs') return [...items].sort();
    if (key === 'managedFields' && managedFieldsSorted(v)) return [...items].sort(byManagerEntry);
    if (UNORDERED_BY_NAME.has(key)) return [...items].sort((a, b) => String(nameOf(a)).localeCompare(nameOf(b)));
    return items;
  }
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return v;
  const o = v as Record<string, any>;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = norm(x, names, k);
  if (o['kind'] === 'Table' && Array.isArray(o['columnDefinitions'])) clockCells(out, o['columnDefinitions']);
  // A Table watch sends the column definitions with the first event only; later rows share them.
  if (Array.isArray(out['events'])) {
    let columns: unknown;
    for (const e of out['events'] as { object?: Record<string, any> }[]) {
      const t = e?.object;
      if (t?.['kind'] !== 'Table') continue;
      if (Array.isArray(t['columnDefinitions']) && t['columnDefinitions'].length > 0) columns = t['columnDefinitions'];
      else if (columns !== undefined) clockCells(t, columns as unknown[]);
    }
  }
  return out;
}

/** Replaces the cells of clock columns (ages) in a normalised Table's rows. */
function clockCells(table: Record<string, any>, columnDefinitions: unknown[]): void {
  if (!Array.isArray(table['rows'])) return;
  const clock = (columnDefinitions as { name: string }[])
    .map((c, i) => (CLOCK_COLUMNS.has(c.name) ? i : -1))
    .filter((i) => i >= 0);
  for (const row of table['rows'] as { cells?: unknown[] }[])
    if (Array.isArray(row.cells)) for (const i of clock) if (row.cells[i] !== undefined) row.cells[i] = '<age>';
}

/**
 * kube-apiserver orders managedFields by operation, then the second of `time`, then manager and
 * subresource. Times are normalised away and which second an entry fell in depends on the run, so a
 * list in that order is compared in (operation, manager, subresource) order; a list that is not in
 * that order is left as sent (and shows as a difference).
 */
function managedFieldsSorted(v: unknown[]): boolean {
  const key = (e: any): string[] => [
    String(e?.operation ?? ''),
    String(Math.floor(Date.parse(String(e?.time ?? '')) / 1000) || 0).padStart(12, '0'),
    String(e?.manager ?? ''),
    String(e?.subresource ?? ''),
  ];
  for (let i = 1; i < v.length; i++) if (compareKeys(key(v[i - 1]), key(v[i])) > 0) return false;
  return true;
}

function byManagerEntry(a: any, b: any): number {
  const key = (e: any): string[] => [
    String(e?.operation ?? ''),
    String(e?.manager ?? ''),
    String(e?.subresource ?? ''),
  ];
  return compareKeys(key(a), key(b));
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

function nameOf(x: unknown): string {
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return String(o['name'] ?? o['resource'] ?? '');
  }
  return String(x);
}
