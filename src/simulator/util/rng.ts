/**
 * A small seeded pseudo-random generator (mulberry32): the demo cluster is identical for a given seed
 * on every machine and Node version, and the controllers draw uids and generated-name suffixes from it
 * (seeded in tests). Not for anything security-related.
 */

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** Deterministic random source. */
export class Rng {
  private state: number;

  /** Creates a generator; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Returns one element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Returns a random RFC 4122 version-4 shaped UUID. */
  uuid(): string {
    const h = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
      return s;
    };
    return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[this.int(4)]}${h(3)}-${h(12)}`;
  }

  /** Returns a name suffix like the API server's generateName (`utilrand.String`). */
  suffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += SAFE[this.int(SAFE.length)];
    return s;
  }

  /** Returns `n` lowercase hex digits. */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
}
