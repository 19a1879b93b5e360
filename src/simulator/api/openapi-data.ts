/**
 * kube-apiserver v1.37.2's own OpenAPI documents, captured from the real server by
 * `npm run conformance:apiserver -- --capture` (test/apiserver-conformance/capture.ts) and stored as
 * generated data in `openapi-data/kube-apiserver-openapi.json` (gzip, base64; imported, so the
 * simulator's bundle carries it). Each part is decoded on first use and kept.
 */
import data from './openapi-data/kube-apiserver-openapi.json';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

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

const DATA = data as OpenApiData;
const unpack = (s: string): Buffer => gunzipSync(Buffer.from(s, 'base64'));

let v2Json: Buffer | undefined;
let v2Protobuf: Buffer | undefined;
let v3: { paths: string[]; docs: Map<string, { body: Buffer; hash: string }> } | undefined;

/** The Kubernetes version the documents were captured from. */
export const CAPTURED_VERSION = DATA.kubernetesVersion;

/** `/openapi/v2` as kube-apiserver serves it: JSON, protobuf and the ETag both carry. */
export function capturedV2(): { json: Buffer; protobuf: Buffer; etag: string } {
  v2Json ??= unpack(DATA.v2Json);
  v2Protobuf ??= unpack(DATA.v2Protobuf);
  return { json: v2Json, protobuf: v2Protobuf, etag: DATA.v2Etag };
}

/** The `/openapi/v3` documents by path (`api/v1`, `apis/apps/v1`, ...), with their hashes, in index order. */
export function capturedV3(): { paths: string[]; docs: Map<string, { body: Buffer; hash: string }> } {
  if (v3 === undefined) {
    const parsed = JSON.parse(unpack(DATA.v3).toString('utf8')) as { index: string; docs: Record<string, string> };
    const index = JSON.parse(parsed.index) as { paths: Record<string, unknown> };
    const docs = new Map<string, { body: Buffer; hash: string }>();
    for (const p of Object.keys(index.paths)) {
      const body = Buffer.from(parsed.docs[p] ?? '{}', 'utf8');
      docs.set(p, { body, hash: openApiHash(body) });
    }
    v3 = { paths: Object.keys(index.paths), docs };
  }
  return v3;
}

/** kube-openapi's ETag of a document: SHA-512 of its bytes, upper-case hex. */
export function openApiHash(body: Buffer | string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}
