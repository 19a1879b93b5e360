/**
 * Which nodes of a node list changed, so plugins that carry per-node results across scheduling
 * cycles can revisit only those instead of checking every node.
 *
 * Contract: a feed belongs to one node list (`list`, by identity). Every NodeInfo of that list
 * notes itself in `changed` whenever its `generation` changes (its node object or pods), in order;
 * entries may repeat. A feed that would grow past its cap `overflows`: it stops recording and
 * forgets its entries, and readers must then check every node. `FeedCursor` gives a reader the
 * positions changed since its last read, or undefined when it must check every node.
 */
/** A node of the list (a NodeInfo): the feed knows nodes by identity only, so it imports nothing. */
type FeedNode = object;

/** The nodes of `list` changed since the feed was made, oldest first. */
export class NodeChangeFeed {
  private readonly entries: FeedNode[] = [];
  private full = false;

  constructor(
    readonly list: readonly FeedNode[],
    /** Each node's position in `list`. */
    readonly positions: ReadonlyMap<FeedNode, number>,
    /** How many entries the feed keeps before it overflows. */
    readonly cap: number,
  ) {}

  /** Records that `ni` changed. */
  note(ni: FeedNode): void {
    if (this.full) return;
    if (this.entries.length >= this.cap) {
      this.full = true;
      this.entries.length = 0;
      return;
    }
    this.entries.push(ni);
  }

  /** Whether the feed stopped recording (readers must check every node). */
  get overflowed(): boolean {
    return this.full;
  }

  /** How many entries the feed holds. */
  get length(): number {
    return this.entries.length;
  }

  /** The entry at `i` (0 ≤ i < length). */
  at(i: number): FeedNode {
    return this.entries[i]!;
  }
}

/** A reader's place in a feed. */
export class FeedCursor {
  private feed: NodeChangeFeed | undefined;
  private read = 0;

  /**
   * The positions in `allNodes` of the nodes changed since the previous call, ascending and
   * without repeats; undefined when the caller must check every node (no feed, a feed of another
   * list, an overflowed feed, or a feed other than the one of the previous call). Either way the
   * caller is then expected to bring its results up to date with `allNodes`.
   */
  changedSince(feed: NodeChangeFeed | undefined, allNodes: readonly FeedNode[]): number[] | undefined {
    const prev = this.feed;
    const from = this.read;
    // Only a feed of the list the caller brings its results up to date with is worth following.
    const usable = feed !== undefined && !feed.overflowed && feed.list === allNodes;
    this.feed = usable ? feed : undefined;
    this.read = usable ? feed.length : 0;
    if (!usable || prev !== feed) return undefined;
    const out: number[] = [];
    for (let i = from; i < feed.length; i++) {
      const pos = feed.positions.get(feed.at(i));
      if (pos !== undefined) out.push(pos);
    }
    if (out.length > 1) {
      out.sort((a, b) => a - b);
      let w = 1;
      for (let r = 1; r < out.length; r++) if (out[r] !== out[w - 1]) out[w++] = out[r]!;
      out.length = w;
    }
    return out;
  }

  /** Forgets the feed: the next call asks for a full pass. */
  reset(): void {
    this.feed = undefined;
    this.read = 0;
  }
}
