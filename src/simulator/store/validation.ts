/**
 * Create/update validation the store runs for every writer (HTTP or in-process), with upstream's field
 * paths and messages (pkg/apis/core/validation, apimachinery/pkg/util/validation).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { type FieldError } from './errors';
import type { ResourceKind } from './registry';
import type { KubeObject } from './types';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Upstream's explanation for an invalid DNS-1123 subdomain. */
export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
/** Upstream's explanation for an invalid DNS-1123 label. */
export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
/** Upstream's explanation for an invalid DNS-1035 label. */
export const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const PATH_SEGMENT_KINDS = new Set(['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'events']);

/** Checks `metadata.name` against the kind's naming rule; returns field errors (empty when valid). */
export function validateName(kind: ResourceKind, name: string, field = 'metadata.name'): FieldError[] {
  if (kind.group === '' && kind.resource === 'namespaces') {
    return DNS1123_LABEL.test(name) && name.length <= 63
      ? []
      : [{ type: 'FieldValueInvalid', field, value: name, detail: LABEL_MSG }];
  }
  if (kind.group === '' && kind.resource === 'services') {
    return DNS1035_LABEL.test(name) && name.length <= 63
      ? []
      : [{ type: 'FieldValueInvalid', field, value: name, detail: DNS1035_MSG }];
  }
  if (PATH_SEGMENT_KINDS.has(kind.resource)) {
    if (name === '.' || name === '..')
      return [{ type: 'FieldValueInvalid', field, value: name, detail: `may not be '${name}'` }];
    if (/[/%]/.test(name)) return [{ type: 'FieldValueInvalid', field, value: name, detail: `may not contain '/'` }];
    return [];
  }
  return DNS1123_SUBDOMAIN.test(name) && name.length <= 253
    ? []
    : [{ type: 'FieldValueInvalid', field, value: name, detail: SUBDOMAIN_MSG }];
}

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

function validatePodSpec(spec: any, path: string, errs: FieldError[]): void {
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

function validateWorkload(obj: KubeObject, errs: FieldError[], needsSelector: boolean): void {
  const spec = obj['spec'];
  if (needsSelector && (spec?.selector === undefined || spec?.selector === null))
    errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  if (spec?.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      value: spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
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

/** Validates an object about to be created or updated; returns field errors (empty when valid). */
export function validateObject(kind: ResourceKind, obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata.name;
  if (name === undefined || name === '')
    errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  else errs.push(...validateName(kind, name));
  const labels = obj.metadata.labels;
  if (labels !== undefined && labels !== null) {
    for (const [k, v] of Object.entries(labels)) {
      if (
        typeof v !== 'string' ||
        (v !== '' && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) ||
        v.length > 63
      ) {
        errs.push({
          type: 'FieldValueInvalid',
          field: `metadata.labels`,
          value: v,
          detail:
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        });
      }
      void k;
    }
  }
  if (kind.custom) return errs;
  const key = `${kind.group}/${kind.resource}`;
  switch (key) {
    case '/pods':
      validatePodSpec(obj['spec'], 'spec', errs);
      break;
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/statefulsets':
    case 'apps/daemonsets':
      validateWorkload(obj, errs, true);
      break;
    case 'batch/jobs':
      validateWorkload(obj, errs, false);
      break;
    case 'batch/cronjobs':
      if (typeof obj['spec']?.schedule !== 'string' || obj['spec'].schedule === '')
        errs.push({ type: 'FieldValueRequired', field: 'spec.schedule' });
      validatePodSpec(obj['spec']?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec', errs);
      break;
    case '/services': {
      const s = obj['spec'] ?? {};
      if (s.type !== 'ExternalName' && s.clusterIP !== 'None' && (!Array.isArray(s.ports) || s.ports.length === 0)) {
        errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
      }
      break;
    }
    case 'scheduling.k8s.io/priorityclasses':
      if (typeof obj['value'] !== 'number') errs.push({ type: 'FieldValueRequired', field: 'value' });
      break;
    case 'apiextensions.k8s.io/customresourcedefinitions': {
      const s = obj['spec'] ?? {};
      if (typeof s.group !== 'string' || s.group === '') errs.push({ type: 'FieldValueRequired', field: 'spec.group' });
      if (typeof s.names?.plural !== 'string') errs.push({ type: 'FieldValueRequired', field: 'spec.names.plural' });
      if (typeof s.names?.kind !== 'string') errs.push({ type: 'FieldValueRequired', field: 'spec.names.kind' });
      if (!Array.isArray(s.versions) || s.versions.length === 0)
        errs.push({ type: 'FieldValueRequired', field: 'spec.versions' });
      if (
        typeof s.group === 'string' &&
        typeof s.names?.plural === 'string' &&
        name !== `${s.names.plural}.${s.group}`
      ) {
        errs.push({
          type: 'FieldValueInvalid',
          field: 'metadata.name',
          value: name,
          detail: `must be spec.names.plural+"."+spec.group`,
        });
      }
      break;
    }
  }
  return errs;
}

/** Validates an update against the old object (immutable fields); returns field errors. */
export function validateUpdate(kind: ResourceKind, oldObj: KubeObject, newObj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (kind.group === '' && kind.resource === 'pods') {
    // Upstream ValidatePodUpdate: only images, activeDeadlineSeconds, tolerations (additions) and
    // terminationGracePeriodSeconds may change.
    const norm = (spec: any): string => {
      const s = structuredClone(spec ?? {});
      for (const l of ['containers', 'initContainers'])
        for (const c of s[l] ?? []) if (c !== null && typeof c === 'object') delete c.image;
      delete s.activeDeadlineSeconds;
      delete s.tolerations;
      delete s.terminationGracePeriodSeconds;
      return JSON.stringify(s);
    };
    if (norm(oldObj['spec']) !== norm(newObj['spec'])) {
      errs.push({
        type: 'FieldValueForbidden',
        field: 'spec',
        detail:
          'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
    }
  }
  if (kind.group === 'apps' && ['deployments', 'replicasets', 'statefulsets', 'daemonsets'].includes(kind.resource)) {
    if (JSON.stringify(oldObj['spec']?.selector) !== JSON.stringify(newObj['spec']?.selector)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.selector',
        value: newObj['spec']?.selector,
        detail: 'field is immutable',
      });
    }
  }
  return errs;
}
