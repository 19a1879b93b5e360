/**
 * A minimal `/openapi/v2` in gnostic's protobuf encoding (openapi_v2.Document), which kubectl ≤1.28
 * downloads to learn whether the server supports `fieldValidation`
 * (cli-runtime/pkg/resource/query_param_verifier.go: for each path's PATCH operation with the kind's
 * `x-kubernetes-group-version-kind` extension, look for a query parameter named `fieldValidation`).
 * Only paths with PATCH operations are emitted; there are no definitions, so kubectl falls back to its
 * compiled-in types for strategic-merge metadata.
 */
import type { KindRegistry } from '../store/registry';

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited protobuf field. */
function field(num: number, payload: Buffer | string): Buffer {
  const b = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([varint((num << 3) | 2), varint(b.length), b]);
}

function queryParam(name: string, type: string): Buffer {
  // ParametersItem{parameter=1: Parameter{non_body_parameter=2: NonBodyParameter{query_parameter_sub_schema=3: QueryParameterSubSchema{in=2, name=4, type=6}}}}
  const sub = Buffer.concat([field(2, 'query'), field(4, name), field(6, type)]);
  return field(1, field(2, field(3, sub)));
}

function gvkExtension(group: string, version: string, kind: string): Buffer {
  // NamedAny{name=1, value=2: Any{yaml=2}}
  const yaml = `group: "${group}"\nkind: ${kind}\nversion: ${version}\n`;
  return Buffer.concat([field(1, 'x-kubernetes-group-version-kind'), field(2, field(2, yaml))]);
}

/** Encodes the document for every kind in the registry. */
export function openApiV2Protobuf(reg: KindRegistry): Buffer {
  const paths: Buffer[] = [];
  const params = Buffer.concat(
    ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((n) =>
      field(8, queryParam(n, n === 'force' ? 'boolean' : 'string')),
    ),
  );
  for (const k of reg.all()) {
    const prefix = k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
    const p = k.namespaced ? `${prefix}/namespaces/{namespace}/${k.resource}/{name}` : `${prefix}/${k.resource}/{name}`;
    // Operation{operation_id=5, parameters=8..., vendor_extension=13}
    const op = Buffer.concat([field(5, `patch${k.kind}`), params, field(13, gvkExtension(k.group, k.version, k.kind))]);
    // NamedPathItem{name=1, value=2: PathItem{patch=8}}
    paths.push(field(1, Buffer.concat([field(1, p), field(2, field(8, op))])));
  }
  // Document{swagger=1, info=2: Info{title=1, version=3}, paths=8: Paths{path=1...}}
  const info = Buffer.concat([field(1, 'Kubernetes'), field(3, 'v1.33.1')]);
  return Buffer.concat([field(1, '2.0'), field(2, info), field(8, Buffer.concat(paths))]);
}

/** The response media type (kube-openapi's; the `@` form kubectl sends in Accept is not a valid Content-Type). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
