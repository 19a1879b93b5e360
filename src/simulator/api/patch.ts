/**
 * The three non-apply PATCH formats: JSON Patch (RFC 6902, `test` included), JSON Merge Patch
 * (RFC 7386) and strategic merge patch (apimachinery/pkg/util/strategicpatch) with the merge keys of
 * the built-in kinds and the directives `$patch`, `$setElementOrder/`, `$retainKeys`,
 * `$deleteFromPrimitiveList/`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { jsonEqual } from '../../kube-api/json-equal';
import { StatusError, badRequest } from '../store/errors';
import { mergeKeyFor } from '../store/managed-fields';

type Json = any;

function isObj(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function unescape(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string' || (p !== '' && !p.startsWith('/')))
    throw badRequest(`the server rejected our request due to an error in our request`);
  return p === '' ? [] : p.slice(1).split('/').map(unescape);
}

/**
 * A patch that decodes but cannot be applied: 422 as kube-apiserver's patcher answers
 * (NewGenericServerResponse(422, ...) with the json-patch error as the cause).
 */
function patchFailed(_message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server rejected our request due to an error in our request',
    reason: 'Invalid',
    details: {},
    code: 422,
  });
}

function resolveParent(doc: Json, path: string[]): { parent: Json; key: string } {
  let cur = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    cur = Array.isArray(cur) ? cur[Number(k)] : isObj(cur) ? cur[k] : undefined;
    if (cur === undefined) throw missing(path);
  }
  return { parent: cur, key: path[path.length - 1]! };
}

function missing(path: string[]): StatusError {
  return patchFailed(`doc is missing path: "/${path.join('/')}": missing value`);
}

function getAt(doc: Json, path: string[]): Json {
  let cur = doc;
  for (const k of path) {
    if (Array.isArray(cur)) cur = cur[Number(k)];
    else if (isObj(cur)) cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Applies an RFC 6902 JSON Patch to a copy of `doc`; a failed `test` or bad path is an error. */
export function applyJsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops))
    throw badRequest(
      `error decoding patch: json: cannot unmarshal ${ops === null ? 'null' : typeof ops === 'object' ? 'object' : typeof ops} into Go value of type []handlers.jsonPatchOp`,
    );
  let out = structuredClone(doc);
  for (const raw of ops) {
    if (!isObj(raw)) throw badRequest('the server rejected our request due to an error in our request');
    const op = raw['op'];
    const path = parsePointer(raw['path']);
    const add = (target: string[], value: Json): void => {
      if (target.length === 0) {
        out = structuredClone(value);
        return;
      }
      const { parent, key } = resolveParent(out, target);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length)
          throw patchFailed(`add operation does not apply: doc is missing path: "/${target.join('/')}": missing value`);
        parent.splice(i, 0, structuredClone(value));
      } else if (isObj(parent)) parent[key] = structuredClone(value);
      else throw missing(target);
    };
    const remove = (target: string[]): Json => {
      const { parent, key } = resolveParent(out, target);
      if (Array.isArray(parent)) {
        const i = Number(key);
        if (!Number.isInteger(i) || i < 0 || i >= parent.length)
          throw patchFailed(
            `remove operation does not apply: doc is missing path: "/${target.join('/')}": missing value`,
          );
        return parent.splice(i, 1)[0];
      }
      if (!isObj(parent) || !(key in parent))
        throw patchFailed(
          `remove operation does not apply: doc is missing path: "/${target.join('/')}": missing value`,
        );
      const v = parent[key];
      delete parent[key];
      return v;
    };
    switch (op) {
      case 'add':
        add(path, raw['value']);
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        if (getAt(out, path) === undefined)
          throw patchFailed(`replace operation does not apply: doc is missing key: /${path.join('/')}: missing value`);
        remove(path);
        add(path, raw['value']);
        break;
      case 'move': {
        const v = remove(parsePointer(raw['from']));
        add(path, v);
        break;
      }
      case 'copy': {
        const v = getAt(out, parsePointer(raw['from']));
        if (v === undefined) throw missing(parsePointer(raw['from']));
        add(path, v);
        break;
      }
      case 'test':
        if (!jsonEqual(getAt(out, path), raw['value']))
          throw patchFailed(`testing value /${path.join('/')} failed: test failed`);
        break;
      default:
        throw patchFailed(`Unexpected kind: ${String(op)}`);
    }
  }
  return out;
}

/** Applies an RFC 7386 merge patch (`null` deletes; arrays replace). */
export function applyMergePatch(doc: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, any> = isObj(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** Applies a strategic merge patch (built-in kinds only; the caller answers 415 for custom resources). */
export function applyStrategicMergePatch(doc: Json, patch: Json, field = ''): Json {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch['$patch'] === 'delete') return undefined;
  const out: Record<string, any> = isObj(doc) ? { ...doc } : {};
  const retain = Array.isArray(patch['$retainKeys']) ? (patch['$retainKeys'] as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = out[f].filter((x: unknown) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(out[k], v, k, patch[`$setElementOrder/${k}`]);
      continue;
    }
    const merged = applyStrategicMergePatch(out[k], v, k);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  for (const k of Object.keys(patch)) {
    if (!k.startsWith('$setElementOrder/')) continue;
    const f = k.slice('$setElementOrder/'.length);
    if (patch[f] === undefined && Array.isArray(out[f])) out[f] = mergeList(out[f], [], f, patch[k]);
  }
  if (retain !== undefined) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  void field;
  return out;
}

function mergeList(cur: unknown, patch: any[], field: string, order: unknown): any[] {
  const base = Array.isArray(cur) ? cur : [];
  const replaceDirective = patch.find((p) => isObj(p) && p['$patch'] === 'replace' && Object.keys(p).length === 1);
  if (replaceDirective !== undefined) return structuredClone(patch.filter((p) => p !== replaceDirective));
  const key = mergeKeyFor(field, [
    ...base,
    ...patch.filter((p) => !(isObj(p) && p['$patch'] === 'delete' && Object.keys(p).length === 1)),
  ]);
  if (key === undefined) {
    if (patch.every((p) => !isObj(p)) && base.every((p) => !isObj(p)) && field === 'finalizers') {
      const r = [...base];
      for (const p of patch) if (!r.includes(p)) r.push(p);
      return r;
    }
    return structuredClone(patch);
  }
  const out: any[] = base.map((x) => x);
  for (const p of patch) {
    if (!isObj(p)) continue;
    const i = out.findIndex((x) => isObj(x) && x[key] === p[key]);
    if (p['$patch'] === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = applyStrategicMergePatch(out[i], p, '');
    else {
      const { $patch: _d, ...rest } = p;
      out.push(structuredClone(rest));
    }
  }
  // strategicpatch's normalizeElementOrder: the items the patch (or its $setElementOrder) names in
  // that order, the server-only items in their order, merged by the server's order where both are
  // known (so a new item comes before the existing ones).
  const listed = (Array.isArray(order) ? order : patch.filter((p) => isObj(p) && p['$patch'] !== 'delete')).map(
    (o: any) => (isObj(o) ? o[key] : undefined),
  );
  const serverOrder = base.map((x: any) => (isObj(x) ? x[key] : undefined));
  const at = (list: unknown[], x: any): number => list.indexOf(isObj(x) ? x[key] : undefined);
  const patchItems = out.filter((x) => at(listed, x) >= 0).sort((a, b) => at(listed, a) - at(listed, b));
  const serverOnly = out.filter((x) => at(listed, x) < 0).sort((a, b) => at(serverOrder, a) - at(serverOrder, b));
  const merged: any[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patchItems.length) {
    if (j >= patchItems.length) merged.push(serverOnly[i++]);
    else if (i >= serverOnly.length) merged.push(patchItems[j++]);
    else {
      const li = at(serverOrder, serverOnly[i]);
      const ri = at(serverOrder, patchItems[j]);
      if (li >= 0 && ri >= 0 && li < ri) merged.push(serverOnly[i++]);
      else merged.push(patchItems[j++]);
    }
  }
  return merged;
}
