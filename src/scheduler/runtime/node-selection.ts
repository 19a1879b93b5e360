/**
 * Node-count and node-choice helpers of the scheduling cycle, after pkg/scheduler/schedule_one.go
 * (`numFeasibleNodesToFind`, `selectHost`, `nodeScoreHeap`) and Go's container/heap.
 *
 * Contract: integer arithmetic as Go's int32/int64 (truncating); the heap reproduces Go's
 * `heap.Init` layout exactly, so ties resolve as upstream's do for the same feasible order.
 */

/** `minFeasibleNodesToFind`. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** `minFeasibleNodesPercentageToFind`. */
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * `numFeasibleNodesToFind(percentage, numAllNodes)`: all nodes below 100; otherwise the given
 * percentage, or the adaptive `50 - n/125` (at least 5%), and never fewer than 100 nodes.
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

/** An entry of `nodeScoreHeap`. */
export interface HeapEntry {
  name: string;
  totalScore: number;
  /** 0 without extenders. */
  randomizer: number;
}

function less(h: readonly HeapEntry[], i: number, j: number): boolean {
  const a = h[i]!;
  const b = h[j]!;
  return a.totalScore > b.totalScore || (a.totalScore === b.totalScore && a.randomizer > b.randomizer);
}

function swap(h: HeapEntry[], i: number, j: number): void {
  const t = h[i]!;
  h[i] = h[j]!;
  h[j] = t;
}

/** Go's `heap.down`. */
function down(h: HeapEntry[], i0: number, n: number): void {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n || j1 < 0) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h, j2, j1)) j = j2;
    if (!less(h, j, i)) break;
    swap(h, i, j);
    i = j;
  }
}

/** Go's `heap.Init` (in place). */
export function heapInit(h: HeapEntry[]): void {
  const n = h.length;
  for (let i = Math.trunc(n / 2) - 1; i >= 0; i--) down(h, i, n);
}

/** Go's `heap.Pop`: removes and returns the root (the highest score; ties by heap layout). */
export function heapPop(h: HeapEntry[]): HeapEntry | undefined {
  const n = h.length - 1;
  if (n < 0) return undefined;
  swap(h, 0, n);
  down(h, 0, n);
  return h.pop();
}

/**
 * `selectHost` over `entries` in feasible order: the heap root, plus whether other nodes share
 * its score (the tie upstream's PR #141024 would randomise).
 */
export function selectHost(entries: readonly HeapEntry[]): { host: string; tiedNodes: string[] } | undefined {
  if (entries.length === 0) return undefined;
  const h = entries.slice();
  heapInit(h);
  const host = h[0]!;
  const tiedNodes: string[] = [];
  for (const e of entries) if (e.totalScore === host.totalScore) tiedNodes.push(e.name);
  return { host: host.name, tiedNodes };
}

/** Index heap storage reused by `selectHostIndex` (it runs synchronously). */
let heapScratch = new Int32Array(0);

/**
 * `selectHost` over a totals array (feasible order), without per-node objects: the index of the
 * heap root after Go's `heap.Init` (randomizers all 0), and the indices sharing its score.
 */
export function selectHostIndex(totals: ArrayLike<number>): { host: number; tied: number[] } | undefined {
  const n = totals.length;
  if (n === 0) return undefined;
  if (heapScratch.length < n) heapScratch = new Int32Array(n);
  const h = heapScratch;
  for (let i = 0; i < n; i++) h[i] = i;
  // Go's heap.Init with Less(i, j) = total[i] > total[j] (randomizers are all 0).
  for (let i0 = (n >> 1) - 1; i0 >= 0; i0--) {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n) break;
      let j = j1;
      if (j1 + 1 < n && totals[h[j1 + 1]!]! > totals[h[j1]!]!) j = j1 + 1;
      if (!(totals[h[j]!]! > totals[h[i]!]!)) break;
      const t = h[i]!;
      h[i] = h[j]!;
      h[j] = t;
      i = j;
    }
  }
  const host = h[0]!;
  const best = totals[host]!;
  const tied: number[] = [];
  for (let i = 0; i < n; i++) if (totals[i] === best) tied.push(i);
  return { host, tied };
}
