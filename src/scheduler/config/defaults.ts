/**
 * Defaulting of KubeSchedulerConfiguration and plugin args, after
 * pkg/scheduler/apis/config/v1/defaults.go.
 *
 * Contract: functions return defaulted copies; inputs are never mutated. Args are v1
 * camelCase objects; an explicit value (including an explicit 0 where upstream uses a
 * pointer) is kept, exactly as upstream's pointer-based defaulting does.
 */
import { getDefaultPlugins, mergePlugins } from './default-plugins';
import type {
  ResourceSpec,
  UtilizationShapePoint,
  V1Configuration,
  V1PluginConfig,
  V1Plugins,
  V1Profile,
} from './types';
import { DEFAULT_SCHEDULER_NAME, EXTENSION_POINTS } from './types';

/** `defaultResourceSpec`: cpu and memory, weight 1 each. */
const DEFAULT_RESOURCE_SPEC: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** The VolumeBinding shape used when StorageCapacityScoring is on (it is, in 1.37). */
const DEFAULT_VOLUME_BINDING_SHAPE: readonly UtilizationShapePoint[] = [
  { utilization: 0, score: 10 },
  { utilization: 100, score: 0 },
];

/** `DefaultParallelism`. */
const DEFAULT_PARALLELISM = 16;

type Args = Record<string, unknown>;

function isObj(x: unknown): x is Args {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function clone<T>(x: T): T {
  return x === undefined ? x : (JSON.parse(JSON.stringify(x)) as T);
}

function defaultResources(list: unknown): unknown {
  if (!Array.isArray(list) || list.length === 0) return DEFAULT_RESOURCE_SPEC.map((r) => ({ ...r }));
  return list.map((r) => (isObj(r) && (r['weight'] === undefined || r['weight'] === 0) ? { ...r, weight: 1 } : r));
}

/** Per-plugin args defaulters (`SetDefaults_<Name>Args`), keyed by plugin name. */
export const ARGS_DEFAULTERS: Readonly<Record<string, (a: Args) => Args>> = {
  NodeResourcesFit(a) {
    const out: Args = { ignoredResources: [], ignoredResourceGroups: [], ...a };
    const ss = isObj(a['scoringStrategy']) ? { ...a['scoringStrategy'] } : undefined;
    if (!ss) {
      out['scoringStrategy'] = { type: 'LeastAllocated', resources: DEFAULT_RESOURCE_SPEC.map((r) => ({ ...r })) };
    } else {
      ss['resources'] = defaultResources(ss['resources']);
      if (ss['type'] === undefined) ss['type'] = '';
      out['scoringStrategy'] = ss;
    }
    return out;
  },
  NodeResourcesBalancedAllocation(a) {
    return { ...a, resources: defaultResources(a['resources']) };
  },
  InterPodAffinity(a) {
    return {
      ignorePreferredTermsOfExistingPods: false,
      ...a,
      hardPodAffinityWeight: a['hardPodAffinityWeight'] ?? 1,
    };
  },
  PodTopologySpread(a) {
    return {
      defaultConstraints: [],
      ...a,
      defaultingType: a['defaultingType'] === undefined || a['defaultingType'] === '' ? 'System' : a['defaultingType'],
    };
  },
  DefaultPreemption(a) {
    return {
      ...a,
      minCandidateNodesPercentage: a['minCandidateNodesPercentage'] ?? 10,
      minCandidateNodesAbsolute: a['minCandidateNodesAbsolute'] ?? 100,
    };
  },
  VolumeBinding(a) {
    return {
      ...a,
      bindTimeoutSeconds: a['bindTimeoutSeconds'] ?? 600,
      shape: a['shape'] ?? DEFAULT_VOLUME_BINDING_SHAPE.map((p) => ({ ...p })),
    };
  },
  NodeAffinity(a) {
    return { ...a };
  },
  DynamicResources(a) {
    return { ...a };
  },
};

/** Every plugin name enabled anywhere in `plugins` (`pluginsNames`), MultiPoint first, de-duplicated. */
function pluginNames(plugins: V1Plugins): string[] {
  const seen = new Set<string>();
  for (const point of ['multiPoint', ...EXTENSION_POINTS] as const) {
    for (const p of plugins[point]?.enabled ?? []) seen.add(p.name);
  }
  return [...seen];
}

/** Strips the `apiVersion`/`kind` an args object may carry (they only identify the type). */
function argsBody(args: Args | undefined): Args {
  if (!args) return {};
  const { apiVersion: _v, kind: _k, ...rest } = args;
  return rest;
}

/** `setDefaults_KubeSchedulerProfile`: merges plugins over the defaults and defaults every known args object. */
export function defaultProfile(p: V1Profile): V1Profile {
  const plugins = mergePlugins(getDefaultPlugins(), p.plugins);
  const pluginConfig: V1PluginConfig[] = [];
  const existing = new Set<string>();
  for (const pc of p.pluginConfig ?? []) {
    existing.add(pc.name);
    const d = ARGS_DEFAULTERS[pc.name];
    const kind = pc.args?.['kind'];
    // An args object of another kind is left as is; validation reports "has to match plugin args".
    const mismatched = typeof kind === 'string' && kind !== `${pc.name}Args`;
    pluginConfig.push({ name: pc.name, args: d && !mismatched ? d(argsBody(clone(pc.args))) : (clone(pc.args) ?? {}) });
  }
  for (const name of pluginNames(plugins)) {
    if (existing.has(name)) continue;
    const d = ARGS_DEFAULTERS[name];
    if (!d) continue;
    pluginConfig.push({ name, args: d({}) });
  }
  return { ...p, plugins, pluginConfig };
}

/** `SetDefaults_KubeSchedulerConfiguration`: one default profile when none is given; scalar defaults. */
export function defaultConfiguration(c: V1Configuration): V1Configuration {
  let profiles: V1Profile[] = c.profiles && c.profiles.length > 0 ? c.profiles : [{}];
  // Only a single profile gets the default name; validation requires names otherwise.
  if (profiles.length === 1 && profiles[0]!.schedulerName === undefined) {
    profiles = [{ ...profiles[0]!, schedulerName: DEFAULT_SCHEDULER_NAME }];
  }
  return {
    ...c,
    parallelism: c.parallelism ?? DEFAULT_PARALLELISM,
    podInitialBackoffSeconds: c.podInitialBackoffSeconds ?? 1,
    podMaxBackoffSeconds: c.podMaxBackoffSeconds ?? 10,
    profiles: profiles.map(defaultProfile),
  };
}
