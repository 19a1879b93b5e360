/** Small helpers the kind files share for walking and defaulting wire JSON. */
import { jsonEqual } from '../../../../kube-api/json-equal';
import type { KubeObject } from '../../types';
import type { Obj } from './kind';

/** Whether `v` is a JSON object (not null, not an array). */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `parent[key]` as an object, set to `{}` first when it is not one. */
export function obj(parent: Obj, key: string): Obj {
  if (!isObj(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

/** Sets `o[k] = v` when `o[k]` is undefined or null. */
export function setIfAbsent(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

/** JSON with every object's keys sorted: equal for equal values, whatever order their fields came in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Adds a finalizer to an object's metadata unless it is there. */
export function addFinalizer(o: Obj, f: string): void {
  const meta = obj(o, 'metadata');
  const fins: string[] = Array.isArray(meta['finalizers']) ? meta['finalizers'] : [];
  if (!fins.includes(f)) meta['finalizers'] = [...fins, f];
}

/** A rolling-update strategy's defaults (`type` first; `rollingUpdate` only for that type). */
export function rollingUpdate(strategy: Obj, type: string, defaults: Obj): void {
  if (!strategy['type']) strategy['type'] = type;
  if (strategy['type'] !== type) return;
  const ru = obj(strategy, 'rollingUpdate');
  for (const [k, v] of Object.entries(defaults)) if (ru[k] === undefined || ru[k] === null) ru[k] = v;
}

/** Compares two values the way generation bumps do (apiequality.Semantic.DeepEqual): key order ignored, absent equal to null. */
export function sameJson(a: unknown, b: unknown): boolean {
  return jsonEqual(a ?? null, b ?? null);
}

/** Whether two objects are equal outside metadata, status and type meta: what the default generation rule compares. */
export function sameSpecPart(a: KubeObject, b: KubeObject): boolean {
  const { metadata: _ma, status: _sa, apiVersion: _aa, kind: _ka, ...restA } = a;
  const { metadata: _mb, status: _sb, apiVersion: _ab, kind: _kb, ...restB } = b;
  return jsonEqual(restA, restB);
}
