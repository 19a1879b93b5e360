/**
 * ImageLocality, after pkg/scheduler/framework/plugins/imagelocality/image_locality.go.
 *
 * Score: the summed size of the pod's container images already on the node, each scaled by the
 * fraction of all nodes that have it, clamped to [23 MiB, 1000 MiB × containers] and mapped
 * linearly to 0..100 (int64 truncation). No PreScore, no NormalizeScore.
 */
import type { Container, Pod } from '../../api/types';
import type { CycleState } from '../../framework/cycle-state';
import {
  MAX_NODE_SCORE,
  type Handle,
  type ImageStateSummary,
  type NodeInfo,
  type PluginFactoryArgs,
  type ScorePlugin,
} from '../../framework/interface';
import type { Status } from '../../framework/status';
import { names } from '../names';

const MB = 1024 * 1024;
/** `minThreshold`: 23 MiB, the size of a small image. */
export const MIN_THRESHOLD = 23 * MB;
/** `maxContainerThreshold`: 1000 MiB per container. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** `normalizedImageName`: appends ":latest" when the name carries no tag. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** `scaledImageScore`: size × (nodes having it / all nodes), spread computed first. */
export function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  const spread = state.numNodes / totalNumNodes;
  return Math.trunc(state.size * spread);
}

/** `calculatePriority`. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  const den = maxThreshold - MIN_THRESHOLD;
  if (den === 0) return 0;
  return Number((BigInt(MAX_NODE_SCORE) * BigInt(s - MIN_THRESHOLD)) / BigInt(den));
}

/** Favors nodes that already have the pod's images. */
export class ImageLocality implements ScorePlugin {
  readonly name = names.ImageLocality;

  constructor(private readonly handle: Handle) {}

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    const total = this.handle.nodeInfos().length;
    const inits = Array.isArray(pod.spec?.initContainers) ? pod.spec!.initContainers! : [];
    const cs = Array.isArray(pod.spec?.containers) ? pod.spec!.containers! : [];
    const sum = this.sum(nodeInfo, inits, total) + this.sum(nodeInfo, cs, total);
    return { score: calculatePriority(sum, inits.length + cs.length), status: null };
  }

  private sum(nodeInfo: NodeInfo, containers: readonly Container[], total: number): number {
    let sum = 0;
    for (const c of containers) {
      const image = c?.image;
      if (typeof image !== 'string') continue;
      const st = nodeInfo.imageStates.get(normalizedImageName(image));
      if (st !== undefined && total > 0) sum += scaledImageScore(st, total);
    }
    return sum;
  }
}

/** Factory. */
export function create(a: PluginFactoryArgs): ImageLocality {
  return new ImageLocality(a.handle);
}
