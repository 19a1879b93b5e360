/**
 * The server's default {@link BackendFactory}: `KubeClusterBackend`s for kubeconfig contexts and the
 * simulated cluster, built by the explorer's `KubeBackendFactory`. That factory (and with it
 * `@kubernetes/client-node`) is loaded on the first connection, never at start-up; it owns the
 * simulated cluster's process, which {@link ExplorerBackends.dispose} stops.
 */
import { join } from 'node:path';
import type { ClusterStatus, ConnectClusterParams } from '../shared/protocol';
import type { ClusterBackend } from './cluster-backend';
import { DisconnectedBackend, NO_CLUSTER_STATUS } from './disconnected-backend';
import type { FactoryConfig, KubeBackendFactory } from './explorer/backend-factory';

/** Builds the explorer's backends on demand; one per server (`ServerContext` owns it). */
export class ExplorerBackends {
  private factory: Promise<KubeBackendFactory> | undefined;
  private disposed = false;

  /**
   * `config` is what the explorer's factory needs from the server (auth settings, the prompt sink);
   * `simulatorScript` defaults to `dist/simulator.js`, next to `dist/server.js`.
   */
  constructor(private readonly config: Omit<FactoryConfig, 'simulatorScript'> & { simulatorScript?: string }) {}

  /** The factory, built on first use. */
  private load(): Promise<KubeBackendFactory> {
    this.factory ??= import('./explorer/backend-factory').then(({ KubeBackendFactory }) => {
      const f = new KubeBackendFactory({ simulatorScript: join(__dirname, 'simulator.js'), ...this.config });
      // Shut down while it loaded: nothing may keep running.
      if (this.disposed) f.dispose();
      return f;
    });
    return this.factory;
  }

  /** A backend for `params` (see `BackendFactory`); `source: 'none'` is answered without loading anything. */
  readonly create = async (
    params: ConnectClusterParams,
    progress?: (status: ClusterStatus) => void,
  ): Promise<ClusterBackend> => {
    if (params.source === 'none') return new DisconnectedBackend(NO_CLUSTER_STATUS);
    return (await this.load()).create(params, progress);
  };

  /**
   * The running built-in simulated cluster's name (see `simulatorLabel`), or undefined when it does
   * not run. Never builds the factory: before the first connection nothing runs.
   */
  async runningSimulatorLabel(): Promise<string | undefined> {
    return this.factory === undefined ? undefined : (await this.factory).runningSimulatorLabel();
  }

  /** Stops the simulated cluster, now or as soon as the factory has loaded. */
  dispose(): void {
    this.disposed = true;
    void this.factory?.then((f) => f.dispose());
  }
}
