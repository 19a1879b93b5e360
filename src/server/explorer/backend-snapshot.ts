/** Save Cluster Snapshot for one backend: the snapshot kinds' caches (once listed; pods and ConfigMaps listed whole) as one JSON document. */
import type { WatchedKind } from '../../cluster/cluster-session';
import { failureState } from '../../cluster/resource-cache';
import type { Outcome } from '../../shared/protocol';
import { settled, within, type BackendCore } from './backend-core';
import type { KindState, KubeObj } from './cluster-data';
import { buildSnapshot, SNAPSHOT_KINDS } from './snapshot-writer';

/**
 * Waits up to 15 s for the snapshot kinds' first lists, then writes what was read (with the server's
 * Kubernetes version, `knownVersion` or asked now), or says that nothing could be read.
 */
export async function takeSnapshot(core: BackendCore, knownVersion: string | undefined): Promise<Outcome<string>> {
  const { data, opts } = core;
  const sources = SNAPSHOT_KINDS.map((k) => data.source(k));
  await within(Promise.all(sources.map((c) => settled(data, c))), 15_000);
  // The release it serves goes with it: the copy is predicted with the same scheduler arithmetic.
  const version = knownVersion ?? (await core.session.health().catch(() => undefined))?.version;
  const whole = new Map<WatchedKind, { items: KubeObj[] } | KindState>();
  for (const kind of LISTED_WHOLE) whole.set(kind, await listWhole(core, kind));
  const { snapshot, skipped } = buildSnapshot(
    {
      list: (k) => {
        const w = whole.get(k);
        return w !== undefined && 'items' in w ? w.items : core.data.list(k);
      },
      state: (k) => {
        const w = whole.get(k);
        return w !== undefined && 'state' in w ? w : core.data.source(k).state;
      },
    },
    opts.context,
    new Date(),
    version,
  );
  if (snapshot.items.length === 0)
    return { ok: false, reason: `Nothing could be read from ${opts.context}: ${skipped.join('; ')}` };
  return { ok: true, value: JSON.stringify(snapshot, null, 1) };
}

/**
 * The kinds whose caches keep less than a snapshot needs (src/cluster/cache-transform.ts): a pod's
 * commands, environment, probes, mounts and local volumes; a ConfigMap's data. A snapshot is the same
 * cluster again, so these are listed afresh, from the namespaces the caches read.
 */
const LISTED_WHOLE: readonly WatchedKind[] = ['pods', 'configmaps'];

/** Every object of `kind` as the server has it; a kind the caches could not hold (too many, forbidden...) is skipped as before, saying why. */
async function listWhole(core: BackendCore, kind: WatchedKind): Promise<{ items: KubeObj[] } | KindState> {
  const cached = core.data.source(kind).state;
  if (cached.state !== 'synced') return cached;
  const items: KubeObj[] = [];
  for (const path of core.data.collectionPaths(kind)) {
    const r = await core.session.listWhole<KubeObj>(path);
    if (!('items' in r)) return { state: failureState(r.status), message: r.error };
    for (const o of r.items) items.push(o);
  }
  return { items };
}
