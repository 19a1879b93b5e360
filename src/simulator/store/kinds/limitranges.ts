/** LimitRange (core/v1): Container limits default `default` from `max` and `defaultRequest` from those and `min`. */
import { isObj, obj } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { nameAgePrinter } from './shared/printing';

/** LimitRanges. */
export const limitranges: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'limitranges',
  kind: 'LimitRange',
  namespaced: true,
  shortNames: ['limits'],
  defaults: (o) => {
    for (const it of Array.isArray(o['spec']?.limits) ? o['spec'].limits : []) {
      if (!isObj(it) || it['type'] !== 'Container') continue;
      const def = obj(it, 'default');
      const req = obj(it, 'defaultRequest');
      for (const [k, v] of Object.entries(isObj(it['max']) ? it['max'] : {})) if (def[k] === undefined) def[k] = v;
      for (const [k, v] of Object.entries(def)) if (req[k] === undefined) req[k] = v;
      for (const [k, v] of Object.entries(isObj(it['min']) ? it['min'] : {})) if (req[k] === undefined) req[k] = v;
      if (Object.keys(def).length === 0) delete it['default'];
      if (Object.keys(req).length === 0) delete it['defaultRequest'];
    }
  },
  printer: nameAgePrinter,
};
