/**
 * The document model of a manifest file: its documents as `shared/yaml-documents.ts` splits them (the
 * only splitter), each parsed with js-yaml (positions from its `listener`, see
 * `prediction/yaml-tree.ts`), and the pod specs inside Kubernetes objects: Pods and the pod
 * templates of Deployments, ReplicaSets, ReplicationControllers, StatefulSets, DaemonSets, Jobs and
 * CronJobs, with their replica counts.
 *
 * Pure: text in, plain data out. Never throws. Files over {@link MAX_TEXT_CHARS} are not parsed
 * (one document carrying the error), and a document whose aliases expand beyond
 * {@link MAX_EXPANDED_NODES} nodes keeps its positions but gets no pod specs.
 */
import { countLineBreaks, splitYamlDocuments } from '../../shared/yaml-documents';
import { boundedSize, nodeAt, parseYamlTree, type YamlNode } from '../prediction/yaml-tree';

/** Kinds whose pod spec lives at a fixed path, and that path (keys from the document root). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The largest file parsed, in characters (larger files get one diagnostic and no lenses). */
export const MAX_TEXT_CHARS = 2 * 1024 * 1024;

/** The most nodes a document may expand to through aliases before its pod specs are ignored. */
export const MAX_EXPANDED_NODES = 100_000;

/** How many copies of the pod a spec asks for. */
export type ReplicaCount =
  { kind: 'one' } | { kind: 'replicas'; count: number } | { kind: 'daemon' } | { kind: 'completions'; count: number };

/** A pod spec found in a manifest document. */
export interface PodSpecLocation {
  /** Key path from the document root to the object holding `spec` (empty for a Pod). */
  path: string[];
  /** Zero-based line of the CodeLens: the key that opens the pod template (`spec:` for a Pod), else `kind:`. */
  line: number;
  /** Offset (in the file) of the lens position. */
  offset: number;
  /** The object at `path` (the pod or pod template), as parsed. */
  template: Record<string, unknown>;
  /** The position node of the object at `path`. */
  node?: YamlNode;
  /** The replica count the workload asks for. */
  replicas: ReplicaCount;
}

/**
 * One YAML document of a file. Lenses, diagnostics, hovers, predictions and writes all read this model;
 * a write sends exactly `object` of the document at `index` (see `services/manifest-write.ts`).
 * Never mutated once parsed (the per-version cache shares documents between versions).
 */
export interface ManifestDocument {
  /** Zero-based index in the file (see `splitYamlDocuments`): the `documentIndex` of lenses and writes. */
  index: number;
  /** Zero-based first and last line of the document's text (separators excluded). */
  startLine: number;
  endLine: number;
  /** Offsets of the document's text in the file. */
  startOffset: number;
  endOffset: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** The parsed object, when the document is a YAML mapping. */
  object?: Record<string, unknown>;
  /** True when the document parsed to null (`~`, `null`, a lone tag): it holds nothing to write. */
  empty?: boolean;
  /** The position tree (absolute offsets), when the document parsed. */
  root?: YamlNode;
  podSpecs: PodSpecLocation[];
  /** The parse error, one sentence with its line, when the document is not valid YAML. */
  error?: string;
  /** Offset of the parse error in the file. */
  errorOffset?: number;
  /** A problem that stopped pod-spec discovery although the YAML parsed (alias expansion, size). */
  problem?: string;
}

/**
 * Parses one document's `body`, which starts at `startOffset` and line `startLine` of the file and
 * ends at line `endLine`; a `reuse` hook may return an earlier parse of the same body instead.
 */
export type DocumentParser = (
  index: number,
  startLine: number,
  endLine: number,
  startOffset: number,
  body: string,
) => ManifestDocument;

/**
 * Parses every document of a YAML file. Never throws: a broken document carries `error` and no pod
 * specs. `parse` replaces the per-document parse (see manifest-cache.ts, which reuses the documents
 * an edit did not touch); the default parses each.
 */
export function parseManifest(text: string, parse: DocumentParser = parseDocument): ManifestDocument[] {
  if (text.length > MAX_TEXT_CHARS) {
    return [
      {
        index: 0,
        startLine: 0,
        endLine: 0,
        startOffset: 0,
        endOffset: 0,
        podSpecs: [],
        error: `The file is larger than ${MAX_TEXT_CHARS / 1024 / 1024} MiB; Kube Forecast does not parse it (line 1).`,
        errorOffset: 0,
      },
    ];
  }
  return splitYamlDocuments(text).map((d) => parse(d.index, d.startLine, d.endLine, d.startOffset, d.body));
}

/** Parses one document (see {@link DocumentParser}). */
export function parseDocument(
  index: number,
  startLine: number,
  endLine: number,
  startOffset: number,
  body: string,
): ManifestDocument {
  const doc: ManifestDocument = {
    index,
    startLine,
    endLine,
    startOffset,
    endOffset: startOffset + body.length,
    podSpecs: [],
  };
  const parsed = parseYamlTree(body, startOffset);
  if (!parsed.ok) {
    const line = startLine + countLineBreaks(body, parsed.offset - startOffset) + 1;
    doc.error = `${parsed.message} (line ${line}).`;
    doc.errorOffset = parsed.offset;
    return doc;
  }
  const value = parsed.value;
  if (parsed.root !== undefined) doc.root = parsed.root;
  if (value === null || value === undefined) doc.empty = true;
  if (!isRecord(value)) return doc;
  doc.object = value;
  if (typeof value['apiVersion'] === 'string') doc.apiVersion = value['apiVersion'];
  if (typeof value['kind'] === 'string') doc.kind = value['kind'];
  const metadata = value['metadata'];
  if (isRecord(metadata)) {
    if (typeof metadata['name'] === 'string') doc.name = metadata['name'];
    if (typeof metadata['namespace'] === 'string') doc.namespace = metadata['namespace'];
  }
  // Own properties only: `kind: constructor` must not find Object.prototype's.
  const path = doc.kind !== undefined && Object.hasOwn(POD_SPEC_PATHS, doc.kind) ? POD_SPEC_PATHS[doc.kind] : undefined;
  if (path === undefined || doc.apiVersion === undefined) return doc;
  const template = getPath(value, path);
  if (!isRecord(template) || !isRecord(template['spec'])) return doc;
  if (boundedSize(value, MAX_EXPANDED_NODES) >= MAX_EXPANDED_NODES) {
    doc.problem = `The document expands to more than ${MAX_EXPANDED_NODES} nodes through aliases; Kube Forecast does not predict it.`;
    return doc;
  }
  const templateNode = nodeAt(parsed.root, path);
  const lensNode = path.length === 0 ? nodeAt(parsed.root, ['spec']) : templateNode;
  const keyNode = lensKeyNode(parsed.root, path.length === 0 ? ['spec'] : path) ?? lensNode;
  const offset = keyNode?.start ?? startOffset;
  const spec: PodSpecLocation = {
    path: [...path],
    line: startLine + countLineBreaks(body, offset - startOffset),
    offset,
    template,
    replicas: replicaCount(doc.kind ?? '', value),
  };
  if (templateNode !== undefined) spec.node = templateNode;
  doc.podSpecs.push(spec);
  return doc;
}

/** The key node of the last step of `path` (where the lens goes). */
function lensKeyNode(root: YamlNode | undefined, path: readonly string[]): YamlNode | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  const entries = parent?.entries;
  if (entries === undefined || last === undefined) return undefined;
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.key === last) return entries[i]!.keyNode;
  return undefined;
}

/** The replica count a workload asks for (Kubernetes' defaults when unset: 1 replica, 1 completion). */
function replicaCount(kind: string, object: Record<string, unknown>): ReplicaCount {
  const spec = isRecord(object['spec']) ? object['spec'] : {};
  const int = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt);
  switch (kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
      return { kind: 'replicas', count: int(spec['replicas'], 1) };
    case 'DaemonSet':
      return { kind: 'daemon' };
    case 'Job':
      return {
        kind: 'completions',
        count: Math.min(int(spec['parallelism'], 1), int(spec['completions'], int(spec['parallelism'], 1))),
      };
    case 'CronJob': {
      const job =
        isRecord(spec['jobTemplate']) && isRecord(spec['jobTemplate']['spec']) ? spec['jobTemplate']['spec'] : {};
      return {
        kind: 'completions',
        count: Math.min(int(job['parallelism'], 1), int(job['completions'], int(job['parallelism'], 1))),
      };
    }
    default:
      return { kind: 'one' };
  }
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** True for a plain (non-array) object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
