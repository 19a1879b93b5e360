/**
 * One chaos campaign on one test cluster: the watched language server keeps the manifest open and the
 * tree watched for the whole run while the plan (plan.ts) changes the cluster and injects faults; after
 * each fault clears, a truth server connects afresh (straight to the server, never faulted) and both
 * are compared until they agree: tree rows, lens titles and prediction details.
 *
 * Convergence time: the watched view is sampled from the clear on; when it equals the truth, the time
 * is that of the first sample of the unbroken run of equal samples ending there (the watched server
 * may have been right before the truth server finished its first lists). A fault that does not
 * converge within the observation window is recorded with its remaining difference, and the watched
 * server is reconnected so the next faults are measured on their own.
 *
 * Contract: `runCampaign` starts and stops everything it needs (cluster, proxy, both servers), never
 * leaves a process behind, and rejects only when the set-up itself fails (cluster start, a kubectl
 * action, the first agreement before any fault).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestCluster, type ClusterKind, type TestCluster } from '../clusters/test-cluster';
import { runAction } from './actions';
import { renewableToken, writeTruthKubeconfig, writeWatchedKubeconfig } from './credentials';
import { switchOff, switchOn, type FaultTarget } from './faults';
import { firstDifference, ForecastServer, viewKey, type OpenManifest, type View } from './forecast-server';
import { describeAction, describeFault, planCampaign, type Action, type FaultType, type Step } from './plan';
import { CONVERGE_LIMIT_S, type FaultRecord } from './report';

/** Options of one campaign. */
export interface CampaignOptions {
  seed: number;
  cluster: ClusterKind;
  rounds: number;
  /** Only these fault types (all when absent). */
  only?: readonly FaultType[];
  /** The server bundle (dist/server.js). */
  serverJs: string;
  /** Seconds to keep comparing after a clear before giving up (≥ the 10 s goal, to see how late it was). */
  windowS: number;
  log: (line: string) => void;
}

/** The manifest the servers keep open: a Deployment and a Pod whose predictions follow the nodes. */
export function chaosManifest(namespace: string): OpenManifest {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: forecast-web
  namespace: ${namespace}
spec:
  replicas: 4
  selector:
    matchLabels: { app: forecast-web }
  template:
    metadata:
      labels: { app: forecast-web }
    spec:
      containers:
        - name: web
          image: registry.k8s.io/pause:3.10
          resources:
            requests: { cpu: 700m, memory: 1Gi }
---
apiVersion: v1
kind: Pod
metadata:
  name: forecast-batch
  namespace: ${namespace}
spec:
  tolerations:
    - { key: chaos, operator: Exists, effect: NoSchedule }
  containers:
    - name: batch
      image: registry.k8s.io/pause:3.10
      resources:
        requests: { cpu: 1500m, memory: 2Gi }
`;
  return { uri: `file:///chaos/${namespace}/forecast.yaml`, text };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How often the watched view is sampled while waiting for agreement. */
const SAMPLE_MS = 150;

/**
 * Waits until `watched` agrees with `truth` (connected afresh now), sampling from `t0`; resolves with
 * the seconds from `t0`, or null and the remaining difference after `windowS`.
 */
async function converge(
  watched: ForecastServer,
  truth: ForecastServer,
  truthKubeconfig: string,
  t0: number,
  windowS: number,
): Promise<{ seconds: number | null; difference?: string }> {
  // `difference`: the last one seen before agreement (or at the end of the window), for the report.
  const samples: { at: number; key: string }[] = [];
  let connected = false;
  const connecting = truth.connect(truthKubeconfig).then(() => (connected = true));
  connecting.catch(() => undefined);
  let last: { w: View; t: View } | undefined;
  for (;;) {
    const w = await watched.watched();
    const at = performance.now();
    const key = viewKey(w);
    samples.push({ at, key });
    if (connected) {
      const t = await truth.fresh();
      if (viewKey(t) === key) {
        let i = samples.length - 1;
        while (i > 0 && samples[i - 1]!.key === key) i--;
        const seconds = Math.max(0, (samples[i]!.at - t0) / 1000);
        const before = last !== undefined ? firstDifference(last.w, last.t) : undefined;
        return { seconds, ...(before !== undefined ? { difference: before } : {}) };
      }
      last = { w, t };
    }
    if (performance.now() - t0 > windowS * 1000) {
      if (!connected) await connecting;
      const difference = last ? firstDifference(last.w, last.t) : 'the truth server never connected';
      return { seconds: null, ...(difference !== undefined ? { difference } : {}) };
    }
    await sleep(SAMPLE_MS);
  }
}

async function runActions(cluster: TestCluster, actions: readonly Action[], ns: string): Promise<void> {
  for (const a of actions) await runAction(cluster, a, ns);
}

/** Runs one campaign; resolves with one record per fault. */
export async function runCampaign(o: CampaignOptions): Promise<FaultRecord[]> {
  const plan: Step[] = planCampaign(o.seed, o.cluster, o.rounds, o.only);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-chaos-'));
  const watchedConfig = path.join(dir, 'watched.kubeconfig');
  const truthConfig = path.join(dir, 'truth.kubeconfig');
  const t0 = performance.now();
  o.log(`chaos: starting the ${o.cluster} cluster`);
  const cluster = await startTestCluster(o.cluster);
  const servers: ForecastServer[] = [];
  try {
    const ns = await cluster.freshNamespace('chaos');
    const token = await renewableToken(cluster);
    const target: FaultTarget = {
      cluster,
      token,
      writeKubeconfig: (tk) => writeWatchedKubeconfig(watchedConfig, cluster, tk),
    };
    target.writeKubeconfig(token.current());
    writeTruthKubeconfig(truthConfig, cluster);
    const manifest = chaosManifest(ns);
    const [watched, truth] = await Promise.all([
      ForecastServer.start(o.serverJs, manifest, ns),
      ForecastServer.start(o.serverJs, manifest, ns),
    ]);
    servers.push(watched, truth);
    const status = await watched.connect(watchedConfig);
    if (status.state !== 'connected') throw new Error(`the watched server did not connect: ${status.message ?? ''}`);
    await watched.watch();
    const first = await converge(watched, truth, truthConfig, performance.now(), 60);
    if (first.seconds === null)
      throw new Error(`the two servers disagree before any fault: ${first.difference ?? 'no difference found'}`);
    o.log(`chaos: ${o.cluster} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${plan.length} faults`);

    const records: FaultRecord[] = [];
    for (const [i, step] of plan.entries()) {
      const words = [...step.before, ...step.during].map(describeAction);
      let onAt = performance.now();
      if (step.fault.type === 'expired-token') {
        // kube-apiserver keeps a token's authentication for up to 10 s: revoke it while the changes run.
        await Promise.all([runActions(cluster, step.before, ns), switchOn(step.fault, target)]);
      } else {
        await runActions(cluster, step.before, ns);
        onAt = performance.now();
        await switchOn(step.fault, target);
      }
      await Promise.all([
        runActions(cluster, step.during, ns),
        sleep(step.fault.type === 'apiserver-restart' ? 0 : step.fault.holdMs),
      ]);
      await switchOff(step.fault, target);
      const clearedAt = performance.now();
      const bit = watched.states.some((s) => s.at >= onAt && s.state !== 'connected');
      const r = await converge(watched, truth, truthConfig, clearedAt, o.windowS);
      const converged = r.seconds !== null && r.seconds <= CONVERGE_LIMIT_S;
      const states = watched.states
        .filter((s) => s.at >= onAt)
        .map((s) => `${s.state}@${((s.at - clearedAt) / 1000).toFixed(2)}`);
      records.push({
        cluster: o.cluster,
        round: step.round,
        type: step.fault.type,
        fault: describeFault(step.fault),
        actions: words,
        onSeconds: Math.round((clearedAt - onAt) / 10) / 100,
        seconds: r.seconds === null ? null : Math.round(r.seconds * 100) / 100,
        converged,
        bit,
        states,
        ...(r.difference !== undefined ? { difference: r.difference } : {}),
      });
      o.log(
        `chaos ${o.cluster} #${i + 1}/${plan.length} round ${step.round}: ${describeFault(step.fault)}` +
          (step.fault.type === 'apiserver-restart' ? ` (${((clearedAt - onAt) / 1000).toFixed(1)} s)` : '') +
          `${words.length ? ` [${words.join('; ')}]` : ''}: ` +
          (r.seconds === null
            ? `NEVER converged within ${o.windowS} s: ${r.difference ?? ''}`
            : `${converged ? 'converged' : 'LATE'} in ${r.seconds.toFixed(2)} s${bit ? '' : ' (the server stayed connected)'}` +
              (r.seconds > 2 && r.difference !== undefined ? `; last difference: ${r.difference.slice(0, 300)}` : '')),
      );
      if (!converged) {
        // Measure the next faults on their own: reconnect the watched server and wait for agreement.
        await watched.connect(watchedConfig);
        await watched.reload();
        const again = await converge(watched, truth, truthConfig, performance.now(), 60);
        if (again.seconds === null)
          throw new Error(`the watched server disagrees even after reconnecting: ${again.difference ?? ''}`);
      }
    }
    return records;
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await cluster.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
