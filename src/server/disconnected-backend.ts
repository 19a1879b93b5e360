/** The backend that answers while no cluster is connected (or a connection failed): an empty tree and polite refusals. */
import type { ClusterStatus, Outcome, TreeNode } from '../shared/protocol';
import { REQUIRES_CLUSTER, type ClusterBackend } from './cluster-backend';

/** The status reported before any cluster was chosen. */
export const NO_CLUSTER_STATUS: ClusterStatus = {
  state: 'none',
  source: 'none',
  message: 'No cluster connected. Open the simulated cluster or choose a kubeconfig.',
};

/** The backend used when no cluster is connected: every refusal says why (the error's message, or {@link REQUIRES_CLUSTER}). */
export class DisconnectedBackend implements ClusterBackend {
  /** Creates a backend reporting `status` (state `none` or `error`). */
  constructor(readonly status: ClusterStatus) {}
  async children(): Promise<TreeNode[]> {
    return [];
  }
  async resourceText(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async resourceAction(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async snapshot(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  async reauthenticate(): Promise<Outcome<string>> {
    return { ok: false, reason: this.reason() };
  }
  dispose(): void {}
  private reason(): string {
    return this.status.state === 'error' && this.status.message ? this.status.message : REQUIRES_CLUSTER;
  }
}
