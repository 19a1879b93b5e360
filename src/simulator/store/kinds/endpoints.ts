/** Endpoints (core/v1): ports default to TCP; deprecated since v1.33 in favour of EndpointSlices. */
import { isObj } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** Endpoints. */
export const endpoints: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
  shortNames: ['ep'],
  defaults: (o) => {
    for (const ss of Array.isArray(o['subsets']) ? o['subsets'] : [])
      for (const p of isObj(ss) && Array.isArray(ss['ports']) ? ss['ports'] : [])
        if (isObj(p) && !p['protocol']) p['protocol'] = 'TCP';
  },
  requestWarning: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
  printer: nameAgePrinter,
};
