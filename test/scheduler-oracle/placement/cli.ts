/**
 * `npm run oracle:placement -- --seed S --pods N --nodes K`
 *
 * Starts the real control plane with a generated cluster of K nodes (50 to 500), creates N generated
 * pods one at a time and compares each with the editor's prediction made just before (run.ts,
 * compare.ts). Prints `N agree, M disagree`; every disagreement is saved with the cluster state under
 * `test-results/oracle-placement/`. Exit 1 on any disagreement, 2 on bad arguments.
 */
import path from 'node:path';
import { repoRoot } from '../../real-cluster/binaries';
import { runPlacement } from './run';

/** Parsed arguments. */
export interface PlacementArgs {
  seed: number;
  pods: number;
  nodes: number;
}

const USAGE = 'usage: npm run oracle:placement -- --seed S --pods N --nodes K   (K from 50 to 500)';

/** Parses argv; throws naming the bad flag. */
export function parsePlacementArgs(argv: readonly string[]): PlacementArgs {
  const out: PlacementArgs = { seed: 1, pods: 100, nodes: 100 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? argv[i]!.split('=', 2) : [argv[i]!, undefined];
    const v = inline ?? argv[++i];
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0)
      throw new Error(`${flag}: expected a non-negative integer, got ${v}\n${USAGE}`);
    if (flag === '--seed') out.seed = n;
    else if (flag === '--pods') out.pods = n;
    else if (flag === '--nodes') out.nodes = n;
    else throw new Error(`unknown argument ${argv[i - (inline === undefined ? 1 : 0)]}\n${USAGE}`);
  }
  if (out.nodes < 50 || out.nodes > 500) throw new Error(`--nodes: expected 50 to 500, got ${out.nodes}\n${USAGE}`);
  return out;
}

async function main(): Promise<number> {
  let args: PlacementArgs;
  try {
    args = parsePlacementArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const s = await runPlacement({
    ...args,
    outDir: path.join(repoRoot(), 'test-results', 'oracle-placement'),
    log: (l) => console.log(l),
    signal: abort.signal,
  });
  const kinds = Object.entries(s.outcomes)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  console.log(
    `seed ${args.seed}, ${args.nodes} nodes, ${s.agree + s.disagree} pods (${kinds}), ${s.seconds.toFixed(0)} s`,
  );
  console.log(`${s.agree} agree, ${s.disagree} disagree`);
  console.log(`${s.agree} passed, ${s.disagree} failed`);
  if (s.agree + s.disagree === 0) {
    console.log('no pod was compared');
    return 1;
  }
  return s.disagree > 0 ? 1 : 0;
}

if (process.argv[1] && /placement[/\\]cli\.[cm]?[tj]s$/.test(process.argv[1])) {
  main().then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`oracle:placement: ${e instanceof Error ? e.message : String(e)}`);
      console.log('0 passed, 1 failed');
      process.exitCode = 1;
    },
  );
}
