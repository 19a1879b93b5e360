/**
 * examples/python-operator in the extension (run on the simulated cluster by `npm run test:unit`, and
 * on the real control plane by the unit-real step): the operator (kopf, from the Python venv of
 * test/clients/setup.ts) runs as a subprocess against the cluster's kubeconfig while the explorer
 * backend watches. A TrainingJob made from the example's manifest must show in the tree under its
 * CRD, its Job's pods under the Job, and the pod must land where the CodeLens of job-template.yaml
 * (the manifest the operator makes the Job from) says. If the operator exits, the failure shows its
 * output.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { repoRoot } from '@test/real-cluster/binaries';
import { ensurePythonVenv } from '@test/clients/setup';
import { backendOn } from '@test/unit/server/explorer/helpers';
import { PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { podFromSpec } from '@src/server/prediction/pod-from-spec';
import { parseManifest } from '@src/server/services/manifest';
import { describePod, type DetailsInputs } from '@src/server/services/prediction-details';
import type { KubeClusterBackend } from '@src/server/explorer/kube-backend';

const EXAMPLE = path.join(repoRoot(), 'examples', 'python-operator');
const CTX = 'it-admin';

let cluster: TestCluster;
let backend: KubeClusterBackend;
let close: () => void;
let live: LiveCluster;
let python: string;
before(async () => {
  python = await ensurePythonVenv(() => undefined);
  cluster = await startTestCluster();
  const b = await backendOn(cluster);
  backend = b.backend;
  close = b.close;
  live = new LiveCluster(backend.predictionCaches());
  const deadline = Date.now() + 30_000;
  while (live.snapshot.nodeInfos().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
});
after(async () => {
  close?.();
  await cluster?.close();
});

/** `kopf run` of the example's operator.py, watching `ns`; its output collected. */
function startOperator(ns: string): { proc: ChildProcess; output: () => string; stop: () => Promise<void> } {
  let out = '';
  const proc = spawn(
    python,
    ['-m', 'kopf', 'run', '--standalone', '--namespace', ns, path.join(EXAMPLE, 'operator.py')],
    {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig, PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => proc.on('exit', () => r()));
  return {
    proc,
    output: () => out.slice(-6000),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

/** The CodeLens prediction for job-template.yaml's pod in `ns`: the nodes the model found best, and the feasible ones. */
function predictTemplate(ns: string): { best: Set<string>; feasible: Set<string>; said: string } {
  const text = fs.readFileSync(path.join(EXAMPLE, 'job-template.yaml'), 'utf8');
  const [doc] = parseManifest(text);
  const spec = doc!.podSpecs[0]!;
  const engine = new PredictionEngine();
  const options = { defaultNamespace: ns, profile: { key: 'default' } };
  const verdict = engine.verdict(doc!, spec, live.snapshot, live.generation, options);
  assert.equal(verdict.errors, undefined, JSON.stringify(verdict.errors));
  const inputs: DetailsInputs = {
    status: { state: 'connected', source: 'kubeconfig' } as DetailsInputs['status'],
    snapshot: live.snapshot,
    engine,
    profile: options.profile,
    defaultNamespace: ns,
    verdict,
  };
  const details = describePod(`Job ${ns}/${doc!.name}`, podFromSpec(doc!, spec, ns), inputs);
  const best = new Set(details.tiedNodes?.length ? details.tiedNodes : [details.selectedNode ?? '(none)']);
  const feasible = new Set((details.nodes ?? []).filter((r) => r.feasible).map((r) => r.name));
  return { best, feasible, said: `the CodeLens of job-template.yaml: ${verdict.first?.selectedNode ?? '(none)'}` };
}

test('examples/python-operator: the tree shows the CRD, the TrainingJob and its Job’s pods, which land where the CodeLens says', async (t) => {
  const ns = await cluster.freshNamespace('ex-op');
  const crd = yaml.load(fs.readFileSync(path.join(EXAMPLE, 'crd.yaml'), 'utf8')) as any;
  await cluster.create(crd);
  const op = startOperator(ns);
  // Polls `probe` until truthy; fails at once if the operator exits, and on a timeout, with its output.
  const until = async <T>(probe: () => Promise<T>, what: string, ms = 60_000): Promise<NonNullable<T>> => {
    const deadline = Date.now() + ms;
    for (;;) {
      if (op.proc.exitCode !== null)
        assert.fail(`the operator exited with ${op.proc.exitCode}; its output:\n${op.output()}`);
      const v = await probe();
      if (v) return v as NonNullable<T>;
      if (Date.now() > deadline)
        assert.fail(`${what} did not happen in ${ms / 1000} s; the operator's output:\n${op.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    const tjPath = `/apis/ml.example.com/v1/namespaces/${ns}/trainingjobs`;
    await until(async () => (await cluster.api('GET', tjPath)).status === 200, 'the TrainingJob CRD served');
    const prediction = predictTemplate(ns);
    t.diagnostic(`${prediction.said}; best ${[...prediction.best].join(', ')}`);

    const tj = yaml.load(fs.readFileSync(path.join(EXAMPLE, 'trainingjob.yaml'), 'utf8')) as any;
    await cluster.create({ ...tj, metadata: { ...tj.metadata, namespace: ns } });
    const jobName = `${tj.metadata.name}-train`;
    const pod = await until(async () => {
      const r = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3D${jobName}`);
      return (r.body.items as any[]).find((p) => p.spec.nodeName);
    }, `a pod of Job ${jobName} bound to a node`);
    const node = pod.spec.nodeName as string;
    t.diagnostic(`the cluster placed ${pod.metadata.name} on ${node}`);
    assert.ok(prediction.feasible.has(node), `${prediction.said}; ${node} is not feasible in the model`);
    assert.ok(prediction.best.has(node), `${prediction.said}; the cluster placed the pod on ${node}`);

    // The tree: Custom Resources → TrainingJob → resnet; Workloads → Jobs → resnet-train → its pod.
    const crdRow = await until(async () => {
      const rows = await backend.children(`${CTX}/crds`);
      return rows.find((r) => r.label === 'TrainingJob' && r.id.includes('trainingjobs.ml.example.com'));
    }, 'the TrainingJob CRD in the tree');
    const crRow = await until(async () => {
      const rows = await backend.children(crdRow.id);
      return rows.find((r) => r.label === tj.metadata.name && r.namespace === ns);
    }, 'the TrainingJob in the tree');
    assert.equal(crRow.contextValue, 'customresource');
    const jobRow = await until(async () => {
      const rows = await backend.children(`${CTX}/cat-workloads/jobs`);
      return rows.find((r) => r.label === jobName && r.namespace === ns);
    }, `Job ${jobName} in the tree`);
    const podRow = await until(async () => {
      const rows = await backend.children(jobRow.id);
      return rows.find((r) => r.label === pod.metadata.name);
    }, `pod ${pod.metadata.name} under Job ${jobName} in the tree`);
    assert.equal(podRow.namespace, ns);
    const text = await backend.resourceText({ nodeId: crRow.id, view: 'yaml' });
    assert.ok(text.ok && /kind: TrainingJob/.test(text.value), 'the TrainingJob opens as YAML');
  } finally {
    await op.stop();
    await cluster.remove(crd);
  }
});
