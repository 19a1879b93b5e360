/**
 * Fault injection for tests, switchable while running (admin endpoint `POST /__sim/faults` or the
 * in-process `Faults` object): drop all watches, answer a fixed error status, add latency, expire tokens.
 */

/** The fault settings a test can switch (all optional in a request; `clear: true` resets first). */
export interface FaultSpec {
  /** End every open watch stream now (one-shot). */
  dropWatches?: boolean;
  /** Answer every API request with this status (410, 429, 500 or 503) until cleared. */
  status?: 410 | 429 | 500 | 503 | null;
  /** Only the next N API requests get `status` (then it clears itself). */
  count?: number;
  /** Delay every API request by this many milliseconds. */
  latencyMs?: number;
  /** Revoke a bearer token: further requests with it get 401. */
  expireToken?: string;
  /** Reset all faults before applying the rest. */
  clear?: boolean;
}

/** Live fault state. */
export class Faults {
  status: 410 | 429 | 500 | 503 | undefined;
  remaining: number | undefined;
  latencyMs = 0;
  readonly expiredTokens = new Set<string>();
  private readonly dropHandlers = new Set<() => void>();

  /** Applies a spec; returns the resulting state. */
  set(spec: FaultSpec): Record<string, unknown> {
    if (spec.clear === true) {
      this.status = undefined;
      this.remaining = undefined;
      this.latencyMs = 0;
      this.expiredTokens.clear();
    }
    if (spec.status === null) this.status = undefined;
    else if (spec.status !== undefined) {
      if (![410, 429, 500, 503].includes(spec.status))
        throw new Error(`status must be 410, 429, 500 or 503, got ${String(spec.status)}`);
      this.status = spec.status;
      this.remaining = spec.count;
    }
    if (spec.latencyMs !== undefined) {
      if (typeof spec.latencyMs !== 'number' || spec.latencyMs < 0)
        throw new Error('latencyMs must be a non-negative number');
      this.latencyMs = spec.latencyMs;
    }
    if (typeof spec.expireToken === 'string') this.expiredTokens.add(spec.expireToken);
    if (spec.dropWatches === true) for (const d of [...this.dropHandlers]) d();
    return this.describe();
  }

  /** The current state (without token values). */
  describe(): Record<string, unknown> {
    return {
      status: this.status ?? null,
      remaining: this.remaining ?? null,
      latencyMs: this.latencyMs,
      expiredTokens: this.expiredTokens.size,
    };
  }

  /** Takes one use of the status fault; returns the status to answer with, if any. */
  takeStatus(): number | undefined {
    const s = this.status;
    if (s === undefined) return undefined;
    if (this.remaining !== undefined) {
      this.remaining--;
      if (this.remaining <= 0) {
        this.status = undefined;
        this.remaining = undefined;
      }
    }
    return s;
  }

  /** Registers a watch-drop callback; returns its remover. */
  onDrop(fn: () => void): () => void {
    this.dropHandlers.add(fn);
    return () => this.dropHandlers.delete(fn);
  }
}
