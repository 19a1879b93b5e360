/**
 * Writes core/v1 Events the way client-go's recorder does for the controllers and the scheduler:
 * repeated (object, reason, message) triples are aggregated into one Event whose `count` and
 * `lastTimestamp` grow, so a pod retried a thousand times makes one Event, not a thousand.
 */
import type { Store } from '../store/store';
import type { KubeObject } from '../store/types';
import { REF, rfc3339 } from './common';
import type { Rng } from '../util/rng';

/** Which events the recorder writes. */
export type EventMode = 'all' | 'warnings' | 'none';

/** Records Events for objects. */
export class EventRecorder {
  private readonly seen = new Map<string, string>();

  /** Creates a recorder writing to `store`; `rng` names events deterministically. */
  constructor(
    private readonly store: Store,
    private readonly rng: Rng,
    private readonly now: () => Date,
    private readonly mode: EventMode = 'all',
  ) {}

  /** Records an event about `obj` from `component`; never throws (a failed write is dropped). */
  record(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    action = '',
  ): void {
    if (this.mode === 'none' || (this.mode === 'warnings' && type === 'Normal')) return;
    const ns = obj.metadata.namespace || 'default';
    const t = rfc3339(this.now());
    const aggKey = `${obj.metadata.uid}|${reason}|${message}|${component}`;
    try {
      const existing = this.seen.get(aggKey);
      if (existing !== undefined && this.store.get(REF.events, ns, existing)) {
        this.store.mutate(
          REF.events,
          ns,
          existing,
          (e) => {
            e['count'] = (e['count'] ?? 1) + 1;
            e['lastTimestamp'] = t;
          },
          { fieldManager: component },
        );
        return;
      }
      const name = `${obj.metadata.name}.${this.rng.hex(16)}`;
      this.store.create(
        REF.events,
        {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: ns },
          involvedObject: {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: obj.metadata.name,
            namespace: obj.metadata.namespace,
            uid: obj.metadata.uid,
            resourceVersion: obj.metadata.resourceVersion,
          },
          reason,
          message,
          type,
          count: 1,
          firstTimestamp: t,
          lastTimestamp: t,
          eventTime: null,
          source: { component },
          reportingComponent: component,
          reportingInstance: '',
          action,
        },
        { fieldManager: component },
      );
      this.seen.set(aggKey, name);
      if (this.seen.size > 50_000) this.seen.delete(this.seen.keys().next().value!);
    } catch {
      // Events are best-effort, as in client-go.
    }
  }
}
