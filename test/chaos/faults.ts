/**
 * Switches one planned fault on and off on a running test cluster. The proxy faults (fault-proxy.ts)
 * hit only the watched server, which reaches the cluster through the proxy; kubectl and the truth
 * server go straight to the server. Every fault that does not end streams by itself also drops the
 * open watches, so the watched server's resumes, re-lists and retries go through it:
 *
 * | fault               | on                                                        | off (the clear time)               |
 * | ------------------- | --------------------------------------------------------- | ---------------------------------- |
 * | `drop-watches`      | every open watch ends                                     | after the hold                     |
 * | `stalled-watches`   | every open watch stays open and goes silent               | after the hold                     |
 * | `gone-410`          | the next N requests get 410 Gone (a watch: an ERROR event) | status cleared                     |
 * | `server-error`      | every API request gets 500 or 503                         | status cleared                     |
 * | `throttle-429`      | every API request gets 429 with `Retry-After: 1`          | status cleared                     |
 * | `latency`           | every API request waits `latencyMs` first                 | latency 0                          |
 * | `expired-token`     | the watched kubeconfig's token is rejected (401)          | a new token in the kubeconfig      |
 * | `compaction`        | etcd (real) or the simulator's store compacted to now      | after the hold                     |
 * | `apiserver-restart` | kube-apiserver stopped and started again (real only)      | /readyz answers 200 again          |
 *
 * Contract: `switchOn` resolves once the fault is in force; `switchOff` resolves at the moment the
 * fault is cleared (convergence is measured from then).
 */
import type { TestCluster } from '../clusters/test-cluster';
import type { RenewableToken } from './credentials';
import type { FaultPlan } from './plan';

/** What a fault needs besides the cluster. */
export interface FaultTarget {
  cluster: TestCluster;
  token: RenewableToken;
  /** Writes the watched server's kubeconfig with `token`. */
  writeKubeconfig(token: string): void;
}

/** Turns `f` on. */
export async function switchOn(f: FaultPlan, t: FaultTarget): Promise<void> {
  const { cluster } = t;
  switch (f.type) {
    case 'drop-watches':
      cluster.faults({ dropWatches: true });
      return;
    case 'stalled-watches':
      cluster.faults({ stallWatches: true });
      return;
    case 'gone-410':
      cluster.faults({ status: 410, count: f.count ?? 1, dropWatches: true });
      return;
    case 'server-error':
      cluster.faults({ status: f.status ?? 503, dropWatches: true });
      return;
    case 'throttle-429':
      cluster.faults({ status: 429, dropWatches: true });
      return;
    case 'latency':
      cluster.faults({ latencyMs: f.latencyMs ?? 500, dropWatches: true });
      return;
    case 'expired-token':
      await t.token.expire();
      cluster.faults({ dropWatches: true });
      return;
    case 'compaction':
      await compact(cluster);
      cluster.faults({ dropWatches: true });
      return;
    case 'apiserver-restart': {
      if (cluster.controlPlane === undefined) throw new Error('apiserver-restart needs the real control plane');
      await cluster.controlPlane.restartApiserver();
      return;
    }
  }
}

/** Turns `f` off; resolves at the clear time. */
export async function switchOff(f: FaultPlan, t: FaultTarget): Promise<void> {
  switch (f.type) {
    case 'gone-410':
    case 'server-error':
    case 'throttle-429':
    case 'latency':
      t.cluster.faults({ clear: true });
      return;
    case 'expired-token':
      t.writeKubeconfig(await t.token.renew());
      return;
    default:
      return;
  }
}

async function compact(cluster: TestCluster): Promise<void> {
  if (cluster.controlPlane !== undefined) {
    await cluster.controlPlane.compactEtcd();
    return;
  }
  const r = await cluster.api('POST', '/__sim/compact', {});
  if (r.status !== 200) throw new Error(`/__sim/compact: ${r.status}`);
}
