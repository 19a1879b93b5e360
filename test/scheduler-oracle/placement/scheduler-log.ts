/**
 * Reads kube-scheduler's own account of a scheduling cycle from its log, run with
 * `--vmodule=schedule_one=10`: `prioritizeNodes` (pkg/scheduler/schedule_one.go) then logs, per pod,
 * "Plugin scored node for pod" (each score plugin's weighted score on each scored node) and
 * "Calculated node's final score for pod" (each node's total). Those lines name exactly the nodes
 * the real scheduler scored, which with more than 100 nodes is a sample (percentageOfNodesToScore).
 *
 * Contract: pure; `parseScores` takes log text and returns, per `namespace/name`, the scores of the
 * pod's last scheduling cycle that logged any (a cycle is the run of lines between two "final score"
 * blocks; a retried pod logs one per attempt). Lines of other files and other messages are ignored.
 */

/** One cycle's scores: node → plugin → weighted score, and node → total. */
export interface CycleScores {
  plugins: Map<string, Map<string, number>>;
  totals: Map<string, number>;
}

const PLUGIN_LINE = /"Plugin scored node for pod" pod="([^"]+)" plugin="([^"]+)" node="([^"]+)" score=(-?\d+)/;
const TOTAL_LINE = /"Calculated node's final score for pod" pod="([^"]+)" node="([^"]+)" score=(-?\d+)/;

/** The scores logged for each pod (its latest cycle). */
export function parseScores(text: string): Map<string, CycleScores> {
  const out = new Map<string, CycleScores>();
  const cycle = (pod: string, plugin: boolean): CycleScores => {
    let c = out.get(pod);
    // Totals close a cycle: a plugin line after them starts the pod's next attempt.
    if (c === undefined || (plugin && c.totals.size > 0)) {
      c = { plugins: new Map(), totals: new Map() };
      out.set(pod, c);
    }
    return c;
  };
  for (const line of text.split('\n')) {
    const p = PLUGIN_LINE.exec(line);
    if (p !== null) {
      const [, pod, plugin, node, score] = p as unknown as [string, string, string, string, string];
      const c = cycle(pod, true);
      let byPlugin = c.plugins.get(node);
      if (byPlugin === undefined) c.plugins.set(node, (byPlugin = new Map()));
      byPlugin.set(plugin, Number(score));
      continue;
    }
    const t = TOTAL_LINE.exec(line);
    if (t !== null) {
      const [, pod, node, score] = t as unknown as [string, string, string, string];
      cycle(pod, false).totals.set(node, Number(score));
    }
  }
  return out;
}
