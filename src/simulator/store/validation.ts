/**
 * Create/update validation the store runs for every writer (HTTP or in-process), with upstream's field
 * paths and messages (pkg/apis/core/validation, apimachinery/pkg/util/validation): the metadata rules
 * every kind shares here, the kind's own rules from its file under kinds/ (`validateName`, `validate`,
 * `validateUpdate`), and a custom resource's CRD schema.
 */
import { validateCustomResource } from './crd-validation';
import { type FieldError } from './errors';
import { definitionOf } from './kinds';
import { dns1123SubdomainName } from './kinds/shared/names';
import type { ResourceKind } from './registry';
import type { KubeObject } from './types';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Checks `metadata.name` against the kind's naming rule; returns field errors (empty when valid). */
function validateName(kind: ResourceKind, name: string, field = 'metadata.name'): FieldError[] {
  return (definitionOf(kind)?.validateName ?? dns1123SubdomainName)(name, field);
}

/** Validates an object about to be created or updated; returns field errors (empty when valid). */
export function validateObject(kind: ResourceKind, obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name;
  if (name === undefined || name === '')
    errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  else errs.push(...validateName(kind, name));
  const labels = obj.metadata.labels;
  if (labels !== undefined && labels !== null) {
    for (const v of Object.values(labels)) {
      if (typeof v !== 'string' || (v !== '' && !LABEL_VALUE.test(v)) || v.length > 63)
        errs.push({ type: 'FieldValueInvalid', field: `metadata.labels`, value: v, detail: LABEL_VALUE_MSG });
    }
  }
  // A custom resource: its CRD's schema (non-nullable nulls are dropped from obj first).
  if (kind.custom) return [...errs, ...validateCustomResource(kind.schema, obj)];
  definitionOf(kind)?.validate?.(obj, errs);
  return errs;
}

/** Validates an update against the old object (immutable fields); returns field errors. */
export function validateUpdate(kind: ResourceKind, oldObj: KubeObject, newObj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  definitionOf(kind)?.validateUpdate?.(oldObj, newObj, errs);
  return errs;
}
