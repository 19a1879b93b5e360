/** EndpointSlice (discovery.k8s.io/v1): ports default to TCP with an empty name; labels count for generation. */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { isObj, sameJson, sameSpecPart, setIfAbsent } from './shared/json';
import type { KindDefinition } from './shared/kind';
import { AGE, NAME, age, col } from './shared/printing';

/** EndpointSlices. */
export const endpointslices: KindDefinition = {
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
  hasGeneration: true,
  defaults: (o) => {
    for (const p of Array.isArray(o['ports']) ? o['ports'] : []) {
      if (!isObj(p)) continue;
      setIfAbsent(p, 'name', '');
      setIfAbsent(p, 'protocol', 'TCP');
    }
  },
  generationChanged: (old, o) => !sameSpecPart(old, o) || !sameJson(old.metadata.labels, o.metadata.labels),
  printer: {
    columns: [NAME, col('AddressType'), col('Ports'), col('Endpoints'), AGE],
    cells: (o, now) => [
      o.metadata.name,
      o['addressType'] ?? '',
      (o['ports'] ?? []).map((p: any) => p.port).join(',') || '<unset>',
      (o['endpoints'] ?? [])
        .flatMap((e: any) => e.addresses ?? [])
        .slice(0, 3)
        .join(',') || '<unset>',
      age(o, now),
    ],
  },
};
