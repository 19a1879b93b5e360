/**
 * Decoding a write's body as kube-apiserver does: protobuf, JSON or YAML (other media types are
 * 415), apiVersion/kind checked against the kind served at the URL, and duplicate or unknown fields
 * dropped or reported according to the fieldValidation directive.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { IncomingMessage } from 'node:http';
import * as E from '../store/errors';
import { type ResourceKind, apiVersionOf } from '../store/registry';
import { decodeBody, mediaType, readBody } from './http-util';
import { PROTOBUF, decodeProtobufBody } from './protobuf';
import type { RequestContext } from './request-context';
import { findAndDropUnknownFields } from './schema';
import { fieldValidationOf } from './write-options';

/** The Go package of a group's internal types (`core.ConfigMap`, `apps.Deployment`). */
function internalPackage(group: string): string {
  if (group === '' || group === 'events.k8s.io') return 'core';
  if (group === 'rbac.authorization.k8s.io') return 'rbac';
  return group.split('.')[0]!;
}

/** Checks apiVersion/kind of a decoded body against the kind served at the URL. */
export function checkTypeMeta(
  kind: ResourceKind,
  body: unknown,
  expectKind = kind.kind,
  expectApiVersion = apiVersionOf(kind),
): Record<string, any> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw E.badRequest(
      `the object provided is unrecognized (must be of type ${expectKind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const o = body as Record<string, any>;
  if (o['kind'] !== undefined && o['kind'] !== expectKind) {
    // The body decodes as its own kind, which does not convert to this one (transformDecodeError).
    const av = typeof o['apiVersion'] === 'string' ? o['apiVersion'] : '';
    const version = av.slice(av.indexOf('/') + 1);
    if (version !== '' && expectKind === kind.kind)
      throw E.badRequest(
        `${String(o['kind'])} in version "${version}" cannot be handled as a ${expectKind}: converting (${version}.${String(o['kind'])}) to (${internalPackage(kind.group)}.${expectKind}): unknown conversion`,
      );
    throw E.badRequest(`the kind in the data (${String(o['kind'])}) does not match the expected kind (${expectKind})`);
  }
  if (o['apiVersion'] !== undefined && o['apiVersion'] !== expectApiVersion) {
    throw E.badRequest(
      `the API version in the data (${String(o['apiVersion'])}) does not match the expected API version (${expectApiVersion})`,
    );
  }
  if (
    o['metadata'] !== undefined &&
    (o['metadata'] === null || typeof o['metadata'] !== 'object' || Array.isArray(o['metadata']))
  ) {
    throw E.badRequest(
      `the object provided is unrecognized (must be of type ${expectKind}): metadata must be an object`,
    );
  }
  o['metadata'] ??= {};
  return o;
}

/** Drops unknown fields and applies the fieldValidation directive; returns Warning header values. */
export function validateFields(c: RequestContext, obj: Record<string, any>): string[] {
  const mode = fieldValidationOf(c.q, c.req.method);
  const raw = bodies.get(c.req);
  const problems = [
    ...(raw !== undefined && !mediaType(c.req.headers['content-type']).includes('yaml')
      ? duplicateFields(raw).map((f) => `duplicate field "${f}"`)
      : []),
    ...findAndDropUnknownFields(c.kind, obj).map((f) => `unknown field "${f}"`),
  ];
  if (problems.length === 0 || mode === 'Ignore') return [];
  if (mode === 'Strict') {
    const prefix =
      c.req.method === 'PATCH'
        ? ''
        : `${c.kind.kind} in version "${c.kind.version}" cannot be handled as a ${c.kind.kind}: `;
    throw E.badRequest(`${prefix}strict decoding error: ${problems.join(', ')}`);
  }
  return problems.map((p) => `299 - "${p.replace(/"/g, '\\"')}"`);
}

/** The raw text of each request body (duplicate fields are only visible there). */
const bodies = new WeakMap<IncomingMessage, string>();

/**
 * The paths of keys that appear twice in one JSON object (`data`, `metadata.labels.a`,
 * `spec.containers[0].name`), in document order, as the strict decoder reports them.
 */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return text.slice(start + 1, i - 1);
    }
  };
  const value = (path: string): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < text.length) {
        ws();
        if (text[i] !== '"') return;
        const k = str();
        const p = path === '' ? k : `${path}.${k}`;
        if (seen.has(k)) out.push(p);
        seen.add(k);
        ws();
        if (text[i] !== ':') return;
        i++;
        value(p);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else return;
      }
    } else if (ch === '[') {
      i++;
      let n = 0;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      while (i < text.length) {
        value(`${path}[${n++}]`);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else return;
      }
    } else if (ch === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value('');
  return out;
}

/** Reads and decodes a write's body (`expectKind` names the Go type in decode errors). */
export async function body(c: RequestContext, expectKind: string): Promise<unknown> {
  const mt = mediaType(c.req.headers['content-type']);
  if (c.req.method !== 'PATCH' && mt === PROTOBUF)
    return decodeProtobufBody(await readBody(c.req, c.maxBodyBytes), expectKind);
  if (c.req.method !== 'PATCH' && mt !== '' && !mt.includes('json') && !mt.includes('yaml')) {
    // CBOR and other bodies are not decoded; say so as kube-apiserver does for unknown media types.
    c.req.resume();
    throw E.unsupportedMediaTypeBody(mt);
  }
  const buf = await readBody(c.req, c.maxBodyBytes);
  bodies.set(c.req, buf.toString('utf8'));
  return decodeBody(buf, c.req.headers['content-type'], expectKind);
}
