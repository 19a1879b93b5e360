/**
 * The real control plane's binaries, built from the official Go modules and cached outside the
 * clone: etcd, kube-apiserver, kube-controller-manager and kube-scheduler from k8s.io/kubernetes
 * v1.37.2 (module `test/real-cluster`), and the kwok node agent (module `test/real-cluster/node-agent`).
 *
 * Contract: `ensureBinaries()` returns absolute paths of executables that match the committed
 * go.mod/go.sum/Go sources. They live in `<cache>/real-cluster/<version>-<key>/` where the key hashes
 * those inputs and `go version`, so a second run finds them and builds nothing. A build goes into a
 * fresh folder that is renamed into place only when every binary exists, so a killed build never
 * leaves a half-filled cache entry. A module the proxy does not serve fails with its name and what to do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KUBERNETES_VERSION = 'v1.37.2';
export const KWOK_VERSION = 'v0.8.0';

/**
 * The repository root: the nearest folder above this code (or the working directory) holding
 * `test/real-cluster/go.mod`. Found by walking up, because this file also runs bundled (out/...).
 */
export function repoRoot(): string {
  const starts = [typeof __dirname === 'string' ? __dirname : undefined, process.cwd()];
  for (const start of starts) {
    for (let dir = start; dir !== undefined && dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'test', 'real-cluster', 'go.mod'))) return dir;
    }
  }
  throw new Error('cannot find the repository root (a folder holding test/real-cluster/go.mod)');
}

const HERE = path.join(repoRoot(), 'test', 'real-cluster');

/** Where built things are cached: `$KF_CACHE_DIR`, else `~/.cache/kube-forecast`. */
export function cacheRoot(): string {
  return process.env['KF_CACHE_DIR'] ?? path.join(os.homedir(), '.cache', 'kube-forecast');
}

/** The executables of the test rig. */
export interface Binaries {
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  /** Prints kwok's default Stage objects (see node-agent/cmd/kwok-stages). */
  kwokStages: string;
  /** The cache folder holding them. */
  dir: string;
}

/** One `go build` of several packages of one module into one folder. */
export interface GoBuild {
  /** Module root (holds go.mod). */
  moduleDir: string;
  /** Output file name → package path (import path, or ./relative to moduleDir). */
  targets: Record<string, string>;
  /** Extra `-X` linker settings. */
  linkVars?: Record<string, string>;
}

/**
 * The version stamp `make` gives a release build (hack/lib/version.sh): without it /version says
 * v0.0.0-master. The build date is the release's publication time on the module proxy.
 */
function kubernetesVersionVars(): Record<string, string> {
  const [major, minor] = KUBERNETES_VERSION.slice(1).split('.');
  const vars: Record<string, string> = {
    gitVersion: KUBERNETES_VERSION,
    gitMajor: major!,
    gitMinor: minor!,
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '2026-10-27T12:01:04Z',
  };
  return Object.fromEntries(
    ['k8s.io/client-go/pkg/version', 'k8s.io/component-base/version'].flatMap((pkg) =>
      Object.entries(vars).map(([k, v]) => [`${pkg}.${k}`, v]),
    ),
  );
}

const BUILDS: readonly GoBuild[] = [
  {
    moduleDir: HERE,
    targets: {
      etcd: './cmd/etcd',
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
      'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
    },
    linkVars: kubernetesVersionVars(),
  },
  {
    moduleDir: path.join(HERE, 'node-agent'),
    targets: { kwok: 'sigs.k8s.io/kwok/cmd/kwok', 'kwok-stages': './cmd/kwok-stages' },
  },
];

/** An error from a build step, with the component it concerns and a hint for the user. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** The environment every go command of the rig runs with. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false', CGO_ENABLED: '0' };
}

/** `go version`, or a BuildError saying Go is missing. */
export function goVersion(): string {
  const r = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv() });
  if (r.error || r.status !== 0) {
    throw new BuildError(
      'Go is not installed or not on PATH (`go version` failed). The real control plane is built from ' +
        'k8s.io/kubernetes with Go 1.26 or newer; install Go, then run again.',
    );
  }
  return r.stdout.trim();
}

function listSources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      // A nested module is its own build.
      if (!fs.existsSync(path.join(p, 'go.mod'))) listSources(p, out);
    } else if (e.name.endsWith('.go') || e.name === 'go.mod' || e.name === 'go.sum') {
      out.push(p);
    }
  }
  return out;
}

/** A hash of everything that decides a module build's output: sources, go.mod, go.sum, Go version. */
export function buildKey(builds: readonly GoBuild[], version: string): string {
  const h = createHash('sha256');
  h.update(version);
  for (const b of builds) {
    h.update(JSON.stringify([b.targets, b.linkVars ?? {}]));
    for (const f of listSources(b.moduleDir)) {
      h.update(path.relative(repoRoot(), f));
      h.update(fs.readFileSync(f));
    }
  }
  return h.digest('hex').slice(0, 12);
}

/**
 * Turns `go` output into one sentence naming the module that could not be fetched, or undefined when
 * the failure is something else (a compile error is shown as go printed it).
 */
export function explainGoFailure(output: string): string | undefined {
  const notServed =
    /(?:go: )?(?:module )?([A-Za-z0-9][\w.~/-]*?)(?:@(v[\w.+-]+))?: (?:reading|verifying) (?:module: )?(\S+?): (404 Not Found|410 Gone|[^\n]*not found[^\n]*)/.exec(
      output,
    );
  if (notServed) {
    const [, mod, version, url, why] = notServed;
    return (
      `the Go module proxy does not serve ${mod}${version ? `@${version}` : ''} (${why} from ${url}). ` +
      `Check with \`go list -m -versions ${mod}\`; if that version is gone, move the rig to a release whose ` +
      'modules are served (KUBERNETES_VERSION in test/real-cluster/binaries.ts and staging-replaces.mjs), ' +
      'or point GOPROXY at a proxy that has it.'
    );
  }
  const offline = /dial tcp: lookup ([^\s:]+)|proxyconnect tcp|connection refused/.exec(output);
  if (offline) {
    return (
      `Go could not reach the module proxy (${offline[0]}). The first build downloads k8s.io/kubernetes ` +
      `${KUBERNETES_VERSION} and its dependencies from GOPROXY (${process.env['GOPROXY'] ?? 'go env GOPROXY'}); ` +
      'connect the machine to it, or pre-fill the module cache (go mod download in test/real-cluster).'
    );
  }
  return undefined;
}

function runGo(args: string[], cwd: string, log: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env: goEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (d: Buffer): void => {
      const text = d.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim() !== '') log(`  go: ${line}`);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => reject(new BuildError(`could not run go: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(output);
      const why = explainGoFailure(output);
      reject(
        new BuildError(
          `go ${args.join(' ')} (in ${path.relative(process.cwd(), cwd) || '.'}) failed` +
            (why ? `: ${why}` : ` with exit ${code}:\n${output.trim().split('\n').slice(-20).join('\n')}`),
        ),
      );
    });
  });
}

function ldflags(b: GoBuild): string {
  return ['-s', '-w', ...Object.entries(b.linkVars ?? {}).map(([k, v]) => `-X '${k}=${v}'`)].join(' ');
}

/** Options of `ensureBinaries`. */
export interface EnsureOptions {
  /** Progress lines (building, cached); default: stderr. */
  log?: (line: string) => void;
}

/**
 * Builds `builds` into `<cache>/<area>/<KUBERNETES_VERSION>-<key>/` unless that folder already holds
 * every target, and returns the folder. Used for the control plane (area `real-cluster`) and for the
 * scheduler oracle (area `scheduler-oracle`).
 */
export async function ensureGoBuild(
  area: string,
  builds: readonly GoBuild[],
  opts: EnsureOptions = {},
): Promise<string> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const version = goVersion();
  const key = buildKey(builds, version);
  const dir = path.join(cacheRoot(), area, `${KUBERNETES_VERSION}-${key}`);
  const names = builds.flatMap((b) => Object.keys(b.targets));
  if (names.every((n) => fs.existsSync(path.join(dir, n)))) {
    log(`${area}: binaries cached in ${dir}`);
    return dir;
  }
  const started = Date.now();
  const tmp = `${dir}.building-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    for (const b of builds) {
      log(`${area}: building ${Object.keys(b.targets).join(', ')} (${version})`);
      await runGo(['mod', 'download'], b.moduleDir, log);
      await runGo(
        ['build', '-trimpath', `-ldflags=${ldflags(b)}`, '-o', `${tmp}${path.sep}`, ...Object.values(b.targets)],
        b.moduleDir,
        log,
      );
    }
    // go names each binary after its package's last element; check every one arrived.
    for (const n of names) {
      if (!fs.existsSync(path.join(tmp, n))) throw new BuildError(`the build did not produce ${n} in ${tmp}`);
    }
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      // Another build finished first; its binaries are equivalent.
      if (!names.every((n) => fs.existsSync(path.join(dir, n)))) throw e;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  log(`${area}: built in ${((Date.now() - started) / 1000).toFixed(0)} s into ${dir}`);
  return dir;
}

/** The rig's binaries: from the cache when present, else built now (about 5 minutes cold on 2 cores). */
export async function ensureBinaries(opts: EnsureOptions = {}): Promise<Binaries> {
  const dir = await ensureGoBuild('real-cluster', BUILDS, opts);
  return {
    etcd: path.join(dir, 'etcd'),
    kubeApiserver: path.join(dir, 'kube-apiserver'),
    kubeControllerManager: path.join(dir, 'kube-controller-manager'),
    kubeScheduler: path.join(dir, 'kube-scheduler'),
    kwok: path.join(dir, 'kwok'),
    kwokStages: path.join(dir, 'kwok-stages'),
    dir,
  };
}

/** Removes cached builds of the rig other than `keep` (older keys), so the cache does not grow. */
export function pruneOldBuilds(keep: string): void {
  const parent = path.dirname(keep);
  if (!fs.existsSync(parent)) return;
  for (const e of fs.readdirSync(parent)) {
    const p = path.join(parent, e);
    if (p !== keep && /^v\d+\.\d+\.\d+-[0-9a-f]{12}$/.test(e)) fs.rmSync(p, { recursive: true, force: true });
  }
}
