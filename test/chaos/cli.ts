/**
 * `npm run chaos -- --seed S [--cluster simulated|real|both] [--rounds N] [--only TYPE,...] [--parallel] [--window S] [--json FILE] [--server FILE]`
 *
 * Chaos campaigns (campaign.ts): on each chosen cluster, a language server (`dist/server.js`; build it
 * first, `--server` names another bundle) keeps a manifest open and the tree watched while kubectl
 * changes the cluster and every fault of the cluster is injected `--rounds` times (default 1) in a
 * seeded order; after each fault clears, its rows and predictions are compared with a server
 * connected afresh until they agree. Progress goes to stderr. Stdout gets one line per campaign,
 *   `chaos seed S on <cluster>: F faults, C converged, N never, max X s, p50 per type ...`
 * then `P passed, F failed` (converged faults pass). `--json FILE` writes every fault's record and the
 * per-type figures. Exit 1 when any fault did not converge within 10 s of clearing, 2 on a set-up error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterKind } from '../clusters/test-cluster';
import { ROOT } from '../lsp-fuzz/server-process';
import { FAULT_TYPES, type FaultType } from './plan';
import { countsLine, CONVERGE_LIMIT_S } from './report';
import { runChaos, type ChaosResult } from './run';

/** Parsed arguments. */
export interface ChaosArgs {
  seed: number;
  clusters: ClusterKind[];
  rounds: number;
  /** Only these fault types (`--only`, to replay one kind of fault). */
  only?: FaultType[];
  /** Both clusters' campaigns at the same time (`--parallel`). */
  parallel?: boolean;
  /** Seconds to keep comparing after a clear. */
  windowS: number;
  json: string | undefined;
  server: string;
}

const USAGE =
  'usage: npm run chaos -- --seed S [--cluster simulated|real|both] [--rounds N] [--only TYPE,...] [--parallel] [--window S] [--json FILE] [--server FILE]';

/** Parses argv; throws naming the bad flag. */
export function parseChaosArgs(argv: readonly string[]): ChaosArgs {
  const out: ChaosArgs = {
    seed: 1,
    clusters: ['simulated', 'real'],
    rounds: 1,
    windowS: 30,
    json: undefined,
    server: path.join(ROOT, 'dist/server.js'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? argv[i]!.split('=', 2) : [argv[i]!, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
      return v;
    };
    const num = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected an integer ≥ ${min}, got ${v}\n${USAGE}`);
      return n;
    };
    switch (flag) {
      case '--seed':
        out.seed = num(0);
        break;
      case '--rounds':
        out.rounds = num(1);
        break;
      case '--only': {
        const types = value().split(',');
        const bad = types.filter((t) => !(FAULT_TYPES as readonly string[]).includes(t));
        if (bad.length > 0)
          throw new Error(`--only: unknown fault type ${bad.join(', ')} (${FAULT_TYPES.join(', ')})\n${USAGE}`);
        out.only = types as FaultType[];
        break;
      }
      case '--parallel':
        out.parallel = true;
        break;
      case '--window':
        out.windowS = num(CONVERGE_LIMIT_S);
        break;
      case '--cluster': {
        const v = value();
        if (v !== 'simulated' && v !== 'real' && v !== 'both')
          throw new Error(`--cluster: expected simulated, real or both, got ${v}\n${USAGE}`);
        out.clusters = v === 'both' ? ['simulated', 'real'] : [v];
        break;
      }
      case '--json':
        out.json = path.resolve(value());
        break;
      case '--server':
        out.server = path.resolve(value());
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return out;
}

async function main(): Promise<number> {
  let args: ChaosArgs;
  try {
    args = parseChaosArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (!fs.existsSync(args.server)) {
    console.error(`chaos: ${args.server} is missing; run \`npm run build\` first`);
    return 2;
  }
  let result: ChaosResult;
  try {
    result = await runChaos(args, (s) => void process.stderr.write(`${s}\n`));
  } catch (e) {
    console.error(`chaos: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
  if (args.json !== undefined) {
    fs.mkdirSync(path.dirname(args.json), { recursive: true });
    fs.writeFileSync(args.json, `${JSON.stringify(result.report, null, 1)}\n`);
  }
  for (const l of result.lines) console.log(l);
  console.log(countsLine(result.records));
  return result.records.every((r) => r.converged) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
}
