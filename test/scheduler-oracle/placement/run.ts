/**
 * One `oracle:placement` run: a generated cluster on the real control plane (kube-apiserver, etcd,
 * kube-controller-manager, kube-scheduler v1.37.2 in its default configuration, kwok for the nodes),
 * then generated pods created one at a time. Before each create the editor's own path predicts it
 * (ClusterSession caches → LiveCluster → the details view's `describePod`); after the real scheduler
 * binds it, or reports it unschedulable, or preempts for it, `comparePlacement` judges the two.
 *
 * Contract: every pod ends in exactly one verdict; a pod whose outcome cannot be observed is a
 * disagreement, never skipped. Each disagreement is saved to `outDir/<seed>-<index>.json` with the
 * model's details, the real outcome and the cluster state the model saw, as a profile-mode
 * conformance scenario (`npm run conformance -- --oracle real FILE` replays it through the model
 * and the real framework). Between pods the run waits until the caches have been quiet for a while
 * (kwok, the PV, disruption and attach/detach controllers settle what each pod changed), and
 * sometimes deletes an earlier pod so that the cluster keeps changing rather than only filling up.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { kubeconfigFromString } from '../../../src/cluster/kubeconfig';
import { ClusterSession } from '../../../src/cluster/cluster-session';
import { KubeClusterBackend } from '../../../src/server/explorer/kube-backend';
import { kindInfo } from '../../../src/server/explorer/kinds';
import { PredictionEngine } from '../../../src/server/prediction/engine';
import { LiveCluster, PREDICTION_KINDS, type PredictionKind } from '../../../src/server/prediction/live-cluster';
import { admitPriority, podFromSpec } from '../../../src/server/prediction/pod-from-spec';
import { parseManifest } from '../../../src/server/services/manifest';
import { describePod, type DetailsInputs } from '../../../src/server/services/prediction-details';
import type { PredictionDetails } from '../../../src/shared/protocol';
import type { ApiClient } from '../../real-cluster/api-client';
import { ADMIN_CONTEXT, registrableNode, startRealCluster, type RealCluster } from '../../real-cluster/control-plane';
import { PlacementGenerator } from '../fuzz/generate';
import { comparePlacement, type RealOutcome } from './compare';
import { modelProbe } from './model-probe';
import { parseScores } from './scheduler-log';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON of the API server. */
type Obj = Record<string, any>;

/** Options of a run. */
export interface PlacementOptions {
  seed: number;
  pods: number;
  nodes: number;
  outDir: string;
  /** Progress and verdict lines. */
  log: (line: string) => void;
  /** Aborting stops the run after the current pod; the cluster is stopped either way. */
  signal?: AbortSignal;
}

/** The run's tally. */
export interface PlacementSummary {
  agree: number;
  disagree: number;
  /** Pods by real outcome: bound after scoring, bound without scoring, unschedulable, preempting. */
  outcomes: Record<string, number>;
  seconds: number;
}

/** kube-scheduler's own per-node scores come from its log at this verbosity (schedule_one.go only). */
export const SCHEDULER_LOG_FLAGS = ['--vmodule=schedule_one=10'];

const OUTCOME_TIMEOUT_MS = 60_000;
const QUIET_MS = 250;

/** The collection path of an object (the kinds the generator makes). */
function collectionPath(o: Obj): string {
  const [group, version] = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/') : ['', o.apiVersion];
  const plural: Record<string, string> = {
    Namespace: 'namespaces',
    PriorityClass: 'priorityclasses',
    RuntimeClass: 'runtimeclasses',
    CSIDriver: 'csidrivers',
    StorageClass: 'storageclasses',
    PersistentVolume: 'persistentvolumes',
    CSINode: 'csinodes',
    PersistentVolumeClaim: 'persistentvolumeclaims',
    Service: 'services',
    PodDisruptionBudget: 'poddisruptionbudgets',
    VolumeAttachment: 'volumeattachments',
    Pod: 'pods',
  };
  const resource = plural[o.kind as string];
  if (resource === undefined) throw new Error(`the placement run cannot create ${o.kind}`);
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const ns = o.metadata?.namespace as string | undefined;
  return ns !== undefined ? `${base}/namespaces/${ns}/${resource}` : `${base}/${resource}`;
}

/** The object as a client would send it: no status, no server-owned metadata. */
function forCreate(o: Obj): Obj {
  const { status: _status, ...rest } = o;
  void _status;
  const metadata = { ...o.metadata };
  for (const k of ['uid', 'generation', 'resourceVersion', 'creationTimestamp']) delete metadata[k];
  return { ...rest, metadata };
}

async function create(api: ApiClient, o: Obj): Promise<void> {
  const r = await api.request('POST', collectionPath(o), forCreate(o));
  if (r.status === 409 && o.kind === 'Namespace') return;
  if (r.status !== 201)
    throw new Error(`kube-apiserver refused ${o.kind} ${o.metadata?.name}: ${r.status} ${r.text.slice(0, 400)}`);
  if (o.kind === 'VolumeAttachment' && o.status !== undefined) {
    const s = await api.request(
      'PATCH',
      `${collectionPath(o)}/${o.metadata.name}/status`,
      { status: o.status },
      10_000,
      'application/merge-patch+json',
    );
    if (s.status !== 200) throw new Error(`VolumeAttachment ${o.metadata.name} status: ${s.status} ${s.text}`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the whole campaign; throws only when the cluster cannot be set up. */
export async function runPlacement(opts: PlacementOptions): Promise<PlacementSummary> {
  const started = Date.now();
  const gen = new PlacementGenerator(opts.seed, opts.nodes);
  const c = gen.cluster();
  opts.log(
    `placement: seed ${opts.seed}, ${opts.nodes} nodes, ${c.pods.length} running pods, ${c.objects.length} other objects; starting the real control plane`,
  );
  const cluster = await startRealCluster({
    nodes: c.nodes.map(registrableNode),
    schedulerFlags: SCHEDULER_LOG_FLAGS,
    timeoutMs: 300_000,
    log: (l) => opts.log(l),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  let backend: KubeClusterBackend | undefined;
  try {
    for (const o of c.objects) await create(cluster.admin, o);
    for (const p of c.pods) await create(cluster.admin, p);
    const session = (): ClusterSession => new ClusterSession(kubeconfigFromString(cluster.kubeconfig()));
    backend = new KubeClusterBackend(session(), {
      source: 'kubeconfig',
      context: ADMIN_CONTEXT,
      server: cluster.url,
      namespaces: [],
      makeSession: async () => session(),
      contexts: () => [{ name: ADMIN_CONTEXT }],
      healthIntervalMs: 0,
    });
    await backend.start(60_000);
    const caches = backend.predictionCaches();
    const live = new LiveCluster(caches);
    let lastChange = Date.now();
    caches.onDidChange(() => (lastChange = Date.now()));
    // At least `ms` without a change, counted from now: what a step caused has arrived and settled.
    const quiet = async (ms: number, maxMs = 30_000): Promise<void> => {
      const mark = Date.now();
      const until = mark + maxMs;
      const since = (): number => Date.now() - Math.max(lastChange, mark);
      while (since() < ms && Date.now() < until) await sleep(Math.max(10, ms - since()));
    };
    await waitRunning(cluster, c.pods.length, opts.log);
    await quiet(1000, 60_000);
    opts.log(
      `placement: cluster settled in ${((Date.now() - started) / 1000).toFixed(0)} s; creating ${opts.pods} pods`,
    );
    return await podLoop(opts, gen, cluster, live, caches, quiet, started);
  } finally {
    backend?.dispose();
    await cluster.stop();
  }
}

async function waitRunning(cluster: RealCluster, want: number, log: (l: string) => void): Promise<void> {
  const until = Date.now() + 120_000;
  for (;;) {
    const r = await cluster.admin.request('GET', '/api/v1/pods?fieldSelector=status.phase=Running');
    const n = ((r.body as Obj).items as Obj[] | undefined)?.length ?? 0;
    if (n >= want) return;
    if (Date.now() > until) {
      log(`placement: only ${n} of ${want} initial pods are Running after 120 s (kwok); going on`);
      return;
    }
    await sleep(200);
  }
}

async function podLoop(
  opts: PlacementOptions,
  gen: PlacementGenerator,
  cluster: RealCluster,
  live: LiveCluster,
  caches: ReturnType<KubeClusterBackend['predictionCaches']>,
  quiet: (ms: number, maxMs?: number) => Promise<void>,
  started: number,
): Promise<PlacementSummary> {
  const api = cluster.admin;
  const engine = new PredictionEngine();
  const schedulerLog = path.join(cluster.logDir, 'kube-scheduler.log');
  const summary: PlacementSummary = { agree: 0, disagree: 0, outcomes: {}, seconds: 0 };
  const boundPods: string[] = [];
  fs.mkdirSync(opts.outDir, { recursive: true });
  for (let i = 0; i < opts.pods; i++) {
    if (opts.signal?.aborted) break;
    const w = gen.workload(i);
    for (const o of w.objects) await create(api, o);
    for (const o of w.objects)
      await cached(caches, o.kind, o.metadata.namespace, o.metadata.name, (x) => x !== undefined);
    if (w.objects.length > 0) await quiet(QUIET_MS);
    const pod = w.pod;
    const ns = pod.metadata.namespace as string;
    const name = pod.metadata.name as string;
    // The prediction, exactly as the details view makes it from the manifest text.
    const text = yaml.dump(forCreate(pod), { noRefs: true });
    const doc = parseManifest(text)[0]!;
    const snapshot = live.snapshot;
    const state = captureState(caches);
    const inputs: DetailsInputs = {
      status: { state: 'connected', source: 'kubeconfig' } as DetailsInputs['status'],
      snapshot,
      engine,
      profile: { key: 'default' },
      defaultNamespace: 'default',
      verdict: undefined,
    };
    const specPod = podFromSpec(doc, doc.podSpecs[0]!, 'default');
    const details = describePod(`Pod ${ns}/${name}`, specPod, inputs);
    const profile = engine.profileFor(specPod, inputs.profile);
    const admitted = admitPriority(specPod, snapshot).pod;
    // The live snapshot follows the cluster; the probe answers later questions about this moment.
    const frozen = snapshot.clone();
    frozen.kubernetesVersion = snapshot.kubernetesVersion;
    const probe = Array.isArray(profile) ? undefined : modelProbe(frozen, admitted as never, profile);
    const numAllNodes = snapshot.nodeInfos().length;

    const logOffset = fileSize(schedulerLog);
    const created = await api.request('POST', `/api/v1/namespaces/${ns}/pods`, forCreate(pod));
    let outcome: RealOutcome;
    let diff: string[];
    if (created.status !== 201) {
      outcome = {};
      diff = [`kube-apiserver refused the pod: ${created.status} ${created.text.slice(0, 300)}`];
    } else {
      const uid = (created.body as Obj).metadata.uid as string;
      outcome = await observe(api, schedulerLog, logOffset, ns, name, uid);
      diff =
        probe === undefined
          ? ['the model has no profile for the pod']
          : comparePlacement(details, outcome, numAllNodes, probe);
    }
    const kind =
      outcome.boundNode === undefined
        ? outcome.failure === undefined
          ? 'no outcome'
          : 'unschedulable'
        : outcome.nominatedNode !== undefined
          ? 'preempting'
          : outcome.scores !== undefined && outcome.scores.totals.size > 0
            ? (outcome.evaluatedNodes ?? numAllNodes) < numAllNodes
              ? 'bound after scoring a sample'
              : 'bound after scoring'
            : 'bound without scoring';
    summary.outcomes[kind] = (summary.outcomes[kind] ?? 0) + 1;
    if (diff.length === 0) summary.agree++;
    else {
      summary.disagree++;
      opts.log(`DISAGREE placement/${opts.seed}/${i} (${ns}/${name}, ${kind})`);
      for (const d of diff.slice(0, 10)) opts.log(`    ${d}`);
      saveDisagreement(opts, i, pod, details, outcome, diff, state);
    }
    // Leave the cluster as the next prediction should see it: no pending pod of ours, settled
    // controllers, and the caches showing all of it (never predict from a view the scheduler has left).
    const gone = (x: unknown): boolean => x === undefined;
    if (outcome.boundNode !== undefined) {
      boundPods.push(`${ns}/${name}`);
      await cached(caches, 'Pod', ns, name, (x) => x?.spec?.nodeName === outcome.boundNode);
    } else if (created.status === 201) {
      await deletePod(api, ns, name);
      await cached(caches, 'Pod', ns, name, gone);
    }
    for (const v of outcome.victims ?? []) {
      const [vns, vname] = v.split('/') as [string, string];
      await cached(caches, 'Pod', vns, vname, gone);
      const at = boundPods.indexOf(v);
      if (at >= 0) boundPods.splice(at, 1);
    }
    // Churn: an earlier pod goes now and then, more often once the cluster holds many of ours, so it
    // keeps changing instead of only filling up.
    if (boundPods.length > 0 && gen.next() < (boundPods.length > numAllNodes ? 0.6 : 0.2)) {
      const victim = boundPods.splice(Math.floor(gen.next() * boundPods.length), 1)[0]!;
      const [vns, vname] = victim.split('/') as [string, string];
      await deletePod(api, vns, vname);
      await cached(caches, 'Pod', vns, vname, gone);
    }
    await quiet(QUIET_MS);
    if ((i + 1) % 100 === 0 || i + 1 === opts.pods)
      opts.log(
        `[placement] ${i + 1}/${opts.pods} pods, ${summary.agree} agree, ${summary.disagree} disagree, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

const KEY_OF_KIND = new Map(
  Object.entries(PREDICTION_KINDS).map(([key, kind]) => [kind as string, key as PredictionKind]),
);

/** Waits (up to 15 s) until the caches' copy of an object satisfies `ok` (kinds the model does not read pass at once). */
async function cached(
  caches: ReturnType<KubeClusterBackend['predictionCaches']>,
  kind: string,
  ns: string | undefined,
  name: string,
  ok: (o: Obj | undefined) => boolean,
): Promise<void> {
  const key = KEY_OF_KIND.get(kind);
  if (key === undefined) return;
  const until = Date.now() + 15_000;
  const find = (): Obj | undefined =>
    (caches.list(key) as readonly Obj[]).find(
      (o) => o.metadata?.name === name && (ns === undefined || o.metadata?.namespace === ns),
    );
  while (!ok(find()) && Date.now() < until) await sleep(10);
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    fs.readSync(fd, buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

const BOUND_LINE =
  /"Successfully bound pod to node" pod="([^"]+)" node="([^"]+)" evaluatedNodes=(\d+) feasibleNodes=(\d+)/;
const NOMINATION = /preemption: found a potential placement for pod on node (\S+), preempting/;

/** Waits for the pod's fate and reads it from the API server and kube-scheduler's log. */
async function observe(
  api: ApiClient,
  schedulerLog: string,
  logOffset: number,
  ns: string,
  name: string,
  uid: string,
): Promise<RealOutcome> {
  const out: RealOutcome = {};
  const key = `${ns}/${name}`;
  const firstFailure = async (): Promise<string | undefined> => {
    const selector = encodeURIComponent(`involvedObject.uid=${uid},reason=FailedScheduling`);
    const ev = (await api.request('GET', `/api/v1/namespaces/${ns}/events?fieldSelector=${selector}`)).body as Obj;
    const first = ((ev?.items as Obj[] | undefined) ?? []).sort((a, b) =>
      String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)),
    )[0];
    return first === undefined ? undefined : String(first.message ?? first.note ?? '');
  };
  const deadline = Date.now() + OUTCOME_TIMEOUT_MS;
  let failure: string | undefined;
  while (Date.now() < deadline) {
    const p = (await api.request('GET', `/api/v1/namespaces/${ns}/pods/${name}`)).body as Obj;
    if (p?.spec?.nodeName) {
      out.boundNode = p.spec.nodeName as string;
      break;
    }
    failure ??= await firstFailure();
    if (failure !== undefined) {
      const nominated = (p?.status?.nominatedNodeName as string | undefined) ?? NOMINATION.exec(failure)?.[1];
      // Without a nomination the pod stays pending: that is the outcome.
      if (nominated === undefined) break;
      out.nominatedNode = nominated;
    }
    await sleep(20);
  }
  let chunk = '';
  if (out.boundNode !== undefined) {
    // The binding cycle's log lines (written by the time the bind is visible, or shortly after).
    const until = Date.now() + 5000;
    for (;;) {
      chunk = readFrom(schedulerLog, logOffset);
      const bound = chunk
        .split('\n')
        .map((l) => BOUND_LINE.exec(l))
        .filter((m) => m !== null && m[1] === key)
        .pop();
      if (bound) {
        out.evaluatedNodes = Number(bound[3]);
        out.feasibleNodes = Number(bound[4]);
        const s = parseScores(chunk).get(key);
        if (s !== undefined) out.scores = s;
        break;
      }
      if (Date.now() > until) break;
      await sleep(20);
    }
  }
  // Bound quickly after a failed attempt (a preemption whose victims went fast): the failure's event
  // may be written after the binding; the log says whether there was one.
  if (
    failure === undefined &&
    out.boundNode !== undefined &&
    chunk.includes(`"Unable to schedule pod; no fit; waiting" pod="${key}"`)
  ) {
    const until = Date.now() + 5000;
    while (failure === undefined && Date.now() < until) {
      failure = await firstFailure();
      if (failure === undefined) await sleep(50);
    }
    if (failure === undefined) failure = '(the FailedScheduling event never arrived)';
  }
  if (failure !== undefined) {
    out.failure = failure;
    out.nominatedNode ??= NOMINATION.exec(failure)?.[1];
    // A retry after a failure is judged on the failure; its binding cycle's scores are not compared.
    delete out.scores;
  }
  if (out.nominatedNode !== undefined) {
    const want = Number(/preempting (\d+) victims/.exec(failure ?? '')?.[1] ?? '1');
    const until = Date.now() + 5000;
    for (;;) {
      const ev = (await api.request('GET', `/api/v1/events?fieldSelector=${encodeURIComponent('reason=Preempted')}`))
        .body as Obj;
      // A victim may get more than one event (a repeated attempt, an event series): count it once.
      const named = ((ev?.items as Obj[] | undefined) ?? [])
        .filter((e) => String(e.message ?? '').includes(uid))
        .map((e) => `${e.involvedObject?.namespace ?? ''}/${e.involvedObject?.name ?? ''}`);
      out.victims = [...new Set(named)].sort();
      // Victims already terminating count in the message but get no new event: wait a little, not forever.
      if (out.victims.length >= want || Date.now() > until) break;
      await sleep(50);
    }
  }
  return out;
}

async function deletePod(api: ApiClient, ns: string, name: string): Promise<void> {
  await api.request('DELETE', `/api/v1/namespaces/${ns}/pods/${name}?gracePeriodSeconds=0`);
}

/** The objects the model saw, per kind (wire JSON, shared with the caches: never mutated). */
function captureState(caches: ReturnType<KubeClusterBackend['predictionCaches']>): Map<PredictionKind, readonly Obj[]> {
  const m = new Map<PredictionKind, readonly Obj[]>();
  for (const k of Object.keys(PREDICTION_KINDS) as PredictionKind[]) m.set(k, caches.list(k) as readonly Obj[]);
  return m;
}

function saveDisagreement(
  opts: PlacementOptions,
  index: number,
  pod: Obj,
  details: PredictionDetails,
  outcome: RealOutcome,
  diff: string[],
  state: Map<PredictionKind, readonly Obj[]>,
): void {
  const typed = (k: PredictionKind): Obj[] => {
    const info = kindInfo(k)!;
    return (state.get(k) ?? []).map((o) => ({ apiVersion: info.apiVersion, kind: info.kind, ...o }));
  };
  const objects: Obj[] = [];
  for (const k of Object.keys(PREDICTION_KINDS) as PredictionKind[])
    if (k !== 'nodes' && k !== 'pods' && k !== 'namespaces') objects.push(...typed(k));
  const scenario = {
    id: `placement/${opts.seed}/${index}`,
    plugins: { filter: [], score: [] },
    profile: { schedulerName: 'default-scheduler' },
    pod: forCreate(pod),
    nodes: typed('nodes'),
    existingPods: typed('pods'),
    objects: [...typed('namespaces'), ...objects],
    expect: {},
  };
  const real = {
    ...outcome,
    ...(outcome.scores !== undefined
      ? {
          scores: {
            plugins: Object.fromEntries([...outcome.scores.plugins].map(([n, m]) => [n, Object.fromEntries(m)])),
            totals: Object.fromEntries(outcome.scores.totals),
          },
        }
      : {}),
  };
  fs.writeFileSync(
    path.join(opts.outDir, `${opts.seed}-${index}.json`),
    `${JSON.stringify({ diff, real, model: { ...details, markdown: undefined }, scenario }, null, 1)}\n`,
  );
}
