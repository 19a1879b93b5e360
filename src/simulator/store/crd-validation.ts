/**
 * A custom resource checked against its CRD's `openAPIV3Schema`, as kube-apiserver's apiextensions
 * validation (kube-openapi's schema validator, then kubeOpenAPIResultToFieldErrors) reports it:
 * type, nullable, required, minimum/maximum (exclusive too), multipleOf, minLength/maxLength,
 * pattern, enum, minItems/maxItems, minProperties/maxProperties, items, properties and
 * additionalProperties, with upstream's field paths, reasons and words. Errors of several fields come
 * out in sorted field order (upstream's follow Go's map order, which varies from run to run).
 *
 * Before validation, `null` in a field whose schema is not nullable is dropped, as apiextensions does
 * while decoding (so a required field sent as null is "Required value"). Contract: never throws;
 * metadata, apiVersion and kind are not looked at (the generic object checks own them).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { FieldError } from './errors';

type Schema = Record<string, any>;

const ROOT_SKIP = new Set(['apiVersion', 'kind', 'metadata']);

/** The JSON type name Go's decoder gives a value ("integer" for a whole number). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

/** Go's %v of a number as kube-openapi prints limits and values (1, 1.5, -3). */
function num(n: number): string {
  return String(n);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * maxItems/minItems (`noun` "items") or maxProperties/minProperties ("properties") of a value with
 * `count` entries, in kube-apiserver's words: too many is FieldValueTooMany "must have at most N items"
 * for both (upstream says items for properties too), too few is "<path> in body should have at least N <noun>".
 */
function countBounds(
  count: number,
  max: unknown,
  min: unknown,
  noun: 'items' | 'properties',
  path: string,
  errs: FieldError[],
): void {
  if (typeof max === 'number' && count > max)
    errs.push({ type: 'FieldValueTooMany', field: path, value: count, detail: `must have at most ${max} items` });
  if (typeof min === 'number' && count < min)
    errs.push({
      type: 'FieldValueInvalid',
      field: path,
      value: count,
      detail: `${path} in body should have at least ${min} ${noun}`,
    });
}

/** Drops `null` from fields whose schema is not nullable (apiextensions' PruneNonNullableNulls). */
function dropNulls(v: unknown, s: Schema | undefined): void {
  if (s === undefined || !isObject(s)) return;
  if (isObject(v)) {
    const props: Schema = isObject(s['properties']) ? s['properties'] : {};
    const extra: Schema | undefined = isObject(s['additionalProperties']) ? s['additionalProperties'] : undefined;
    for (const k of Object.keys(v)) {
      const ps: Schema | undefined = props[k] ?? extra;
      if (ps === undefined) continue;
      if (v[k] === null && ps['nullable'] !== true) delete v[k];
      else dropNulls(v[k], ps);
    }
  } else if (Array.isArray(v) && isObject(s['items'])) {
    for (const x of v) dropNulls(x, s['items']);
  }
}

function typeMatches(v: unknown, s: Schema): boolean {
  const t = s['type'];
  if (s['x-kubernetes-int-or-string'] === true) return typeof v === 'string' || jsonType(v) === 'integer';
  if (typeof t !== 'string' || t === '') return true;
  const actual = jsonType(v);
  if (t === 'number') return actual === 'number' || actual === 'integer';
  if (t === 'integer') return actual === 'integer' || actual === 'number'; // a fraction is reported below
  return actual === t;
}

function validate(v: unknown, s: Schema, path: string, errs: FieldError[], root = false): void {
  if (v === null && s['nullable'] === true) return;
  if (!typeMatches(v, s) || (v === null && typeof s['type'] === 'string' && s['type'] !== '')) {
    const actual = jsonType(v);
    errs.push({
      type: 'FieldValueTypeInvalid',
      field: path,
      value: actual,
      detail: `${path} in body must be of type ${s['x-kubernetes-int-or-string'] === true ? 'integer,string' : s['type']}: "${actual}"`,
    });
    return;
  }
  if (s['type'] === 'integer' && typeof v === 'number' && !Number.isInteger(v)) {
    errs.push({
      type: 'FieldValueTypeInvalid',
      field: path,
      value: 'number',
      detail: `${path} in body must be of type integer: "number"`,
    });
    errs.push({
      type: 'FieldValueInvalid',
      field: '<nil>',
      value: '',
      detail: `Checked value must be of type integer (default format) in ${path}`,
    });
    return;
  }
  if (typeof v === 'number') {
    const max = s['maximum'];
    if (typeof max === 'number') {
      if (s['exclusiveMaximum'] === true ? v >= max : v > max)
        errs.push({
          type: 'FieldValueInvalid',
          field: path,
          value: v,
          detail: `${path} in body should be less than ${s['exclusiveMaximum'] === true ? '' : 'or equal to '}${num(max)}`,
        });
    }
    const min = s['minimum'];
    if (typeof min === 'number') {
      if (s['exclusiveMinimum'] === true ? v <= min : v < min)
        errs.push({
          type: 'FieldValueInvalid',
          field: path,
          value: v,
          detail: `${path} in body should be greater than ${s['exclusiveMinimum'] === true ? '' : 'or equal to '}${num(min)}`,
        });
    }
    const mult = s['multipleOf'];
    if (typeof mult === 'number' && mult > 0 && Math.abs(v / mult - Math.round(v / mult)) > 1e-9)
      errs.push({
        type: 'FieldValueInvalid',
        field: path,
        value: v,
        detail: `${path} in body should be a multiple of ${num(mult)}`,
      });
  }
  if (typeof v === 'string') {
    // kube-openapi's string validator stops at its first failure: maxLength, minLength, pattern.
    const length = [...v].length;
    let re: RegExp | undefined;
    if (typeof s['pattern'] === 'string') {
      try {
        re = new RegExp(s['pattern'], 'u');
      } catch {
        re = undefined; // a pattern JavaScript cannot read is not checked
      }
    }
    if (typeof s['maxLength'] === 'number' && length > s['maxLength'])
      errs.push({ type: 'FieldValueTooLong', field: path, detail: `may not be more than ${s['maxLength']} bytes` });
    else if (typeof s['minLength'] === 'number' && length < s['minLength'])
      errs.push({
        type: 'FieldValueInvalid',
        field: path,
        value: v,
        detail: `${path} in body should be at least ${s['minLength']} chars long`,
      });
    else if (re !== undefined && !re.test(v))
      errs.push({
        type: 'FieldValueInvalid',
        field: path,
        value: v,
        detail: `${path} in body should match '${s['pattern']}'`,
      });
  }
  if (Array.isArray(s['enum']) && !s['enum'].some((e: unknown) => JSON.stringify(e) === JSON.stringify(v))) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: path,
      value: v,
      detail: `supported values: ${s['enum'].map((e: unknown) => JSON.stringify(e)).join(', ')}`,
    });
  }
  if (Array.isArray(v)) {
    countBounds(v.length, s['maxItems'], s['minItems'], 'items', path, errs);
    if (isObject(s['items'])) v.forEach((x, i) => validate(x, s['items'], `${path}[${i}]`, errs));
  }
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => !(root && ROOT_SKIP.has(k)));
    countBounds(keys.length, s['maxProperties'], s['minProperties'], 'properties', path, errs);
    const required: string[] = Array.isArray(s['required']) ? s['required'] : [];
    for (const r of [...required].sort()) {
      if (root && ROOT_SKIP.has(r)) continue;
      if (!(r in v)) errs.push({ type: 'FieldValueRequired', field: join(path, r) });
    }
    const props: Schema = isObject(s['properties']) ? s['properties'] : {};
    const extra: Schema | undefined = isObject(s['additionalProperties']) ? s['additionalProperties'] : undefined;
    for (const k of [...keys].sort()) {
      const ps: Schema | undefined = isObject(props[k]) ? props[k] : extra;
      if (ps !== undefined) validate(v[k], ps, join(path, k), errs);
    }
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Checks `obj` (a custom resource; changed in place: non-nullable nulls dropped) against `schema`;
 * returns the field errors (empty when it conforms, or when there is no schema).
 */
export function validateCustomResource(schema: unknown, obj: Record<string, any>): FieldError[] {
  if (!isObject(schema)) return [];
  dropNulls(obj, schema);
  const errs: FieldError[] = [];
  validate(obj, schema, '', errs, true);
  return errs;
}
