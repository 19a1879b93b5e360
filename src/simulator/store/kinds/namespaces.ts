/**
 * Namespace (core/v1): pkg/registry/core/namespace. A new namespace carries the `kubernetes`
 * finalizer and phase Active; deleting it (store/lifecycle) makes it Terminating until it is empty.
 */
import { isObj, obj } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { dns1123LabelName } from './shared/names';
import { AGE, NAME, age, col } from './shared/printing';

/** Namespaces. */
export const namespaces: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  subresources: ['status', 'finalize'],
  fieldLabels: ['status.phase'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  defaults: (o) => {
    const m = obj(o, 'metadata');
    if (typeof m['name'] === 'string' && m['name'] !== '')
      m['labels'] = { ...(isObj(m['labels']) ? m['labels'] : {}), 'kubernetes.io/metadata.name': m['name'] };
    const st = obj(o, 'status');
    if (!st['phase']) st['phase'] = 'Active';
  },
  validateName: dns1123LabelName,
  prepareForCreate: (o) => {
    o['spec'] = { finalizers: ['kubernetes'], ...(o['spec'] ?? {}) };
    if (o.metadata.deletionTimestamp === undefined) o['status'] = { phase: 'Active' };
  },
  returnsDeletedObject: true,
  printer: {
    columns: [NAME, col('Status'), AGE],
    cells: (o, now) => [o.metadata.name, o['status']?.phase ?? 'Active', age(o, now)],
  },
};
