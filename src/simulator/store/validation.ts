/**
 * Create/update validation the store runs for every writer (HTTP or in-process), with upstream's field
 * paths and messages (pkg/apis/core/validation, apimachinery/pkg/util/validation).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { validateCustomResource } from './crd-validation';
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

/**
 * Upstream ValidateReplicationControllerSpec: a non-empty selector (defaulted from the template's labels,
 * which happens after validation here, so an empty selector with labelled template passes), a template
 * whose labels match it, and `restartPolicy: Always`.
 */
function validateReplicationController(obj: KubeObject, errs: FieldError[]): void {
  const spec = obj['spec'];
  if (spec?.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      value: spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
  const tmpl = spec?.template;
  const labels: Record<string, unknown> = tmpl?.metadata?.labels ?? {};
  const given = spec?.selector;
  const sel: Record<string, unknown> =
    given !== undefined && given !== null && typeof given === 'object' && Object.keys(given).length > 0
      ? given
      : labels;
  if (Object.keys(sel).length === 0) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  if (tmpl === undefined || tmpl === null || typeof tmpl !== 'object') {
    errs.push({ type: 'FieldValueRequired', field: 'spec.template' });
    return;
  }
  if (Object.entries(sel).some(([k, v]) => labels[k] !== v)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      value: labels,
      detail: '`selector` does not match template `labels`',
    });
  }
  validatePodSpec(tmpl.spec, 'spec.template.spec', errs);
  const rp = tmpl.spec?.restartPolicy;
  if (rp !== undefined && rp !== 'Always')
    errs.push({
      type: 'FieldValueNotSupported',
      field: 'spec.template.spec.restartPolicy',
      value: rp,
      detail: 'supported values: "Always"',
    });
}

/** Upstream validateIngressBackend: exactly one of `service` (name plus port name or number) and `resource`. */
function validateIngressBackend(b: any, path: string, errs: FieldError[]): void {
  if (b === null || typeof b !== 'object') {
    errs.push({ type: 'FieldValueRequired', field: path });
    return;
  }
  const svc = b.service;
  const res = b.resource;
  if (svc !== undefined && res !== undefined) {
    errs.push({
      type: 'FieldValueInvalid',
      field: path,
      value: b,
      detail: 'cannot set both resource and service backends',
    });
    return;
  }
  if (res !== undefined) {
    if (typeof res?.kind !== 'string' || res.kind === '')
      errs.push({ type: 'FieldValueRequired', field: `${path}.resource.kind` });
    if (typeof res?.name !== 'string' || res.name === '')
      errs.push({ type: 'FieldValueRequired', field: `${path}.resource.name` });
    return;
  }
  if (svc === undefined || svc === null || typeof svc !== 'object') {
    errs.push({
      type: 'FieldValueInvalid',
      field: path,
      value: b,
      detail: 'one backend (service or resource) must be specified',
    });
    return;
  }
  if (typeof svc.name !== 'string' || svc.name === '')
    errs.push({ type: 'FieldValueRequired', field: `${path}.service.name` });
  else if (!DNS1035_LABEL.test(svc.name))
    errs.push({ type: 'FieldValueInvalid', field: `${path}.service.name`, value: svc.name, detail: DNS1035_MSG });
  const port = svc.port ?? {};
  const hasName = typeof port.name === 'string' && port.name !== '';
  const hasNumber = port.number !== undefined && port.number !== null && port.number !== 0;
  if (hasName && hasNumber)
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.service.port`,
      value: port,
      detail: 'cannot set both port name & port number',
    });
  else if (!hasName && !hasNumber)
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.service.port`,
      value: port,
      detail: 'port name or number is required',
    });
  else if (hasNumber && (!Number.isInteger(port.number) || port.number < 1 || port.number > 65535))
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.service.port.number`,
      value: port.number,
      detail: 'must be between 1 and 65535, inclusive',
    });
}

/** Upstream ValidateIngressSpec (the required parts): a default backend or rules; paths with pathType and a backend. */
function validateIngress(obj: KubeObject, errs: FieldError[]): void {
  const spec = obj['spec'] ?? {};
  const rules = spec.rules;
  if (
    (!Array.isArray(rules) || rules.length === 0) &&
    (spec.defaultBackend === undefined || spec.defaultBackend === null)
  ) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec',
      value: spec,
      detail: 'either `defaultBackend` or `rules` must be specified',
    });
  }
  if (spec.defaultBackend !== undefined && spec.defaultBackend !== null)
    validateIngressBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
  (Array.isArray(rules) ? rules : []).forEach((r: any, i: number) => {
    const rp = `spec.rules[${i}]`;
    if (r?.host !== undefined && r.host !== '' && !DNS1123_SUBDOMAIN.test(String(r.host).replace(/^\*\./, '')))
      errs.push({ type: 'FieldValueInvalid', field: `${rp}.host`, value: r.host, detail: SUBDOMAIN_MSG });
    if (r?.http === undefined || r.http === null) return;
    const paths = r.http.paths;
    if (!Array.isArray(paths) || paths.length === 0) {
      errs.push({ type: 'FieldValueRequired', field: `${rp}.http.paths` });
      return;
    }
    paths.forEach((p: any, j: number) => {
      const pp = `${rp}.http.paths[${j}]`;
      const pt = p?.pathType;
      if (pt === undefined || pt === null || pt === '')
        errs.push({ type: 'FieldValueRequired', field: `${pp}.pathType`, detail: 'pathType must be specified' });
      else if (!['Exact', 'Prefix', 'ImplementationSpecific'].includes(pt))
        errs.push({
          type: 'FieldValueNotSupported',
          field: `${pp}.pathType`,
          value: pt,
          detail: 'supported values: "Exact", "ImplementationSpecific", "Prefix"',
        });
      else if ((pt === 'Exact' || pt === 'Prefix') && !String(p?.path ?? '').startsWith('/'))
        errs.push({
          type: 'FieldValueInvalid',
          field: `${pp}.path`,
          value: p?.path ?? '',
          detail: 'must be an absolute path',
        });
      validateIngressBackend(p?.backend, `${pp}.backend`, errs);
    });
  });
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: any, i: number) => {
    if (t?.hosts !== undefined && !Array.isArray(t.hosts))
      errs.push({ type: 'FieldValueInvalid', field: `spec.tls[${i}].hosts`, value: t.hosts, detail: 'must be a list' });
  });
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
  // A custom resource: its CRD's schema (non-nullable nulls are dropped from obj first).
  if (kind.custom) return [...errs, ...validateCustomResource(kind.schema, obj)];
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
    case '/replicationcontrollers':
      validateReplicationController(obj, errs);
      break;
    case 'networking.k8s.io/ingresses':
      validateIngress(obj, errs);
      break;
    case 'networking.k8s.io/ingressclasses':
      if (typeof obj['spec']?.controller !== 'string' || obj['spec'].controller === '')
        errs.push({ type: 'FieldValueRequired', field: 'spec.controller' });
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

/** JSON with every object's keys sorted: equal for equal values, whatever order their fields came in. */
function canonicalJson(v: unknown): string {
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

/** Validates an update against the old object (immutable fields); returns field errors. */
export function validateUpdate(kind: ResourceKind, oldObj: KubeObject, newObj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (kind.group === '' && kind.resource === 'pods') {
    // Upstream ValidatePodUpdate: containers may not be added or removed (ValidateContainerUpdates,
    // which stops there); otherwise only images, activeDeadlineSeconds, tolerations (additions) and
    // terminationGracePeriodSeconds may change. Specs are compared as values (Semantic.DeepEqual),
    // whatever order a client wrote their fields in.
    for (const list of ['containers', 'initContainers']) {
      const before = oldObj['spec']?.[list];
      const after = newObj['spec']?.[list];
      if ((Array.isArray(before) ? before.length : 0) !== (Array.isArray(after) ? after.length : 0)) {
        errs.push({
          type: 'FieldValueForbidden',
          field: `spec.${list}`,
          detail: 'pod updates may not add or remove containers',
        });
        return errs;
      }
    }
    const norm = (spec: any): string => {
      const s = structuredClone(spec ?? {});
      for (const l of ['containers', 'initContainers'])
        for (const c of s[l] ?? []) if (c !== null && typeof c === 'object') delete c.image;
      delete s.activeDeadlineSeconds;
      delete s.tolerations;
      delete s.terminationGracePeriodSeconds;
      return canonicalJson(s);
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
  if (
    kind.group === '' &&
    (kind.resource === 'secrets' || kind.resource === 'configmaps') &&
    oldObj['immutable'] === true
  ) {
    // ValidateSecretUpdate / ValidateConfigMapUpdate: an immutable object keeps its data and stays immutable.
    const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? {}) === canonicalJson(b ?? {});
    if (newObj['immutable'] !== true)
      errs.push({
        type: 'FieldValueForbidden',
        field: 'immutable',
        detail: 'field is immutable when `immutable` is set',
      });
    if (!same(oldObj['data'], newObj['data']))
      errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
    if (kind.resource === 'configmaps' && !same(oldObj['binaryData'], newObj['binaryData']))
      errs.push({
        type: 'FieldValueForbidden',
        field: 'binaryData',
        detail: 'field is immutable when `immutable` is set',
      });
  }
  if (kind.group === 'networking.k8s.io' && kind.resource === 'ingressclasses') {
    if (JSON.stringify(oldObj['spec']?.controller) !== JSON.stringify(newObj['spec']?.controller))
      errs.push({
        type: 'FieldValueInvalid',
        field: 'spec.controller',
        value: newObj['spec']?.controller,
        detail: 'field is immutable',
      });
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
