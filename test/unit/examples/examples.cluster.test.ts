/**
 * The examples' CodeLens predictions held against where the cluster places their pods (run on the
 * simulated cluster by `npm run test:unit`, and on the real control plane, kube-scheduler deciding, by
 * the unit-real step). For each workload of examples/microservices, examples/data-processing and
 * examples/ml-training (the GPU pool is the tainted gpu-a of the test cluster's nodes), in
 * file order: the prediction is made from the file's text exactly as the editor makes it (the
 * engine's verdict for the CodeLens, the details view for the node ranking) against the cluster the
 * explorer's caches show; then the file's objects are created and the real placement is compared:
 * - one pod: it lands on the node the model chose (or one of the nodes it found tied);
 * - several: the per-node counts are the model's, up to nodes it found tied, on nodes it found feasible.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { repoRoot } from '@test/real-cluster/binaries';
import { backendOn } from '@test/unit/server/explorer/helpers';
import { PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { podFromSpec } from '@src/server/prediction/pod-from-spec';
import { parseManifest } from '@src/server/services/manifest';
import { describePod, type DetailsInputs } from '@src/server/services/prediction-details';

const EXAMPLES = path.join(repoRoot(), 'examples');

let cluster: TestCluster;
let close: () => void;
let live: LiveCluster;
before(async () => {
  cluster = await startTestCluster();
  const b = await backendOn(cluster);
  close = b.close;
  live = new LiveCluster(b.backend.predictionCaches());
  const deadline = Date.now() + 30_000;
  while (live.snapshot.nodeInfos().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
});
after(async () => {
  close?.();
  await cluster?.close();
});

/** The running (not finished) pods of `selector` in `ns`, as the cluster has bound them. */
async function boundPods(ns: string, selector: string): Promise<any[]> {
  const r = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`);
  return (r.body.items as any[])
    .filter((p) => p.spec.nodeName)
    .sort(
      (a, b) =>
        a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
}

/** Waits until the snapshot predictions use holds every bound, unfinished pod of `ns` (the caches have caught up). */
async function snapshotCaughtUp(ns: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods`);
    const want = (r.body.items as any[])
      .filter((p) => p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
      .map((p) => p.metadata.name as string);
    const have = new Set(
      live.snapshot
        .nodeInfos()
        .flatMap((ni) => ni.pods)
        .filter((p) => p.pod.metadata?.namespace === ns)
        .map((p) => p.pod.metadata?.name),
    );
    // Equal, not only included: pods that finished must have left the model too.
    if ((want.length === have.size && want.every((n) => have.has(n))) || Date.now() > deadline) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Waits (up to 60 s) until every pod of `selector` in `ns` has finished (Succeeded or Failed). */
async function podsFinished(ns: string, selector: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`);
    const items = (r.body?.items ?? []) as any[];
    if (items.every((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')) return;
    if (Date.now() > deadline) throw new Error(`the pods of ${selector} in ${ns} did not finish within 60 s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Sorted per-node counts (`[2, 1]`): the placement's shape, whichever of tied nodes got which. */
const shape = (perNode: Record<string, number>): number[] => Object.values(perNode).sort((a, b) => b - a);

async function checkFile(rel: string, ns: string): Promise<string[]> {
  const said: string[] = [];
  const text = fs.readFileSync(path.join(EXAMPLES, rel), 'utf8');
  const docs = parseManifest(text);
  const engine = new PredictionEngine();
  for (const doc of docs) {
    const obj = yaml.load(text.split(/^---$/m)[doc.index]!) as any;
    if (doc.podSpecs.length === 0) {
      await cluster.create({ ...obj, metadata: { ...obj.metadata, namespace: ns } });
      continue;
    }
    const spec = doc.podSpecs[0]!;
    const options = { defaultNamespace: ns, profile: { key: 'default' } };
    const verdict = engine.verdict(doc, spec, live.snapshot, live.generation, options);
    assert.equal(verdict.errors, undefined, `${rel} ${doc.kind}: ${JSON.stringify(verdict.errors)}`);
    const inputs: DetailsInputs = {
      status: { state: 'connected', source: 'kubeconfig' } as DetailsInputs['status'],
      snapshot: live.snapshot,
      engine,
      profile: options.profile,
      defaultNamespace: ns,
      verdict,
    };
    const details = describePod(`${doc.kind} ${ns}/${doc.name}`, podFromSpec(doc, spec, ns), inputs);
    const feasible = new Set((details.nodes ?? []).filter((r) => r.feasible).map((r) => r.name));
    const tied = new Set(details.tiedNodes?.length ? details.tiedNodes : [details.selectedNode]);
    const predicted: Record<string, number> = verdict.placement?.perNode ?? {
      [verdict.first?.selectedNode ?? '(none)']: 1,
    };
    const want = verdict.replicas.kind === 'one' ? 1 : (verdict.replicas as { count: number }).count;

    // The CronJob's pods come from a Job made from its template, as `kubectl create job --from` does.
    let selectorLabels: Record<string, string>;
    if (doc.kind === 'CronJob') {
      await cluster.create({ ...obj, metadata: { ...obj.metadata, namespace: ns } });
      const tpl = obj.spec.jobTemplate;
      await cluster.create({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: `${obj.metadata.name}-now`, namespace: ns },
        spec: tpl.spec,
      });
      selectorLabels = tpl.spec.template.metadata.labels;
    } else {
      await cluster.create({ ...obj, metadata: { ...obj.metadata, namespace: ns } });
      selectorLabels = obj.spec.template.metadata.labels;
    }
    const selector = Object.entries(selectorLabels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    let pods: any[] = [];
    const deadline = Date.now() + 60_000;
    while ((pods = await boundPods(ns, selector)).length < want && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const first = pods.slice(0, want);
    assert.equal(first.length, want, `${rel} ${doc.kind} ${doc.name}: ${first.length} of ${want} pods were placed`);
    const real: Record<string, number> = {};
    for (const p of first) real[p.spec.nodeName] = (real[p.spec.nodeName] ?? 0) + 1;
    const where = `${rel} ${doc.kind} ${doc.name}: the CodeLens predicted ${JSON.stringify(predicted)}, the cluster placed ${JSON.stringify(real)}`;
    for (const n of Object.keys(real)) assert.ok(feasible.has(n), `${where}; ${n} is not feasible in the model`);
    if (want === 1) assert.ok(tied.has(Object.keys(real)[0]), `${where}; the model's best: ${[...tied].join(', ')}`);
    else assert.deepEqual(shape(real), shape(predicted), where);
    said.push(where);
    // A Job's pods finish on their own: wait until they have, so that the next document's prediction
    // and its placement by the cluster see the same pods (else the two race their completion).
    if (doc.kind === 'Job' || doc.kind === 'CronJob') await podsFinished(ns, selector);
    await snapshotCaughtUp(ns);
  }
  return said;
}

test('examples/microservices: each Deployment lands where its CodeLens says', async (t) => {
  const ns = await cluster.freshNamespace('ex-micro');
  for (const f of ['frontend.yaml', 'api.yaml', 'cache.yaml'])
    for (const line of await checkFile(`microservices/${f}`, ns)) t.diagnostic(line);
});

test('examples/microservices: the rolling update replaces the front end one pod at a time', async () => {
  const ns = await cluster.freshNamespace('ex-roll');
  const load = (f: string): any[] =>
    yaml
      .loadAll(fs.readFileSync(path.join(EXAMPLES, 'microservices', f), 'utf8'))
      .map((o: any) => ({ ...o, metadata: { ...o.metadata, namespace: ns } }));
  for (const o of load('frontend.yaml')) await cluster.create(o);
  const ready = async (image: string): Promise<boolean> => {
    const d = (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/frontend`)).body;
    return (
      d.spec.template.spec.containers[0].image === image &&
      d.status?.observedGeneration === d.metadata.generation &&
      d.status?.updatedReplicas === 3 &&
      d.status?.availableReplicas === 3 &&
      d.status?.replicas === 3
    );
  };
  let deadline = Date.now() + 60_000;
  while (!(await ready('nginx:1.27')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(await ready('nginx:1.27'), 'frontend.yaml rolled out');
  const [v2] = load('frontend-v2.yaml');
  const r = await cluster.kubectl(['apply', '-f', '-'], JSON.stringify(v2));
  assert.equal(r.code, 0, r.stderr);
  // maxUnavailable 0: never fewer than three available pods while it rolls.
  let fewest = 3;
  deadline = Date.now() + 90_000;
  while (!(await ready('nginx:1.28')) && Date.now() < deadline) {
    const d = (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/frontend`)).body;
    fewest = Math.min(fewest, d.status?.availableReplicas ?? 0);
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.ok(await ready('nginx:1.28'), 'frontend-v2.yaml rolled out');
  assert.equal(fewest, 3, 'three pods stayed available throughout');
  const rs = (await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/replicasets?labelSelector=app%3Dfrontend`)).body
    .items as any[];
  assert.deepEqual(rs.map((x) => x.spec.replicas).sort(), [0, 3]);
});

test('examples/data-processing: the Job and the CronJob’s Job land where their CodeLens says', async (t) => {
  const ns = await cluster.freshNamespace('ex-data');
  for (const f of ['etl-job.yaml', 'nightly-report-cronjob.yaml'])
    for (const line of await checkFile(`data-processing/${f}`, ns)) t.diagnostic(line);
});

test('examples/ml-training: the GPU training Job lands on the tainted GPU pool, the preprocessing off it, as their CodeLens says', async (t) => {
  const ns = await cluster.freshNamespace('ex-ml');
  const gpuNodes = new Set(
    ((await cluster.api('GET', '/api/v1/nodes')).body.items as any[])
      .filter((n) => n.status?.allocatable?.['nvidia.com/gpu'])
      .map((n) => n.metadata.name as string),
  );
  assert.ok(gpuNodes.size > 0, 'the test cluster has a GPU node');
  const said: string[] = [];
  for (const f of ['preprocess-job.yaml', 'train-job.yaml']) said.push(...(await checkFile(`ml-training/${f}`, ns)));
  for (const line of said) t.diagnostic(line);
  const placed = async (app: string): Promise<string[]> =>
    (await boundPods(ns, `app=${app}`)).map((p) => p.spec.nodeName);
  assert.ok(
    (await placed('train-resnet')).every((n) => gpuNodes.has(n)),
    `${said[1]}; the GPU nodes: ${[...gpuNodes]}`,
  );
  assert.ok(
    (await placed('preprocess')).every((n) => !gpuNodes.has(n)),
    `${said[0]}; the GPU nodes: ${[...gpuNodes]}`,
  );
});
