/**
 * Decode-time defaults of built-in kinds the simulator does not serve but whose objects it defaults
 * (manifests the language server models: controllers/defaulting.ts defaults any built-in object by
 * apiVersion and kind). A served kind keeps its defaults in its own kind file.
 */
import { isObj, setIfAbsent, obj } from './json';
import type { Obj } from './kind';
import { defaultPodSpec } from '../../../../kube-api/pod-defaults';

/** `SetDefaults_*` by `group/Kind`. */
export const UNSERVED_DEFAULTS: ReadonlyMap<string, (o: Obj) => void> = new Map([
  [
    '/PodTemplate',
    (o: Obj): void => {
      if (isObj(o['template'])) defaultPodSpec(o['template']['spec']);
    },
  ],
  [
    'networking.k8s.io/NetworkPolicy',
    (o: Obj): void => {
      const spec = obj(o, 'spec');
      for (const dir of ['ingress', 'egress'])
        for (const r of Array.isArray(spec[dir]) ? spec[dir] : [])
          for (const p of isObj(r) && Array.isArray(r['ports']) ? r['ports'] : [])
            if (isObj(p)) setIfAbsent(p, 'protocol', 'TCP');
      if (!Array.isArray(spec['policyTypes']) || spec['policyTypes'].length === 0)
        spec['policyTypes'] =
          Array.isArray(spec['egress']) && spec['egress'].length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
    },
  ],
]);
