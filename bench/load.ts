/**
 * Load without loss at full size: 20 concurrent clients create, patch, apply, update and delete
 * 5,000 objects while eight watches run, on the simulated cluster and on the real control plane
 * (test/load; what is checked: test/load/checks.ts). Reports throughput (writes/s over the load
 * phase) and write latency (p50/p99/max) per cluster, with the campaign's counts and verdict, as
 * JSON (`--json FILE`); exits non-zero when a check fails, as `npm run load` does. No thresholds.
 *
 *   npm run bench:load -- --json out.json [--seed 1] [--clients 20] [--objects 5000] [--cluster both]
 */
import { parseLoadArgs, runLoad } from '../test/load/cli';

const argv = process.argv.slice(2);
const has = (name: string): boolean => argv.includes(`--${name}`);
const defaults = [
  ...(has('seed') ? [] : ['--seed', '1']),
  ...(has('clients') ? [] : ['--clients', '20']),
  ...(has('objects') ? [] : ['--objects', '5000']),
  ...(has('cluster') ? [] : ['--cluster', 'both']),
];
runLoad(parseLoadArgs([...defaults, ...argv])).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
