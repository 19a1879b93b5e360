/**
 * The prediction API over the runtime: where would kube-scheduler put this pod, and why.
 *
 * Contract: `predict` never throws. Bad input (pod, snapshot, configuration) comes back as
 * `{ ok: false, errors }` naming each field; otherwise `{ ok: true, result }` where `result` is
 * plain JSON: every node's filter verdict (first failing plugin, code, upstream reasons; nodes a
 * PreFilter excluded carry that UU status), each scored node's raw/normalised/weighted plugin
 * scores, total and rank, the chosen node with a tie count, the FitError text exactly as
 * kube-scheduler prints it (with the preemption suffix) and the preemption outcome.
 *
 * Two modes: `kube-scheduler` reproduces percentageOfNodesToScore and the `nextStartNodeIndex`
 * rotation (pass the previous result's `nextStartNodeIndex` to continue a sequence);
 * `all-nodes` filters and scores every node (what the editor shows).
 */
import type { Pod } from '../../kube-api/types';
import { loadConfiguration, profileForSchedulerName, type LoadResult } from '../config/load';
import { defaultSchedulerProfile } from '../config/load';
import type { SchedulerProfile } from '../config/types';
import { CycleState } from '../framework/cycle-state';
import type { FeatureGates, Handle } from '../framework/interface';
import { ClusterSnapshot, snapshotFrom } from '../framework/snapshot';
import { DefaultPreemption } from '../plugins/defaultpreemption/default-preemption';
import { resolvePodPriority } from '../plugins/defaultpreemption/priority';
import { Framework } from '../runtime/framework';
import { Scheduler, type ScheduleResult } from '../runtime/schedule-one';
import { validatePod, validateSnapshotInput, type InputError } from './validate-input';

/** Plain cluster state, as an alternative to a `ClusterSnapshot`. */
export interface SnapshotInput {
  nodes?: unknown[];
  pods?: unknown[];
  namespaces?: unknown[];
  /** Services, ReplicaSets, PVCs, PVs, StorageClasses, CSINodes, PriorityClasses, ... */
  objects?: unknown[];
}

/** A resolved profile, or a KubeSchedulerConfiguration (YAML/JSON text or object). */
export type ProfileOrConfig = SchedulerProfile | string | Record<string, unknown>;

/** Options of `predict`. */
export interface PredictOptions {
  /** `kube-scheduler` (default): percentageOfNodesToScore and rotation; `all-nodes`: score every feasible node. */
  mode?: 'kube-scheduler' | 'all-nodes';
  /** Where the node search starts (kube-scheduler mode); 0 by default. */
  nextStartNodeIndex?: number;
  /** Run DefaultPreemption when nothing fits (default true). */
  preemption?: boolean;
  /** `summary` leaves out the per-node list (for bulk use). Default `full`. */
  detail?: 'full' | 'summary';
  /** The clock for pods without `status.startTime` (preemption tie-breaks), ms since the epoch. */
  now?: number;
  /** Feature-gate overrides passed to plugins. */
  features?: FeatureGates;
  /**
   * The Kubernetes release to model, e.g. the cluster's `/version` gitVersion "v1.33.2"
   * (framework/version.ts); the newest modelled release when omitted.
   */
  kubernetesVersion?: string;
  /** Parses YAML configuration text (e.g. js-yaml's `load`); src/scheduler bundles no YAML parser. */
  parseYaml?: (text: string) => unknown;
}

/** One plugin's score on one node. */
export interface PluginScoreJSON {
  plugin: string;
  raw: number;
  normalized: number;
  weighted: number;
}

/** One node's verdict. */
export interface NodePredictionJSON {
  name: string;
  /** False when the search stopped before this node (kube-scheduler mode). */
  evaluated: boolean;
  feasible: boolean;
  /** The first failing plugin and its status (absent for feasible or unevaluated nodes). */
  filter?: { plugin: string; code: string; reasons: string[] };
  scores?: PluginScoreJSON[];
  total?: number;
  rank?: number;
}

/** The preemption outcome. */
export interface PreemptionJSON {
  /** The node that would be nominated, if preemption helps. */
  nominatedNode?: string;
  /**
   * Every candidate node as good as `nominatedNode` (it first) when there are several: kube-scheduler's
   * candidate order comes from a parallel dry run, so it may nominate any of them.
   */
  tiedNodes?: string[];
  victims: { namespace: string; name: string; priority: number }[];
  /** The PostFilter message (starts with `preemption: `), when it failed. */
  message?: string;
}

/** The prediction. */
export interface PredictionJSON {
  pod: { namespace: string; name: string; priority: number };
  schedulerName: string;
  mode: 'kube-scheduler' | 'all-nodes';
  selectedNode?: string;
  /** The chosen node's total score, when scores were computed (also in `summary` detail). */
  selectedTotal?: number;
  /** Nodes sharing the top total (1 = no tie; 0 when nothing was selected). */
  tieCount: number;
  /** The tied nodes in feasible order (`full` detail only; empty in `summary`). */
  tiedNodes: string[];
  /** Whether scores were computed (false with a single feasible node, as upstream skips scoring). */
  scored: boolean;
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  /** The FitError text exactly as kube-scheduler prints it. */
  failure?: string;
  /** A plugin error that aborted the cycle. */
  error?: string;
  preemption?: PreemptionJSON;
  /** Where the next kube-scheduler-mode prediction should start. */
  nextStartNodeIndex: number;
  /** Plugins of the profile that the model does not implement (they are left out). */
  notModelled: string[];
  nodes?: NodePredictionJSON[];
}

/** The outcome of `predict`. */
export type PredictOutcome = { ok: true; result: PredictionJSON } | { ok: false; errors: InputError[] };

interface FrameworkEntry {
  framework: Framework;
  errors: string[];
}

const frameworkCache = new WeakMap<object, Map<string, FrameworkEntry>>();

/** Builds (or reuses, per snapshot and profile) a framework with DefaultPreemption bound to it. */
export function frameworkFor(
  handle: Handle,
  profile: SchedulerProfile,
  preemption: boolean,
  features?: FeatureGates,
  kubernetesVersion?: string,
): FrameworkEntry {
  let byProfile = frameworkCache.get(handle);
  if (!byProfile) {
    byProfile = new Map();
    frameworkCache.set(handle, byProfile);
  }
  const key = `${profileKey(profile)}|${preemption}|${features ? JSON.stringify(features) : ''}|${kubernetesVersion ?? ''}`;
  let e = byProfile.get(key);
  if (!e) {
    const built = Framework.fromProfile(profile, handle, {
      allowMissing: true,
      ...(features ? { features } : {}),
      kubernetesVersion,
    });
    const fw = built.framework;
    if (!preemption) fw.postFilterPlugins.length = 0;
    for (const p of fw.postFilterPlugins) if (p instanceof DefaultPreemption) p.bindFramework(fw);
    e = { framework: fw, errors: built.errors };
    byProfile.set(key, e);
  }
  return e;
}

const profileIds = new WeakMap<object, number>();
let profileCounter = 0;
function profileKey(p: SchedulerProfile): number {
  let id = profileIds.get(p);
  if (id === undefined) {
    profileCounter += 1;
    id = profileCounter;
    profileIds.set(p, id);
  }
  return id;
}

function isResolvedProfile(x: unknown): x is SchedulerProfile {
  const p = x as SchedulerProfile;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof p.schedulerName === 'string' &&
    typeof p.plugins === 'object' &&
    Array.isArray(p.plugins?.filter)
  );
}

/** Picks the profile for a pod; errors name the field. */
export function resolveProfileFor(
  pod: Pod,
  profileOrConfig: ProfileOrConfig | undefined,
  parseYaml?: (text: string) => unknown,
): SchedulerProfile | InputError[] {
  const want = pod.spec?.schedulerName;
  if (profileOrConfig === undefined) {
    const d = defaultSchedulerProfile();
    if (want && want !== d.schedulerName) return [noProfile(want)];
    return d;
  }
  if (isResolvedProfile(profileOrConfig)) return profileOrConfig;
  const r = cachedLoad(profileOrConfig, parseYaml);
  if (!r.ok) return r.errors.map((e) => ({ field: e.field ? `config.${e.field}` : 'config', message: e.message }));
  const p = profileForSchedulerName(r.config.profiles, want);
  return p ?? [noProfile(want ?? 'default-scheduler')];
}

const objectConfigs = new WeakMap<object, LoadResult>();
const textConfigs = new Map<string, LoadResult>();
const TEXT_CONFIG_CACHE_LIMIT = 16;

/**
 * `loadConfiguration`, memoised per configuration object or text so that repeated predictions
 * reuse the same resolved profiles (and hence the same frameworks). Objects are assumed not to
 * be mutated after first use.
 */
function cachedLoad(config: string | Record<string, unknown>, parseYaml?: (text: string) => unknown): LoadResult {
  if (typeof config !== 'string') {
    let r = objectConfigs.get(config);
    if (!r) {
      r = loadConfiguration(config);
      objectConfigs.set(config, r);
    }
    return r;
  }
  // Whether a YAML parser was given changes the outcome for YAML text, so it is part of the key.
  const key = `${parseYaml ? 'y' : 'n'}\u0000${config}`;
  let r = textConfigs.get(key);
  if (!r) {
    r = loadConfiguration(config, parseYaml ? { parseYaml } : {});
    if (textConfigs.size >= TEXT_CONFIG_CACHE_LIMIT) textConfigs.delete(textConfigs.keys().next().value as string);
    textConfigs.set(key, r);
  }
  return r;
}

function noProfile(name: string): InputError {
  return {
    field: 'spec.schedulerName',
    message: `spec.schedulerName: Invalid value: ${JSON.stringify(name)}: no scheduler profile has this name, so kube-scheduler would not schedule the pod`,
  };
}

/** Builds a snapshot from plain input, resolving existing pods' priorities as admission would. */
export function toSnapshot(snapshot: ClusterSnapshot | SnapshotInput | undefined): ClusterSnapshot | InputError[] {
  if (snapshot instanceof ClusterSnapshot) return snapshot;
  if (snapshot === undefined || snapshot === null || typeof snapshot !== 'object') {
    return [
      {
        field: 'snapshot',
        message: 'snapshot: Required value: a ClusterSnapshot or { nodes, pods, namespaces, objects }',
      },
    ];
  }
  const errs = validateSnapshotInput(snapshot as Record<string, unknown>);
  if (errs.length) return errs;
  const objects = (snapshot.objects ?? []) as never[];
  const classes = snapshotFrom({ objects });
  const pods = ((snapshot.pods ?? []) as Pod[]).map((p) => withPriority(p, classes).pod);
  return snapshotFrom({
    nodes: (snapshot.nodes ?? []) as never[],
    pods,
    namespaces: (snapshot.namespaces ?? []) as never[],
    objects,
  });
}

function withPriority(pod: Pod, handle: Handle): { pod: Pod; priority: number; error?: string } {
  if (typeof pod.spec?.priority === 'number') return { pod, priority: pod.spec.priority };
  const r = resolvePodPriority(pod, handle);
  const out: { pod: Pod; priority: number; error?: string } = {
    pod: { ...pod, spec: { ...pod.spec, priority: r.priority } },
    priority: r.priority,
  };
  if (r.error !== undefined) out.error = r.error;
  return out;
}

function toJSON(res: ScheduleResult, detail: 'full' | 'summary'): NodePredictionJSON[] | undefined {
  if (detail === 'summary') return undefined;
  // Built straight from the score table and statuses (the same values `res.nodes` gives), without
  // the intermediate per-node objects: the editor asks for this over thousands of nodes.
  const t = res.scoreTable;
  const feasibleIdx = new Map<string, number>();
  for (let i = 0; i < res.feasible.length; i++) feasibleIdx.set(res.feasible[i]!.name, i);
  // Totals sorted descending: a node's rank is 1 + the number of strictly higher totals.
  const sorted = t ? Float64Array.from(t.totals).sort().reverse() : undefined;
  const out: NodePredictionJSON[] = new Array(res.allNodes.length);
  let k = 0;
  for (const ni of res.allNodes) {
    const fi = feasibleIdx.get(ni.name);
    if (fi !== undefined) {
      const o: NodePredictionJSON = { name: ni.name, evaluated: true, feasible: true };
      if (t !== undefined && sorted !== undefined) {
        const scores: PluginScoreJSON[] = new Array(t.plugins.length);
        for (let p = 0; p < t.plugins.length; p++) {
          const normalized = t.normalized[p]![fi]!;
          scores[p] = { plugin: t.plugins[p]!, raw: t.raw[p]![fi]!, normalized, weighted: normalized * t.weights[p]! };
        }
        o.scores = scores;
        const total = t.totals[fi]!;
        o.total = total;
        o.rank = rankIn(sorted, total);
      }
      out[k++] = o;
      continue;
    }
    // The absent status belongs to nodes PreFilter ruled out; candidates the search did not reach
    // (it stopped after enough feasible nodes) have no status.
    const ruledOut = res.candidates === undefined || !res.candidates.has(ni.name);
    const s = res.statuses.get(ni.name) ?? (ruledOut ? res.absentStatus : undefined);
    const o: NodePredictionJSON = { name: ni.name, evaluated: s !== undefined, feasible: false };
    if (s !== undefined && s.code !== 'Success') o.filter = { plugin: s.plugin, code: s.code, reasons: [...s.reasons] };
    out[k++] = o;
  }
  return out;
}

/** 1 + the number of entries of `sortedDesc` strictly greater than `total`. */
function rankIn(sortedDesc: Float64Array, total: number): number {
  let lo = 0;
  let hi = sortedDesc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedDesc[mid]! > total) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Runs one prediction on an already-built snapshot and profile (no input checks). */
export function predictOn(
  pod: Pod,
  snap: ClusterSnapshot,
  profile: SchedulerProfile,
  options: PredictOptions = {},
): PredictionJSON {
  const mode = options.mode ?? 'kube-scheduler';
  const { framework, errors } = frameworkFor(
    snap,
    profile,
    options.preemption ?? true,
    options.features,
    options.kubernetesVersion ?? snap.kubernetesVersion,
  );
  const preemptor = framework.postFilterPlugins.find((p): p is DefaultPreemption => p instanceof DefaultPreemption);
  if (preemptor) {
    preemptor.now = () => options.now ?? Date.now();
    // The framework is shared across predictions: an earlier pod's outcome must not show up when a
    // PostFilter plugin before DefaultPreemption ends this cycle (DynamicResources' error).
    preemptor.lastOutcome = undefined;
  }
  const savedPct = framework.percentageOfNodesToScore;
  if (mode === 'all-nodes') framework.percentageOfNodesToScore = 100;
  const sched = new Scheduler(framework, snap);
  sched.nextStartNodeIndex = mode === 'all-nodes' ? 0 : (options.nextStartNodeIndex ?? 0);
  let res: ScheduleResult;
  try {
    res = sched.schedulePod(pod, new CycleState());
  } finally {
    framework.percentageOfNodesToScore = savedPct;
  }
  const out: PredictionJSON = {
    pod: {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? pod.metadata?.generateName ?? '',
      priority: pod.spec?.priority ?? 0,
    },
    schedulerName: profile.schedulerName,
    mode,
    tieCount: res.selectedNode !== undefined ? res.tieCount : 0,
    // The list can hold every node (an empty cluster ties everywhere); summaries carry the count only.
    tiedNodes: res.selectedNode !== undefined && (options.detail ?? 'full') === 'full' ? [...res.tiedNodes] : [],
    scored: res.scored,
    numAllNodes: res.numAllNodes,
    evaluatedNodes: res.evaluatedNodes,
    feasibleNodes: res.feasible.length,
    nextStartNodeIndex: sched.nextStartNodeIndex,
    notModelled: [...new Set(framework.missing)],
  };
  if (errors.length) out.error = errors.join('; ');
  if (res.selectedNode !== undefined) out.selectedNode = res.selectedNode;
  if (res.selectedNode !== undefined && res.scoreTable !== undefined) {
    const i = res.selectedIndex;
    if (i >= 0 && i < res.scoreTable.totals.length) out.selectedTotal = res.scoreTable.totals[i]!;
  }
  if (res.fitError !== undefined) out.failure = res.fitError;
  if (res.error !== undefined) out.error = res.error;
  if (res.fitError !== undefined && preemptor) {
    const o = preemptor.lastOutcome;
    const p: PreemptionJSON = { victims: [] };
    if (o?.nominatedNodeName) {
      p.nominatedNode = o.nominatedNodeName;
      if (o.tiedNodes !== undefined && o.tiedNodes.length > 1) p.tiedNodes = o.tiedNodes;
      p.victims = o.victims.map((v) => ({
        namespace: v.metadata?.namespace ?? '',
        name: v.metadata?.name ?? '',
        priority: v.spec?.priority ?? 0,
      }));
    } else if (res.postFilterMessage) {
      p.message = res.postFilterMessage;
    }
    out.preemption = p;
  }
  const nodes = toJSON(res, options.detail ?? 'full');
  if (nodes) out.nodes = nodes;
  // Everything the result needs has been copied out of the score table; its storage serves the next cycle.
  if (res.scoreTable !== undefined) framework.releaseScoreTable(res.scoreTable);
  return out;
}

/**
 * Predicts where kube-scheduler would place `pod` in `snapshot` under a profile (default:
 * `default-scheduler` of v1.37). See the module contract.
 */
export function predict(
  pod: unknown,
  snapshot: ClusterSnapshot | SnapshotInput,
  profileOrConfig?: ProfileOrConfig,
  options: PredictOptions = {},
): PredictOutcome {
  try {
    const perrs = validatePod(pod);
    if (perrs.length) return { ok: false, errors: perrs };
    const snap = toSnapshot(snapshot);
    if (Array.isArray(snap)) return { ok: false, errors: snap };
    const prof = resolveProfileFor(pod as Pod, profileOrConfig, options.parseYaml);
    if (Array.isArray(prof)) return { ok: false, errors: prof };
    const wp = withPriority(pod as Pod, snap);
    if (wp.error !== undefined)
      return {
        ok: false,
        errors: [
          {
            field: 'spec.priorityClassName',
            message: `spec.priorityClassName: Invalid value: ${JSON.stringify(pod && (pod as Pod).spec?.priorityClassName)}: ${wp.error}`,
          },
        ],
      };
    return { ok: true, result: predictOn(wp.pod, snap, prof, options) };
  } catch (e) {
    return {
      ok: false,
      errors: [{ field: '', message: `internal error: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }
}
