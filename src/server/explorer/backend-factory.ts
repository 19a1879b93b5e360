/**
 * Builds the connected backends: a kubeconfig context (kubectl's merge rules, the login shell's PATH
 * for exec plugins, files watched for changes) or the simulated cluster (a child process with its
 * own kubeconfig). The user's kubeconfig is only read, never written.
 *
 * Contract: `create` never rejects for cluster problems; it returns a backend whose status says what
 * is wrong (no kubeconfig, unknown context, unreachable server), and a reachable one keeps retrying.
 */
import * as path from 'node:path';
import { ClusterSession, type SessionOptions } from '../../cluster/cluster-session';
import { onExecPluginStderr } from '../../cluster/exec-prompts';
import { forContext, loadKubeconfig, type LoadedKubeconfig } from '../../cluster/kubeconfig';
import { loginShellPath } from '../../cluster/login-shell-path';
import type { ClusterStatus, ConnectClusterParams } from '../../shared/protocol';
import type { ClusterBackend } from '../cluster-backend';
import { DisconnectedBackend, NO_CLUSTER_STATUS } from '../disconnected-backend';
import { KubeClusterBackend } from './kube-backend';
import { watchKubeconfigFiles } from './kubeconfig-watcher';
import { SIMULATOR_CONTEXT, SimulatorProcess, type SimulatorLaunch } from './simulator-process';
import type { ContextEntry } from './tree-source';

/** What the factory needs from its host. */
export interface FactoryConfig {
  /** The simulated cluster's entry (`dist/simulator.js`). */
  simulatorScript: string;
  /** The auth settings (`kubeForecast.auth.*`), read before the first connection. */
  authSettings?: () => Promise<{ useLoginShellPath: boolean; extraPath: string[] }>;
  /** Receives what exec credential plugins print on stderr (device codes). */
  onAuthPrompt?: (context: string, text: string) => void;
  /** The environment's KUBECONFIG (injected for tests). */
  envKubeconfig?: () => string | undefined;
  /** Milliseconds between health checks. */
  healthIntervalMs?: number;
  /** Milliseconds `create` waits for the first lists. */
  startTimeoutMs?: number;
}

/**
 * Session options from the server's environment: `KF_WATCH_IDLE_MS` shortens how long a silent watch is
 * trusted (npm run chaos stalls watches and holds every fault to seconds); unset or invalid, the default.
 */
function sessionOptions(): SessionOptions {
  const idle = Number(process.env['KF_WATCH_IDLE_MS']);
  return Number.isInteger(idle) && idle > 0 ? { watchIdleMs: idle } : {};
}

/** Strips credentials from a server URL (only scheme, host and port remain). */
function safeServer(url: string | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '';
  }
}

/** Creates backends; owns the simulated cluster process and the login-shell PATH setup. */
export class KubeBackendFactory {
  readonly simulator: SimulatorProcess;
  private pathReady: Promise<void> | undefined;

  constructor(private readonly config: FactoryConfig) {
    this.simulator = new SimulatorProcess(config.simulatorScript);
  }

  /** Sets `process.env.PATH` from the login shell (plus extra directories) once, before the first connection. */
  private ensurePath(): Promise<void> {
    this.pathReady ??= (async () => {
      const s = (await this.config.authSettings?.().catch(() => undefined)) ?? {
        useLoginShellPath: true,
        extraPath: [],
      };
      let p = process.env['PATH'] ?? '';
      if (s.useLoginShellPath && process.env['KF_NO_LOGIN_SHELL'] !== '1') p = await loginShellPath(process.env);
      const extra = s.extraPath.filter((x) => x.trim() !== '');
      process.env['PATH'] = [...extra, p].join(path.delimiter);
    })();
    return this.pathReady;
  }

  private env(): string | undefined {
    return this.config.envKubeconfig ? this.config.envKubeconfig() : process.env['KUBECONFIG'];
  }

  /** The built-in simulated cluster's name while it runs (what it was started from), else undefined. */
  runningSimulatorLabel(): string | undefined {
    return this.simulator.running ? simulatorLabel(this.simulator.launch) : undefined;
  }

  /** The contexts of the default kubeconfig lookup (plus the simulated cluster when it runs). */
  private contextsOf(loaded: LoadedKubeconfig | undefined): ContextEntry[] {
    const list: ContextEntry[] = (loaded?.contexts ?? []).map((c) => ({
      name: c.name,
      cluster: c.cluster,
      server: safeServer(c.server),
    }));
    if (this.simulator.running && !list.some((c) => c.name === SIMULATOR_CONTEXT))
      list.push({ name: SIMULATOR_CONTEXT, simulator: true, label: simulatorLabel(this.simulator.launch) });
    return list;
  }

  /** Builds the backend for `params`. */
  async create(params: ConnectClusterParams, progress?: (status: ClusterStatus) => void): Promise<ClusterBackend> {
    if (params.source === 'none') return new DisconnectedBackend(NO_CLUSTER_STATUS);
    if (params.source === 'simulator') return this.createSimulator(params);
    await this.ensurePath();
    const explicit = params.kubeconfigPaths.join(path.delimiter);
    const load = (): LoadedKubeconfig => loadKubeconfig({ explicitPath: explicit, envKubeconfig: this.env() });
    let loaded = load();
    if (loaded.contexts.length === 0) {
      return new DisconnectedBackend({
        state: loaded.problems.length > 0 && loaded.files.length === 0 && explicit !== '' ? 'error' : 'none',
        source: 'kubeconfig',
        message: `No cluster connected: no kubeconfig context found${loaded.problems.length > 0 ? ` (${loaded.problems.join('; ')})` : ''}. Open the simulated cluster or choose a kubeconfig.`,
      });
    }
    const context = params.context || loaded.currentContext || loaded.contexts[0]!.name;
    if (context === SIMULATOR_CONTEXT && !loaded.contexts.some((c) => c.name === context))
      return this.createSimulator({
        source: 'simulator',
        namespaces: params.namespaces,
        kubeconfigPaths: params.kubeconfigPaths,
      });
    const info = loaded.contexts.find((c) => c.name === context);
    if (info === undefined) {
      return new DisconnectedBackend({
        state: 'error',
        source: 'kubeconfig',
        context,
        message: `The kubeconfig has no context "${context}" (it has ${loaded.contexts.map((c) => c.name).join(', ')}). Choose Context.`,
      });
    }
    const namespaces = params.namespaces;
    progress?.({
      state: 'connecting',
      source: 'kubeconfig',
      context,
      server: safeServer(info.server),
      namespaces: [...namespaces],
      message: `Connecting to ${context}…`,
    });
    const makeSession = async (): Promise<ClusterSession> => {
      loaded = load();
      const kc = forContext(loaded, context);
      if (kc === undefined) throw new Error(`the kubeconfig no longer has context "${context}"`);
      onExecPluginStderr(kc, (text) => this.config.onAuthPrompt?.(context, text));
      return new ClusterSession(kc, sessionOptions());
    };
    const fingerprint = (l: LoadedKubeconfig): string => {
      const kc = forContext(l, context);
      return JSON.stringify([kc?.getCurrentCluster(), kc?.getCurrentUser()]);
    };
    let print = fingerprint(loaded);
    const holder: { backend?: KubeClusterBackend } = {};
    let stopWatch: () => void = () => undefined;
    const rewatch = (): void => {
      stopWatch();
      stopWatch = watchKubeconfigFiles(loaded.files, () => {
        const fresh = load();
        loaded = fresh;
        const next = fingerprint(fresh);
        if (next !== print && holder.backend !== undefined && fresh.contexts.some((c) => c.name === context)) {
          print = next;
          void makeSession().then((s) => holder.backend?.replaceSession(s));
        }
        holder.backend?.contextsChanged();
        rewatch();
      });
    };
    const session = await makeSession();
    const backend = new KubeClusterBackend(session, {
      source: 'kubeconfig',
      context,
      server: safeServer(info.server),
      namespaces,
      contextNamespace: info.namespace,
      makeSession,
      contexts: () => this.contextsOf(loaded),
      ...(this.config.healthIntervalMs !== undefined ? { healthIntervalMs: this.config.healthIntervalMs } : {}),
      onDispose: () => stopWatch(),
    });
    holder.backend = backend;
    rewatch();
    await backend.start(this.config.startTimeoutMs);
    return backend;
  }

  private async createSimulator(
    params: Extract<ConnectClusterParams, { source: 'simulator' }>,
  ): Promise<ClusterBackend> {
    try {
      // "Demo cluster" asked for while the simulated cluster holds a snapshot: the demo one, not the copy.
      const wrongKind = params.demo === true && this.simulator.launch?.snapshot !== undefined;
      if (!this.simulator.running || params.snapshot !== undefined || wrongKind) {
        await this.simulator.start({
          ...(params.snapshot !== undefined ? { snapshot: params.snapshot } : {}),
          ...(params.nodes !== undefined ? { nodes: params.nodes } : {}),
          ...(params.zones !== undefined ? { zones: params.zones } : {}),
        });
      }
    } catch (e) {
      return new DisconnectedBackend({
        state: 'error',
        source: 'simulator',
        message: `Could not start the simulated cluster: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const simConfig = this.simulator.kubeconfigPath!;
    const loadSim = (): LoadedKubeconfig => loadKubeconfig({ explicitPath: simConfig });
    const user = (() => {
      try {
        return loadKubeconfig({
          explicitPath: (params.kubeconfigPaths ?? []).join(path.delimiter),
          envKubeconfig: this.env(),
        });
      } catch {
        return undefined;
      }
    })();
    const sim = loadSim();
    const makeSession = async (): Promise<ClusterSession> => {
      const kc = forContext(loadSim(), SIMULATOR_CONTEXT);
      if (kc === undefined) throw new Error('the simulated cluster wrote no context');
      return new ClusterSession(kc, sessionOptions());
    };
    const backend = new KubeClusterBackend(await makeSession(), {
      source: 'simulator',
      context: SIMULATOR_CONTEXT,
      label: simulatorLabel(this.simulator.launch),
      server: safeServer(sim.contexts[0]?.server),
      namespaces: params.namespaces ?? [],
      makeSession,
      contexts: () => this.contextsOf(user),
      ...(this.config.healthIntervalMs !== undefined ? { healthIntervalMs: this.config.healthIntervalMs } : {}),
    });
    await backend.start(this.config.startTimeoutMs);
    return backend;
  }

  /** Stops the simulated cluster. */
  dispose(): void {
    this.simulator.stop();
  }
}

/**
 * The built-in simulated cluster's name for the user: what it was started from, so the demo cluster,
 * a snapshot and `npm start`'s simulator (a kubeconfig context of its own) never look alike.
 */
function simulatorLabel(launch: SimulatorLaunch | undefined): string {
  if (launch?.snapshot !== undefined) return `simulated: ${path.basename(launch.snapshot)}`;
  return `simulated: demo (${launch?.nodes ?? 3} nodes)`;
}
