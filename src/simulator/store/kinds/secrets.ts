/**
 * Secret (core/v1): type defaults to Opaque; `stringData` is folded into `data` on decode and never
 * stored; an immutable Secret keeps its data (ValidateSecretUpdate).
 */
import { immutableData } from './shared/immutable-data';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** Secrets. */
export const secrets: KindDefinition = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
  fieldLabels: ['type'],
  defaults: (o) => {
    if (!o['type']) o['type'] = 'Opaque';
  },
  normalise: (o) => {
    if (o['stringData'] === undefined) return;
    // Upstream's v1 conversion: stringData overwrites data keys (base64) and is never stored.
    const sd: unknown = o['stringData'];
    if (sd !== null && typeof sd === 'object') {
      const data: Record<string, string> = { ...(o['data'] ?? {}) };
      for (const [k, v] of Object.entries(sd as Record<string, unknown>))
        data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      o['data'] = data;
    }
    delete o['stringData'];
  },
  validateUpdate: (old, o, errs) => immutableData(old, o, errs, ['data']),
  printer: {
    columns: [NAME, col('Type'), col('Data', 'integer'), AGE],
    cells: (o, now) => [o.metadata.name, o['type'] ?? 'Opaque', Object.keys(o['data'] ?? {}).length, age(o, now)],
  },
};
