/**
 * The model computations `comparePlacement` needs beyond the editor's prediction: scores over exactly
 * the nodes kube-scheduler scored (a sample when the cluster has more than 100 nodes), and the victims
 * DefaultPreemption picks on a given node. Both run the same framework the prediction ran (same
 * snapshot, profile and release), so they are the model's answers, not a second model.
 */
import type { ClusterSnapshot, SchedulerProfile } from '../../../src/scheduler';
import type { Pod } from '../../../src/kube-api/types';
import { CycleState } from '../../../src/scheduler/framework/cycle-state';
import type { NodeInfo } from '../../../src/scheduler/framework/interface';
import { selectVictimsOnNode, type MutableNodeInfo } from '../../../src/scheduler/plugins/defaultpreemption/preemption';
import { frameworkFor } from '../../../src/scheduler/predict/predict';
import type { ModelProbe } from './compare';

/** A probe for `pod` (admitted, as the prediction used it) on `snapshot`. */
export function modelProbe(snapshot: ClusterSnapshot, pod: Pod, profile: SchedulerProfile): ModelProbe {
  const fw = (): ReturnType<typeof frameworkFor>['framework'] =>
    frameworkFor(snapshot, profile, true, undefined, snapshot.kubernetesVersion).framework;
  const preFiltered = (): CycleState => {
    const state = new CycleState();
    fw().runPreFilterPlugins(state, pod);
    return state;
  };
  return {
    rescore(nodes) {
      const f = fw();
      const state = preFiltered();
      const infos: NodeInfo[] = [];
      for (const n of nodes) {
        const ni = snapshot.getNodeInfo(n);
        if (ni !== undefined) infos.push(ni);
      }
      const plugins = new Map<string, Map<string, number>>();
      const totals = new Map<string, number>();
      const ps = f.runPreScorePlugins(state, pod, infos);
      if (ps != null && !ps.isSuccess()) return { plugins, totals };
      const { table } = f.runScorePlugins(state, pod, infos);
      if (table === undefined) return { plugins, totals };
      infos.forEach((ni, i) => {
        const m = new Map<string, number>();
        table.plugins.forEach((name, pi) => m.set(name, table.normalized[pi]![i]! * table.weights[pi]!));
        plugins.set(ni.name, m);
        totals.set(ni.name, table.totals[i]!);
      });
      f.releaseScoreTable(table);
      return { plugins, totals };
    },
    victimsOn(node, preferEvicting = []) {
      const ni = snapshot.getNodeInfo(node) as MutableNodeInfo | undefined;
      if (ni === undefined) return undefined;
      const copy = ni.clone();
      // Pods named in preferEvicting go last in the node's order: among equally important pods the
      // earlier ones are reprieved first, so the ties go their way.
      const last = new Set(preferEvicting);
      for (const pi of copy.pods.slice()) {
        if (!last.has(`${pi.pod.metadata?.namespace ?? ''}/${pi.pod.metadata?.name ?? ''}`)) continue;
        copy.removePod(pi);
        copy.addPod(pi);
      }
      const res = selectVictimsOnNode(
        fw(),
        preFiltered(),
        pod,
        copy,
        Date.now(),
        snapshot.objects('PodDisruptionBudget'),
      );
      if (!res.status.isSuccess() || res.victims.length === 0) return undefined;
      return res.victims.map((v) => `${v.metadata?.namespace ?? ''}/${v.metadata?.name ?? ''}`).sort();
    },
  };
}
