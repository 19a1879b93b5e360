/**
 * NodeAffinity, after pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go.
 *
 * - PreFilter: Skip when the pod has no required node affinity, no nodeSelector (nil) and the
 *   profile adds none; otherwise returns the node names that `metadata.name In` matchFields
 *   restrict every term to, or `pod affinity terms conflict` when they leave none.
 * - Filter: the args' addedAffinity first (`node(s) didn't match scheduler-enforced node
 *   affinity`), then nodeSelector AND required terms (`node(s) didn't match Pod's node
 *   affinity/selector`); both UnschedulableAndUnresolvable; parse errors mean no match.
 * - PreScore: Skip without preferred terms (pod's or added); an Error with upstream's field-path
 *   text when the pod's preferred terms do not parse.
 * - Score: summed weights of matching preferred terms; NormalizeScore `DefaultNormalizeScore(100)`.
 */
import type { NodeAffinity as V1NodeAffinity, Pod } from '../../../kube-api/types';
import type { CycleState } from '../../framework/cycle-state';
import {
  MAX_NODE_SCORE,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginFactoryArgs,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/interface';
import { Status } from '../../framework/status';
import { defaultNormalizeScore } from '../helper/normalize-score';
import { names } from '../names';
import { aggregate, CompiledNodeSelector, CompiledPreferredTerms } from './node-selector';
import type { Node } from '../../../kube-api/types';

/** `ErrReasonPod`. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** `errReasonEnforced`. */
const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** `errReasonConflict`. */
const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const PRE_FILTER_STATE_KEY = `PreFilter${names.NodeAffinity}`;
const PRE_SCORE_STATE_KEY = `PreScore${names.NodeAffinity}`;

/** `RequiredNodeAffinity`: nodeSelector (when non-empty) AND required terms (when set). */
class RequiredNodeAffinity {
  private readonly selector: [string, string][] | undefined;
  private readonly affinity: CompiledNodeSelector | undefined;

  constructor(pod: Pod) {
    const ns = pod.spec?.nodeSelector;
    this.selector = ns && typeof ns === 'object' && Object.keys(ns).length > 0 ? Object.entries(ns) : undefined;
    const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.affinity = req != null ? new CompiledNodeSelector(req) : undefined;
  }

  match(node: Node): boolean {
    if (this.selector) {
      const labels = node.metadata?.labels;
      if (labels == null) return false;
      for (const [k, v] of this.selector) {
        if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== v) return false;
      }
    }
    return this.affinity ? this.affinity.matches(node) : true;
  }
}

interface PreScoreState {
  preferred: CompiledPreferredTerms | undefined;
}

function podPreferred(pod: Pod): CompiledPreferredTerms | { error: string } | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (terms == null) return undefined;
  return CompiledPreferredTerms.compile(terms);
}

/** Node selector and node affinity, required and preferred. */
class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = names.NodeAffinity;

  constructor(
    private readonly addedNodeSelector: CompiledNodeSelector | undefined,
    private readonly addedPrefSchedTerms: CompiledPreferredTerms | undefined,
  ) {}

  preFilter(
    state: CycleState,
    pod: Pod,
    _nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const ns = pod.spec?.nodeSelector;
    if (
      ns != null &&
      (typeof ns !== 'object' || Array.isArray(ns) || Object.values(ns).some((v) => typeof v !== 'string'))
    ) {
      return { status: Status.error('spec.nodeSelector: Invalid value: must be a map of strings') };
    }
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const noNodeAffinity = required == null;
    if (noNodeAffinity && this.addedNodeSelector === undefined && pod.spec?.nodeSelector == null) {
      return { status: Status.skip() };
    }
    state.write(PRE_FILTER_STATE_KEY, new RequiredNodeAffinity(pod));
    if (required != null && !Array.isArray(required.nodeSelectorTerms)) {
      return {
        status: Status.error(
          'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Invalid value: must be a list',
        ),
      };
    }
    const terms = Array.isArray(required?.nodeSelectorTerms) ? required!.nodeSelectorTerms : [];
    if (noNodeAffinity || terms.length === 0) return { status: null };
    let nodeNames: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const r of Array.isArray(t?.matchFields) ? t.matchFields : []) {
        if (r?.key !== 'metadata.name' || r.operator !== 'In') continue;
        const s = new Set(Array.isArray(r.values) ? r.values : []);
        if (termNames === undefined) termNames = s;
        else termNames = new Set([...termNames].filter((n) => s.has(n)));
      }
      // A term not restricted by name makes every node eligible (terms are ORed).
      if (termNames === undefined) return { status: null };
      nodeNames = nodeNames === undefined ? new Set(termNames) : new Set([...nodeNames, ...termNames]);
    }
    if (nodeNames !== undefined && nodeNames.size === 0) return { status: Status.unresolvable(ERR_REASON_CONFLICT) };
    if (nodeNames !== undefined && nodeNames.size > 0) return { result: { nodeNames }, status: null };
    return { status: null };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const node = nodeInfo.node;
    if (this.addedNodeSelector !== undefined && !this.addedNodeSelector.matches(node)) {
      return Status.unresolvable(ERR_REASON_ENFORCED);
    }
    const req = state.read<RequiredNodeAffinity>(PRE_FILTER_STATE_KEY) ?? new RequiredNodeAffinity(pod);
    return req.match(node) ? null : Status.unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: Pod, _nodes: readonly NodeInfo[]): Status | null {
    const p = podPreferred(pod);
    if (p !== undefined && !(p instanceof CompiledPreferredTerms)) return Status.error(p.error);
    if (p === undefined && this.addedPrefSchedTerms === undefined) return Status.skip();
    state.write(PRE_SCORE_STATE_KEY, { preferred: p } satisfies PreScoreState);
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    const node = nodeInfo.node;
    let count = 0;
    if (this.addedPrefSchedTerms !== undefined) count += this.addedPrefSchedTerms.score(node);
    let s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s === undefined) {
      const p = podPreferred(pod);
      if (p !== undefined && !(p instanceof CompiledPreferredTerms)) return { score: 0, status: Status.error(p.error) };
      s = { preferred: p };
    }
    if (s.preferred !== undefined) count += s.preferred.score(node);
    return { score: count, status: null };
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status | null {
    return defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}

/** Result of building the plugin from its args: the plugin or upstream's construction error. */
function build(args: Record<string, unknown> | undefined): NodeAffinity | { error: string } {
  const added = (args?.['addedAffinity'] ?? undefined) as V1NodeAffinity | undefined;
  let sel: CompiledNodeSelector | undefined;
  let pref: CompiledPreferredTerms | undefined;
  if (added != null) {
    const req = added.requiredDuringSchedulingIgnoredDuringExecution;
    if (req != null) {
      sel = new CompiledNodeSelector(req);
      const errs = sel.errors();
      if (errs.length > 0)
        return { error: `parsing addedAffinity.requiredDuringSchedulingIgnoredDuringExecution: ${aggregate(errs)}` };
    }
    const terms = added.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(terms) && terms.length > 0) {
      const p = CompiledPreferredTerms.compile(terms);
      if (!(p instanceof CompiledPreferredTerms)) {
        return { error: `parsing addedAffinity.preferredDuringSchedulingIgnoredDuringExecution: ${p.error}` };
      }
      pref = p;
    }
  }
  return new NodeAffinity(sel, pref);
}

/**
 * Factory. Invalid addedAffinity args (which upstream rejects at startup) yield a plugin whose
 * every extension point returns that error, so the cause is reported instead of thrown.
 */
export function create(a: PluginFactoryArgs): NodeAffinity {
  const r = build(a.args);
  if (r instanceof NodeAffinity) return r;
  return new BrokenNodeAffinity(r.error);
}

class BrokenNodeAffinity extends NodeAffinity {
  constructor(private readonly message: string) {
    super(undefined, undefined);
  }
  override preFilter(): { result?: PreFilterResult; status: Status | null } {
    return { status: Status.error(this.message) };
  }
  override filter(): Status | null {
    return Status.error(this.message);
  }
  override preScore(): Status | null {
    return Status.error(this.message);
  }
  override score(): { score: number; status: Status | null } {
    return { score: 0, status: Status.error(this.message) };
  }
}
