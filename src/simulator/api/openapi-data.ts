/**
 * kube-apiserver v1.37.2's own OpenAPI documents, captured from the real server by
 * `npm run conformance:apiserver -- --capture` (test/apiserver-conformance/capture.ts) and stored as
 * generated data in `openapi-data/kube-apiserver-openapi.json` (gzip, base64; imported, so the
 * simulator's bundle carries it). Each part is decoded on first use and kept.
 * The bundle carries the same documents packed (esbuild.mjs, scripts/pack-openapi-data.mjs): brotli'd
 * as one stream, decoded whole on first use; both forms give the same bytes.
 */
import data from './openapi-data/kube-apiserver-openapi.json';
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

/** The stored form (see the file comment). */
export interface OpenApiData {
  generated: string;
  kubernetesVersion: string;
  /** `/openapi/v2`'s ETag as kube-apiserver sent it (without quotes). */
  v2Etag: string;
  /** `/openapi/v2` as JSON, gzip + base64. */
  v2Json: string;
  /** `/openapi/v2` as gnostic protobuf, gzip + base64. */
  v2Protobuf: string;
  /** gzip + base64 of `{"index": <the /openapi/v3 body>, "docs": {"<path>": <document body>}}`. */
  v3: string;
}

/** The bundled form (scripts/pack-openapi-data.mjs). */
interface PackedOpenApiData {
  generated: string;
  kubernetesVersion: string;
  v2Etag: string;
  packed: {
    /** The `/openapi/v3` index's paths, in its order. */
    v3Paths: string[];
    /** Byte lengths: the v2 JSON, the v2 protobuf, then the v3 document of each path. */
    sizes: number[];
    /** base64 of brotli(the parts concatenated). */
    brotli: string;
  };
}

const DATA = data as unknown as OpenApiData | PackedOpenApiData;
const unpack = (s: string): Buffer => gunzipSync(Buffer.from(s, 'base64'));

let packedParts: Buffer[] | undefined;
/** The packed form's parts (see PackedOpenApiData.sizes), decoded on first use. */
function unpackAll(p: PackedOpenApiData['packed']): Buffer[] {
  if (packedParts === undefined) {
    const all = brotliDecompressSync(Buffer.from(p.brotli, 'base64'));
    const total = p.sizes.reduce((n, s) => n + s, 0);
    if (total !== all.length || p.sizes.length !== p.v3Paths.length + 2)
      throw new Error(`openapi-data: ${all.length} packed bytes do not match their ${p.sizes.length} sizes`);
    let at = 0;
    packedParts = p.sizes.map((n) => all.subarray(at, (at += n)));
  }
  return packedParts;
}

let v2Json: Buffer | undefined;
let v2Protobuf: Buffer | undefined;
let v3: { paths: string[]; docs: Map<string, { body: Buffer; hash: string }> } | undefined;

/** The Kubernetes version the documents were captured from. */
export const CAPTURED_VERSION = DATA.kubernetesVersion;

/** `/openapi/v2` as kube-apiserver serves it: JSON, protobuf and the ETag both carry. */
export function capturedV2(): { json: Buffer; protobuf: Buffer; etag: string } {
  if (v2Json === undefined || v2Protobuf === undefined) {
    if ('packed' in DATA) [v2Json, v2Protobuf] = unpackAll(DATA.packed) as [Buffer, Buffer];
    else [v2Json, v2Protobuf] = [unpack(DATA.v2Json), unpack(DATA.v2Protobuf)];
  }
  return { json: v2Json, protobuf: v2Protobuf, etag: DATA.v2Etag };
}

/** The `/openapi/v3` documents by path (`api/v1`, `apis/apps/v1`, ...), with their hashes, in index order. */
export function capturedV3(): { paths: string[]; docs: Map<string, { body: Buffer; hash: string }> } {
  if (v3 === undefined) {
    let paths: string[];
    let bodyOf: (p: string, i: number) => Buffer;
    if ('packed' in DATA) {
      const parts = unpackAll(DATA.packed);
      paths = [...DATA.packed.v3Paths];
      bodyOf = (_p, i) => parts[i + 2]!;
    } else {
      const parsed = JSON.parse(unpack(DATA.v3).toString('utf8')) as { index: string; docs: Record<string, string> };
      const index = JSON.parse(parsed.index) as { paths: Record<string, unknown> };
      paths = Object.keys(index.paths);
      bodyOf = (p) => Buffer.from(parsed.docs[p] ?? '{}', 'utf8');
    }
    const docs = new Map<string, { body: Buffer; hash: string }>();
    paths.forEach((p, i) => {
      const body = bodyOf(p, i);
      docs.set(p, { body, hash: openApiHash(body) });
    });
    v3 = { paths, docs };
  }
  return v3;
}

/** kube-openapi's ETag of a document: SHA-512 of its bytes, upper-case hex. */
export function openApiHash(body: Buffer | string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}
