/**
 * Real optimistic-concurrency races, beside the plan's deterministic stale writes: a few counter
 * ConfigMaps that all clients increment at once, each by read-modify-write (GET, then PUT of count+1
 * with the resourceVersion it read; on 409 Conflict read again and retry). How many 409s occur
 * depends on timing, so these writes are counted apart from the plan's W/A/R.
 *
 * Contract of `check`: no lost update: per counter, the acknowledged PUTs carried the values
 * 1..N exactly once each (two acknowledged PUTs of the same value would mean one overwrote the other
 * although both were acknowledged) and the final count is N; every acknowledged PUT appears exactly
 * as a MODIFIED event with its resourceVersion, in every given watch of all namespaces' ConfigMaps
 * that started before it (exactly once: checks.ts counts any event delivered twice); a PUT that got no answer makes the counter unverifiable (a
 * failure).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here. */
import type { ApiClient } from '../real-cluster/api-client';
import type { WatchRecord } from './checks';

/** Label of the counters (outside RUN_LABEL, so the plan's checks ignore them). */
export const COUNTER_LABEL = 'load.kubeforecast.io/counter';
/** Retries of one increment before it is given up (a failure). */
const MAX_TRIES = 200;

/** One acknowledged increment. */
interface Increment {
  counter: number;
  value: number;
  rv: string;
}

/** The result of `check`. */
export interface ContentionVerdict {
  passed: number;
  lost: number;
  failures: string[];
}

/** The counters of one campaign (see the file comment). */
export class Counters {
  readonly acked: Increment[] = [];
  conflicts = 0;
  readonly errors: string[] = [];

  constructor(
    private readonly namespace: string,
    private readonly run: string,
    readonly count: number,
  ) {}

  private path(i: number): string {
    return `/api/v1/namespaces/${this.namespace}/configmaps/load-counter-${i}`;
  }

  /** Creates the counters at 0. */
  async setup(api: ApiClient): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      const r = await api.request('POST', `/api/v1/namespaces/${this.namespace}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `load-counter-${i}`, labels: { [COUNTER_LABEL]: this.run } },
        data: { count: '0' },
      });
      if (r.status !== 201) throw new Error(`counter ${i}: ${r.status} ${r.text}`);
    }
  }

  /** One increment of counter `i` by read-modify-write, retried on 409 (see the file comment). */
  async increment(api: ApiClient, i: number): Promise<void> {
    const c = i % this.count;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      let step = 'GET';
      try {
        const g = await api.request('GET', this.path(c), undefined, 120_000);
        if (g.status !== 200) throw new Error(`HTTP ${g.status}`);
        const o = g.body as Record<string, any>;
        const value = Number(o['data']['count']) + 1;
        o['data']['count'] = String(value);
        step = 'PUT';
        const p = await api.request('PUT', this.path(c), o, 120_000);
        if (p.status === 200) {
          this.acked.push({ counter: c, value, rv: String((p.body as any).metadata.resourceVersion) });
          return;
        }
        if (p.status !== 409) throw new Error(`HTTP ${p.status}`);
        this.conflicts++;
      } catch (e) {
        this.errors.push(`counter ${c}: ${step} failed: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    this.errors.push(`counter ${c}: still conflicting after ${MAX_TRIES} tries`);
  }

  /** Judges the counters against their final state and the all-namespaces ConfigMap watches. */
  async check(api: ApiClient, watches: readonly WatchRecord[]): Promise<ContentionVerdict> {
    const v: ContentionVerdict = { passed: 0, lost: 0, failures: [...this.errors] };
    v.lost += this.errors.length;
    const watchAll = watches.filter((w) => w.spec.kind === 'ConfigMap' && w.spec.namespace === undefined);
    for (let c = 0; c < this.count; c++) {
      const mine = this.acked.filter((a) => a.counter === c);
      const values = mine.map((a) => a.value).sort((a, b) => a - b);
      const r = await api.request('GET', this.path(c), undefined, 120_000);
      const final = Number((r.body as any)?.data?.count);
      const exact = values.every((x, k) => x === k + 1);
      if (r.status === 200 && exact && final === values.length) v.passed++;
      else {
        v.lost++;
        v.failures.push(
          `counter ${c}: ${values.length} acknowledged increments (values ${exact ? `1..${values.length}` : values.join(',')}), final count ${r.status === 200 ? final : `HTTP ${r.status}`}`,
        );
      }
      for (const w of watchAll) {
        const seen = new Map<string, number>();
        for (const e of w.events)
          if (e.key === `${this.namespace}/load-counter-${c}` && e.type === 'MODIFIED')
            seen.set(e.rv, (seen.get(e.rv) ?? 0) + 1);
        for (const a of mine) {
          if (Number(a.rv) <= Number(w.startRv)) continue;
          // A repeated event is counted once, by checks.ts's duplicate rule over every event.
          if ((seen.get(a.rv) ?? 0) > 0) v.passed++;
          else {
            v.lost++;
            v.failures.push(`watch ${w.spec.name}: no event for counter ${c} = ${a.value} at resourceVersion ${a.rv}`);
          }
        }
      }
    }
    return v;
  }
}
