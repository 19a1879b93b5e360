/**
 * Runs the chaos campaigns of one invocation (`npm run chaos`, `npm run bench:chaos`): one campaign
 * per chosen cluster, one after the other, with the same seed.
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
  const lines: string[] = [];
  const records: FaultRecord[] = [];
  const campaigns: Record<string, unknown> = {};
  for (const cluster of run.clusters) {
    const t0 = performance.now();
    let mine: FaultRecord[];
    try {
      mine = await runCampaign({
        seed: run.seed,
        cluster,
        rounds: run.rounds,
        ...(run.only !== undefined ? { only: run.only } : {}),
        serverJs: run.server,
        windowS: run.windowS,
        log,
      });
    } catch (e) {
      throw new Error(`on the ${cluster} cluster: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    records.push(...mine);
    lines.push(campaignLine(run.seed, cluster, mine));
    log(lines[lines.length - 1]!);
    campaigns[cluster] = {
      seconds: Math.round((performance.now() - t0) / 100) / 10,
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
