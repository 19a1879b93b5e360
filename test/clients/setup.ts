/**
 * The clients our users already run, installed for the tests outside the clone (never into the
 * system Python, never into tracked files):
 *
 * - the official Python `kubernetes` client and pytest, pinned in `python/requirements.txt`, in a
 *   virtual environment `<cache>/python-venv/<key>/` whose key hashes that file and `python3 --version`;
 * - the `helm` CLI built from the Go module `helm.sh/helm/v4` at HELM_VERSION (the newest release the
 *   module proxy served when it was pinned) with the flags helm's own Makefile gives a release build,
 *   into `<cache>/helm/<version>/helm`.
 *
 * `<cache>` is `$KF_CACHE_DIR`, else `~/.cache/kube-forecast`. Both are built into a side folder and
 * renamed into place only when complete, so an interrupted install is redone, never half-used.
 *
 *   npm run setup:clients [-- python|helm]     (both by default; .ci/run calls it)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheRoot, explainGoFailure, goEnv, goVersion, repoRoot } from '../real-cluster/binaries';

/** The helm release the tests use (`go list -m -versions helm.sh/helm/v4` lists newer ones). */
export const HELM_VERSION = 'v4.3.2';

export const REQUIREMENTS = path.join(repoRoot(), 'test', 'clients', 'python', 'requirements.txt');

type Log = (line: string) => void;
const stderrLog: Log = (l) => process.stderr.write(`${l}\n`);

/** Runs a command, echoing its output to `log`; rejects with its last lines on a non-zero exit. */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string }, log: Log): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd ?? repoRoot(),
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const take = (d: Buffer): void => {
      output += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim() !== '') log(`  ${path.basename(cmd)}: ${line}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (e) => reject(new Error(`could not run ${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-25).join('\n');
      reject(new Error(`${[cmd, ...args].join(' ')} failed with exit ${code}:\n${tail}`));
    });
  });
}

/** The Python the venv is made from: `$KF_PYTHON`, else `python3`. */
function basePython(): { exe: string; version: string } {
  const exe = process.env['KF_PYTHON'] ?? 'python3';
  const r = spawnSync(exe, ['-c', 'import sys, venv; print(sys.version.split()[0])'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `${exe} with the venv module is needed for the Python client tests (${(r.error?.message ?? r.stderr).trim()}); ` +
        'install Python 3.9 or newer (Debian: apt-get install python3 python3-venv) or point KF_PYTHON at one.',
    );
  }
  return { exe, version: r.stdout.trim() };
}

/** The venv folder for the committed requirements and this Python (it may not exist yet). */
export function pythonVenvDir(): string {
  const { version } = basePython();
  const key = createHash('sha256').update(version).update(fs.readFileSync(REQUIREMENTS)).digest('hex').slice(0, 12);
  return path.join(cacheRoot(), 'python-venv', key);
}

/**
 * The venv's python, holding exactly `requirements.txt`: found in the cache, or made now (pip from
 * PyPI, about 30 s cold). Older venvs of other keys are removed.
 */
export async function ensurePythonVenv(log: Log = stderrLog): Promise<string> {
  const { exe, version } = basePython();
  const dir = pythonVenvDir();
  const python = path.join(dir, 'bin', 'python');
  if (fs.existsSync(path.join(dir, '.complete'))) {
    log(`python client: venv cached in ${dir}`);
    return python;
  }
  const started = Date.now();
  // A venv records its own path, so it is made where it stays; `.complete` marks a finished install.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  log(`python client: making a venv with Python ${version} in ${dir}`);
  try {
    await run(exe, ['-m', 'venv', dir], {}, log);
    const env = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
    await run(python, ['-m', 'pip', 'install', '--quiet', '--no-cache-dir', '-r', REQUIREMENTS], { env }, log);
    // pip's resolver may not add anything unpinned: the venv holds what requirements.txt says.
    const frozen = await run(
      python,
      ['-m', 'pip', 'freeze', '--all', '--exclude', 'pip', '--exclude', 'setuptools'],
      { env },
      () => undefined,
    );
    const want = pins(fs.readFileSync(REQUIREMENTS, 'utf8'));
    const got = pins(frozen);
    const extra = [...got.keys()].filter((k) => !want.has(k));
    if (extra.length) throw new Error(`pip installed packages requirements.txt does not pin: ${extra.join(', ')}`);
    fs.writeFileSync(path.join(dir, '.complete'), `${version}\n`);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`python client: ${(e as Error).message}`);
  }
  for (const other of fs.readdirSync(path.dirname(dir))) {
    const p = path.join(path.dirname(dir), other);
    if (p !== dir && /^[0-9a-f]{12}$/.test(other)) fs.rmSync(p, { recursive: true, force: true });
  }
  log(`python client: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return python;
}

/** `name==version` lines of a requirements file or `pip freeze`, by normalised name. */
function pins(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const p = /^([A-Za-z0-9._-]+)==(\S+)$/.exec(line);
    if (p) m.set(p[1]!.toLowerCase().replace(/[-_.]+/g, '-'), p[2]!);
  }
  return m;
}

/** The helm binary's path in the cache (it may not exist yet). */
export function helmPath(): string {
  return path.join(cacheRoot(), 'helm', HELM_VERSION, 'helm');
}

/**
 * The helm CLI: from the cache, or built now from the module proxy (`go install` of
 * helm.sh/helm/v4/cmd/helm at HELM_VERSION with the release build's flags; about 3 minutes cold on 2 cores).
 */
export async function ensureHelm(log: Log = stderrLog): Promise<string> {
  const bin = helmPath();
  const dir = path.dirname(bin);
  if (fs.existsSync(bin)) {
    log(`helm: ${HELM_VERSION} cached in ${dir}`);
    return bin;
  }
  const go = goVersion();
  const started = Date.now();
  const tmp = `${dir}.building-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`helm: building helm.sh/helm/v4/cmd/helm@${HELM_VERSION} (${go})`);
  try {
    // The flags of helm's Makefile for a release: the version stamp (else `helm version` says v4.3),
    // a clean tree, static, stripped.
    const ldflags = [
      '-s',
      '-w',
      `-X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}`,
      '-X helm.sh/helm/v4/internal/version.gitTreeState=clean',
    ].join(' ');
    const env = { ...goEnv(), GOBIN: tmp, GOFLAGS: '-buildvcs=false' };
    try {
      await run(
        'go',
        ['install', '-trimpath', `-ldflags=${ldflags}`, `helm.sh/helm/v4/cmd/helm@${HELM_VERSION}`],
        { env, cwd: tmp },
        log,
      );
    } catch (e) {
      const why = explainGoFailure((e as Error).message);
      throw new Error(why ?? (e as Error).message);
    }
    if (!fs.existsSync(path.join(tmp, 'helm'))) throw new Error(`go install did not produce helm in ${tmp}`);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (!fs.existsSync(bin)) throw e; // else another build finished first
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`helm: ${(e as Error).message}`);
  }
  log(`helm: built in ${((Date.now() - started) / 1000).toFixed(0)} s into ${dir}`);
  return bin;
}

async function main(): Promise<void> {
  const which = process.argv.slice(2);
  const unknown = which.filter((w) => w !== 'python' && w !== 'helm');
  if (unknown.length) {
    console.error(`usage: tsx test/clients/setup.ts [python] [helm]  (unknown: ${unknown.join(' ')})`);
    process.exit(2);
  }
  const all = which.length === 0;
  let failed = false;
  for (const [name, ensure] of [
    ['python', ensurePythonVenv],
    ['helm', ensureHelm],
  ] as const) {
    if (!all && !which.includes(name)) continue;
    try {
      console.log(await ensure());
    } catch (e) {
      console.error((e as Error).message);
      failed = true;
    }
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) void main();
