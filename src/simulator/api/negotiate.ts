/**
 * Response negotiation beyond plain JSON, as kube-apiserver's handlers/negotiation does it for
 * resource requests:
 * - the media type: the first Accept entry the server can encode wins (JSON, or YAML, which is the
 *   JSON converted with sorted keys as sigs.k8s.io/yaml does); protobuf is not encoded here;
 * - `as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`: an object (list) reduced to its metadata.
 * A response is marked YAML once (`markYaml`) and `sendJSON` converts whatever it sends.
 */
import type { ServerResponse } from 'node:http';
import * as yaml from 'js-yaml';
import type { KubeObject } from '../store/types';

const yamlResponses = new WeakSet<ServerResponse>();

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(accept: string | undefined): MediaRange[] {
  if (accept === undefined || accept.trim() === '') return [];
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [t, ...ps] = part.split(';').map((x) => x.trim());
    if (t === undefined || t === '') continue;
    const params = new Map<string, string>();
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim());
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    out.push({ type: t.toLowerCase(), params, q: Number.isFinite(q) ? q : 1 });
  }
  // Stable by preference: a higher q first, otherwise the order the client wrote.
  return out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map((x) => x.r);
}

/** Whether the negotiated encoding of a plain (not `as=`) resource response is YAML. */
export function wantsYaml(accept: string | undefined): boolean {
  for (const r of parseAccept(accept)) {
    if (r.q <= 0 || r.params.has('as')) continue;
    if (r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*') return false;
    if (r.type === 'application/yaml') return true;
  }
  return false;
}

/** Marks a response to be sent as YAML. */
export function markYaml(res: ServerResponse): void {
  yamlResponses.add(res);
}

/** The YAML form of a JSON body if the response was marked (else undefined). */
export function yamlBodyFor(res: ServerResponse, json: string): string | undefined {
  if (!yamlResponses.has(res)) return undefined;
  return yaml.dump(JSON.parse(json), { sortKeys: true, lineWidth: -1, noRefs: true });
}

/** `PartialObjectMetadata` or `PartialObjectMetadataList` when the Accept header asks for it. */
export function wantsPartialMetadata(
  accept: string | undefined,
): 'PartialObjectMetadata' | 'PartialObjectMetadataList' | undefined {
  for (const r of parseAccept(accept)) {
    const as = r.params.get('as');
    if (as === undefined) continue;
    if (
      (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') &&
      r.params.get('g') === 'meta.k8s.io' &&
      (r.params.get('v') === 'v1' || r.params.get('v') === 'v1beta1')
    )
      return as;
  }
  return undefined;
}

/** An object reduced to its metadata. */
export function partialObject(o: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** A list reduced to its items' metadata. */
export function partialList(listMeta: Record<string, unknown>, items: readonly KubeObject[]): Record<string, unknown> {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    items: items.map(partialObject),
  };
}
