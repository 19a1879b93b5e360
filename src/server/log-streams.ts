/** The pod logs being followed for the client (`kube/followLogs` … `kube/stopLogs`), by stream id. */
import type { Outcome } from '../shared/protocol';
import { REQUIRES_CLUSTER } from './cluster-backend';
import type { ClusterHost } from './cluster-host';

/** Starts and stops followed logs over the current backend; a stream forgets itself when it ends. */
export class LogStreams {
  private readonly streams = new Map<string, () => void>();

  /** Creates the registry over `cluster`. */
  constructor(private readonly cluster: ClusterHost) {}

  /** Follows the log of the pod row `nodeId` as `streamId`; `onChunk` gets text, `onEnd` the reason it stopped. */
  follow(
    nodeId: string,
    streamId: string,
    onChunk: (text: string) => void,
    onEnd: (reason: string) => void,
  ): Outcome<string> {
    const b = this.cluster.backend;
    if (b.followLogs === undefined) return { ok: false, reason: this.cluster.status.message ?? REQUIRES_CLUSTER };
    const r = b.followLogs(nodeId, onChunk, (reason) => {
      this.streams.delete(streamId);
      onEnd(reason);
    });
    if (typeof r !== 'function') return { ok: false, reason: r.error };
    this.streams.set(streamId, r);
    return { ok: true, value: streamId };
  }

  /** Stops `streamId` (unknown ids are ignored). */
  stop(streamId: string): void {
    this.streams.get(streamId)?.();
    this.streams.delete(streamId);
  }

  /** Stops every stream. */
  dispose(): void {
    for (const stop of this.streams.values()) stop();
    this.streams.clear();
  }
}
