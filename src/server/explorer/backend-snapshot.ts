/** Save Cluster Snapshot for one backend: the snapshot kinds' caches (once listed; pods listed whole) as one JSON document. */
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
  const pods = await wholePods(core);
  const { snapshot, skipped } = buildSnapshot(
    {
      list: (k) => (k === 'pods' && 'items' in pods ? pods.items : core.data.list(k)),
      state: (k) => (k === 'pods' && 'state' in pods ? pods : core.data.source(k).state),
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
 * The pods as the server has them: the pods cache keeps of each container only what the tree and the
 * model read (src/cluster/cache-transform.ts), and a snapshot is the same cluster again (commands,
 * environment, probes, mounts, container IDs), so they are listed afresh, from the namespaces the
 * caches read.
 */
async function wholePods(core: BackendCore): Promise<{ items: KubeObj[] } | KindState> {
  // Pods the caches could not hold (too many, forbidden, ...) are skipped as before, saying why.
  const cached = core.data.source('pods').state;
  if (cached.state !== 'synced') return cached;
  const items: KubeObj[] = [];
  for (const path of core.data.collectionPaths('pods')) {
    const r = await core.session.listWhole<KubeObj>(path);
    if (!('items' in r)) return { state: failureState(r.status), message: r.error };
    for (const o of r.items) items.push(o);
  }
  return { items };
}
