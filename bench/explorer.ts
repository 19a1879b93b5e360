/**
 * Cluster explorer benchmark: a simulated cluster with 10,000 pods across 200 namespaces on 1,000 nodes
 * runs as its own process (`dist/simulator.js --snapshot`); the explorer's server side connects to it
 * and computes the tree, and `kubectl get pods -A -o json` runs against the same cluster for a
 * side-by-side ratio. Reports medians as JSON (`--json FILE`); no thresholds are asserted here.
 *
 *   npm run bench:explorer -- --json out.json [--nodes 1000] [--namespaces 200] [--pods 10000] [--runs 5]
 *
 * - firstPaintMs: connect → core caches synced → root + the context's sections + every section's
 *   children computed (the category groups wait for their caches too), i.e. what the first full paint
 *   of the tree needs, end to end, server side.
 * - expandNamespaceMs / expandNodeMs: the children of a namespace's Pods group / of a node, from cache.
 * - kubectlMs: `kubectl get pods -A -o json --kubeconfig K --cache-dir D` (a fresh cache dir per run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ClusterSession } from '../src/cluster/cluster-session';
import { forContext, loadKubeconfig } from '../src/cluster/kubeconfig';
import { KubeClusterBackend } from '../src/server/explorer/kube-backend';
import { SIMULATOR_CONTEXT, SimulatorProcess } from '../src/server/explorer/simulator-process';
import type { TreeNode } from '../src/shared/protocol';
import { arg, roundedMedian } from './bench-util';

const NODES = Number(arg('nodes', '1000'));
const NAMESPACES = Number(arg('namespaces', '200'));
const PODS = Number(arg('pods', '10000'));
const RUNS = Number(arg('runs', '5'));
const JSON_OUT = process.argv.includes('--json') ? arg('json', '') : '';
const ROOT = path.resolve(__dirname, '..');

/** The cluster: nodes with allocatable, namespaces, and pods bound round-robin with requests and a kubelet's status. */
function generate(): Record<string, unknown>[] {
  const objs: Record<string, unknown>[] = [];
  for (let n = 0; n < NAMESPACES; n++)
    objs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}`, labels: { team: `t${n % 20}` } } });
  for (let i = 0; i < NODES; i++) {
    const name = `node-${String(i).padStart(4, '0')}`;
    objs.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'topology.kubernetes.io/zone': `zone-${i % 3}`,
          'node.kubernetes.io/instance-type': 'm5.2xlarge',
        },
      },
      spec: i % 50 === 0 ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {},
      status: {
        capacity: { cpu: '8', memory: '32Gi', pods: '110', ...(i % 50 === 0 ? { 'nvidia.com/gpu': '4' } : {}) },
        allocatable: { cpu: '7910m', memory: '31Gi', pods: '110', ...(i % 50 === 0 ? { 'nvidia.com/gpu': '4' } : {}) },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            lastHeartbeatTime: '2026-01-01T00:00:00Z',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        ],
        addresses: [{ type: 'InternalIP', address: `10.0.${Math.floor(i / 250)}.${i % 250}` }],
        nodeInfo: {
          kubeletVersion: 'v1.33.1',
          osImage: 'Debian GNU/Linux 12',
          containerRuntimeVersion: 'containerd://1.7.0',
        },
      },
    });
  }
  for (let p = 0; p < PODS; p++) {
    const ns = `team-${p % NAMESPACES}`;
    const app = `app-${Math.floor(p / NAMESPACES) % 10}`;
    const name = `${app}-${p.toString(36).padStart(5, '0')}`;
    const pending = p % 500 === 7;
    objs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns,
        labels: { app, 'pod-template-hash': 'abc123', tier: p % 2 ? 'web' : 'worker' },
        annotations: { 'prometheus.io/scrape': 'true' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${app}-abc123`,
            uid: `rs-${ns}-${app}`,
            controller: true,
          },
        ],
      },
      spec: {
        ...(pending ? {} : { nodeName: `node-${String(p % NODES).padStart(4, '0')}` }),
        containers: [
          {
            name: 'main',
            image: `registry.example.com/${app}:1.${p % 7}`,
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            env: [{ name: 'MODE', value: 'prod' }],
          },
        ],
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
      },
      status: pending
        ? {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: `0/${NODES} nodes are available: ${NODES} Insufficient cpu.`,
              },
            ],
          }
        : {
            phase: 'Running',
            podIP: `10.1.${Math.floor(p / 250) % 250}.${p % 250}`,
            conditions: [
              { type: 'PodScheduled', status: 'True' },
              { type: 'Initialized', status: 'True' },
              { type: 'ContainersReady', status: 'True' },
              { type: 'Ready', status: 'True' },
            ],
            containerStatuses: [
              {
                name: 'main',
                ready: true,
                restartCount: p % 13 === 0 ? 1 : 0,
                started: true,
                image: `registry.example.com/${app}:1.${p % 7}`,
                state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
              },
            ],
          },
    });
  }
  return objs;
}

async function allChildren(backend: KubeClusterBackend): Promise<number> {
  let rows = 0;
  const root = await backend.children(null);
  rows += root.length;
  const ctx = root.find((r) => r.contextValue === 'context:active')!;
  const sections = await backend.children(ctx.id);
  rows += sections.length;
  for (const s of sections) rows += (await backend.children(s.id)).length;
  return rows;
}

async function main(): Promise<void> {
  const script = path.join(ROOT, 'dist', 'simulator.js');
  if (!fs.existsSync(script))
    execFileSync(process.execPath, ['esbuild.mjs', '--only=simulator'], { cwd: ROOT, stdio: 'inherit' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-explorer-'));
  const snapshot = path.join(dir, 'cluster.json');
  fs.writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: generate() }));
  const sim = new SimulatorProcess(script);
  const started = performance.now();
  const kubeconfig = await sim.start({ snapshot }, 180_000);
  console.log(
    `simulator: ${NODES} nodes, ${NAMESPACES} namespaces, ${PODS} pods, up in ${Math.round(performance.now() - started)} ms`,
  );
  const loaded = loadKubeconfig({ explicitPath: kubeconfig });
  const kc = (): ReturnType<typeof forContext> => forContext(loaded, SIMULATOR_CONTEXT);
  const firstPaint: number[] = [];
  const synced: number[] = [];
  const expandNs: number[] = [];
  const expandNode: number[] = [];
  let rows = 0;
  try {
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const session = new ClusterSession(kc()!);
      const backend = new KubeClusterBackend(session, {
        source: 'simulator',
        context: SIMULATOR_CONTEXT,
        server: '',
        namespaces: [],
        makeSession: async () => new ClusterSession(kc()!),
        contexts: () => [{ name: SIMULATOR_CONTEXT, simulator: true }],
        healthIntervalMs: 0,
      });
      await backend.start(120_000);
      if (backend.status.state !== 'connected') throw new Error(`not connected: ${backend.status.message ?? ''}`);
      const t1 = performance.now();
      await allChildren(backend);
      // The category groups started their caches on that first pass; the paint is complete when they listed.
      // (A kind the cluster does not serve counts as settled once it failed: its row says so.)
      const kinds = [
        'deployments',
        'statefulsets',
        'daemonsets',
        'replicasets',
        'jobs',
        'cronjobs',
        'services',
        'ingresses',
        'endpointslices',
        'configmaps',
        'secrets',
        'persistentvolumeclaims',
        'persistentvolumes',
        'storageclasses',
        'customresourcedefinitions',
      ] as const;
      while (kinds.some((k) => ['idle', 'syncing'].includes(session.cache(k).state)))
        await new Promise((r) => setTimeout(r, 2));
      rows = await allChildren(backend);
      const t2 = performance.now();
      synced.push(t1 - t0);
      firstPaint.push(t2 - t0);
      // Expands from cache: a namespace's Pods group, and a node's pods.
      const nsSection = (await backend.children(SIMULATOR_CONTEXT)).find((r) => r.label === 'Namespaces')!;
      const namespaces = await backend.children(nsSection.id);
      const nodesSection = (await backend.children(SIMULATOR_CONTEXT)).find((r) => r.label === 'Nodes')!;
      const nodes = await backend.children(nodesSection.id);
      for (let i = 0; i < 20; i++) {
        const ns: TreeNode = namespaces[(i * 7 + run) % namespaces.length]!;
        const a = performance.now();
        const groups = await backend.children(ns.id);
        await backend.children(groups.find((g) => g.label === 'Pods')!.id);
        expandNs.push(performance.now() - a);
        const node: TreeNode = nodes[(i * 37 + run) % nodes.length]!;
        const b = performance.now();
        await backend.children(node.id);
        expandNode.push(performance.now() - b);
      }
      backend.dispose();
      console.log(
        `run ${run + 1}: synced ${Math.round(t1 - t0)} ms, first paint ${Math.round(t2 - t0)} ms (${rows} rows)`,
      );
    }
    // kubectl side by side.
    const kubectl: number[] = [];
    let kubectlBytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const cacheDir = fs.mkdtempSync(path.join(dir, 'kubectl-cache-'));
      const a = performance.now();
      const r = spawnSync(
        'kubectl',
        ['get', 'pods', '-A', '-o', 'json', '--kubeconfig', kubeconfig, '--cache-dir', cacheDir],
        { maxBuffer: 1 << 30, encoding: 'utf8' },
      );
      const ms = performance.now() - a;
      if (r.status !== 0) throw new Error(`kubectl failed: ${r.stderr}`);
      kubectlBytes = r.stdout.length;
      kubectl.push(ms);
      console.log(`kubectl run ${run + 1}: ${Math.round(ms)} ms (${(kubectlBytes / 1e6).toFixed(1)} MB)`);
    }
    const result = {
      bench: 'explorer',
      cluster: { nodes: NODES, namespaces: NAMESPACES, pods: PODS },
      runs: RUNS,
      machine: { cpus: os.cpus().length, node: process.version },
      cachesSyncedMs: roundedMedian(synced),
      firstPaintMs: roundedMedian(firstPaint),
      firstPaintRows: rows,
      expandNamespaceMs: roundedMedian(expandNs),
      expandNodeMs: roundedMedian(expandNode),
      kubectlGetPodsMs: roundedMedian(kubectl),
      kubectlOutputBytes: kubectlBytes,
      firstPaintVsKubectl: Math.round((roundedMedian(firstPaint) / roundedMedian(kubectl)) * 100) / 100,
      budgets: { firstPaintMs: 1000, expandMs: 50 },
      samples: { firstPaintMs: firstPaint.map(Math.round), kubectlGetPodsMs: kubectl.map(Math.round) },
    };
    console.log(JSON.stringify(result, null, 2));
    if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(result, null, 2) + '\n');
  } finally {
    sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
