/** CSIDriver (storage.k8s.io/v1): SetDefaults_CSIDriver. */
import { obj, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** CSIDrivers. */
export const csidrivers: KindDefinition = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'csidrivers',
  kind: 'CSIDriver',
  namespaced: false,
  defaults: (o) => {
    const spec = obj(o, 'spec');
    setIfAbsent(spec, 'attachRequired', true);
    setIfAbsent(spec, 'podInfoOnMount', false);
    setIfAbsent(spec, 'storageCapacity', false);
    setIfAbsent(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
    if (!Array.isArray(spec['volumeLifecycleModes']) || spec['volumeLifecycleModes'].length === 0)
      spec['volumeLifecycleModes'] = ['Persistent'];
    setIfAbsent(spec, 'requiresRepublish', false);
    setIfAbsent(spec, 'seLinuxMount', false);
    setIfAbsent(spec, 'preventPodSchedulingIfMissing', false);
  },
  returnsDeletedObject: true,
  printer: nameAgePrinter,
};
