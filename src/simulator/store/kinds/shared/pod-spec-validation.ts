/**
 * The pod-spec and workload checks several kinds share (pkg/apis/core/validation ValidatePodSpec's
 * required parts, pkg/apis/apps/validation), with upstream's field paths and messages.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { FieldError } from '../../errors';
import type { KubeObject } from '../../types';
import { DNS1123_LABEL, LABEL_MSG } from './names';

function validateContainers(list: unknown, path: string, errs: FieldError[], required: boolean): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (required) errs.push({ type: 'FieldValueRequired', field: path });
    return;
  }
  const seen = new Set<string>();
  list.forEach((c: any, i: number) => {
    const p = `${path}[${i}]`;
    if (typeof c?.name !== 'string' || c.name === '') errs.push({ type: 'FieldValueRequired', field: `${p}.name` });
    else {
      if (!DNS1123_LABEL.test(c.name))
        errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, value: c.name, detail: LABEL_MSG });
      if (seen.has(c.name)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.name`, value: c.name });
      seen.add(c.name);
    }
    if (typeof c?.image !== 'string' || c.image === '') errs.push({ type: 'FieldValueRequired', field: `${p}.image` });
  });
}

/** Containers (required, named, with images), init containers and the restart policy of a pod spec at `path`. */
export function validatePodSpec(spec: any, path: string, errs: FieldError[]): void {
  if (spec === undefined || spec === null || typeof spec !== 'object') {
    errs.push({ type: 'FieldValueRequired', field: `${path}.containers` });
    return;
  }
  validateContainers(spec.containers, `${path}.containers`, errs, true);
  validateContainers(spec.initContainers, `${path}.initContainers`, errs, false);
  const rp = spec.restartPolicy;
  if (rp !== undefined && !['Always', 'OnFailure', 'Never'].includes(rp)) {
    errs.push({
      type: 'FieldValueNotSupported',
      field: `${path}.restartPolicy`,
      value: rp,
      detail: 'supported values: "Always", "OnFailure", "Never"',
    });
  }
}

/** `spec.replicas`, when set, is a number of at least 0. */
export function validateReplicas(spec: any, errs: FieldError[]): void {
  if (spec?.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      value: spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
}

/**
 * A workload with a pod template: replicas, the template's pod spec and, when `needsSelector`, a
 * selector whose matchLabels the template's labels satisfy.
 */
export function validateWorkload(obj: KubeObject, errs: FieldError[], needsSelector: boolean): void {
  const spec = obj['spec'];
  if (needsSelector && (spec?.selector === undefined || spec?.selector === null))
    errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  validateReplicas(spec, errs);
  validatePodSpec(spec?.template?.spec, 'spec.template.spec', errs);
  const sel = spec?.selector?.matchLabels;
  const labels = spec?.template?.metadata?.labels ?? {};
  if (needsSelector && sel !== undefined && sel !== null && typeof sel === 'object') {
    for (const [k, v] of Object.entries(sel)) {
      if (labels[k] !== v) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'spec.template.metadata.labels',
          value: labels,
          detail: '`selector` does not match template `labels`',
        });
        break;
      }
    }
  }
}

/** The apps workloads' update rule: `spec.selector` is immutable. */
export function selectorImmutable(old: KubeObject, obj: KubeObject, errs: FieldError[]): void {
  if (JSON.stringify(old['spec']?.selector) !== JSON.stringify(obj['spec']?.selector)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.selector',
      value: obj['spec']?.selector,
      detail: 'field is immutable',
    });
  }
}
