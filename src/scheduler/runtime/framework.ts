/**
 * Running the extension points of one profile, after
 * pkg/scheduler/framework/runtime/framework.go (`RunPreFilterPlugins`, `RunFilterPlugins`,
 * `RunPreScorePlugins`, `RunScorePlugins`, `RunPostFilterPlugins`) and
 * staging/src/k8s.io/kube-scheduler/framework/interface.go (`PreFilterResult.Merge`).
 *
 * Contract: plugins run in profile order; statuses and messages are upstream's. Plugins skipped
 * at PreFilter are not filtered with; plugins skipped at PreScore are absent from the scores.
 * Every plugin failure comes back as a Status value; nothing throws.
 */
import type { Pod } from '../../kube-api/types';
import type { ExtensionPoint, SchedulerProfile } from '../config/types';
import type { CycleState } from '../framework/cycle-state';
import {
  type FeatureGates,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type Plugin,
  type PodInfo,
  type PluginFactory,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface';
import { releaseFeatureGates } from '../framework/feature-gates';
import { NodeInfoImpl, PodInfoImpl } from '../framework/node-info';
import { Status } from '../framework/status';
import { lookupPlugin } from '../plugins/registry';
import { bytewiseCompare, errorText, goStringList } from './go-strings';
import { ScoreRunner, type ScoreTable, type WeightedScorePlugin } from './scoring';

/** The outcome of `RunPreFilterPlugins`. */
export interface PreFilterOutcome {
  /** undefined = all nodes. */
  result?: PreFilterResult;
  status: Status | null;
  /** Plugins that returned a node-restricting result (for the absent-node message). */
  pluginsWithNodes: Set<string>;
}

/** Options for building a framework. */
export interface FrameworkOptions {
  /** Gates passed to plugin factories; the release defaults when omitted (see framework/feature-gates.ts). */
  features?: FeatureGates;
  /** Name → factory lookup; the in-tree registry by default. */
  registry?: (name: string) => PluginFactory | undefined;
  /** Leave unregistered plugins out instead of failing (they are listed in `missing`). */
  allowMissing?: boolean;
  /** The Kubernetes release modelled (framework/version.ts); the newest when omitted. */
  kubernetesVersion?: string | undefined;
}

function has<K extends string>(p: Plugin, method: K): boolean {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

/** The plugins of one profile, instantiated, per extension point. */
export class Framework {
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: WeightedScorePlugin[] = [];
  /** Plugins the profile names that have no registered implementation. */
  readonly missing: string[] = [];
  /** Per-profile percentage (0 = adaptive). */
  percentageOfNodesToScore = 0;
  /** The Score phase and its reusable storage. */
  private readonly scoring = new ScoreRunner();

  constructor(readonly handle: Handle) {}

  /**
   * Builds a framework from a resolved profile. Returns errors (e.g. `plugin X not implemented`,
   * or a plugin lacking a method for a point it is listed at) instead of throwing.
   */
  static fromProfile(
    profile: SchedulerProfile,
    handle: Handle,
    opts: FrameworkOptions = {},
  ): { framework: Framework; errors: string[] } {
    const fw = new Framework(handle);
    fw.percentageOfNodesToScore = profile.percentageOfNodesToScore ?? 0;
    const errors: string[] = [];
    const lookup = opts.registry ?? lookupPlugin;
    const instances = new Map<string, Plugin | null>();
    const instance = (name: string): Plugin | null => {
      if (instances.has(name)) return instances.get(name)!;
      const factory = lookup(name);
      let p: Plugin | null = null;
      if (factory) {
        p = factory({
          args: profile.pluginConfig?.[name],
          handle,
          features: opts.features ?? releaseFeatureGates(),
          kubernetesVersion: opts.kubernetesVersion,
        });
      } else {
        fw.missing.push(name);
        if (!opts.allowMissing) errors.push(`plugin ${name} not implemented`);
      }
      instances.set(name, p);
      return p;
    };
    const points: [ExtensionPoint, string][] = [
      ['preFilter', 'preFilter'],
      ['filter', 'filter'],
      ['postFilter', 'postFilter'],
      ['preScore', 'preScore'],
      ['score', 'score'],
    ];
    for (const [point, method] of points) {
      for (const pp of profile.plugins?.[point] ?? []) {
        const p = instance(pp.name);
        if (!p) continue;
        if (!has(p, method)) {
          errors.push(`plugin ${JSON.stringify(pp.name)} does not extend ${point} plugin`);
          continue;
        }
        switch (point) {
          case 'preFilter':
            fw.preFilterPlugins.push(p as PreFilterPlugin);
            break;
          case 'filter':
            fw.filterPlugins.push(p as FilterPlugin);
            break;
          case 'postFilter':
            fw.postFilterPlugins.push(p as PostFilterPlugin);
            break;
          case 'preScore':
            fw.preScorePlugins.push(p as PreScorePlugin);
            break;
          case 'score':
            fw.scorePlugins.push({ plugin: p as ScorePlugin, weight: pp.weight > 0 ? pp.weight : 1 });
            break;
          default:
            break;
        }
      }
    }
    return { framework: fw, errors };
  }

  hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }

  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  /** `RunPreFilterPlugins`. */
  runPreFilterPlugins(state: CycleState, pod: Pod): PreFilterOutcome {
    const nodes = this.handle.nodeInfos();
    const skip = new Set<string>();
    const pluginsWithNodes = new Set<string>();
    let result: PreFilterResult | undefined;
    let returnStatus: Status | null = null;
    for (const pl of this.preFilterPlugins) {
      const { result: r, status: s } = safePreFilter(pl, state, pod, nodes);
      if (s != null && s.isSkip()) {
        skip.add(pl.name);
        continue;
      }
      if (s != null && !s.isSuccess()) {
        const tagged = s.withPlugin(pl.name);
        if (s.code === 'UnschedulableAndUnresolvable') return { status: tagged, pluginsWithNodes: new Set() };
        if (s.code === 'Unschedulable') {
          returnStatus = tagged;
          continue;
        }
        return {
          status: Status.error(`running PreFilter plugin ${JSON.stringify(pl.name)}: ${s.message()}`).withPlugin(
            pl.name,
          ),
          pluginsWithNodes: new Set(),
        };
      }
      if (r !== undefined && r !== null) pluginsWithNodes.add(pl.name);
      result = mergePreFilterResult(result, r ?? undefined);
      if (result !== undefined && result.nodeNames.size === 0) {
        const list = [...pluginsWithNodes].sort(bytewiseCompare);
        const msg =
          list.length === 1
            ? `node(s) didn't satisfy plugin ${list[0]}`
            : `node(s) didn't satisfy plugin(s) ${goStringList(list)} simultaneously`;
        return { result, status: Status.unresolvable(msg), pluginsWithNodes };
      }
    }
    state.skipFilterPlugins = skip;
    return { result, status: returnStatus, pluginsWithNodes };
  }

  /** The filter plugins not skipped at PreFilter in `state` (compute once per cycle). */
  activeFilterPlugins(state: CycleState): FilterPlugin[] {
    const skip = state.skipFilterPlugins;
    return skip.size > 0 ? this.filterPlugins.filter((p) => !skip.has(p.name)) : this.filterPlugins;
  }

  /**
   * `RunFilterPlugins`: the first non-success status, tagged with its plugin; null when all pass.
   * `active` (from `activeFilterPlugins`) saves recomputing the skip set per node.
   */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo, active?: readonly FilterPlugin[]): Status | null {
    const list = active ?? this.activeFilterPlugins(state);
    for (let k = 0; k < list.length; k++) {
      const pl = list[k]!;
      let s: Status | null;
      try {
        s = pl.filter(state, pod, nodeInfo);
      } catch (e) {
        s = Status.error(errorText(e));
      }
      if (s != null && !s.isSuccess()) {
        if (!s.isRejected())
          return Status.error(`running ${JSON.stringify(pl.name)} filter plugin: ${s.message()}`).withPlugin(pl.name);
        return s.withPlugin(pl.name);
      }
    }
    return null;
  }

  /**
   * `RunFilterPluginsWithNominatedPods`: when pods with priority >= the incoming pod's are
   * nominated to the node, filter first with them added (through PreFilter AddPod extensions on a
   * cloned state and node) and, if that passes, again without them; the pod must pass both.
   */
  runFilterPluginsWithNominatedPods(
    state: CycleState,
    pod: Pod,
    nodeInfo: NodeInfo,
    active?: readonly FilterPlugin[],
  ): Status | null {
    const nominated = this.handle.nominatedPodsForNode?.(nodeInfo.name);
    if (nominated === undefined || nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo, active);
    const added = this.addGENominatedPods(state, pod, nodeInfo, nominated);
    if (added instanceof Status) return added;
    if (added === undefined) return this.runFilterPlugins(state, pod, nodeInfo, active);
    const first = this.runFilterPlugins(added.state, pod, added.nodeInfo, active);
    if (first != null && !first.isSuccess()) return first;
    return this.runFilterPlugins(state, pod, nodeInfo, active);
  }

  /** `addGENominatedPods`: undefined when no pod qualifies; an Error status on an AddPod failure. */
  private addGENominatedPods(
    state: CycleState,
    pod: Pod,
    nodeInfo: NodeInfo,
    nominated: readonly PodInfo[],
  ): { state: CycleState; nodeInfo: NodeInfo } | Status | undefined {
    if (!(nodeInfo instanceof NodeInfoImpl)) return undefined;
    const prio = podPriority(pod);
    const uid = pod.metadata?.uid;
    let out: { state: CycleState; nodeInfo: NodeInfoImpl } | undefined;
    for (const pi of nominated) {
      if (!(pi instanceof PodInfoImpl)) continue;
      if (podPriority(pi.pod) < prio || (uid !== undefined && pi.pod.metadata?.uid === uid) || pi.pod === pod) continue;
      if (out === undefined) out = { state: state.clone(), nodeInfo: nodeInfo.clone() };
      out.nodeInfo.addPod(pi);
      const st = this.runPreFilterExtensionAddPod(out.state, pod, pi, out.nodeInfo);
      if (st != null && !st.isSuccess()) return st;
    }
    return out;
  }

  /** `RunPreFilterExtensionAddPod` over the PreFilter plugins not skipped this cycle. */
  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null {
    return this.runPreFilterExtension('AddPod', state, pod, podInfoToAdd, nodeInfo);
  }

  /** `RunPreFilterExtensionRemovePod` over the PreFilter plugins not skipped this cycle. */
  runPreFilterExtensionRemovePod(
    state: CycleState,
    pod: Pod,
    podInfoToRemove: PodInfo,
    nodeInfo: NodeInfo,
  ): Status | null {
    return this.runPreFilterExtension('RemovePod', state, pod, podInfoToRemove, nodeInfo);
  }

  /** Runs AddPod or RemovePod of every PreFilter extension; the first failure becomes an Error. */
  private runPreFilterExtension(
    which: 'AddPod' | 'RemovePod',
    state: CycleState,
    pod: Pod,
    podInfo: PodInfo,
    nodeInfo: NodeInfo,
  ): Status | null {
    for (const pl of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(pl.name) || typeof pl.preFilterExtensions !== 'function') continue;
      const ext = pl.preFilterExtensions();
      if (!ext) continue;
      let s: Status | null;
      try {
        s =
          which === 'AddPod' ? ext.addPod(state, pod, podInfo, nodeInfo) : ext.removePod(state, pod, podInfo, nodeInfo);
      } catch (e) {
        s = Status.error(errorText(e));
      }
      if (s != null && !s.isSuccess()) {
        return Status.error(
          `running ${which} on PreFilter plugin ${JSON.stringify(pl.name)}: ${s.message()}`,
        ).withPlugin(pl.name);
      }
    }
    return null;
  }

  /** `RunPreScorePlugins`: records skipped plugins in the state; an Error status on failure. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    const skip = new Set<string>();
    for (const pl of this.preScorePlugins) {
      let s: Status | null;
      try {
        s = pl.preScore(state, pod, nodes);
      } catch (e) {
        s = Status.error(errorText(e));
      }
      if (s != null && s.isSkip()) {
        skip.add(pl.name);
        continue;
      }
      if (s != null && !s.isSuccess()) {
        return Status.error(`running PreScore plugin ${JSON.stringify(pl.name)}: ${s.message()}`).withPlugin(pl.name);
      }
    }
    state.skipScorePlugins = skip;
    return null;
  }

  /**
   * `RunScorePlugins`: Score per node and plugin, NormalizeScore per plugin over the scored set,
   * range check, weight (see scoring.ts). Plugins skipped at PreScore are absent.
   */
  runScorePlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { table?: ScoreTable; status: Status | null } {
    const skip = state.skipScorePlugins;
    const plugins = skip.size > 0 ? this.scorePlugins.filter((p) => !skip.has(p.plugin.name)) : this.scorePlugins;
    return this.scoring.run(plugins, state, pod, nodes);
  }

  /**
   * Hands a table from `runScorePlugins` back: its storage is reused by the next cycle, so the
   * caller must not read the table (or rows taken from it) afterwards.
   */
  releaseScoreTable(t: ScoreTable): void {
    this.scoring.release(t);
  }

  /**
   * `RunPostFilterPlugins`: the first success wins; UnschedulableAndUnresolvable stops; otherwise
   * the collected reasons as Unschedulable (no plugins: Unschedulable without reasons).
   */
  runPostFilterPlugins(
    state: CycleState,
    pod: Pod,
    statuses: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status } {
    const reasons: string[] = [];
    let rejector = '';
    let result: PostFilterResult | undefined;
    for (const pl of this.postFilterPlugins) {
      let r: { result?: PostFilterResult; status: Status | null };
      try {
        r = pl.postFilter(state, pod, statuses);
      } catch (e) {
        r = { status: Status.error(errorText(e)) };
      }
      // A success keeps its message (v1.37's preemption says where it found room).
      if (r.status == null || r.status.isSuccess())
        return { ...(r.result ? { result: r.result } : {}), status: r.status ?? Status.success() };
      if (r.status.code === 'UnschedulableAndUnresolvable')
        return { ...(r.result ? { result: r.result } : {}), status: r.status.withPlugin(pl.name) };
      if (!r.status.isRejected()) return { status: Status.error(r.status.message()).withPlugin(pl.name) };
      if (rejector === '') rejector = pl.name;
      reasons.push(...r.status.reasons);
      if (r.result?.nominatedNodeName) result = r.result;
    }
    const s = new Status('Unschedulable', reasons).withPlugin(rejector);
    return { ...(result ? { result } : {}), status: s };
  }
}

/** `PreFilterResult.Merge`: undefined is "all nodes"; otherwise set intersection. */
export function mergePreFilterResult(
  a: PreFilterResult | undefined,
  b: PreFilterResult | undefined,
): PreFilterResult | undefined {
  if (a === undefined && b === undefined) return undefined;
  if (a === undefined) return { nodeNames: new Set(b!.nodeNames) };
  if (b === undefined) return { nodeNames: new Set(a.nodeNames) };
  const out = new Set<string>();
  for (const n of a.nodeNames) if (b.nodeNames.has(n)) out.add(n);
  return { nodeNames: out };
}

function safePreFilter(
  pl: PreFilterPlugin,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
): { result?: PreFilterResult | undefined; status: Status | null } {
  try {
    return pl.preFilter(state, pod, nodes);
  } catch (e) {
    return { status: Status.error(errorText(e)) };
  }
}

/** `corev1helpers.PodPriority`: spec.priority, or 0. */
function podPriority(pod: Pod): number {
  const p = pod.spec?.priority;
  return typeof p === 'number' ? p : 0;
}
