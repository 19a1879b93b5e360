/**
 * Scheduler-model throughput, shaped like upstream's scheduler_perf
 * (test/integration/scheduler_perf/misc/performance-config.yaml): nodes and initial pods are
 * created, then each measured pod is predicted (`predict`, `all-nodes` mode: every feasible node
 * is filtered and scored) and bound to the predicted node before the next one.
 *
 * Usage: npm run bench:scheduler -- [--json FILE] [--quick] [--runs N] [--only NAME] [--measured N]
 *   [--modes all-nodes,kube-scheduler] (default all-nodes: every node scored; kube-scheduler:
 *   percentageOfNodesToScore sampling and rotation as upstream's scheduler_perf runs it;
 *   `--kube-scheduler-mode` is short for `--modes kube-scheduler`) [--oracle] [--upstream-perf]
 *   `--oracle` also runs each workload through the real kube-scheduler framework of
 *   k8s.io/kubernetes v1.37.2 (test/scheduler-oracle `sequence`: in process, a fake API, no API
 *   server), with the same nodes, the same initial pods on the same nodes and the same measured
 *   pods, scoring as many nodes as the model's mode does, and adds `real` and `ratio` (model/real).
 *   `--upstream-perf` also runs upstream's own benchmark once, BenchmarkPerfScheduling
 *   SchedulingBasic/5000Nodes_10000Pods of k8s.io/kubernetes v1.37.2 (bench/upstream-perf.ts: an
 *   in-process kube-apiserver, etcd and kube-scheduler, default percentageOfNodesToScore), and adds
 *   `upstreamPerf` (its SchedulingThroughput, the command, build and run seconds) and `upstreamRatio`
 *   (model/upstream) to each SchedulingBasic/5000Nodes_10000Pods figure, or to the top level of the
 *   JSON when no figure is that workload (`--quick`, `--only`).
 * Writes {"workloads":[{"name","podsPerSecond","p50Ms","p99Ms","peakRssMB","podsPerCpuSecond"}]}; figures are
 * medians over runs. `--quick` shrinks every workload for a smoke run.
 *
 * The model is measured as it ships: this file first bundles itself with esbuild (as the
 * extension build does) and re-runs the bundle, because tsx's per-module CommonJS interop turns
 * every imported constant into a getter call and roughly halves throughput. `--no-bundle` measures
 * the tsx-transpiled modules instead.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Node, Pod } from '../src/kube-api/types';
import { ClusterSnapshot, defaultSchedulerProfile, predict, type PredictOptions } from '../src/scheduler';
import { percentile, relaunchBundled } from './bench-util';
import type { UpstreamPerf } from './upstream-perf';

interface Workload {
  name: string;
  nodes: number;
  initPods: number;
  measuredPods: number;
  makeNode(i: number): Node;
  makeInitPod(i: number): Pod;
  makePod(i: number): Pod;
  /** Where init pods go (round-robin by default, as upstream's createPods without a scheduler would not do; init pods are scheduled upstream). */
  scheduleInit: boolean;
}

interface Figures {
  name: string;
  /** The real framework's figures for the same workload (`--oracle`). */
  real?: { podsPerSecond: number; scheduled: number };
  /** Model pods/s over real pods/s (`--oracle`). */
  ratio?: number;
  /** Upstream's scheduler_perf run of this workload (`--upstream-perf`), and model pods/s over its pods/s. */
  upstreamPerf?: UpstreamPerf;
  upstreamRatio?: number;
  podsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMB: number;
  /** Pods per second of this process's CPU time (user + system): less sensitive to other load on the machine. */
  podsPerCpuSecond: number;
}

const ZONES = ['moon-1', 'moon-2', 'moon-3'];

function node(i: number, zoned: boolean): Node {
  const name = `scheduler-perf-node-${i}`;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  if (zoned) labels['topology.kubernetes.io/zone'] = ZONES[i % ZONES.length]!;
  return {
    metadata: { name, labels },
    status: {
      capacity: { pods: '110', cpu: '4', memory: '32Gi' },
      allocatable: { pods: '110', cpu: '4', memory: '32Gi' },
    },
  };
}

function basePod(prefix: string, i: number, ns: string): Pod {
  const name = `${prefix}-${i}`;
  return {
    metadata: { name, namespace: ns, uid: `${ns}/${name}` },
    spec: {
      containers: [
        {
          name: 'pause',
          image: 'registry.k8s.io/pause:3.10',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '100m', memory: '500Mi' }, requests: { cpu: '100m', memory: '500Mi' } },
        },
      ],
    },
  };
}

function spreadingPod(prefix: string, i: number, ns: string): Pod {
  const p = basePod(prefix, i, ns);
  p.metadata!.labels = { color: 'blue' };
  p.spec!.topologySpreadConstraints = [
    {
      maxSkew: 5,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchExpressions: [{ key: 'color', operator: 'In', values: ['blue'] }] },
    },
  ];
  return p;
}

function preferredAffinityPod(prefix: string, i: number, ns: string): Pod {
  const p = basePod(prefix, i, ns);
  p.metadata!.labels = { color: 'blue' };
  p.spec!.affinity = {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 1,
          podAffinityTerm: {
            labelSelector: { matchExpressions: [{ key: 'color', operator: 'In', values: ['blue', 'green'] }] },
            topologyKey: 'kubernetes.io/hostname',
            namespaces: ['sched-test', 'sched-setup'],
          },
        },
      ],
    },
  };
  return p;
}

function workloads(quick: boolean): Workload[] {
  const k = quick ? 10 : 1;
  return [
    {
      name: quick ? 'SchedulingBasic/500Nodes_1000Pods' : 'SchedulingBasic/5000Nodes_10000Pods',
      nodes: 5000 / k,
      initPods: 1000 / k,
      measuredPods: 10000 / k,
      makeNode: (i) => node(i, false),
      makeInitPod: (i) => basePod('init-pod', i, 'sched-setup'),
      makePod: (i) => basePod('pod', i, 'sched-test'),
      scheduleInit: true,
    },
    {
      name: quick ? 'TopologySpreading/500Nodes_500Pods' : 'TopologySpreading/5000Nodes_5000Pods',
      nodes: 5000 / k,
      initPods: 5000 / k,
      measuredPods: 5000 / k,
      makeNode: (i) => node(i, true),
      makeInitPod: (i) => basePod('init-pod', i, 'sched-setup'),
      makePod: (i) => spreadingPod('spreading-pod', i, 'sched-test'),
      scheduleInit: true,
    },
    {
      name: quick
        ? 'SchedulingPreferredPodAffinity/500Nodes_500Pods'
        : 'SchedulingPreferredPodAffinity/5000Nodes_5000Pods',
      nodes: 5000 / k,
      initPods: 5000 / k,
      measuredPods: 5000 / k,
      makeNode: (i) => node(i, true),
      makeInitPod: (i) => preferredAffinityPod('init-pod', i, 'sched-setup'),
      makePod: (i) => preferredAffinityPod('affinity-pod', i, 'sched-test'),
      scheduleInit: true,
    },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function bind(snap: ClusterSnapshot, pod: Pod, nodeName: string): void {
  snap.addPod({ ...pod, spec: { ...pod.spec, nodeName } });
}

/** The state a run ends its set-up with: nodes and the initial pods bound where the model put them. */
interface SetUp {
  nodes: Node[];
  initPods: Pod[];
}

function runOnce(w: Workload, opts: PredictOptions, setUp?: SetUp): Figures {
  const snap = new ClusterSnapshot();
  for (let i = 0; i < w.nodes; i++) snap.addNode(w.makeNode(i));
  for (const ns of ['sched-setup', 'sched-test']) snap.addNamespace({ metadata: { name: ns } });
  const profile = defaultSchedulerProfile();
  // Initial pods are scheduled too (upstream's createPods goes through the scheduler), kube-scheduler mode.
  let next = 0;
  for (let i = 0; i < w.initPods; i++) {
    const pod = w.makeInitPod(i);
    const r = predict(pod, snap, profile, {
      mode: 'kube-scheduler',
      nextStartNodeIndex: next,
      detail: 'summary',
      preemption: false,
    });
    if (!r.ok || r.result.selectedNode === undefined)
      throw new Error(`init pod ${i} did not schedule: ${JSON.stringify(r)}`);
    next = r.result.nextStartNodeIndex;
    bind(snap, pod, r.result.selectedNode);
    setUp?.initPods.push({ ...pod, spec: { ...pod.spec, nodeName: r.result.selectedNode } });
  }
  if (setUp) for (let i = 0; i < w.nodes; i++) setUp.nodes.push(w.makeNode(i));
  global.gc?.();
  const lat: number[] = new Array(w.measuredPods);
  let peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < w.measuredPods; i++) {
    const pod = w.makePod(i);
    const s = performance.now();
    const r = predict(pod, snap, profile, opts);
    if (!r.ok || r.result.selectedNode === undefined)
      throw new Error(`pod ${i} did not schedule: ${JSON.stringify(r).slice(0, 500)}`);
    bind(snap, pod, r.result.selectedNode);
    lat[i] = performance.now() - s;
    if ((i & 255) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const total = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  lat.sort((a, b) => a - b);
  return {
    name: w.name,
    podsPerSecond: Math.round((w.measuredPods / total) * 1000 * 10) / 10,
    p50Ms: Math.round(percentile(lat, 50) * 1000) / 1000,
    p99Ms: Math.round(percentile(lat, 99) * 1000) / 1000,
    peakRssMB: Math.round(peakRss / 1024 / 1024),
    podsPerCpuSecond: Math.round((w.measuredPods / cpuMs) * 1000 * 10) / 10,
  };
}

/** The real framework on the same workload: pods/s over the measured pods only (set-up excluded). */
async function realFigures(w: Workload, setUp: SetUp, mode: 'all-nodes' | 'kube-scheduler'): Promise<Figures['real']> {
  // Imported here: the oracle needs Go and the cache, which the plain benchmark does not.
  const { ensureOracle, runOracle } = await import('../test/scheduler-oracle/oracle');
  const bin = await ensureOracle({ log: () => undefined });
  const input = {
    nodes: setUp.nodes,
    existingPods: setUp.initPods,
    namespaces: ['sched-setup', 'sched-test'].map((name) => ({ metadata: { name } })),
    pods: Array.from({ length: w.measuredPods }, (_, i) => w.makePod(i)),
    // all-nodes: every feasible node scored, as the model's default mode; else kube-scheduler's sampling.
    percentageOfNodesToScore: mode === 'all-nodes' ? 100 : 0,
  };
  const out = await runOracle(bin, ['sequence', '--no-detail'], JSON.stringify(input));
  const summary = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { summary?: { pods: number; scheduled: number; podsPerSecond: number } })
    .find((l) => l.summary)?.summary;
  if (!summary) throw new Error(`the scheduler oracle printed no summary for ${w.name}`);
  if (summary.scheduled !== w.measuredPods)
    throw new Error(`the real framework scheduled ${summary.scheduled} of ${w.measuredPods} pods of ${w.name}`);
  return { podsPerSecond: Math.round(summary.podsPerSecond * 10) / 10, scheduled: summary.scheduled };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // Bundled with esbuild and re-run, as the extension ships; profiling and heap options are passed on.
  if (relaunchBundled(__filename, 'scheduler-bench.cjs', args, ['--cpu-prof', '--max-old'])) return;
  const quick = args.includes('--quick');
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : quick ? 3 : 1;
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const capAt = args.indexOf('--measured');
  const cap = capAt >= 0 ? Number(args[capAt + 1]) : undefined;
  const modesAt = args.indexOf('--modes');
  const modes: ('all-nodes' | 'kube-scheduler')[] =
    modesAt >= 0
      ? (args[modesAt + 1]!.split(',') as ('all-nodes' | 'kube-scheduler')[])
      : args.includes('--kube-scheduler-mode')
        ? ['kube-scheduler']
        : ['all-nodes'];
  const withOracle = args.includes('--oracle');
  const out: Figures[] = [];
  for (const mode of modes)
    for (const w of workloads(quick)) {
      if (only && !w.name.startsWith(only)) continue;
      if (cap !== undefined) w.measuredPods = Math.min(w.measuredPods, cap);
      const opts: PredictOptions = { mode, detail: 'summary', preemption: false };
      const per: Figures[] = [];
      const setUp: SetUp | undefined = withOracle ? { nodes: [], initPods: [] } : undefined;
      for (let r = 0; r < runs; r++) per.push(runOnce(w, opts, r === 0 ? setUp : undefined));
      const f: Figures = {
        // All-nodes figures keep upstream's workload names; sampled ones say so.
        name: mode === 'all-nodes' ? w.name : `${w.name}/percentageOfNodesToScore`,
        podsPerSecond: median(per.map((x) => x.podsPerSecond)),
        p50Ms: median(per.map((x) => x.p50Ms)),
        p99Ms: median(per.map((x) => x.p99Ms)),
        peakRssMB: median(per.map((x) => x.peakRssMB)),
        podsPerCpuSecond: median(per.map((x) => x.podsPerCpuSecond)),
      };
      if (setUp) {
        f.real = await realFigures(w, setUp, mode);
        f.ratio = Math.round((f.podsPerSecond / f.real!.podsPerSecond) * 100) / 100;
      }
      out.push(f);
      console.log(
        `${f.name}: ${f.podsPerSecond} pods/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, peak RSS ${f.peakRssMB} MB, ${f.podsPerCpuSecond} pods/CPU-s (${runs} run(s), ${mode})` +
          (f.real ? `; real kube-scheduler framework ${f.real.podsPerSecond} pods/s, model/real ${f.ratio}` : ''),
      );
    }
  let upstreamPerf: UpstreamPerf | undefined;
  if (args.includes('--upstream-perf')) {
    // Imported here: it needs Go, the module cache and the rig's etcd, which the plain benchmark does not.
    const { runUpstreamPerf, UPSTREAM_WORKLOAD } = await import('./upstream-perf');
    upstreamPerf = await runUpstreamPerf();
    console.log(
      `upstream scheduler_perf ${upstreamPerf.benchmark}: ${upstreamPerf.podsPerSecond} pods/s average, ` +
        `${upstreamPerf.perc50} p50 (threshold ${upstreamPerf.threshold ?? 'none'}${upstreamPerf.thresholdMet ? '' : ', not met'}; ` +
        `built in ${upstreamPerf.buildSeconds} s, ran in ${upstreamPerf.runSeconds} s)`,
    );
    for (const f of out) {
      if (!f.name.startsWith(UPSTREAM_WORKLOAD)) continue;
      f.upstreamPerf = upstreamPerf;
      f.upstreamRatio = Math.round((f.podsPerSecond / upstreamPerf.podsPerSecond) * 100) / 100;
      console.log(`${f.name}: model/upstream ${f.upstreamRatio}`);
    }
  }
  const attached = out.some((f) => f.upstreamPerf);
  const json = JSON.stringify({ workloads: out, ...(upstreamPerf && !attached ? { upstreamPerf } : {}) }, null, 2);
  if (jsonFile) writeFileSync(jsonFile, `${json}\n`);
  else console.log(json);
}

main().catch((e: unknown) => {
  console.error(`bench:scheduler: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
