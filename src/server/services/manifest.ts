/**
 * Splits a YAML file into its documents, parses each with js-yaml and locates the pod specs inside
 * Kubernetes objects, with the line each one starts on.
 *
 * Pure: text in, plain data out. This is the swap point if we ever need the `yaml` package's CST.
 */
import { load } from 'js-yaml';

/** Kinds whose pod spec lives at a fixed path, and that path (keys from the document root). */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** A pod spec found in a manifest document. */
export interface PodSpecLocation {
  /** Key path from the document root to the object holding `spec` (empty for a Pod). */
  path: string[];
  /** Zero-based line of the CodeLens: the key that opens the pod template (`spec:` for a Pod), else `kind:`. */
  line: number;
  /** The object at `path` (the pod or pod template), as parsed. */
  template: Record<string, unknown>;
}

/** One YAML document of a file. */
export interface ManifestDocument {
  /** Zero-based index in the file. */
  index: number;
  /** Zero-based first and last line of the document's text (separators excluded). */
  startLine: number;
  endLine: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** The parsed object, when the document is a YAML mapping. */
  object?: Record<string, unknown>;
  podSpecs: PodSpecLocation[];
  /** The parse error, one sentence with its line, when the document is not valid YAML. */
  error?: string;
}

const SEPARATOR = /^---(?:\s|$)/;
const END_MARKER = /^\.\.\.\s*$/;

/** Parses every document of a YAML file. Never throws: a broken document carries `error` and no pod specs. */
export function parseManifest(text: string): ManifestDocument[] {
  const lines = text.split(/\r?\n/);
  const docs: ManifestDocument[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const body = lines.slice(start, end);
    if (body.some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) {
      docs.push(parseDocument(docs.length, start, end - 1, body));
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (SEPARATOR.test(line) || END_MARKER.test(line)) {
      flush(i);
      start = i + 1;
    }
  }
  flush(lines.length);
  return docs;
}

function parseDocument(index: number, startLine: number, endLine: number, body: string[]): ManifestDocument {
  const doc: ManifestDocument = { index, startLine, endLine, podSpecs: [] };
  let value: unknown;
  try {
    value = load(body.join('\n'));
  } catch (e) {
    const err = e as { mark?: { line?: number }; reason?: string; message?: string };
    const line = err.mark?.line !== undefined ? startLine + err.mark.line + 1 : undefined;
    doc.error = `${err.reason ?? err.message ?? 'invalid YAML'}${line !== undefined ? ` (line ${line})` : ''}.`;
    return doc;
  }
  if (!isRecord(value)) return doc;
  doc.object = value;
  if (typeof value['apiVersion'] === 'string') doc.apiVersion = value['apiVersion'];
  if (typeof value['kind'] === 'string') doc.kind = value['kind'];
  const metadata = value['metadata'];
  if (isRecord(metadata)) {
    if (typeof metadata['name'] === 'string') doc.name = metadata['name'];
    if (typeof metadata['namespace'] === 'string') doc.namespace = metadata['namespace'];
  }
  const path = doc.kind !== undefined ? POD_SPEC_PATHS[doc.kind] : undefined;
  if (path === undefined || doc.apiVersion === undefined) return doc;
  const template = getPath(value, path);
  if (!isRecord(template) || !isRecord(template['spec'])) return doc;
  const relative = findKeyLine(body, path.length === 0 ? ['spec'] : path) ?? findKeyLine(body, ['kind']);
  doc.podSpecs.push({ path: [...path], line: startLine + (relative ?? 0), template });
  return doc;
}

/**
 * Finds the zero-based line of a block-style key path (e.g. `spec` then `template`) by indentation.
 * Returns undefined for flow-style or otherwise unmatched YAML, where callers fall back to the document start.
 */
export function findKeyLine(lines: readonly string[], path: readonly string[]): number | undefined {
  let from = 0;
  let to = lines.length;
  let parentIndent = -1;
  let found: number | undefined;
  for (const key of path) {
    found = undefined;
    let childIndent: number | undefined;
    for (let i = from; i < to; i++) {
      const line = lines[i] ?? '';
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const indent = line.length - trimmed.length;
      if (indent <= parentIndent) {
        to = i;
        break;
      }
      childIndent ??= indent;
      if (indent !== childIndent) continue;
      if (new RegExp(`^["']?${escapeRegExp(key)}["']?\\s*:(\\s|$)`).test(trimmed)) {
        found = i;
        parentIndent = indent;
        break;
      }
    }
    if (found === undefined) return undefined;
    from = found + 1;
  }
  return found;
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
