/**
 * ImageLocality, after pkg/scheduler/framework/plugins/imagelocality/image_locality.go.
 *
 * Score: the summed size of the pod's container images already on the node, each scaled by the
 * fraction of all nodes that have it, clamped to [23 MiB, 1000 MiB × containers] and mapped
 * linearly to 0..100 (int64 truncation). No PreScore, no NormalizeScore.
 */
import type { Container, Pod } from '../../../kube-api/types';
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
const MIN_THRESHOLD = 23 * MB;
/** `maxContainerThreshold`: 1000 MiB per container. */
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** `normalizedImageName`: appends ":latest" when the name carries no tag. */
function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** `scaledImageScore`: size × (nodes having it / all nodes), spread computed first. */
function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  const spread = state.numNodes / totalNumNodes;
  return Math.trunc(state.size * spread);
}

/** `calculatePriority`. */
function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  const den = maxThreshold - MIN_THRESHOLD;
  if (den === 0) return 0;
  const num = MAX_SCORE * (s - MIN_THRESHOLD);
  if (Number.isSafeInteger(num)) return Math.trunc(num / den);
  return Number((BigInt(MAX_SCORE) * BigInt(s - MIN_THRESHOLD)) / BigInt(den));
}

const MAX_SCORE = MAX_NODE_SCORE;
const STATE_KEY = `Score${names.ImageLocality}`;
/** A shared result for a zero score (callers only read results). */
const ZERO: { score: number; status: Status | null } = Object.freeze({ score: 0, status: null });

/** The pod's normalised image names (init containers first) and container count, per cycle. */
interface PodImages {
  pod: Pod;
  images: string[];
  numContainers: number;
}

function podImages(pod: Pod): PodImages {
  const inits = Array.isArray(pod.spec?.initContainers) ? pod.spec!.initContainers! : [];
  const cs = Array.isArray(pod.spec?.containers) ? pod.spec!.containers! : [];
  const images: string[] = [];
  const add = (list: readonly Container[]) => {
    for (const c of list) if (typeof c?.image === 'string') images.push(normalizedImageName(c.image));
  };
  add(inits);
  add(cs);
  return { pod, images, numContainers: inits.length + cs.length };
}

/** Favors nodes that already have the pod's images. */
class ImageLocality implements ScorePlugin {
  readonly name = names.ImageLocality;

  constructor(private readonly handle: Handle) {}

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { score: number; status: Status | null } {
    // A node without images scores 0 whatever the pod (the sum clamps to the minimum threshold).
    if (nodeInfo.imageStates.size === 0) return ZERO;
    // The normalised names are derived once per cycle (upstream recomputes them per node).
    let pi = state.read<PodImages>(STATE_KEY);
    if (pi === undefined || pi.pod !== pod) {
      pi = podImages(pod);
      state.write(STATE_KEY, pi);
    }
    const total = this.handle.nodeInfos().length;
    let sum = 0;
    if (total > 0 && nodeInfo.imageStates.size > 0) {
      for (const image of pi.images) {
        const st = nodeInfo.imageStates.get(image);
        if (st !== undefined) sum += scaledImageScore(st, total);
      }
    }
    return { score: calculatePriority(sum, pi.numContainers), status: null };
  }

  /** Batch `score`: nodes without images score 0 without a call; the others as `score`. */
  scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Float64Array): Status | null {
    for (let i = 0; i < nodes.length; i++) {
      const ni = nodes[i]!;
      out[i] = ni.imageStates.size === 0 ? 0 : this.score(state, pod, ni).score;
    }
    return null;
  }
}

/** Factory. */
export function create(a: PluginFactoryArgs): ImageLocality {
  return new ImageLocality(a.handle);
}
