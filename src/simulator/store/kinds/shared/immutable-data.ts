/** The `immutable: true` rule Secrets and ConfigMaps share (ValidateSecretUpdate, ValidateConfigMapUpdate). */
import type { FieldError } from '../../errors';
import type { KubeObject } from '../../types';
import { canonicalJson } from './json';

/** An immutable object stays immutable and keeps the `fields` it holds its data in. */
export function immutableData(old: KubeObject, o: KubeObject, errs: FieldError[], fields: readonly string[]): void {
  if (old['immutable'] !== true) return;
  const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? {}) === canonicalJson(b ?? {});
  if (o['immutable'] !== true)
    errs.push({
      type: 'FieldValueForbidden',
      field: 'immutable',
      detail: 'field is immutable when `immutable` is set',
    });
  for (const f of fields)
    if (!same(old[f], o[f]))
      errs.push({ type: 'FieldValueForbidden', field: f, detail: 'field is immutable when `immutable` is set' });
}
