/**
 * Cluster snapshots: `loadSnapshot` parses what `kubectl get … -A -o yaml|json` prints (a `kind: List`),
 * typed lists (`PodList` …, whose items omit kind/apiVersion), multi-document YAML, a JSON array or a
 * single object; `applySnapshot` writes the result into a store in dependency order.
 *
 * Snapshot format (what the extension's saveSnapshot writes and this loader reads): one YAML or JSON
 * document of `apiVersion: v1, kind: List, items: [...]`, each item a full object with apiVersion, kind,
 * metadata (name, namespace, uid, labels, annotations, ownerReferences, creationTimestamp) and status.
 * `resourceVersion` may be present and is ignored; `managedFields` are kept as given (kube-apiserver keeps
 * the managedFields a create sets; a `kubectl get -o json` snapshot keeps its field owners); uids are kept so
 * ownerReferences stay consistent. Custom resources load when their CRD is in the snapshot or already
 * known to the store; objects of unknown kinds are reported, never silently dropped.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { EXCESSIVE_ALIASING, loadAllYamlBounded } from '../api/yaml-limits';
import type { KubeObject as ModelObject } from '../../kube-api/types';
import type { LooseObject } from '../controllers/common';
import { lookupFromObjects } from '../../kube-api/defaulting';
import { applyDefaults } from '../controllers/defaulting';
import { KindRegistry, kindFromCrd } from '../store/registry';
import type { Store } from '../store/store';
import type { KubeObject } from '../store/types';

/** A problem with one object (or document) of a snapshot. */
export interface SnapshotIssue {
  /** 0-based index of the YAML document (or JSON array element). */
  document: number;
  /** Where inside the document, e.g. `items[3]`, or '' for the document itself. */
  path: string;
  /** What is wrong, naming the field. */
  message: string;
}

/** The parsed snapshot. */
export interface LoadedSnapshot {
  /** Valid objects of known kinds, in an order a store can create them in. */
  objects: KubeObject[];
  /** Malformed input (syntax errors, missing apiVersion/kind/metadata.name, ...). */
  errors: SnapshotIssue[];
  /** Well-formed objects whose kind neither the registry nor a CRD in the snapshot defines. */
  unknown: SnapshotIssue[];
  /**
   * Set when the whole snapshot was refused (unreadable, over `maxBytes`, an alias bomb): the message,
   * naming the file. `errors` holds it too; `objects` is empty.
   */
  fatal?: string;
}

/** Default `maxBytes`: 256 MiB, far above a real cluster's `kubectl get -A -o yaml`. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

/** Options of `loadSnapshot`. */
export interface LoadSnapshotOptions {
  /** Kinds to accept besides CRDs in the snapshot (default: a fresh registry of the built-in kinds; pass `store.registry`). */
  registry?: KindRegistry;
  /** Apply API-server defaulting to every object (default true; idempotent for real-cluster output). */
  defaults?: boolean;
  /** Largest snapshot accepted, file or text (default MAX_SNAPSHOT_BYTES); checked before reading a file. */
  maxBytes?: number;
}

/** Formats an issue as `document 2 (items[5]): metadata.name: Required value`. */
export function formatIssue(i: SnapshotIssue): string {
  return `document ${i.document}${i.path ? ` (${i.path})` : ''}: ${i.message}`;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** The text and, when `fileOrText` named a file, its path; throws a message naming the file. */
function readInput(fileOrText: string, maxBytes: number): { text: string; file: string | undefined } {
  if (
    !fileOrText.includes('\n') &&
    fileOrText.length < 4096 &&
    !/^\s*[[{]/.test(fileOrText) &&
    existsSync(fileOrText)
  ) {
    const file = fileOrText;
    let size: number;
    try {
      size = statSync(file).size;
    } catch (e) {
      throw new Error(`cannot read snapshot ${file}: ${(e as Error).message}`);
    }
    // Refused before reading, so a huge file costs nothing.
    if (size > maxBytes)
      throw new Error(`snapshot ${file} is too large: ${mib(size)}, over the ${mib(maxBytes)} limit`);
    try {
      return { text: readFileSync(file, 'utf8'), file };
    } catch (e) {
      throw new Error(`cannot read snapshot ${file}: ${(e as Error).message}`);
    }
  }
  if (Buffer.byteLength(fileOrText) > maxBytes)
    throw new Error(
      `snapshot text is too large: ${mib(Buffer.byteLength(fileOrText))}, over the ${mib(maxBytes)} limit`,
    );
  return { text: fileOrText, file: undefined };
}

class AliasBomb extends Error {}

function parseDocuments(text: string, errors: SnapshotIssue[]): unknown[] {
  const t = text.trim();
  if (t === '') return [];
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      return Array.isArray(v) ? v : [v];
    } catch {
      // Not JSON after all (YAML flow style is JSON-like); fall through to YAML.
    }
  }
  try {
    return loadAllYamlBounded(text).filter((d) => d !== null && d !== undefined);
  } catch (e) {
    if (e instanceof Error && e.message === EXCESSIVE_ALIASING) throw new AliasBomb(e.message);
    const err = e as { reason?: string; mark?: { line?: number; column?: number }; message?: string };
    const line = err.mark?.line;
    const upTo = line === undefined ? text : text.split('\n').slice(0, line).join('\n');
    const doc = (upTo.match(/^---/gm) ?? []).length - (/^\s*---/.test(text) ? 1 : 0);
    errors.push({
      document: Math.max(0, doc),
      path: '',
      message: `YAML syntax error at line ${(line ?? 0) + 1}, column ${(err.mark?.column ?? 0) + 1}: ${err.reason ?? err.message ?? 'invalid YAML'}`,
    });
    return [];
  }
}

const RANK: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 2,
  StorageClass: 2,
  RuntimeClass: 2,
  ClusterRole: 2,
  ClusterRoleBinding: 2,
  Node: 3,
  PersistentVolume: 3,
  ServiceAccount: 4,
  ConfigMap: 4,
  Secret: 4,
  Service: 4,
  PersistentVolumeClaim: 4,
  Deployment: 5,
  StatefulSet: 5,
  DaemonSet: 5,
  CronJob: 5,
  ReplicaSet: 6,
  Job: 6,
  ControllerRevision: 6,
  Pod: 7,
  Event: 9,
};

/**
 * Parses a snapshot file path or text (YAML or JSON; see the file comment). Never throws: problems are
 * returned as issues naming the document index and the field; a snapshot refused as a whole (too
 * large, an alias bomb, unreadable) sets `fatal`, a message naming the file.
 */
export function loadSnapshot(fileOrText: string, opts: LoadSnapshotOptions = {}): LoadedSnapshot {
  const errors: SnapshotIssue[] = [];
  const unknown: SnapshotIssue[] = [];
  const refuse = (message: string): LoadedSnapshot => ({
    objects: [],
    errors: [{ document: 0, path: '', message }],
    unknown,
    fatal: message,
  });
  let input: { text: string; file: string | undefined };
  try {
    input = readInput(fileOrText, opts.maxBytes ?? MAX_SNAPSHOT_BYTES);
  } catch (e) {
    return refuse((e as Error).message);
  }
  let docs: unknown[];
  try {
    docs = parseDocuments(input.text, errors);
  } catch (e) {
    if (!(e instanceof AliasBomb)) throw e;
    // Refused before any object is copied or defaulted: expanding it would take exponential memory.
    return refuse(
      `snapshot ${input.file ?? 'text'} refused: YAML ${EXCESSIVE_ALIASING} (an alias bomb: its aliases expand far beyond its size)`,
    );
  }
  const candidates: { obj: KubeObject; document: number; path: string; order: number }[] = [];
  const visit = (
    v: unknown,
    document: number,
    path: string,
    inherited?: { apiVersion: string; kind: string },
  ): void => {
    const at = (field: string, message: string): void => {
      errors.push({ document, path, message: `${field}: ${message}` });
    };
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      at(
        path ? 'item' : 'document',
        `must be an object, got ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`,
      );
      return;
    }
    const o = v as LooseObject;
    const kind = o['kind'] ?? inherited?.kind;
    const apiVersion = o['apiVersion'] ?? inherited?.apiVersion;
    if (typeof kind === 'string' && kind.endsWith('List') && o['items'] !== undefined) {
      if (!Array.isArray(o['items'])) return at('items', 'must be a list');
      const itemKind =
        kind === 'List' ? undefined : { apiVersion: String(apiVersion ?? 'v1'), kind: kind.slice(0, -4) };
      o['items'].forEach((item: unknown, i: number) =>
        visit(item, document, `${path ? `${path}.` : ''}items[${i}]`, itemKind),
      );
      return;
    }
    if (typeof apiVersion !== 'string' || apiVersion === '') return at('apiVersion', 'Required value');
    if (typeof kind !== 'string' || kind === '') return at('kind', 'Required value');
    const meta = o['metadata'];
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return at('metadata', 'Required value');
    if (typeof meta['name'] !== 'string' || meta['name'] === '') {
      if (typeof meta['generateName'] !== 'string' || meta['generateName'] === '')
        return at('metadata.name', 'Required value');
    }
    if (meta['namespace'] !== undefined && typeof meta['namespace'] !== 'string')
      return at('metadata.namespace', 'must be a string');
    for (const f of ['labels', 'annotations'] as const) {
      const m = meta[f];
      if (m === undefined || m === null) continue;
      if (typeof m !== 'object' || Array.isArray(m)) return at(`metadata.${f}`, 'must be a map of strings');
      for (const [k, val] of Object.entries(m))
        if (typeof val !== 'string') return at(`metadata.${f}.${k}`, `must be a string, got ${JSON.stringify(val)}`);
    }
    if (meta['ownerReferences'] !== undefined && !Array.isArray(meta['ownerReferences']))
      return at('metadata.ownerReferences', 'must be a list');
    candidates.push({
      obj: { ...o, apiVersion, kind, metadata: meta } as KubeObject,
      document,
      path,
      order: candidates.length,
    });
  };
  docs.forEach((d, i) => visit(d, i, ''));

  const registry = opts.registry ?? new KindRegistry();
  const local = new KindRegistry(true);
  for (const c of candidates) {
    if (c.obj.kind === 'CustomResourceDefinition') {
      const k = kindFromCrd(c.obj);
      if (k) local.register(k);
    }
  }
  const objects: { obj: KubeObject; order: number }[] = [];
  for (const c of candidates) {
    if (!registry.byKind(c.obj.apiVersion, c.obj.kind) && !local.byKind(c.obj.apiVersion, c.obj.kind)) {
      unknown.push({
        document: c.document,
        path: c.path,
        message: `kind ${c.obj.kind} (${c.obj.apiVersion}) of "${c.obj.metadata.name ?? ''}" is not served and no CustomResourceDefinition in the snapshot defines it`,
      });
      continue;
    }
    objects.push({ obj: c.obj, order: c.order });
  }
  objects.sort((a, b) => (RANK[a.obj.kind] ?? 8) - (RANK[b.obj.kind] ?? 8) || a.order - b.order);
  const out = objects.map((x) => x.obj);
  if (opts.defaults !== false) {
    const lookup = lookupFromObjects(out as ModelObject[]);
    for (const o of out) applyDefaults(o as ModelObject, lookup);
  }
  return { objects: out, errors, unknown };
}

/** The outcome of `applySnapshot`. */
export interface ApplyResult {
  created: number;
  /** Objects the store refused, with the store's reason. */
  errors: { object: string; message: string }[];
}

/**
 * Loads the objects into the store with `Store.restore` (uid, creationTimestamp, spec and status kept,
 * fresh resourceVersions, missing namespaces created, existing objects with the same key replaced).
 * Pass objects in `loadSnapshot` order so CRDs precede their resources.
 */
export function applySnapshot(store: Store, objects: readonly KubeObject[]): ApplyResult {
  const r = store.restore(
    objects.map((o) => {
      const { resourceVersion: _rv, ...metadata } = o.metadata;
      return { ...o, metadata };
    }),
  );
  return { created: r.loaded, errors: r.failed.map((f) => ({ object: f.object, message: f.reason })) };
}
