/**
 * `npm run load -- --seed S [--clients 20] [--objects 5000] [--cluster simulated|real|both] [--json FILE]`
 * (defaults: 20 clients, 5,000 objects, both clusters, the simulated one first)
 *
 * Load without loss: concurrent clients create, patch, apply, update and delete objects of five kinds
 * (ConfigMap, Secret, Pod, Deployment, a custom resource) across namespaces while eight watches run,
 * on the simulated cluster and/or the real control plane (test/clusters, each behind its transparent
 * fault proxy). What is checked is stated in checks.ts; the campaign in campaign.ts; the plan, a pure
 * function of the seed and sizes, in plan.ts.
 *
 * Output: progress and the first failures on stderr; on stdout, after every campaign,
 * `individual checks: N held, M failed`, then `N passed, M failed` (four properties per campaign: no
 * write lost, none out of order, none duplicated, nothing unexpected), and then one line per campaign:
 * `load seed S on <cluster>: W writes (A acknowledged, R rejected), E watch events over K watches,
 * L lost, O out of order, D duplicate, T writes/s`. Exit 1 when any check failed (a lost or
 * unexplained write, a wrong answer, an event out of order or duplicated, a watch that ended with an
 * error) or a cluster could not be started; 2 on bad arguments.
 */
import fs from 'node:fs';
import { startTestCluster, type ClusterKind } from '../clusters/test-cluster';
import { runCampaign, type CampaignResult } from './campaign';

/** The properties each campaign proves (a Verdict count that must be 0): one test each in the closing counts. */
const PROPERTIES = ['lost', 'outOfOrder', 'duplicate', 'unexpected'] as const;

/** Parsed options. */
export interface LoadOptions {
  seed: number;
  clients: number;
  objects: number;
  clusters: ClusterKind[];
  json?: string;
}

/** Parses the command line (see the file comment); throws a usage sentence on bad input. */
export function parseLoadArgs(argv: readonly string[]): LoadOptions {
  const o: LoadOptions = { seed: NaN, clients: 20, objects: 5000, clusters: ['simulated', 'real'] };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs an integer ≥ ${min}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if (a === '--seed') o.seed = int('seed', v, 0);
    else if (a === '--clients') o.clients = int('clients', v, 1);
    else if (a === '--objects') o.objects = int('objects', v, 1);
    else if (a === '--cluster') {
      if (v !== 'simulated' && v !== 'real' && v !== 'both')
        throw new Error(`--cluster must be simulated, real or both, got ${v}`);
      o.clusters = v === 'both' ? ['simulated', 'real'] : [v];
    } else if (a === '--json') {
      if (v === undefined) throw new Error('--json needs a file name');
      o.json = v;
    } else throw new Error(`unknown argument ${a}`);
    i++;
  }
  if (Number.isNaN(o.seed))
    throw new Error('--seed S is required (any integer ≥ 0; the same seed replays the same plan)');
  return o;
}

/** The campaign's summary line (see the file comment). */
export function summaryLine(r: CampaignResult): string {
  const v = r.verdict;
  return (
    `load seed ${r.seed} on ${r.cluster}: ${r.writes} writes (${r.acknowledged} acknowledged, ${r.rejected} rejected), ` +
    `${r.events} watch events over ${r.watches} watches, ${v.lost} lost, ${v.outOfOrder} out of order, ` +
    `${v.duplicate} duplicate, ${r.writesPerSecond} writes/s`
  );
}

/** Runs the campaigns of `o`; resolves the exit code. */
export async function runLoad(o: LoadOptions): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`[load] ${line}\n`);
  const results: CampaignResult[] = [];
  const errors: string[] = [];
  for (const kind of o.clusters) {
    log(`starting the ${kind} cluster`);
    let cluster;
    try {
      cluster = await startTestCluster(kind);
    } catch (e) {
      errors.push(`${kind}: the cluster did not start: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    try {
      const r = await runCampaign(cluster, { seed: o.seed, clients: o.clients, objects: o.objects, log });
      results.push(r);
      for (const f of r.verdict.failures) log(`${kind}: FAIL ${f}`);
      if (r.verdict.failed > r.verdict.failures.length)
        log(`${kind}: … and ${r.verdict.failed - r.verdict.failures.length} more failures`);
      log(
        `${kind}: ${r.writesPerSecond} writes/s over ${r.loadSeconds} s, latency p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms; ` +
          `${r.eventsReceived} events received, ${r.bookmarks} bookmarks, mid-run watch resumed ${r.resumptions} times`,
      );
      log(summaryLine(r));
    } catch (e) {
      errors.push(`${kind}: the campaign could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      await cluster.close();
    }
  }
  for (const e of errors) log(`FAIL ${e}`);
  if (o.json !== undefined)
    fs.writeFileSync(
      o.json,
      `${JSON.stringify({ seed: o.seed, clients: o.clients, objects: o.objects, campaigns: results, errors }, null, 2)}\n`,
    );
  // The closing counts are the properties (PROPERTIES) per campaign, not the thousands of individual
  // checks behind them, which are reported on their own line.
  const checks = results.reduce((n, r) => n + r.verdict.passed, 0);
  const checksFailed = results.reduce((n, r) => n + r.verdict.failed, 0);
  const held = results.flatMap((r) => PROPERTIES.map((p) => r.verdict[p] === 0));
  const passed = held.filter(Boolean).length;
  const failed = held.length - passed + (checksFailed > 0 && held.every(Boolean) ? 1 : 0) + errors.length;
  console.log(`individual checks: ${checks} held, ${checksFailed} failed`);
  console.log(`${passed} passed, ${failed} failed`);
  for (const r of results) console.log(summaryLine(r));
  return failed === 0 && results.length === o.clusters.length ? 0 : 1;
}

if (require.main === module) {
  let opts: LoadOptions;
  try {
    opts = parseLoadArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`load: ${e instanceof Error ? e.message : String(e)}`);
    console.error(
      'usage: npm run load -- --seed S [--clients 20] [--objects 5000] [--cluster simulated|real|both] [--json FILE]',
    );
    process.exit(2);
  }
  runLoad(opts).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
