/**
 * The default spreading selector, after pkg/scheduler/framework/plugins/helper/spread.go
 * (`DefaultSelector`, `GetPodServices`).
 *
 * Contract: pure; reads Services, ReplicationControllers, ReplicaSets and StatefulSets through
 * `Handle.objects` / `Handle.getObject`. Objects with malformed selectors are skipped, as upstream
 * skips lister and parse errors.
 */
import type { KubeObject, Pod } from '../../../kube-api/types';
import type { Handle } from '../../framework/interface';
import {
  addRequirements,
  isSelectorError,
  labelSelectorAsSelector,
  selectorFromSet,
  type Selector,
} from '../../../kube-api/labels';

type LabelSet = Record<string, string>;

function isStringMap(x: unknown): x is LabelSet {
  if (x == null || typeof x !== 'object' || Array.isArray(x)) return false;
  for (const v of Object.values(x)) if (typeof v !== 'string') return false;
  return true;
}

/** `labels.Set(sel).Matches(podLabels)`: every pair of `sel` is a label of the pod. */
function setMatches(sel: LabelSet, podLabels: Readonly<LabelSet> | undefined): boolean {
  for (const k of Object.keys(sel)) {
    if (!podLabels || !Object.prototype.hasOwnProperty.call(podLabels, k) || podLabels[k] !== sel[k]) return false;
  }
  return true;
}

/** `GetPodServices`: Services in the pod's namespace whose non-nil selector matches the pod's labels. */
function getPodServices(pod: Pod, handle: Handle): KubeObject[] {
  const ns = pod.metadata?.namespace ?? '';
  const out: KubeObject[] = [];
  for (const svc of handle.objects('Service', ns)) {
    if ((svc.metadata?.namespace ?? '') !== ns) continue;
    const sel: unknown = svc.spec?.selector;
    // Services with nil selectors match nothing, not everything.
    if (!isStringMap(sel)) continue;
    if (setMatches(sel, pod.metadata?.labels)) out.push(svc);
  }
  return out;
}

/** `schema.ParseGroupVersion` + `WithKind`, as "group/version/kind"; undefined on a parse error. */
function ownerGVK(apiVersion: string | undefined, kind: string | undefined): string | undefined {
  const av = apiVersion ?? '';
  const parts = av.split('/');
  let group = '';
  let version = '';
  if (av === '') {
    // The empty string parses to the empty GroupVersion.
  } else if (parts.length === 1) {
    version = parts[0]!;
  } else if (parts.length === 2) {
    group = parts[0]!;
    version = parts[1]!;
  } else {
    return undefined;
  }
  return `${group}/${version}/${kind ?? ''}`;
}

const RC_KIND = '/v1/ReplicationController';
const RS_KIND = 'apps/v1/ReplicaSet';
const SS_KIND = 'apps/v1/StatefulSet';

/**
 * `helper.DefaultSelector`: the union of the selectors of the Services selecting the pod, plus the
 * selector of its controlling ReplicationController, ReplicaSet or StatefulSet. Everything (empty)
 * when nothing selects the pod.
 */
export function defaultSelector(pod: Pod, handle: Handle): Selector {
  let labelSet: LabelSet = {};
  for (const svc of getPodServices(pod, handle)) {
    labelSet = { ...labelSet, ...(svc.spec.selector as LabelSet) };
  }
  let selector = selectorFromSet(labelSet);

  const owner = pod.metadata?.ownerReferences?.find((r) => r != null && r.controller === true);
  if (!owner) return selector;
  const gvk = ownerGVK(owner.apiVersion, owner.kind);
  if (gvk === undefined) return selector;
  const ns = pod.metadata?.namespace ?? '';
  const name = owner.name ?? '';

  switch (gvk) {
    case RC_KIND: {
      const rc = handle.getObject('ReplicationController', ns, name);
      if (rc) {
        const sel: unknown = rc.spec?.selector;
        if (sel == null || isStringMap(sel)) {
          labelSet = { ...labelSet, ...(sel ?? {}) };
          selector = selectorFromSet(labelSet);
        }
      }
      break;
    }
    case RS_KIND:
    case SS_KIND: {
      const obj = handle.getObject(gvk === RS_KIND ? 'ReplicaSet' : 'StatefulSet', ns, name);
      if (obj) {
        const other = labelSelectorAsSelector(obj.spec?.selector);
        // Requirements() is not ok for Nothing (a nil selector): nothing is added then.
        if (!isSelectorError(other) && !other.nothing) selector = addRequirements(selector, other.requirements);
      }
      break;
    }
    default:
    // Not owned by a supported controller.
  }
  return selector;
}
