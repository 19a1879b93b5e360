/**
 * Decodes Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`: the `k8s\0` magic,
 * then a runtime.Unknown envelope whose `raw` is the object) into the JSON shape the rest of the server
 * uses, for the kinds in protobuf-schema.ts. kubectl's typed generators send these.
 */
import { badRequest, unsupportedMediaTypeBody } from '../store/errors';
import { summarizeData } from './http-util';
import { PROTO_ROOTS, PROTO_SCHEMA } from './protobuf-schema';

/** The protobuf media type. */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Pointer boolean fields where an explicit false means something (DeleteOptions.orphanDependents). */
const KEEP_FALSE = new Set(['orphanDependents']);

/** Pointer integer fields where an explicit 0 means something (so it is kept). */
const KEEP_ZERO = new Set([
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  'value',
  'terminationGracePeriodSeconds',
  'gracePeriodSeconds',
  'activeDeadlineSeconds',
  'startingDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'revisionHistoryLimit',
  'ttlSecondsAfterFinished',
  'seconds',
  'nanos',
  'type',
  'intVal',
]);

interface RawField {
  num: number;
  wire: number;
  /** Varint value (wire 0), or bytes (wire 2). */
  n: bigint;
  bytes: Buffer;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw badRequest('protobuf: truncated varint');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 70n) throw badRequest('protobuf: varint too long');
  }
}

function fields(buf: Buffer): RawField[] {
  const out: RawField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      pos = p2;
      out.push({ num, wire, n: v, bytes: Buffer.alloc(0) });
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const end = p2 + Number(len);
      if (end > buf.length) throw badRequest('protobuf: truncated field');
      out.push({ num, wire, n: 0n, bytes: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      if (pos + 8 > buf.length) throw badRequest('protobuf: truncated fixed64');
      out.push({ num, wire, n: 0n, bytes: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      if (pos + 4 > buf.length) throw badRequest('protobuf: truncated fixed32');
      out.push({ num, wire, n: 0n, bytes: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

function toInt(n: bigint): number {
  // int32/int64 are two's complement in varints.
  return Number(BigInt.asIntN(64, n));
}

function scalar(type: string, f: RawField): unknown {
  switch (type) {
    case 's':
      return f.bytes.toString('utf8');
    case 'y':
      return f.bytes.toString('base64');
    case 'i':
      return toInt(f.n);
    case 'b':
      return f.n !== 0n;
    case 'd':
      return f.wire === 1 ? f.bytes.readDoubleLE(0) : f.bytes.readFloatLE(0);
    default:
      return undefined;
  }
}

function isScalar(t: string): boolean {
  return t === 's' || t === 'y' || t === 'i' || t === 'b' || t === 'd';
}

function decodeValue(type: string, f: RawField): unknown {
  if (isScalar(type)) return scalar(type, f);
  return decodeMessage(type, f.bytes);
}

/** Decodes one message into JSON, converting the special types (Time, IntOrString, Quantity). */
function decodeMessage(name: string, buf: Buffer): unknown {
  const schema = PROTO_SCHEMA[name];
  if (schema === undefined) return undefined;
  const o: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const spec = schema[f.num];
    if (spec === undefined) continue;
    const [json, type] = spec;
    if (type.startsWith('map:')) {
      const vt = type.slice(4);
      let k = '';
      let v: unknown = vt === 's' ? '' : undefined;
      for (const e of fields(f.bytes)) {
        if (e.num === 1) k = e.bytes.toString('utf8');
        if (e.num === 2) v = decodeValue(vt, e);
      }
      const m = (o[json] ??= {}) as Record<string, unknown>;
      m[k] = v ?? (vt === 'y' ? '' : {});
    } else if (type.endsWith('[]')) {
      const et = type.slice(0, -2);
      const arr = (o[json] ??= []) as unknown[];
      if ((et === 'i' || et === 'b') && f.wire === 2) {
        // Packed repeated scalars.
        let pos = 0;
        while (pos < f.bytes.length) {
          const [v, p] = readVarint(f.bytes, pos);
          pos = p;
          arr.push(et === 'i' ? toInt(v) : v !== 0n);
        }
      } else arr.push(decodeValue(et, f));
    } else {
      const v = decodeValue(type, f);
      // Go marshals non-pointer zero values; its JSON omits them (omitempty), so drop them too.
      if (v === '' || (v === false && !KEEP_FALSE.has(json)) || (v === 0 && !KEEP_ZERO.has(json))) delete o[json];
      else o[json] = v;
    }
  }
  if (name === 'Time') {
    const s = Number(o['seconds'] ?? 0);
    return s === 0 && Number(o['nanos'] ?? 0) === 0 ? null : new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (name === 'IntOrString') return Number(o['type'] ?? 0) === 1 ? (o['strVal'] ?? '') : (o['intVal'] ?? 0);
  if (name === 'Quantity') return o['string'] ?? '0';
  return o;
}

/**
 * Decodes a protobuf request body into a JSON object with apiVersion/kind. Kinds outside the schema
 * table get 415; malformed bytes get 400.
 */
export function decodeProtobufBody(buf: Buffer, intoKind = 'Object'): Record<string, unknown> {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(MAGIC))
    throw badRequest(
      `the object provided is unrecognized (must be of type ${intoKind}): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (${summarizeData(buf)})`,
    );
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  for (const f of fields(buf.subarray(4))) {
    if (f.num === 1) {
      for (const t of fields(f.bytes)) {
        if (t.num === 1) apiVersion = t.bytes.toString('utf8');
        if (t.num === 2) kind = t.bytes.toString('utf8');
      }
    }
    if (f.num === 2) raw = f.bytes;
  }
  const root = PROTO_ROOTS[`${apiVersion}/${kind}`];
  if (root === undefined || raw === undefined)
    throw unsupportedMediaTypeBody(`${PROTOBUF} (${apiVersion}, Kind=${kind})`);
  const obj = decodeMessage(root, raw) as Record<string, unknown>;
  const meta = obj['metadata'] as Record<string, unknown> | undefined;
  if (meta !== undefined && meta['creationTimestamp'] === null) delete meta['creationTimestamp'];
  return { apiVersion, kind, ...obj };
}
