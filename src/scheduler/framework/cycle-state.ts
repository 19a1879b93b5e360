/**
 * Per-cycle plugin state, after pkg/scheduler/framework/cycle_state.go.
 *
 * Contract: plugins write in PreFilter/PreScore and read in Filter/Score under their own key.
 * `clone()` is shallow per key except for values that implement `StateData.clone`, which
 * preemption uses to simulate removing victims without disturbing the real cycle.
 */

export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Filter plugins whose PreFilter returned Skip this cycle. */
  skipFilterPlugins = new Set<string>();
  /** Score plugins whose PreScore returned Skip this cycle. */
  skipScorePlugins = new Set<string>();
  private writes = 0;

  /**
   * Changes with every `write` and `delete`: a plugin may keep what it read from this state object
   * while the version is unchanged (reading once per cycle instead of once per node).
   */
  get version(): number {
    return this.writes;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
    this.writes++;
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  delete(key: string): void {
    this.data.delete(key);
    this.writes++;
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cloneable = v as Partial<StateData> | null;
      c.data.set(k, cloneable && typeof cloneable.clone === 'function' ? cloneable.clone() : v);
    }
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    return c;
  }
}
