/**
 * A minimal OpenAPI v3 surface: enough for kubectl's query-param verifier (it checks that the PATCH
 * operation of a kind lists the `fieldValidation` parameter) so default `--validate=strict` works.
 * Schemas are left open, so kubectl's client-side schema validation degrades to server-side checks.
 */
import { createHash } from 'node:crypto';
import type { KindRegistry } from '../store/registry';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** Hash of a group version's document, used in `serverRelativeURL`. */
function docHash(reg: KindRegistry, group: string, version: string): string {
  const kinds = reg.all().filter((k) => k.group === group && k.version === version);
  return createHash('sha512').update(JSON.stringify(kinds)).digest('hex').slice(0, 64).toUpperCase();
}

/** `GET /openapi/v3`: the index of group-version documents. */
export function openApiV3Index(reg: KindRegistry): unknown {
  const paths: Record<string, unknown> = {};
  for (const [g, vs] of reg.groups()) {
    for (const v of vs) {
      const p = gvPath(g, v);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${docHash(reg, g, v)}` };
    }
  }
  return { paths };
}

const PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/** `GET /openapi/v3/<gv path>`: a document with every kind's operations and open schemas, or undefined. */
export function openApiV3Doc(reg: KindRegistry, gvp: string): unknown {
  const m = gvp.match(/^api\/([^/]+)$/) ?? gvp.match(/^apis\/([^/]+)\/([^/]+)$/);
  if (m === null) return undefined;
  const group = m.length === 2 ? '' : m[1]!;
  const version = m.length === 2 ? m[1]! : m[2]!;
  const kinds = reg.all().filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const prefix = `/${gvPath(group, version)}`;
  for (const k of kinds) {
    const gvk = { group, version, kind: k.kind };
    const schemaName = `${group === '' ? 'io.k8s.api.core' : group}.${version}.${k.kind}`;
    schemas[schemaName] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      'x-kubernetes-preserve-unknown-fields': true,
    };
    const op = (verb: string): unknown => ({
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
      parameters: PARAMS,
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } },
        },
      },
    });
    const item = k.namespaced
      ? `${prefix}/namespaces/{namespace}/${k.resource}/{name}`
      : `${prefix}/${k.resource}/{name}`;
    const coll = k.namespaced ? `${prefix}/namespaces/{namespace}/${k.resource}` : `${prefix}/${k.resource}`;
    paths[item] = { get: op('get'), put: op('put'), patch: op('patch'), delete: op('delete') };
    paths[coll] = { get: op('list'), post: op('post') };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.33.1' }, paths, components: { schemas } };
}
