/**
 * `topologyToMatchedTermCount` of pkg/scheduler/framework/plugins/interpodaffinity/filtering.go.
 *
 * Contract: (topologyKey, value) → count, stored as key → value → count so lookups need no
 * composite key. Entries that fall to zero are deleted, as upstream's `update`; answers do not
 * depend on the order in which counts were added or taken.
 */
import type { Node } from '../../../kube-api/types';

/**
 * The (key, value) pairs a family of counts has met, each with a slot number; only ever grows, so
 * counts sharing it can be copied as a plain array of slots.
 */
class PairSlots {
  readonly byKey = new Map<string, Map<string, number>>();
  count = 0;

  slot(key: string, value: string): number {
    let values = this.byKey.get(key);
    if (!values) {
      values = new Map();
      this.byKey.set(key, values);
    }
    let s = values.get(value);
    if (s === undefined) {
      s = this.count++;
      values.set(value, s);
    }
    return s;
  }
}

/**
 * Counts by slot of a `PairSlots` shared with the copies (`clone` copies the slot array only, not
 * the pairs); a pair whose count is 0 is absent.
 */
export class TopologyCounts {
  private readonly pairs: PairSlots;
  private counts: Float64Array;
  /** Number of (key, value) pairs with a non-zero count, as `len(map)`. */
  size = 0;

  constructor(pairs?: PairSlots, counts?: Float64Array) {
    this.pairs = pairs ?? new PairSlots();
    this.counts = counts ?? new Float64Array(8);
  }

  get(key: string, value: string): number {
    const s = this.pairs.byKey.get(key)?.get(value);
    return s === undefined || s >= this.counts.length ? 0 : this.counts[s]!;
  }

  /** `update(node, tk, value)`: adds `delta` to the node's pair for `tk`, if the node has that label. */
  update(node: Node, tk: string, delta: number): void {
    const labels = node.metadata?.labels;
    if (!labels || !Object.prototype.hasOwnProperty.call(labels, tk)) return;
    this.add(tk, labels[tk]!, delta);
  }

  add(key: string, value: string, delta: number): void {
    const s = this.pairs.slot(key, value);
    if (s >= this.counts.length) {
      const grown = new Float64Array(Math.max(2 * this.counts.length, s + 1));
      grown.set(this.counts);
      this.counts = grown;
    }
    const prev = this.counts[s]!;
    const next = prev + delta;
    if (prev === 0 && next !== 0) this.size++;
    else if (prev !== 0 && next === 0) this.size--;
    this.counts[s] = next;
  }

  /** Whether some label (k, v) of the node has a positive count (`satisfyExistingPodsAntiAffinity`). */
  anyPositiveForLabels(labels: Readonly<Record<string, string>> | undefined): boolean {
    if (!labels || this.size === 0) return false;
    for (const [key, values] of this.pairs.byKey) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      const s = values.get(labels[key]!);
      if (s !== undefined && s < this.counts.length && this.counts[s]! > 0) return true;
    }
    return false;
  }

  /** The (key, value) → count entries as `"key=value"` → count, sorted, for inspection and tests. */
  toRecord(): Record<string, number> {
    const out: [string, number][] = [];
    for (const [k, values] of this.pairs.byKey) {
      for (const [v, s] of values) {
        const n = s < this.counts.length ? this.counts[s]! : 0;
        if (n !== 0) out.push([`${k}=${v}`, n]);
      }
    }
    out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(out);
  }

  /** An independent copy (the pair slots are shared; they only grow). */
  clone(): TopologyCounts {
    const c = new TopologyCounts(this.pairs, this.counts.slice(0, Math.max(this.pairs.count, 1)));
    c.size = this.size;
    return c;
  }
}
