/**
 * Field errors with k8s.io/apimachinery/pkg/util/validation/field wording (`field.Error.Error()`).
 *
 * Contract: configuration problems are values, never exceptions. Each error keeps its field
 * path (e.g. `profiles[0].plugins.score.enabled[1]`) and renders exactly as upstream does:
 * `<path>: <Type>[: <value>][: <detail>]`.
 */

/** Upstream `field.ErrorType` strings. */
export type FieldErrorType =
  | 'Invalid value'
  | 'Required value'
  | 'Duplicate value'
  | 'Unsupported value'
  | 'Forbidden'
  | 'Not found'
  | 'Internal error';

/** One configuration error; `message` is the full upstream-style text. */
export interface FieldError {
  readonly field: string;
  readonly type: FieldErrorType;
  readonly detail: string;
  readonly message: string;
}

/** A value printed as Go's field package would: strings quoted with %q, numbers/bools bare. */
function formatBadValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function make(field: string, type: FieldErrorType, body: string | undefined, detail: string): FieldError {
  let msg = `${field}: ${type}`;
  if (body !== undefined) msg += `: ${body}`;
  if (detail) msg += `: ${detail}`;
  return { field, type, detail, message: msg };
}

/** `field.Invalid(path, value, detail)`. */
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return make(field, 'Invalid value', formatBadValue(value), detail);
}

/** `field.Required(path, detail)`. */
export function required(field: string, detail = ''): FieldError {
  return make(field, 'Required value', undefined, detail);
}

/** `field.Duplicate(path, value)`. */
export function duplicate(field: string, value: unknown): FieldError {
  return make(field, 'Duplicate value', formatBadValue(value), '');
}

/** `field.Forbidden(path, detail)`. */
export function forbidden(field: string, detail: string): FieldError {
  return make(field, 'Forbidden', undefined, detail);
}

/** `field.NotSupported(path, value, supported)`: supported values are quoted and comma-joined. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : '';
  return make(field, 'Unsupported value', formatBadValue(value), detail);
}

/** An error that upstream reports without a field path (e.g. from `NewFramework`). */
export function plain(field: string, message: string): FieldError {
  return { field, type: 'Invalid value', detail: message, message: field ? `${field}: ${message}` : message };
}

/** Joins a path and a child name the way `field.Path.Child` renders. */
export function child(path: string, ...names: string[]): string {
  let p = path;
  for (const n of names) p = p ? `${p}.${n}` : n;
  return p;
}

/** `field.Path.Index`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
