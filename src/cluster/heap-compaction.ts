/**
 * One full garbage collection shortly after large lists. Reading a collection of tens of thousands of
 * objects leaves its pages' garbage (response bytes, text, the whole objects before the cache
 * transform) in V8's old generation, where it stays resident until allocation pressure collects it,
 * and an idle server allocates little. One collection once the lists end returns it.
 *
 * Contract: `noteList(n)` for a list of `n` objects; lists of at least {@link LARGE_LIST_OBJECTS}
 * schedule one collection `delayMs` after the last of them (a burst of lists at connect gets one).
 * Without a `gc` function (the server started without `--expose-gc`, see
 * src/shared/server-launch.ts) it does nothing. Measured on `npm run bench:explorer` at 150,000 pods:
 * see README "Performance".
 */

/** Lists at least this long are followed by a collection. */
export const LARGE_LIST_OBJECTS = 10_000;

/** Schedules the collection after large lists (see the contract above). */
export class HeapCompaction {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc,
    private readonly delayMs = 2_000,
  ) {}

  /** A list of `objects` objects just completed. */
  noteList(objects: number): void {
    if (objects < LARGE_LIST_OBJECTS || this.gc === undefined) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const gc = this.gc;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      gc();
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** Cancels a scheduled collection. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
