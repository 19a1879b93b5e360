/** ReplicaSet (apps/v1): one replica by default; the selector is immutable. */
import { obj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { defaultTemplate } from '../../../kube-api/pod-defaults';
import { selectorImmutable, validateWorkload } from './shared/pod-spec-validation';
import { replicaCountsPrinter } from './shared/printing';

/** ReplicaSets. */
export const replicasets: KindDefinition = {
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  kind: 'ReplicaSet',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  hasGeneration: true,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    setIfAbsent(spec, 'replicas', 1);
    defaultTemplate(spec);
  },
  validate: (o, errs) => validateWorkload(o, errs, true),
  validateUpdate: selectorImmutable,
  printer: replicaCountsPrinter,
};
