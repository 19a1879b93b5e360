/**
 * One load campaign against one running cluster: set-up (namespaces, the CRD), the watches, the
 * writers, the wait for the watches to catch up, the final listing, and the verdict (checks.ts).
 *
 * Contract of `runCampaign`:
 * - every watch but one starts from R0, the resourceVersion of a list made after set-up and before
 *   the first write, and runs until the end; the "mid" watch starts from the highest resourceVersion
 *   acknowledged once a third of the writes were answered, asks the server to end each stream after
 *   `MID_TIMEOUT_S` seconds, and resumes from its last resourceVersion every time;
 * - after the last answer, one sentinel object per watch is created in the watch's scope (labelled
 *   outside the run, so the checks ignore it); a watch has caught up once it delivered its
 *   sentinel, whose resourceVersion is higher than every acknowledged write's. A watch that does not
 *   within CATCH_UP_MS is judged as it stands (its missing events count as lost);
 * - the final state is one list per kind, all namespaces, selected by the run's label;
 * - besides the plan, each client increments one of COUNTERS contended counters after every
 *   INCREMENT_EVERY-th step (contention.ts); those writes are counted apart from the plan's.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here. */
import type { TestCluster } from '../clusters/test-cluster';
import { ApiClient } from '../real-cluster/api-client';
import { judge, type Verdict, type WatchRecord } from './checks';
import { Counters } from './contention';
import { collectionPath, kindNamed, KINDS, RUN_LABEL, WIDGET_CRD, type LoadKind } from './kinds';
import { planCampaign } from './plan';
import { Watch, type WatchSpec } from './watcher';
import { acknowledged, runWriters, type Endpoint, type WriteRecord } from './writers';

/** Counters all clients increment at once (contention.ts), and how often: after every INCREMENT_EVERY-th step. */
const COUNTERS = 4;
const INCREMENT_EVERY = 10;
/** Seconds after which the server ends each stream of the mid-run watch. */
const MID_TIMEOUT_S = 2;
const CATCH_UP_MS = 60_000;

/** Options of one campaign. */
export interface CampaignOptions {
  seed: number;
  clients: number;
  objects: number;
  /** Progress lines (stderr by default in the CLI). */
  log: (line: string) => void;
}

/** What one campaign measured and found. */
export interface CampaignResult {
  cluster: string;
  seed: number;
  clients: number;
  objects: number;
  namespaces: number;
  /** Writes sent (skipped ones excluded). */
  writes: number;
  acknowledged: number;
  rejected: number;
  /** Writes that never got an answer. */
  unanswered: number;
  /** Events matched to acknowledged writes, over all watches. */
  events: number;
  /** Every ADDED/MODIFIED/DELETED event received (controllers' and other objects' included). */
  eventsReceived: number;
  bookmarks: number;
  watches: number;
  /** Times the mid-run watch was ended by the server and resumed. */
  resumptions: number;
  /** The contended counters (contention.ts): increments acknowledged, and 409s retried (timing-dependent). */
  contended: { increments: number; conflicts: number };
  loadSeconds: number;
  writesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  verdict: Verdict;
}

/** The nearest-rank percentile `p` of ascending `sorted`. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

/** The watches of a campaign over namespaces `ns` (see the file comment). */
function watchSpecs(ns: readonly string[]): WatchSpec[] {
  const at = (kind: LoadKind, namespace?: string): { path: string; kind: string; namespace?: string } => ({
    path: collectionPath(kind, namespace),
    kind: kind.kind,
    ...(namespace !== undefined ? { namespace } : {}),
  });
  const [cm, secret, pod, deploy, widget] = ['ConfigMap', 'Secret', 'Pod', 'Deployment', 'LoadWidget'].map(kindNamed);
  return [
    { name: 'configmaps-ns0-bookmarks', ...at(cm!, ns[0]), bookmarks: true, from: 'start' },
    { name: 'configmaps-all', ...at(cm!), bookmarks: false, from: 'start' },
    { name: 'secrets-all-bookmarks', ...at(secret!), bookmarks: true, from: 'start' },
    { name: 'pods-ns1', ...at(pod!, ns[1 % ns.length]), bookmarks: false, from: 'start' },
    { name: 'pods-all-bookmarks', ...at(pod!), bookmarks: true, from: 'start' },
    { name: 'deployments-all', ...at(deploy!), bookmarks: false, from: 'start' },
    { name: 'loadwidgets-all-bookmarks', ...at(widget!), bookmarks: true, from: 'start' },
    {
      name: 'configmaps-all-mid-resuming',
      ...at(cm!),
      bookmarks: true,
      timeoutSeconds: MID_TIMEOUT_S,
      from: 'mid',
    },
  ];
}

async function ensureCrd(api: ApiClient, ns: string): Promise<void> {
  const made = await api.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', WIDGET_CRD);
  if (made.status !== 201 && made.status !== 409) throw new Error(`CRD: ${made.status} ${made.text}`);
  const path = collectionPath(kindNamed('LoadWidget'), ns);
  const deadline = Date.now() + 60_000;
  while ((await api.request('GET', path)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the LoadWidget CRD was never served');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs one campaign on `cluster` (see the file comment). */
export async function runCampaign(cluster: TestCluster, o: CampaignOptions): Promise<CampaignResult> {
  const run = `s${o.seed}-${Date.now().toString(36)}`;
  const nsCount = Math.min(8, Math.max(2, Math.ceil(o.objects / 625)));
  const plan = planCampaign(o.seed, o.clients, o.objects, nsCount);
  const cred = cluster.credentials();
  const endpoint: Endpoint = { server: cred.server, ca: cred.ca, token: cred.adminToken };
  const api = new ApiClient(endpoint.server, endpoint.ca, { token: endpoint.token });
  const setupStart = performance.now();
  const namespaces: string[] = [];
  for (let i = 0; i < nsCount; i++) namespaces.push(await cluster.freshNamespace(`load${i}`));
  await ensureCrd(api, namespaces[0]!);
  const counters = new Counters(namespaces[0]!, run, COUNTERS);
  await counters.setup(api);
  const r0 = await api.request('GET', `/api/v1/namespaces/${namespaces[0]}/configmaps?limit=1`);
  const startRv = String((r0.body as any)?.metadata?.resourceVersion ?? '');
  if (r0.status !== 200 || startRv === '') throw new Error(`list for the start resourceVersion: ${r0.status}`);
  o.log(
    `${cluster.kind}: set up in ${round((performance.now() - setupStart) / 1000)} s; ${plan.writes} writes on ${o.objects} objects in ${nsCount} namespaces by ${o.clients} clients, from resourceVersion ${startRv}`,
  );

  const t0 = performance.now();
  const watches = watchSpecs(namespaces).map((s) => new Watch(s, endpoint, t0));
  for (const w of watches) if (w.spec.from === 'start') w.start(startRv);
  const mid = watches.find((w) => w.spec.from === 'mid')!;
  let highest = Number(startRv);
  const third = Math.floor(plan.writes / 3);
  const onAnswer = (w: WriteRecord, done: number): void => {
    if (acknowledged(w) && w.rv !== undefined) highest = Math.max(highest, Number(w.rv));
    if (done === third) mid.start(String(highest));
  };
  const between = async (client: ApiClient, c: number, step: number): Promise<void> => {
    if ((step + 1) % INCREMENT_EVERY === 0) await counters.increment(client, c + Math.floor(step / INCREMENT_EVERY));
  };
  const { writes, ms } = await runWriters(plan, { endpoint, run, namespaces, onAnswer, between });
  if (mid.startRv === '') mid.start(String(highest));
  o.log(`${cluster.kind}: load done in ${round(ms / 1000)} s; waiting for the watches`);

  // Sentinels: one per watch, in its scope, created after every acknowledged write.
  const sentinelRv = await Promise.all(
    watches.map(async (w, i) => {
      const kind = kindNamed(w.spec.kind);
      const obj = kind.object({
        name: `load-sentinel-${i}`,
        namespace: w.spec.namespace ?? namespaces[0]!,
        run: `${run}-sentinel`,
        client: 0,
        n: 0,
      });
      const r = await api.request('POST', collectionPath(kind, w.spec.namespace ?? namespaces[0]!), obj, 60_000);
      if (r.status !== 201) throw new Error(`sentinel for watch ${w.spec.name}: ${r.status} ${r.text}`);
      return Number((r.body as any).metadata.resourceVersion);
    }),
  );
  const deadline = Date.now() + CATCH_UP_MS;
  await Promise.all(
    watches.map(async (w, i) => {
      while (w.error === undefined && Date.now() < deadline) {
        if (w.events.some((e) => Number(e.rv) >= sentinelRv[i]!)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  await Promise.all(watches.map((w) => w.stop()));
  o.log(`${cluster.kind}: watches caught up ${round((performance.now() - t0 - ms) / 1000)} s after the load`);

  const final = new Map<string, Record<string, any>>();
  for (const kind of KINDS) {
    const r = await api.request(
      'GET',
      `${collectionPath(kind, undefined)}?labelSelector=${encodeURIComponent(`${RUN_LABEL}=${run}`)}`,
      undefined,
      60_000,
    );
    if (r.status !== 200) throw new Error(`final list of ${kind.plural}: ${r.status}`);
    for (const item of (r.body as { items: Record<string, any>[] }).items)
      final.set(`${kind.kind}/${item['metadata']['namespace']}/${item['metadata']['name']}`, item);
  }
  const records: WatchRecord[] = watches.map((w) => ({
    spec: w.spec,
    startRv: w.startRv,
    events: w.events,
    ...(w.error !== undefined ? { error: w.error } : {}),
  }));
  const verdict = judge(plan, namespaces, writes, final, records);
  const contended = await counters.check(api, records);
  verdict.passed += contended.passed;
  verdict.lost += contended.lost;
  verdict.failed += contended.lost;
  verdict.failures.push(...contended.failures.slice(0, 10));
  o.log(
    `${cluster.kind}: contended counters: ${counters.acked.length} increments acknowledged, ${counters.conflicts} conflicts (409) retried, ${contended.lost} lost`,
  );
  const sent = writes.filter((w) => w.status !== -1);
  const lat = sent.map((w) => w.ms).sort((a, b) => a - b);
  return {
    cluster: cluster.kind,
    seed: o.seed,
    clients: o.clients,
    objects: o.objects,
    namespaces: nsCount,
    writes: sent.length,
    acknowledged: sent.filter(acknowledged).length,
    rejected: sent.filter((w) => w.status !== 0 && !acknowledged(w)).length,
    unanswered: sent.filter((w) => w.status === 0).length,
    events: verdict.matchedEvents,
    eventsReceived: watches.reduce((n, w) => n + w.events.length, 0),
    bookmarks: watches.reduce((n, w) => n + w.bookmarks, 0),
    watches: watches.length,
    resumptions: mid.connections - 1,
    contended: { increments: counters.acked.length, conflicts: counters.conflicts },
    loadSeconds: round(ms / 1000, 2),
    writesPerSecond: round(sent.length / (ms / 1000)),
    latencyMs: {
      p50: round(percentile(lat, 50)),
      p99: round(percentile(lat, 99)),
      max: round(lat[lat.length - 1] ?? 0),
    },
    verdict,
  };
}
