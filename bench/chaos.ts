/**
 * Chaos at full size: every fault type of each cluster, `--rounds` times (default 5), on the simulated
 * cluster and on the real control plane, with the seed `--seed` (default 1); see test/chaos/README.md.
 * Reports per cluster and fault type the count and the median and maximum seconds from a fault's
 * clear until the watched language server's rows and predictions equal a freshly connected one's.
 * No thresholds are asserted here (`npm run chaos` exits non-zero when a fault does not converge).
 *
 *   npm run bench:chaos -- --json out.json [--rounds 5] [--seed 1] [--cluster both]
 *
 * Needs dist/server.js (`npm run build`) and the real control plane's binaries (`npm run real-cluster:build`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../test/lsp-fuzz/server-process';
import { countsLine } from '../test/chaos/report';
import { runChaos } from '../test/chaos/run';
import { arg } from './bench-util';

async function main(): Promise<number> {
  const which = arg('cluster', 'both');
  if (which !== 'both' && which !== 'simulated' && which !== 'real') {
    console.error(`bench:chaos: --cluster must be simulated, real or both, got ${which}`);
    return 2;
  }
  const server = path.join(ROOT, 'dist/server.js');
  if (!fs.existsSync(server)) {
    console.error(`bench:chaos: ${server} is missing; run \`npm run build\` first`);
    return 2;
  }
  const result = await runChaos(
    {
      seed: Number(arg('seed', '1')),
      clusters: which === 'both' ? ['simulated', 'real'] : [which],
      rounds: Number(arg('rounds', '5')),
      windowS: 30,
      server,
    },
    (s) => void process.stderr.write(`${s}\n`),
  );
  const json = process.argv.includes('--json') ? arg('json', '') : '';
  const text = `${JSON.stringify(result.report, null, 1)}\n`;
  if (json) fs.writeFileSync(json, text);
  else process.stdout.write(text);
  for (const l of result.lines) console.error(l);
  console.error(countsLine(result.records));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
