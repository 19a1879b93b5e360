/**
 * Runs the chaos campaigns of one invocation (`npm run chaos`, `npm run bench:chaos`): one campaign
 * per chosen cluster, with the same seed, one after the other (or at the same time with `parallel`,
 * which `npm test` uses to stay short; each campaign has its own cluster, proxy and servers).
 *
 * Contract: resolves with each campaign's closing line, every fault's record, and the JSON report
 * (`seed`, `rounds`, `limitSeconds`, per cluster its duration and per-type figures, the records);
 * rejects when a campaign's set-up fails, naming the cluster.
 */
import type { ClusterKind } from '../clusters/test-cluster';
import { runCampaign } from './campaign';
import type { FaultType } from './plan';
import { campaignLine, CONVERGE_LIMIT_S, figuresByType, type FaultRecord } from './report';

/** What `runChaos` needs. */
export interface ChaosRun {
  seed: number;
  clusters: readonly ClusterKind[];
  rounds: number;
  /** Only these fault types (all when absent). */
  only?: readonly FaultType[];
  /** Seconds to keep comparing after a clear. */
  windowS: number;
  /** The server bundle. */
  server: string;
  /** Run the clusters' campaigns at the same time. */
  parallel?: boolean;
}

/** The outcome of `runChaos`. */
export interface ChaosResult {
  lines: string[];
  records: FaultRecord[];
  report: Record<string, unknown>;
}

/** Runs the campaigns; see the file comment. */
export async function runChaos(run: ChaosRun, log: (line: string) => void): Promise<ChaosResult> {
  // The servers need no login shell's PATH (no exec credential plugin here), and finding it costs seconds.
  process.env['KF_NO_LOGIN_SHELL'] = '1';
  // A silent watch is cut after 5 s instead of 150 s (WATCH_IDLE_MS), so a `stalled-watches` fault
  // converges within the window like every other. Not shorter: cut every 2 s, the quiet watches came back
  // during a restarted kube-apiserver's first second, when it answers 403 (its RBAC caches still
  // empty), and a restart took 3 s to converge instead of 0.3 s (measured with --only apiserver-restart).
  process.env['KF_WATCH_IDLE_MS'] = '5000';
  const one = async (cluster: ClusterKind): Promise<{ mine: FaultRecord[]; seconds: number }> => {
    const t0 = performance.now();
    try {
      const mine = await runCampaign({
        seed: run.seed,
        cluster,
        rounds: run.rounds,
        ...(run.only !== undefined ? { only: run.only } : {}),
        serverJs: run.server,
        windowS: run.windowS,
        log,
      });
      return { mine, seconds: Math.round((performance.now() - t0) / 100) / 10 };
    } catch (e) {
      throw new Error(`on the ${cluster} cluster: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
  const results: { mine: FaultRecord[]; seconds: number }[] = [];
  if (run.parallel === true) results.push(...(await Promise.all(run.clusters.map(one))));
  else for (const cluster of run.clusters) results.push(await one(cluster));
  const lines: string[] = [];
  const records: FaultRecord[] = [];
  const campaigns: Record<string, unknown> = {};
  for (const [i, cluster] of run.clusters.entries()) {
    const { mine, seconds } = results[i]!;
    records.push(...mine);
    lines.push(campaignLine(run.seed, cluster, mine));
    log(lines[lines.length - 1]!);
    campaigns[cluster] = {
      seconds,
      faults: mine.length,
      converged: mine.filter((r) => r.converged).length,
      byType: Object.fromEntries(figuresByType(mine)),
    };
  }
  return {
    lines,
    records,
    report: { seed: run.seed, rounds: run.rounds, limitSeconds: CONVERGE_LIMIT_S, campaigns, records },
  };
}
