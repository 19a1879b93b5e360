/**
 * The replicas what-if at scale (issue 15 item 3): "how many replicas of this template fit now",
 * 1,000 replicas of a Deployment placed one by one as kube-scheduler would (kube-scheduler mode,
 * each replica assumed on its node before the next, every assumption undone), on 5,000 nodes that
 * already run 150,000 pods. Measured through the code the workload lens runs: `parseManifest`,
 * `PredictionEngine.verdict` over an incremental `LiveCluster`, and `lensText` for the title.
 *
 * Variants of the template (all with resource requests): `plain`; `spread` (a zone
 * topologySpreadConstraint with DoNotSchedule and a hostname one with ScheduleAnyway); and
 * `anti-affinity` (required pod anti-affinity on the hostname, so at most one replica per node).
 * Each run uses a fresh engine (no verdict cache); figures are the median of `--runs` runs, in wall
 * time and in this process's CPU time (less sensitive to other load on the machine). Later runs reuse
 * the plugins' per-node memos, as the server's later lenses do; `firstMs` is the first, cold run. The
 * result is checked, not only timed: every variant must place all 1,000 replicas, and the
 * anti-affinity variant on 1,000 distinct nodes.
 *
 * Usage: npm run bench:whatif -- [--json FILE] [--quick] [--runs N] [--nodes N] [--pods N]
 *   [--replicas N] [--only plain,spread,anti-affinity] [--no-bundle]. `--quick` is 500 nodes, 15,000
 *   pods, 100 replicas.
 * Writes {"nodes","pods","replicas","goalMs","variants":[{"name","medianMs","minMs","maxMs","firstMs","cpuMedianMs",
 * "placed","nodesUsed","title"}],"worstMedianMs","worstCpuMedianMs","loadAverage1m","cpus","peakRssMB"}.
 * Like bench/scheduler.ts it first bundles itself with esbuild, as the extension ships.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PredictionEngine } from '../src/server/prediction/engine';
import { lensText } from '../src/server/prediction/lens-text';
import { LiveCluster } from '../src/server/prediction/live-cluster';
import { parseManifest } from '../src/server/services/manifest';
import { benchCluster } from './bench-caches';
import { arg, relaunchBundled } from './bench-util';

/** The goal: 1,000 replicas on 5,000 nodes in at most this many milliseconds. */
const GOAL_MS = 1000;

/** The variants: a name and the pod spec lines (under `template.spec`, indented 6) beside the containers. */
const VARIANTS: { name: string; spec: string }[] = [
  { name: 'plain', spec: '' },
  {
    name: 'spread',
    spec: `      topologySpreadConstraints:
        - { maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: whatif } } }
        - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: { matchLabels: { app: whatif } } }
`,
  },
  {
    name: 'anti-affinity',
    spec: `      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { app: whatif } } }
`,
  },
];

function manifest(replicas: number, specExtra: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: whatif
  namespace: ns-3
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: whatif } }
  template:
    metadata:
      labels: { app: whatif }
    spec:
${specExtra}      containers:
        - name: web
          image: img-3
          resources:
            requests: { cpu: 500m, memory: 1Gi }
`;
}

function main(): void {
  const args = process.argv.slice(2);
  if (relaunchBundled(__filename, 'whatif-bench.cjs', args, ['--cpu-prof'])) return;
  const quick = args.includes('--quick');
  const jsonFile = arg('json', undefined);
  const runs = Number(arg('runs', quick ? '3' : '5'));
  const nodes = Number(arg('nodes', quick ? '500' : '5000'));
  const pods = Number(arg('pods', quick ? '15000' : '150000'));
  const replicas = Number(arg('replicas', quick ? '100' : '1000'));
  const only = arg('only', undefined)?.split(',');

  let t = performance.now();
  const live = new LiveCluster(benchCluster(nodes, pods, (i) => (i * 7) % nodes));
  const buildMs = performance.now() - t;

  const variants = [];
  for (const v of VARIANTS) {
    if (only !== undefined && !only.includes(v.name)) continue;
    const docs = parseManifest(manifest(replicas, v.spec));
    const doc = docs[0]!;
    const spec = doc.podSpecs[0]!;
    const samples: number[] = [];
    const cpuSamples: number[] = [];
    let title = '';
    let placed = -1;
    let nodesUsed = -1;
    for (let r = 0; r < runs; r++) {
      // A fresh engine each run: nothing comes from the verdict cache.
      const engine = new PredictionEngine();
      const cpu0 = process.cpuUsage();
      t = performance.now();
      const verdict = engine.verdict(doc, spec, live.snapshot, live.generation, {
        defaultNamespace: 'default',
        profile: { key: 'default' },
      });
      samples.push(performance.now() - t);
      const cpu = process.cpuUsage(cpu0);
      cpuSamples.push((cpu.user + cpu.system) / 1000);
      title = lensText(verdict).title;
      placed = verdict.placement?.placed ?? (verdict.first?.selectedNode !== undefined ? 1 : 0);
      nodesUsed = Object.keys(verdict.placement?.perNode ?? {}).length;
      if (verdict.errors !== undefined) throw new Error(`${v.name}: ${JSON.stringify(verdict.errors)}`);
    }
    if (placed !== replicas) throw new Error(`${v.name}: placed ${placed} of ${replicas} (${title})`);
    if (v.name === 'anti-affinity' && nodesUsed !== replicas)
      throw new Error(`${v.name}: ${replicas} replicas on ${nodesUsed} nodes`);
    const sorted = [...samples].sort((a, b) => a - b);
    const cpuSorted = [...cpuSamples].sort((a, b) => a - b);
    variants.push({
      name: v.name,
      medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      minMs: Math.round(sorted[0]!),
      maxMs: Math.round(sorted[sorted.length - 1]!),
      /** The first run: the plugins' per-node memos start empty, as for the first lens of a session. */
      firstMs: Math.round(samples[0]!),
      cpuMedianMs: Math.round(cpuSorted[Math.floor(cpuSorted.length / 2)]!),
      placed,
      nodesUsed,
      title,
    });
    process.stderr.write(
      `[whatif] ${v.name}: ${samples.map((s) => Math.round(s)).join(', ')} ms (CPU ${cpuSamples.map((s) => Math.round(s)).join(', ')} ms); ${title}\n`,
    );
  }

  const figures = {
    nodes,
    pods,
    replicas,
    runs,
    goalMs: GOAL_MS,
    snapshotBuildMs: Math.round(buildMs),
    variants,
    worstMedianMs: Math.max(...variants.map((v) => v.medianMs)),
    worstCpuMedianMs: Math.max(...variants.map((v) => v.cpuMedianMs)),
    loadAverage1m: +loadavg()[0]!.toFixed(1),
    cpus: cpus().length,
    peakRssMB: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
  console.log(JSON.stringify(figures, null, 2));
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(figures, null, 2));
}

main();
