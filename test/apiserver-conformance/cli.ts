/**
 * `npm run conformance:apiserver`: the simulated cluster held against kube-apiserver v1.37.2.
 *
 * Starts both servers on 127.0.0.1, sends each the same scripted sequence (sequence/), normalises
 * the answers (normalise.ts), diffs them field by field (diff.ts) and prints
 * `N behaviours identical, M differ` with every difference (behaviour, field path, both values).
 * Differences listed in accepted.json (each with its reason, mirrored in src/simulator/README.md)
 * are reported as accepted, separately. The full report goes to test-results/apiserver-conformance/.
 * Exit 1 when M > 0, or when nothing could be compared (the real cluster did not start: the reason
 * is printed).
 *
 * Options:
 *   --only TEXT       run only the behaviours whose name contains TEXT (repeatable)
 *   --capture         instead: capture kube-apiserver's OpenAPI documents into the simulator (capture.ts)
 *   --capture-tables  instead: capture kube-apiserver's Table column definitions into the simulator
 *   --save-real FILE  also save kube-apiserver's raw observations (development)
 *   --real-from FILE  take kube-apiserver's observations from FILE instead of starting it (development;
 *                     never used by npm test)
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../real-cluster/binaries';
import { captureOpenApi, captureTables } from './capture';
import { Ctx, type Observation } from './context';
import { diff, type Difference } from './diff';
import { GeneratedNames, normalise } from './normalise';
import { SEQUENCE, type Behaviour } from './sequence';
import { startRealTarget, startSimulatorTarget, type Target } from './targets';

/** One accepted difference (accepted.json). */
interface Accepted {
  /** A glob over the behaviour's name. */
  behaviour: string;
  /** A glob over `<label> <field path>`: `*` matches within one `[...]` key or name part, `**` anything. */
  path: string;
  /** Only when the simulator lacks the whole value (a kind, group or subresource it does not serve). */
  absentInSimulator?: boolean;
  /** Why the difference stays (the same words as src/simulator/README.md). */
  reason: string;
}

/** What one server answered: raw observations per behaviour. */
type RunResult = Record<string, Observation[]>;

interface Outcome {
  name: string;
  verdict: 'identical' | 'differ' | 'accepted';
  differences: (Difference & { accepted?: string })[];
}

const OUT_DIR = path.join(repoRoot(), 'test-results', 'apiserver-conformance');

function parseArgs(argv: string[]): {
  only: string[];
  capture: boolean;
  captureTables: boolean;
  saveReal?: string;
  realFrom?: string;
} {
  const o: { only: string[]; capture: boolean; captureTables: boolean; saveReal?: string; realFrom?: string } = {
    only: [],
    capture: false,
    captureTables: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--only') o.only.push(argv[++i] ?? '');
    else if (a === '--capture') o.capture = true;
    else if (a === '--capture-tables') o.captureTables = true;
    else if (a === '--save-real') o.saveReal = argv[++i];
    else if (a === '--real-from') o.realFrom = argv[++i];
    else
      throw new Error(
        `unknown argument ${a}; use --only TEXT, --capture, --capture-tables, --save-real FILE, --real-from FILE`,
      );
  }
  return o;
}

async function runSequence(target: Target, behaviours: Behaviour[]): Promise<RunResult> {
  const vars = new Map<string, unknown>();
  const out: RunResult = {};
  for (const b of behaviours) {
    const ctx = new Ctx(target, vars);
    try {
      await b.run(ctx);
    } catch (e) {
      ctx.note('the behaviour stopped with an error', (e as Error).message);
    }
    out[b.name] = ctx.observations;
  }
  return out;
}

function normaliseRun(run: RunResult): Record<string, Observation[]> {
  const names = new GeneratedNames();
  for (const obs of Object.values(run)) names.collect(obs.map((o) => o.value));
  const out: Record<string, Observation[]> = {};
  for (const [b, obs] of Object.entries(run))
    out[b] = obs.map((o) => ({ label: o.label, value: normalise(o.value, names) }));
  return out;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*|\*/g, (m) => (m === '**' ? '.*' : '[^\\[\\]]*'))}$`, 's');
}

function compare(real: Observation[], sim: Observation[]): Difference[] {
  const simBy = new Map<string, unknown>();
  for (const o of sim) simBy.set(o.label, o.value);
  const realLabels = new Set(real.map((o) => o.label));
  const out: Difference[] = [];
  for (const o of real) {
    if (!simBy.has(o.label)) out.push({ path: `${o.label}`, real: o.value, sim: '(not observed)' });
    else out.push(...diff(o.value, simBy.get(o.label), '').map((d) => ({ ...d, path: `${o.label} ${d.path}` })));
  }
  for (const o of sim)
    if (!realLabels.has(o.label)) out.push({ path: `${o.label}`, real: '(not observed)', sim: o.value });
  return out;
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  const s = JSON.stringify(v);
  return s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const log = (l: string): void => void process.stderr.write(`${l}\n`);
  if (args.capture) {
    await captureOpenApi(log);
    return 0;
  }
  if (args.captureTables) {
    await captureTables(log);
    return 0;
  }
  const behaviours = SEQUENCE.filter((b) => args.only.length === 0 || args.only.some((t) => b.name.includes(t)));
  if (behaviours.length === 0) {
    console.error('apiserver-conformance: no behaviour matches --only');
    return 1;
  }
  const accepted = JSON.parse(fs.readFileSync(path.join(__dirname, 'accepted.json'), 'utf8')) as {
    differences: Accepted[];
  };

  let real: RunResult;
  let sim: RunResult;
  const t0 = Date.now();
  const simTarget = await startSimulatorTarget();
  try {
    if (args.realFrom !== undefined) {
      real = JSON.parse(fs.readFileSync(args.realFrom, 'utf8')) as RunResult;
      sim = await runSequence(simTarget, behaviours);
    } else {
      let realTarget: Target;
      try {
        realTarget = await startRealTarget(log);
      } catch (e) {
        console.error(
          `apiserver-conformance: the real control plane (kube-apiserver v1.37.2) could not start, so nothing was compared: ${(e as Error).message}`,
        );
        console.log('0 behaviours identical, 0 differ');
        console.log('0 passed, 1 failed');
        return 1;
      }
      try {
        log(`apiserver-conformance: sending ${behaviours.length} behaviours to both servers`);
        [real, sim] = await Promise.all([runSequence(realTarget, behaviours), runSequence(simTarget, behaviours)]);
      } finally {
        await realTarget.stop();
      }
      if (args.saveReal !== undefined)
        fs.writeFileSync(
          args.saveReal,
          JSON.stringify(real, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v)),
        );
    }
  } finally {
    await simTarget.stop();
  }

  const nReal = normaliseRun(real);
  const nSim = normaliseRun(sim);
  const outcomes: Outcome[] = behaviours.map((b) => {
    const diffs = compare(nReal[b.name] ?? [], nSim[b.name] ?? []).map((d): Difference & { accepted?: string } => {
      const hit = accepted.differences.find(
        (a) =>
          globToRegExp(a.behaviour).test(b.name) &&
          globToRegExp(a.path).test(d.path) &&
          (a.absentInSimulator !== true || d.sim === undefined),
      );
      return hit !== undefined ? { ...d, accepted: hit.reason } : d;
    });
    const verdict =
      diffs.length === 0 ? 'identical' : diffs.every((d) => d.accepted !== undefined) ? 'accepted' : 'differ';
    return { name: b.name, verdict, differences: diffs };
  });

  const identical = outcomes.filter((o) => o.verdict === 'identical').length;
  const differ = outcomes.filter((o) => o.verdict === 'differ');
  const acc = outcomes.filter((o) => o.verdict === 'accepted');
  const lines: string[] = [];
  for (const o of differ) {
    lines.push(`✗ ${o.name}`);
    for (const d of o.differences.filter((x) => x.accepted === undefined))
      lines.push(`    ${d.path}\n      kube-apiserver: ${show(d.real)}\n      simulator:      ${show(d.sim)}`);
    const n = o.differences.filter((x) => x.accepted !== undefined).length;
    if (n > 0) lines.push(`    (+${n} accepted difference(s))`);
  }
  if (acc.length > 0) {
    lines.push(
      '',
      'Accepted differences (accepted.json; see src/simulator/README.md "Differences from kube-apiserver"):',
    );
    for (const o of acc) {
      lines.push(`~ ${o.name}`);
      for (const d of o.differences) lines.push(`    ${d.path}: ${d.accepted}`);
    }
  }
  const unused = accepted.differences.filter(
    (a) =>
      !outcomes.some((o) =>
        o.differences.some((d) => d.accepted === a.reason && globToRegExp(a.behaviour).test(o.name)),
      ),
  );
  if (unused.length > 0 && args.only.length === 0) {
    lines.push('', 'Allow-list entries that matched nothing (remove them):');
    for (const a of unused) lines.push(`    ${a.behaviour} / ${a.path}`);
  }
  const summary = `${identical} behaviours identical, ${differ.length} differ`;
  const text = [
    ...lines,
    '',
    summary,
    `${acc.length} behaviours differ only in accepted ways`,
    `(${behaviours.length} behaviours, ${Math.round((Date.now() - t0) / 1000)} s)`,
  ].join('\n');
  console.log(text);
  console.log(`${identical + acc.length} passed, ${differ.length} failed`);

  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, 'report.txt'), `${text}\n`);
  fs.writeFileSync(
    path.join(OUT_DIR, 'report.json'),
    JSON.stringify(
      {
        summary: { identical, differ: differ.length, accepted: acc.length },
        outcomes,
        observations: { 'kube-apiserver': nReal, simulator: nSim },
      },
      (_k, v: unknown) => (Buffer.isBuffer(v) ? `<${v.length} bytes>` : v),
      1,
    ),
  );
  console.log(`report: ${path.relative(process.cwd(), path.join(OUT_DIR, 'report.txt'))} (and report.json)`);
  return differ.length > 0 || identical + acc.length === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`apiserver-conformance: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  },
);
