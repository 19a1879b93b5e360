/**
 * `/openapi/v2` and `/openapi/v3`, served as kube-apiserver v1.37.2 serves them
 * (k8s.io/kube-openapi pkg/handler and pkg/handler3):
 * - the documents are kube-apiserver's own, captured from the real server (openapi-data.ts), so
 *   `kubectl explain` and kubectl's client-side validation see the real schemas;
 * - the media type follows the Accept header as kube-openapi negotiates it (goautoneg order: quality,
 *   then specificity; the first acceptable offer wins): `application/json` (also for `*∕*` or no
 *   Accept), the v2 protobuf (`…spec.v2@v1.0+protobuf` or `…spec.v2.v1.0+protobuf`), else 406;
 * - v2 carries an ETag and answers 304 to a matching If-None-Match; a v3 document asked for with a
 *   stale `hash` is a 301 to the current one, with the right hash it is cacheable for a year;
 * - a CustomResourceDefinition's group version gets a v3 document built from its schema (v3 only:
 *   the v2 document stays as captured).
 * v3 documents are served as JSON only (a protobuf-only Accept gets 406).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- CRD schemas are schemaless wire JSON. */
import { capturedV2, capturedV3, openApiHash } from './openapi-data';

/** kube-openapi's v2 protobuf response media type. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** An answer: status, headers and body bytes. */
export interface OpenApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Clause {
  type: string;
  subType: string;
  q: number;
}

/** Parses an Accept header as goautoneg.ParseAccept does (sorted by quality, then specificity). */
export function parseAccept(header: string | undefined): Clause[] {
  const h = header === undefined || header.trim() === '' ? '*/*' : header;
  const out: Clause[] = [];
  for (const part of h.split(',')) {
    const [mt, ...params] = part.split(';').map((s) => s.trim());
    if (mt === undefined || mt === '') continue;
    const slash = mt.indexOf('/');
    const type = slash < 0 ? mt : mt.slice(0, slash);
    const subType = slash < 0 ? '*' : mt.slice(slash + 1);
    let q = 1;
    for (const p of params) {
      const m = /^q=([0-9.]+)$/.exec(p);
      if (m !== null) q = Number(m[1]);
    }
    out.push({ type, subType, q });
  }
  const rank = (c: Clause): number => (c.type === '*' ? 0 : c.subType === '*' ? 1 : 2);
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.q - a.c.q || rank(b.c) - rank(a.c) || a.i - b.i)
    .map((x) => x.c);
}

interface Offer {
  type: string;
  subType: string;
  contentType: string;
}

/** The first offer the Accept header takes, in kube-openapi's order, or undefined (406). */
function negotiate(accept: string | undefined, offers: Offer[]): Offer | undefined {
  for (const c of parseAccept(accept)) {
    if (c.q <= 0) continue;
    for (const o of offers) {
      if ((c.type === o.type || c.type === '*') && (c.subType === o.subType || c.subType === '*')) return o;
    }
  }
  return undefined;
}

const V2_OFFERS: Offer[] = [
  { type: 'application', subType: 'json', contentType: 'application/json' },
  { type: 'application', subType: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', contentType: OPENAPI_V2_PROTOBUF },
  { type: 'application', subType: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', contentType: OPENAPI_V2_PROTOBUF },
];
const V3_OFFERS: Offer[] = [{ type: 'application', subType: 'json', contentType: 'application/json' }];

const STARTED = new Date().toUTCString();
const NOT_ACCEPTABLE: OpenApiAnswer = { status: 406, headers: { Vary: 'Accept' }, body: Buffer.alloc(0) };

/** `GET /openapi/v2`. */
export function serveOpenApiV2(accept: string | undefined, ifNoneMatch: string | undefined): OpenApiAnswer {
  const offer = negotiate(accept, V2_OFFERS);
  if (offer === undefined) return NOT_ACCEPTABLE;
  const v2 = capturedV2();
  const etag = `"${v2.etag}"`;
  const headers = { 'Content-Type': offer.contentType, Etag: etag, Vary: 'Accept', 'Last-Modified': STARTED };
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*'))
    return { status: 304, headers, body: Buffer.alloc(0) };
  return {
    status: 200,
    headers: { ...headers, 'Accept-Ranges': 'bytes' },
    body: offer.contentType === 'application/json' ? v2.json : v2.protobuf,
  };
}

/** The CRD objects a group version's v3 document is built from. */
export type CrdSource = (group: string, version: string) => Record<string, any>[];

/** Every v3 document: the captured ones, then one per served CRD group version (index order). */
function v3Docs(crds: Record<string, any>[]): Map<string, { body: Buffer; hash: string }> {
  const docs = new Map(capturedV3().docs);
  const gvs = new Map<string, Record<string, any>[]>();
  for (const crd of crds) {
    for (const v of crd['spec']?.versions ?? []) {
      if (v?.served === false) continue;
      const p = `apis/${crd['spec'].group}/${v.name}`;
      gvs.set(p, [...(gvs.get(p) ?? []), crd]);
    }
  }
  for (const [p, list] of [...gvs].sort(([a], [b]) => a.localeCompare(b))) {
    if (docs.has(p)) continue;
    const body = Buffer.from(JSON.stringify(crdDocument(p, list)));
    docs.set(p, { body, hash: openApiHash(body) });
  }
  return docs;
}

/** `GET /openapi/v3`: the index of documents with their hashes. */
export function serveOpenApiV3Index(crds: Record<string, any>[]): OpenApiAnswer {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const docs = v3Docs(crds);
  for (const p of [...docs.keys()].sort())
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${docs.get(p)!.hash}` };
  // kube-openapi writes the index without a Content-Type, so Go's server sniffs it as text.
  return {
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: Buffer.from(JSON.stringify({ paths })),
  };
}

/** `GET /openapi/v3/<path>`, or undefined when there is no such document (404). */
export function serveOpenApiV3Doc(
  crds: Record<string, any>[],
  docPath: string,
  hash: string | null,
  accept: string | undefined,
): OpenApiAnswer | undefined {
  const doc = v3Docs(crds).get(docPath);
  if (doc === undefined) return undefined;
  const offer = negotiate(accept, V3_OFFERS);
  if (offer === undefined) return NOT_ACCEPTABLE;
  const headers: Record<string, string> = { 'Content-Type': offer.contentType, Etag: `"${doc.hash}"`, Vary: 'Accept' };
  if (hash !== null && hash !== '') {
    if (hash !== doc.hash)
      return {
        status: 301,
        headers: { ...headers, Location: `/openapi/v3/${docPath}?hash=${doc.hash}` },
        body: Buffer.alloc(0),
      };
    headers['Cache-Control'] = 'public, immutable';
    headers['Expires'] = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
  }
  return { status: 200, headers, body: doc.body };
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** Reverses a DNS group into kube-openapi's schema prefix: `kfc.example.com` → `com.example.kfc`. */
function schemaPrefix(group: string): string {
  return group.split('.').reverse().join('.');
}

/** A CRD group version's document: its kinds' schemas (as kube-apiserver builds them) and their paths. */
function crdDocument(docPath: string, crds: Record<string, any>[]): unknown {
  const [, group, version] = docPath.split('/') as [string, string, string];
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const meta = JSON.parse(capturedV3().docs.get('api/v1')?.body.toString('utf8') ?? '{}') as {
    components?: { schemas?: Record<string, unknown> };
  };
  for (const [name, s] of Object.entries(meta.components?.schemas ?? {}))
    if (name.startsWith(`${META}.`)) schemas[name] = s;
  for (const crd of crds) {
    const spec = crd['spec'];
    const v = (spec.versions ?? []).find((x: any) => x?.name === version);
    const kind = String(spec.names?.kind);
    const plural = String(spec.names?.plural);
    const gvk = [{ group, kind, version }];
    const open = v?.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const name = `${schemaPrefix(group)}.${version}.${kind}`;
    schemas[name] = {
      ...open,
      properties: {
        apiVersion: { description: API_VERSION_DOC, type: 'string' },
        kind: { description: KIND_DOC, type: 'string' },
        metadata: {
          description:
            "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
          allOf: [{ $ref: `#/components/schemas/${META}.ObjectMeta` }],
        },
        ...(open.properties ?? {}),
      },
      'x-kubernetes-group-version-kind': gvk,
    };
    schemas[`${name}List`] = {
      description: `${kind}List is a list of ${kind}`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { description: API_VERSION_DOC, type: 'string' },
        items: {
          description: `List of ${plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
          type: 'array',
          items: { $ref: `#/components/schemas/${name}` },
        },
        kind: { description: KIND_DOC, type: 'string' },
        metadata: {
          description:
            'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
          allOf: [{ $ref: `#/components/schemas/${META}.ListMeta` }],
        },
      },
      'x-kubernetes-group-version-kind': [{ group, kind: `${kind}List`, version }],
    };
    const ref = { $ref: `#/components/schemas/${name}` };
    const op = (action: string, id: string): unknown => ({
      operationId: `${id}${group
        .split('.')
        .map((s) => s[0]!.toUpperCase() + s.slice(1))
        .join('')}${version[0]!.toUpperCase()}${version.slice(1)}${kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk[0],
      parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((p) => ({
        name: p,
        in: 'query',
        schema: { type: p === 'force' ? 'boolean' : 'string', uniqueItems: true },
      })),
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    });
    const namespaced = spec.scope !== 'Cluster';
    const base = `/apis/${group}/${version}${namespaced ? '/namespaces/{namespace}' : ''}/${plural}`;
    paths[base] = {
      get: op('list', 'list'),
      post: op('post', 'create'),
      delete: op('deletecollection', 'deletecollection'),
    };
    paths[`${base}/{name}`] = {
      get: op('get', 'read'),
      put: op('put', 'replace'),
      patch: op('patch', 'patch'),
      delete: op('delete', 'delete'),
    };
    if (v?.subresources?.status !== undefined)
      paths[`${base}/{name}/status`] = {
        get: op('get', 'read'),
        put: op('put', 'replace'),
        patch: op('patch', 'patch'),
      };
    if (namespaced) paths[`/apis/${group}/${version}/${plural}`] = { get: op('list', 'list') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths,
    components: { schemas },
  };
}
