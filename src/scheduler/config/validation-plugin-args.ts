/**
 * Plugin args validation, after pkg/scheduler/apis/config/validation/validation_pluginargs.go.
 *
 * Contract: each validator takes the field path of the args object
 * (e.g. `profiles[0].pluginConfig[2].args`) and the defaulted v1 args, and returns field errors
 * with upstream's wording. Wrong JSON types are reported as Invalid values naming the field
 * (upstream's strict decoder would reject them before validation).
 */
import { child, duplicate, forbidden, index, invalid, notSupported, required, type FieldError } from './field-error';
import { isQualifiedName } from '../../kube-api/qualified-name';

type Args = Record<string, unknown>;

/** `config.MaxCustomPriorityScore`: shape scores are 0..10. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;

const SCORING_STRATEGY_TYPES = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'];

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x);
}

function intField(errs: FieldError[], path: string, v: unknown): v is number {
  if (isInt(v)) return true;
  errs.push(invalid(path, v, 'must be an integer'));
  return false;
}

function validateLabelName(path: string, v: unknown): FieldError[] {
  if (typeof v !== 'string') return [invalid(path, v, 'must be a string')];
  return isQualifiedName(v).map((m) => invalid(path, v, m));
}

/** `ValidateDefaultPreemptionArgs`. */
function validateDefaultPreemptionArgs(path: string, a: Args): FieldError[] {
  const errs: FieldError[] = [];
  const pp = child(path, 'minCandidateNodesPercentage');
  const ap = child(path, 'minCandidateNodesAbsolute');
  const pct = a['minCandidateNodesPercentage'];
  const abs = a['minCandidateNodesAbsolute'];
  const pctOk = intField(errs, pp, pct);
  const absOk = intField(errs, ap, abs);
  if (pctOk && (pct < 0 || pct > 100)) errs.push(invalid(pp, pct, 'not in valid range [0, 100]'));
  if (absOk && abs < 0) errs.push(invalid(ap, abs, 'not in valid range [0, inf)'));
  if (pct === 0 && abs === 0) {
    errs.push(invalid(pp, pct, 'cannot be zero at the same time as minCandidateNodesAbsolute'));
    errs.push(invalid(ap, abs, 'cannot be zero at the same time as minCandidateNodesPercentage'));
  }
  return errs;
}

/** `ValidateInterPodAffinityArgs`: hardPodAffinityWeight in [0, 100]. */
function validateInterPodAffinityArgs(path: string, a: Args): FieldError[] {
  const errs: FieldError[] = [];
  const p = child(path, 'hardPodAffinityWeight');
  const w = a['hardPodAffinityWeight'];
  if (intField(errs, p, w) && (w < 0 || w > 100)) errs.push(invalid(p, w, 'not in valid range [0, 100]'));
  const ign = a['ignorePreferredTermsOfExistingPods'];
  if (ign !== undefined && typeof ign !== 'boolean') {
    errs.push(invalid(child(path, 'ignorePreferredTermsOfExistingPods'), ign, 'must be a boolean'));
  }
  return errs;
}

/** `ValidatePodTopologySpreadArgs`. */
function validatePodTopologySpreadArgs(path: string, a: Args): FieldError[] {
  const errs: FieldError[] = [];
  const dt = a['defaultingType'];
  const cs = a['defaultConstraints'] ?? [];
  const csPath = child(path, 'defaultConstraints');
  if (!Array.isArray(cs)) return [invalid(csPath, cs, 'must be a list')];
  if (dt !== 'System' && dt !== 'List') errs.push(notSupported(child(path, 'defaultingType'), dt, ['System', 'List']));
  else if (dt === 'System' && cs.length > 0)
    errs.push(invalid(child(path, 'defaultingType'), dt, 'when .defaultConstraints are not empty'));
  cs.forEach((c: unknown, i: number) => {
    const p = index(csPath, i);
    if (typeof c !== 'object' || c === null) {
      errs.push(invalid(p, c, 'must be an object'));
      return;
    }
    const con = c as Args;
    const ms = con['maxSkew'];
    if (!isInt(ms) || ms <= 0) errs.push(invalid(child(p, 'maxSkew'), ms ?? 0, 'not in valid range (0, inf)'));
    const tk = con['topologyKey'];
    if (tk === undefined || tk === '') errs.push(required(child(p, 'topologyKey'), 'can not be empty'));
    else errs.push(...validateLabelName(child(p, 'topologyKey'), tk));
    const wu = con['whenUnsatisfiable'];
    if (wu === undefined || wu === '') errs.push(required(child(p, 'whenUnsatisfiable'), 'can not be empty'));
    else if (wu !== 'DoNotSchedule' && wu !== 'ScheduleAnyway') {
      errs.push(notSupported(child(p, 'whenUnsatisfiable'), wu, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    if (con['labelSelector'] != null) {
      errs.push(
        forbidden(child(p, 'labelSelector'), 'constraint must not define a selector, as they deduced for each pod'),
      );
    }
    for (let j = 0; j < i; j++) {
      const o = cs[j] as Args | null;
      if (o && o['topologyKey'] === tk && o['whenUnsatisfiable'] === wu) {
        errs.push(duplicate(index(csPath, i), `{${String(tk)}, ${String(wu)}}`));
        break;
      }
    }
  });
  return errs;
}

/** `validateFunctionShape`: sorted utilizations in [0, 100], scores in [0, 10]. */
function validateFunctionShape(path: string, shape: unknown): FieldError[] {
  if (!Array.isArray(shape) || shape.length === 0) return [required(path, 'at least one point must be specified')];
  const errs: FieldError[] = [];
  const pts = shape as Args[];
  for (let i = 1; i < pts.length; i++) {
    const prev = pts[i - 1]?.['utilization'];
    const cur = pts[i]?.['utilization'];
    if (typeof prev === 'number' && typeof cur === 'number' && prev >= cur) {
      errs.push(invalid(child(index(path, i), 'utilization'), cur, 'values must be sorted in increasing order'));
      break;
    }
  }
  pts.forEach((pt, i) => {
    const u = pt?.['utilization'] ?? 0;
    const s = pt?.['score'] ?? 0;
    const up = child(index(path, i), 'utilization');
    const sp = child(index(path, i), 'score');
    if (intField(errs, up, u) && (u < 0 || u > 100)) errs.push(invalid(up, u, 'not in valid range [0, 100]'));
    if (intField(errs, sp, s) && (s < 0 || s > MAX_CUSTOM_PRIORITY_SCORE)) {
      errs.push(invalid(sp, s, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`));
    }
  });
  return errs;
}

function validateResources(path: string, resources: unknown): FieldError[] {
  if (!Array.isArray(resources)) return [invalid(path, resources, 'must be a list')];
  const errs: FieldError[] = [];
  resources.forEach((r: Args, i: number) => {
    const w = r?.['weight'];
    const wp = child(index(path, i), 'weight');
    if (intField(errs, wp, w) && (w <= 0 || w > 100)) {
      errs.push(invalid(wp, w, `resource weight of ${String(r['name'])} not in valid range (0, 100]`));
    }
  });
  return errs;
}

/** `ValidateNodeResourcesBalancedAllocationArgs`: unique resource names, every weight 1. */
export function validateNodeResourcesBalancedAllocationArgs(path: string, a: Args): FieldError[] {
  const errs: FieldError[] = [];
  const res = a['resources'];
  if (!Array.isArray(res)) return [invalid(child(path, 'resources'), res, 'must be a list')];
  const seen = new Set<unknown>();
  res.forEach((r: Args, i: number) => {
    const p = index(child(path, 'resources'), i);
    if (seen.has(r?.['name'])) errs.push(duplicate(child(p, 'name'), r?.['name']));
    else seen.add(r?.['name']);
    if (r?.['weight'] !== 1) errs.push(invalid(child(p, 'weight'), r?.['weight'], 'must be 1'));
  });
  return errs;
}

/** `ValidateNodeResourcesFitArgs`: ignored resources, scoring strategy type, weights and RTCR shape. */
export function validateNodeResourcesFitArgs(path: string, a: Args): FieldError[] {
  const errs: FieldError[] = [];
  const ir = a['ignoredResources'] ?? [];
  if (!Array.isArray(ir)) errs.push(invalid(child(path, 'ignoredResources'), ir, 'must be a list'));
  else
    ir.forEach((r: unknown, i: number) =>
      errs.push(...validateLabelName(index(child(path, 'ignoredResources'), i), r)),
    );
  const ig = a['ignoredResourceGroups'] ?? [];
  if (!Array.isArray(ig)) errs.push(invalid(child(path, 'ignoredResourceGroups'), ig, 'must be a list'));
  else
    ig.forEach((g: unknown, i: number) => {
      const p = index(child(path, 'ignoredResourceGroups'), i);
      if (typeof g === 'string' && g.includes('/')) errs.push(invalid(p, g, "resource group name can't contain '/'"));
      errs.push(...validateLabelName(p, g));
    });
  const sp = child(path, 'scoringStrategy');
  const ss = a['scoringStrategy'] as Args | undefined;
  if (ss == null || typeof ss !== 'object') {
    errs.push(required(sp, 'ScoringStrategy field is required'));
    return errs;
  }
  const t = ss['type'];
  if (typeof t !== 'string' || !SCORING_STRATEGY_TYPES.includes(t)) {
    errs.push(notSupported(child(sp, 'type'), t, SCORING_STRATEGY_TYPES));
  }
  errs.push(...validateResources(child(sp, 'resources'), ss['resources']));
  const rtcr = ss['requestedToCapacityRatio'] as Args | undefined;
  if (t === 'RequestedToCapacityRatio') {
    if (rtcr == null)
      errs.push(
        required(child(sp, 'requestedToCapacityRatio'), 'must be specified when type is RequestedToCapacityRatio'),
      );
    else errs.push(...validateFunctionShape(child(sp, 'requestedToCapacityRatio', 'shape'), rtcr['shape']));
  } else if (rtcr != null) {
    errs.push(
      forbidden(child(sp, 'requestedToCapacityRatio'), 'must be nil when type is not RequestedToCapacityRatio'),
    );
  }
  return errs;
}

/** `ValidateVolumeBindingArgs` with StorageCapacityScoring on (its 1.37 default). */
function validateVolumeBindingArgs(path: string, a: Args): FieldError[] {
  const errs: FieldError[] = [];
  const bt = a['bindTimeoutSeconds'];
  const bp = child(path, 'bindTimeoutSeconds');
  if (intField(errs, bp, bt) && bt < 0)
    errs.push(invalid(bp, bt, 'invalid BindTimeoutSeconds, should not be a negative value'));
  errs.push(...validateFunctionShape(child(path, 'shape'), a['shape']));
  return errs;
}

/** `ValidateNodeAffinityArgs` (shape only: addedAffinity must be an object when present). */
function validateNodeAffinityArgs(path: string, a: Args): FieldError[] {
  const aa = a['addedAffinity'];
  if (aa !== undefined && aa !== null && (typeof aa !== 'object' || Array.isArray(aa))) {
    return [invalid(child(path, 'addedAffinity'), aa, 'must be an object')];
  }
  return [];
}

/** The validators by plugin name (the `m` map of `validatePluginConfig`). */
export const ARGS_VALIDATORS: Readonly<Record<string, (path: string, a: Args) => FieldError[]>> = {
  DefaultPreemption: validateDefaultPreemptionArgs,
  InterPodAffinity: validateInterPodAffinityArgs,
  NodeAffinity: validateNodeAffinityArgs,
  NodeResourcesBalancedAllocation: validateNodeResourcesBalancedAllocationArgs,
  // Upstream keys this one as "NodeResourcesFitArgs" (so config validation skips it) and
  // validates in the plugin's constructor instead; the model validates it here, with the path.
  NodeResourcesFit: validateNodeResourcesFitArgs,
  PodTopologySpread: validatePodTopologySpreadArgs,
  VolumeBinding: validateVolumeBindingArgs,
};
