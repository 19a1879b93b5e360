/**
 * Ingress (networking.k8s.io/v1): ValidateIngressSpec's required parts (a default backend or rules;
 * paths with a pathType and one backend) and kubectl's Ingress columns.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { FieldError } from '../errors';
import type { KubeObject } from '../types';
import type { KindDefinition } from './shared/kind';
import { DNS1035_LABEL, DNS1035_MSG, DNS1123_SUBDOMAIN, SUBDOMAIN_MSG } from './shared/names';
import { AGE, NAME, age, col } from './shared/printing';

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

/** Ingresses. */
export const ingresses: KindDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  resource: 'ingresses',
  kind: 'Ingress',
  namespaced: true,
  shortNames: ['ing'],
  subresources: ['status'],
  hasGeneration: true,
  validate: validateIngress,
  printer: {
    columns: [NAME, col('Class'), col('Hosts'), col('Address'), col('Ports'), AGE],
    cells: (o, now) => {
      const s = o['spec'] ?? {};
      const hosts: string[] = (s.rules ?? [])
        .map((r: any) => r?.host)
        .filter((h: unknown) => typeof h === 'string' && h !== '');
      // Upstream formatHosts: at most three, then "+ N more...", and "*" when no rule names a host.
      const shown =
        hosts.length === 0
          ? '*'
          : hosts.slice(0, 3).join(',') + (hosts.length > 3 ? ` + ${hosts.length - 3} more...` : '');
      const lb: any[] = o['status']?.loadBalancer?.ingress ?? [];
      const addr = lb.map((i: any) => i?.ip ?? i?.hostname).filter((x: unknown) => typeof x === 'string' && x !== '');
      return [
        o.metadata.name,
        s.ingressClassName ?? '<none>',
        shown,
        addr.join(','),
        Array.isArray(s.tls) && s.tls.length > 0 ? '80, 443' : '80',
        age(o, now),
      ];
    },
  },
};
