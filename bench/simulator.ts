/**
 * Simulator scale benchmark: 5,000 nodes and 150,000 pods in memory; a 10,000-pod list over HTTP (JSON
 * and Table), an indexed spec.nodeName list, a paged list, and ten concurrent watchers receiving a burst
 * of updates. Reports medians as JSON (`--json FILE`); no thresholds are asserted here. HTTP figures
 * include the client, which runs in the same process (and on the same two cores) as the server.
 *
 *   npm run bench:simulator -- --json out.json [--nodes 5000] [--pods 150000] [--runs 7]
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- generated wire JSON of many kinds, read by field path. */
import * as http from 'node:http';
import { writeFileSync } from 'node:fs';
import { startSimulator } from '../src/simulator/api/server';
import { Store } from '../src/simulator/store/store';
import { arg, roundedMedian } from './bench-util';

const NODES = Number(arg('nodes', '5000'));
const PODS = Number(arg('pods', '150000'));
const RUNS = Number(arg('runs', '7'));
const BIG_NS = 'bench-big';
const BIG = 10_000;

function node(i: number): Record<string, any> {
  const name = `node-${String(i).padStart(5, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'topology.kubernetes.io/zone': `zone-${i % 3}`,
        'node.kubernetes.io/instance-type': 'm5.xlarge',
      },
    },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '3920m', memory: '15Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: '2026-01-01T00:00:00Z',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
      addresses: [{ type: 'InternalIP', address: `10.0.${Math.floor(i / 250)}.${i % 250}` }],
      nodeInfo: {
        kubeletVersion: 'v1.33.1',
        osImage: 'Debian GNU/Linux 12',
        kernelVersion: '6.1.0',
        containerRuntimeVersion: 'containerd://1.7.0',
      },
    },
  };
}

function pod(ns: string, i: number, nodeName: string): Record<string, any> {
  const app = `app-${i % 200}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${String(i).padStart(6, '0')}`,
      namespace: ns,
      labels: { app, tier: i % 2 === 0 ? 'web' : 'worker' },
    },
    spec: {
      nodeName,
      containers: [
        {
          name: 'main',
          image: `registry.example.com/${app}:1.0`,
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
        },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `172.16.${Math.floor(i / 250) % 250}.${i % 250}`,
      hostIP: '10.0.0.1',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'main', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } },
      ],
    },
  };
}

function get(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ ms: performance.now() - t0, bytes, status: res.statusCode ?? 0 }));
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const store = new Store({ historySize: 50_000 });
  const nodeNames: string[] = [];
  const nodes: Record<string, any>[] = [];
  for (let i = 0; i < NODES; i++) {
    const n = node(i);
    nodes.push(n);
    nodeNames.push(n['metadata'].name);
  }
  store.restore(nodes);
  const pods: Record<string, any>[] = [];
  const otherNamespaces = 50;
  for (let i = 0; i < PODS; i++) {
    const ns = i < BIG ? BIG_NS : `team-${(i - BIG) % otherNamespaces}`;
    pods.push(pod(ns, i, nodeNames[i % nodeNames.length]!));
    if (pods.length === 10_000) store.restore(pods.splice(0));
  }
  store.restore(pods.splice(0));
  const loadMs = performance.now() - t0;
  global.gc?.();
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  const sim = await startSimulator({ store });
  const headers = { Authorization: `Bearer ${sim.adminToken}`, Accept: 'application/json' };
  const tableHeaders = { ...headers, Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
  const measure = async (
    path: string,
    h: Record<string, string>,
    runs = RUNS,
  ): Promise<{ medianMs: number; firstMs: number; bytes: number }> => {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const r = await get(`${sim.url}${path}`, h);
      if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
      times.push(r.ms);
      bytes = r.bytes;
    }
    return { medianMs: roundedMedian(times.slice(1)), firstMs: Math.round(times[0]! * 100) / 100, bytes };
  };
  // Server-side cost alone (list + cached serialisation), without the HTTP client in the same process.
  const buildTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const tb = performance.now();
    const items = store.list({ group: '', resource: 'pods' }, { namespace: BIG_NS }).items;
    const body = `{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[${items.map((o) => store.toJSON(o, true)).join(',')}]}`;
    Buffer.byteLength(body);
    buildTimes.push(performance.now() - tb);
  }
  const list10k = await measure(`/api/v1/namespaces/${BIG_NS}/pods`, headers);
  const list10kTable = await measure(`/api/v1/namespaces/${BIG_NS}/pods`, tableHeaders);
  const listByNode = await measure(`/api/v1/pods?fieldSelector=spec.nodeName%3D${nodeNames[17]}`, headers);
  const listLabel = await measure(`/api/v1/namespaces/${BIG_NS}/pods?labelSelector=app%3Dapp-7`, headers);
  const page500 = await measure('/api/v1/pods?limit=500', headers);
  const nodesList = await measure('/api/v1/nodes', headers, 3);

  // Ten concurrent watchers on all pods; a burst of status updates; time until every watcher saw all.
  const WATCHERS = 10;
  const UPDATES = 2000;
  const fromRv = store.resourceVersion;
  const received = new Array<number>(WATCHERS).fill(0);
  const reqs: http.ClientRequest[] = [];
  let allDone: () => void = () => {};
  const done = new Promise<void>((r) => (allDone = r));
  await Promise.all(
    Array.from(
      { length: WATCHERS },
      (_, w) =>
        new Promise<void>((ready) => {
          const req = http.get(`${sim.url}/api/v1/pods?watch=true&resourceVersion=${fromRv}`, { headers }, (res) => {
            ready();
            let buf = '';
            res.on('data', (c: Buffer) => {
              buf += c.toString();
              let i: number;
              while ((i = buf.indexOf('\n')) >= 0) {
                buf = buf.slice(i + 1);
                received[w]!++;
              }
              if (received.every((n) => n >= UPDATES)) allDone();
            });
          });
          reqs.push(req);
        }),
    ),
  );
  const ref = { group: '', resource: 'pods' };
  const targets = store.list(ref, { namespace: BIG_NS, limit: UPDATES }).items;
  const tw = performance.now();
  for (const p of targets)
    store.mutate(ref, p.metadata.namespace, p.metadata.name!, (d) => {
      d.metadata.labels = { ...(d.metadata.labels ?? {}), touched: 'yes' };
    });
  const writeMs = performance.now() - tw;
  await done;
  const fanoutMs = performance.now() - tw;
  for (const r of reqs) r.destroy();
  await sim.close();
  const result = {
    nodes: store.count({ group: '', resource: 'nodes' }),
    pods: store.count(ref),
    loadMs: Math.round(loadMs),
    heapUsedMb: heapMb,
    list10kPodsJson: list10k,
    list10kPodsServerBuildMedianMs: roundedMedian(buildTimes.slice(1)),
    list10kPodsTable: list10kTable,
    listPodsByNodeNameAllNamespaces: listByNode,
    listPodsByLabelIn10kNamespace: listLabel,
    listPodsFirstPage500AllNamespaces: page500,
    listNodes: nodesList,
    watchers: {
      count: WATCHERS,
      updates: UPDATES,
      writeMs: Math.round(writeMs),
      allDeliveredMs: Math.round(fanoutMs),
      eventsPerSecondPerWatcher: Math.round((UPDATES / fanoutMs) * 1000),
    },
    runs: RUNS,
    node: process.version,
  };
  const out = arg('json', undefined);
  const text = JSON.stringify(result, null, 2);
  if (out !== undefined) writeFileSync(out, text);
  console.log(text);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
