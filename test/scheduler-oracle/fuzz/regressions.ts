/**
 * `npm run fuzz:scheduler -- --record-regressions`: keeps one generated case per difference the
 * campaign found between the model and kube-scheduler v1.37.2, recorded with the real scheduler's
 * answer in `test/fixtures/scheduler-oracle/<name>.json`, so the unit tests replay each of them
 * through the model without Go (test/unit/scheduler/conformance/oracle-fixtures.test.ts).
 *
 * Each regression names what it pins and a predicate over a generated case and the model's answer;
 * the first case (from seed 1000 on) that satisfies it is recorded. A predicate no case satisfies
 * within the search budget fails the run: a regression is never silently dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { modelAnswer, type Answer, type Scenario, diffAnswers } from '../../../src/scheduler/conformance';
import { KUBERNETES_VERSION, repoRoot } from '../../real-cluster/binaries';
import { realAnswers } from '../oracle';
import { generateCase } from './generate';

/* eslint-disable @typescript-eslint/no-explicit-any -- predicates read generated wire JSON by field path. */
type Pred = (s: Scenario & Record<string, any>, a: Answer) => boolean;

/** One difference the campaign found, and how to find a case that shows it. */
export interface Regression {
  name: string;
  why: string;
  matches: Pred;
  /** A rare difference: the generated case (seed, index) that showed it, checked against `matches`. */
  found?: [number, number];
}

const objects = (s: Scenario, kind: string): any[] => ((s.objects ?? []) as any[]).filter((o) => o.kind === kind);
const failure = (a: Answer): string => a.failure ?? '';
const nodeFilters = (a: Answer): any[] => Object.values(a.nodes ?? {}).map((n) => n.filter);

/** The differences fixed so far, one case each. */
export const REGRESSIONS: readonly Regression[] = [
  {
    name: 'fit-score-ignores-pod-level-requests',
    why: "NodeResourcesFit's scorer is built without feature flags, so pod-level requests do not count in its score",
    matches: (s, a) =>
      s.pod.spec?.resources?.requests !== undefined &&
      (a.selected?.length ?? 0) > 0 &&
      a.nodes !== undefined &&
      Object.values(a.nodes).some((n) => n.scores !== undefined),
  },
  {
    name: 'default-toleration-seconds-tolerate-not-ready',
    why: 'kube-apiserver adds the DefaultTolerationSeconds tolerations, so a node tainted not-ready:NoExecute stays feasible',
    matches: (s, a) =>
      s.nodes!.some(
        (n: any) =>
          (n.spec?.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/not-ready') &&
          n.spec?.unschedulable !== true &&
          a.nodes?.[n.metadata.name]?.filter === 'Success',
      ),
  },
  {
    name: 'preemption-found-placement-message',
    why: 'v1.37 appends "preemption: found a potential placement for pod on node X, preempting N victims" to the FitError',
    matches: (_s, a) => failure(a).includes('found a potential placement'),
  },
  {
    name: 'preemption-respects-pdb',
    why: 'DefaultPreemption reprieves PDB-protected victims first and prefers candidates without PDB violations',
    matches: (s, a) =>
      a.preemption?.nominatedNode !== undefined &&
      objects(s, 'PodDisruptionBudget').some((p) => p.status?.disruptionsAllowed === 0 && p.status?.currentHealthy > 0),
  },
  {
    name: 'affinity-match-label-keys-of-existing-pods',
    why: "kube-apiserver merged the existing pods' matchLabelKeys into their affinity terms at creation",
    matches: (s, a) =>
      (s.existingPods ?? []).some((p: any) => JSON.stringify(p.spec?.affinity ?? {}).includes('matchLabelKeys')) &&
      Object.values(a.nodes ?? {}).some((n) => (n.scores?.['InterPodAffinity']?.raw ?? 0) !== 0),
  },
  {
    name: 'volume-limits-count-migrated-inline-volume',
    why: 'NodeVolumeLimits counts in-tree volumes under the CSI driver they migrated to',
    matches: (s, a) =>
      (s.pod.spec?.volumes ?? []).some((v: any) => v.awsElasticBlockStore || v.gcePersistentDisk || v.cinder) &&
      nodeFilters(a).some((f) => f?.plugin === 'NodeVolumeLimits'),
  },
  {
    name: 'volume-limits-driver-not-installed',
    why: 'VolumeLimitScaling: a CSIDriver with preventPodSchedulingIfMissing refuses nodes whose CSINode lacks it',
    matches: (_s, a) =>
      nodeFilters(a).some((f) => (f?.reasons ?? []).some((r: string) => r.includes('CSI driver is not installed'))),
  },
  {
    name: 'volume-binding-migrated-pv-topology',
    why: "VolumeBinding checks a bound in-tree PV migrated on the node with the CSI driver's topology key",
    matches: (s, a) =>
      objects(s, 'PersistentVolume').some(
        (pv) => pv.spec?.awsElasticBlockStore !== undefined && pv.status?.phase === 'Bound',
      ) &&
      nodeFilters(a).some(
        (f) => f?.plugin === 'VolumeBinding' && f.reasons?.[0]?.includes("PersistentVolume's node affinity"),
      ),
  },
  {
    name: 'volume-binding-ephemeral-claim-not-created',
    why: 'a generic ephemeral volume whose claim does not exist yet is UnschedulableAndUnresolvable at PreFilter',
    matches: (_s, a) => failure(a).includes('waiting for ephemeral volume controller'),
  },
  {
    name: 'dra-postfilter-state-not-found',
    why: "DynamicResources' PostFilter without its PreFilter state fails with 'not found', which ends the FitError",
    matches: (_s, a) => failure(a).endsWith(' not found'),
  },
  {
    name: 'nominated-node-taken-without-others',
    why: 'a fitting nominated node is chosen without evaluating the others; every node still has a verdict',
    matches: (s, a) =>
      s.pod.status?.nominatedNodeName !== undefined && a.selected?.[0] === s.pod.status.nominatedNodeName,
  },
  {
    name: 'nominated-node-taken-keeps-prefilter-result',
    why: 'a fitting nominated node is taken after PreFilter ran, so its PreFilterResult (matchFields metadata.name) stands',
    found: [20, 4698],
    matches: (s, a) =>
      s.pod.status?.nominatedNodeName !== undefined &&
      a.selected?.[0] === s.pod.status.nominatedNodeName &&
      Array.isArray(a.preFilterResult),
  },
  {
    name: 'nominated-node-rejection-in-absent-status',
    why: 'the plugin that rejects the nominated node joins "node(s) didn\'t satisfy plugin(s) [...]"',
    matches: (s, a) =>
      s.pod.status?.nominatedNodeName !== undefined && /didn't satisfy plugin\(s\) \[\w+ \w+/.test(failure(a)),
  },
  {
    name: 'terminating-victim-not-evicted',
    why: 'a victim that is already terminating counts in "preempting N victims" but is not evicted again',
    matches: (s, a) => {
      const nominated = a.preemption?.nominatedNode;
      if (nominated === undefined) return false;
      const m = /preempting (\d+) victims/.exec(failure(a));
      return (
        m !== null &&
        Number(m[1]) > (a.preemption?.victims?.length ?? 0) &&
        (s.existingPods ?? []).some((p: any) => p.spec?.nodeName === nominated && p.metadata?.deletionTimestamp)
      );
    },
  },
];

/** Finds, asks and records one case per regression; returns the number written (throws if one is missing). */
export async function recordRegressions(log: (l: string) => void = console.log): Promise<number> {
  const found = new Map<string, { scenario: Scenario; why: string }>();
  const wanted = new Set(REGRESSIONS.map((r) => r.name));
  const keep = (r: Regression, s: Scenario): void => {
    found.set(r.name, { scenario: { ...s, id: `regression/${r.name}`, notes: `generated case ${s.id}` }, why: r.why });
  };
  for (const r of REGRESSIONS) {
    if (r.found === undefined) continue;
    const s = generateCase(r.found[0], r.found[1]);
    if (r.matches(s as never, modelAnswer(s, { kubernetesVersion: KUBERNETES_VERSION }))) keep(r, s);
  }
  for (let seed = 1000; seed < 1020 && found.size < wanted.size; seed++) {
    for (let i = 0; i < 5000 && found.size < wanted.size; i++) {
      const s = generateCase(seed, i);
      const a = modelAnswer(s, { kubernetesVersion: KUBERNETES_VERSION });
      for (const r of REGRESSIONS) {
        if (!found.has(r.name) && r.found === undefined && r.matches(s as never, a)) keep(r, s);
      }
    }
  }
  const missing = [...wanted].filter((n) => !found.has(n));
  if (missing.length > 0) throw new Error(`no generated case shows: ${missing.join(', ')}`);
  const list = [...found.entries()];
  const real = await realAnswers(list.map(([, f]) => f.scenario));
  const dir = path.join(repoRoot(), 'test', 'fixtures', 'scheduler-oracle');
  fs.mkdirSync(dir, { recursive: true });
  list.forEach(([name, f], i) => {
    const answer = real[i]!;
    if (answer.error !== undefined) throw new Error(`${name}: the oracle could not run the case: ${answer.error}`);
    const diff = diffAnswers(modelAnswer(f.scenario, { kubernetesVersion: KUBERNETES_VERSION }), answer);
    if (diff.length > 0) throw new Error(`${name}: the model still disagrees:\n  ${diff.join('\n  ')}`);
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      `${JSON.stringify({ name, why: f.why, scenario: f.scenario, real: answer }, null, 1)}\n`,
    );
    log(`recorded ${name} (${f.scenario.notes ?? ''})`);
  });
  return list.length;
}
