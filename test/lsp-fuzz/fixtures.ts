/**
 * Regression fixtures of the language-server fuzzer: `test/fixtures/lsp-fuzz/<seed>-<index>.yaml`
 * holds the input's bytes as sent (gzip'd as `.yaml.gz` when over {@link GZIP_OVER} bytes), and
 * `<seed>-<index>.json` a small sidecar saying what happened.
 *
 * Contract: `loadFixtures()` returns every saved input as the server saw it: for inputs with lone
 * surrogates, which no UTF-8 file can hold, the exact text as a JSON string (the sidecar's `text`, or
 * `<seed>-<index>.text.json.gz` when over {@link GZIP_OVER}); else the file decoded as UTF-8
 * (invalid sequences become U+FFFD, as the server decodes them).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { InputReport } from './exercise';
import type { FuzzInput } from './mutate';

/** The fixture directory. */
export const FIXTURE_DIR = path.resolve(__dirname, '../fixtures/lsp-fuzz');

/** Inputs larger than this many bytes are stored gzip'd. */
export const GZIP_OVER = 256 * 1024;

/** The sidecar of one fixture. */
export interface FixtureSidecar {
  seed: number;
  index: number;
  /** Whether the server was connected to the simulated cluster. */
  cluster: boolean;
  recipe: string[];
  /** crash, hang, error or slow (the worst). */
  finding: 'crash' | 'hang' | 'error' | 'slow';
  /** What was seen: the crash or hang, error lines, the slow answers (method and ms). */
  details: string[];
  /** Characters of the text. */
  chars: number;
  /** The exact text, only when the .yaml file cannot hold it (lone surrogates). */
  text?: string;
  /** True when that exact text is in `<name>.text.json.gz` instead (a large one). */
  textGz?: boolean;
}

/** One loaded fixture. */
export interface Fixture {
  name: string;
  text: string;
  sidecar: FixtureSidecar;
}

/** The worst finding of a report, or undefined when there is none (`slowMs`: what counts as slow). */
export function findingOf(r: InputReport, slowMs: number): FixtureSidecar['finding'] | undefined {
  if (r.crash !== undefined) return 'crash';
  if (r.hang !== undefined) return 'hang';
  if (r.errors.length > 0) return 'error';
  if (r.answers.some((a) => a.ms > slowMs)) return 'slow';
  return undefined;
}

/** Writes the fixture of input `index` of `seed` into `dir`; returns its base name. */
export function saveFixture(
  dir: string,
  seed: number,
  index: number,
  input: FuzzInput,
  report: InputReport,
  cluster: boolean,
  slowMs: number,
): string {
  const finding = findingOf(report, slowMs) ?? 'slow';
  mkdirSync(dir, { recursive: true });
  const name = `${seed}-${index}`;
  const bytes = input.raw ?? Buffer.from(input.text, 'utf8');
  if (bytes.length > GZIP_OVER) writeFileSync(path.join(dir, `${name}.yaml.gz`), gzipSync(bytes, { level: 9 }));
  else writeFileSync(path.join(dir, `${name}.yaml`), bytes);
  const details = [
    ...(report.crash !== undefined ? [report.crash] : []),
    ...(report.hang !== undefined ? [report.hang] : []),
    ...report.errors.slice(0, 10).map((e) => e.slice(0, 500)),
    ...report.answers.filter((a) => a.ms > slowMs).map((a) => `${a.method} ${Math.round(a.ms)} ms`),
  ];
  const sidecar: FixtureSidecar = {
    seed,
    index,
    cluster,
    recipe: input.recipe,
    finding,
    details,
    chars: input.text.length,
  };
  if (input.raw === undefined && bytes.toString('utf8') !== input.text) {
    if (bytes.length <= GZIP_OVER) sidecar.text = input.text;
    else {
      writeFileSync(path.join(dir, `${name}.text.json.gz`), gzipSync(JSON.stringify(input.text), { level: 9 }));
      sidecar.textGz = true;
    }
  }
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
  return name;
}

/** Every fixture in `dir`, by name. */
export function loadFixtures(dir = FIXTURE_DIR): Fixture[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.json'.length);
      const sidecar = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as FixtureSidecar;
      const file = path.join(dir, `${name}.yaml`);
      const bytes = existsSync(file) ? readFileSync(file) : gunzipSync(readFileSync(`${file}.gz`));
      const exact = sidecar.textGz
        ? (JSON.parse(gunzipSync(readFileSync(path.join(dir, `${name}.text.json.gz`))).toString('utf8')) as string)
        : sidecar.text;
      const text = exact ?? bytes.toString('utf8');
      return { name, text, sidecar };
    });
}
