/** Save Cluster Snapshot for one backend: the snapshot kinds' caches (once listed) as one JSON document. */
import type { Outcome } from '../../shared/protocol';
import { settled, within, type BackendCore } from './backend-core';
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
  const { snapshot, skipped } = buildSnapshot(
    { list: (k) => core.data.list(k), state: (k) => core.data.source(k).state },
    opts.context,
    new Date(),
    version,
  );
  if (snapshot.items.length === 0)
    return { ok: false, reason: `Nothing could be read from ${opts.context}: ${skipped.join('; ')}` };
  return { ok: true, value: JSON.stringify(snapshot, null, 1) };
}
