/**
 * What the user does with one object of the tree: read it (YAML, Describe, Why Pending?, logs), reveal
 * one Secret key's value on explicit request, follow a pod's log, and delete, scale or restart it.
 *
 * Contract: methods never throw (refusals are `Outcome`s or `{ error }`); YAML and Describe show the
 * object as the server has it (the cache keeps a slim copy); no Secret value is logged, and one is
 * returned only for `view: 'secretValue'` on one key row.
 */
import type { Outcome, ResourceActionParams, ResourceTextParams } from '../../shared/protocol';
import { within, type BackendCore } from './backend-core';
import type { KubeObj } from './cluster-data';
import { describe } from './describe-text';
import { fetchFullObject, objectPath } from './full-object';
import { kindInfo } from './kinds';
import { objectFor } from './object-lookup';
import { toYaml, whyPending } from './resource-texts';
import { joinId, parseId } from './tree-ids';

/** Reads and changes single objects of one backend. */
export class ResourceOperations {
  /** Works on the current session and caches of `core`. */
  constructor(private readonly core: BackendCore) {}

  /** The events of `ns` (waiting up to 3 s for the events cache's first list). */
  private async events(ns: string | undefined): Promise<KubeObj[]> {
    const src = this.core.data.source('events');
    await within(src.whenSynced(), 3000);
    return src.list(ns);
  }

  /** The text of one view of the row `params.nodeId`. */
  async resourceText(params: ResourceTextParams): Promise<Outcome<string>> {
    try {
      if (params.view === 'secretValue') return await this.secretValue(params.nodeId);
      const found = objectFor(this.core.data, params.nodeId);
      if ('error' in found) return { ok: false, reason: found.error };
      const { obj } = found;
      const ns = obj.metadata?.namespace;
      const client = this.core.session.client;
      // The cache keeps a slim copy; what the user opens is the object as the server has it.
      const full = async (): Promise<{ obj: KubeObj } | { gone: string }> =>
        found.path !== undefined ? fetchFullObject(client, found.path, obj) : { obj };
      switch (params.view) {
        case 'yaml': {
          const f = await full();
          return 'gone' in f ? { ok: false, reason: f.gone } : { ok: true, value: toYaml(f.obj) };
        }
        case 'describe': {
          const f = await full();
          if ('gone' in f) return { ok: false, reason: f.gone };
          return { ok: true, value: describe(f.obj, await this.events(ns)) };
        }
        case 'whyPending':
          if (obj.kind !== 'Pod') return { ok: false, reason: 'Why Pending? applies to pods.' };
          return { ok: true, value: whyPending(obj, await this.events(ns)) };
        case 'logs':
          if (obj.kind !== 'Pod') return { ok: false, reason: 'Logs are available for pods.' };
          return { ok: true, value: await this.logs(obj) };
        default:
          return { ok: false, reason: `Unknown view ${String(params.view)}.` };
      }
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /** The last 2,000 lines of each container's log, with timestamps (a heading per container when several). */
  private async logs(obj: KubeObj): Promise<string> {
    const containers = ((obj.spec?.containers ?? []) as { name: string }[]).map((c) => c.name);
    const parts: string[] = [];
    for (const c of containers) {
      const r = await this.core.session.client.request<string>({
        path: logPath(obj),
        query: { container: c, timestamps: true, tailLines: 2000 },
        accept: 'application/json, */*',
      });
      if (r.status !== 200) parts.push(`# ${c}: ${r.error ?? `HTTP ${r.status}`}`);
      else
        parts.push(
          ...(containers.length > 1 ? [`# container ${c}`] : []),
          typeof r.body === 'string' ? r.body : JSON.stringify(r.body ?? ''),
        );
    }
    return parts.join('\n');
  }

  /**
   * The decoded value of one Secret key row (`…/key/<name>` under a Secret row); only on explicit
   * request. Read from the server each time: the caches keep a Secret's keys, never its values.
   */
  private async secretValue(nodeId: string): Promise<Outcome<string>> {
    const seg = parseId(nodeId);
    if (seg.length < 3 || seg[seg.length - 2] !== 'key')
      return { ok: false, reason: 'Reveal applies to a key of a Secret.' };
    const found = objectFor(this.core.data, joinId(seg.slice(0, -2)));
    if ('error' in found) return { ok: false, reason: found.error };
    if (found.obj.kind !== 'Secret' || found.path === undefined)
      return { ok: false, reason: 'Reveal applies to a key of a Secret.' };
    const name = found.obj.metadata?.name ?? '';
    const ns = found.obj.metadata?.namespace || undefined;
    const r = await this.core.session.client.request<KubeObj>({ path: objectPath(found.path, name, ns) });
    if (r.status === 404) return { ok: false, reason: `The Secret ${ns ? `${ns}/` : ''}${name} no longer exists.` };
    if (r.status !== 200 || r.body === undefined || typeof r.body !== 'object')
      return {
        ok: false,
        reason: `The Secret could not be read (${r.status === 403 ? 'forbidden' : (r.error ?? `the server answered ${r.status}`)}).`,
      };
    const key = seg[seg.length - 1]!;
    const raw = r.body.data?.[key];
    if (raw === undefined) return { ok: false, reason: `The Secret has no key "${key}" any more.` };
    return { ok: true, value: Buffer.from(raw, 'base64').toString('utf8') };
  }

  /** Follows a pod's log: calls `onChunk` with new text until the returned function is called. */
  followLogs(
    nodeId: string,
    onChunk: (text: string) => void,
    onEnd: (reason: string) => void,
  ): (() => void) | { error: string } {
    const found = objectFor(this.core.data, nodeId);
    if ('error' in found) return found;
    const { obj } = found;
    if (obj.kind !== 'Pod') return { error: 'Logs are available for pods.' };
    const container = ((obj.spec?.containers ?? []) as { name: string }[])[0]?.name;
    const handle = this.core.session.client.stream(
      {
        path: logPath(obj),
        query: { follow: true, timestamps: true, tailLines: 200, ...(container ? { container } : {}) },
        accept: 'application/json, */*',
      },
      onChunk,
    );
    void handle.done.then((end) => onEnd(end?.error ?? 'The log stream ended.'));
    return () => handle.stop();
  }

  /** Deletes the row's object, or scales or restarts its workload. */
  async resourceAction(params: ResourceActionParams): Promise<Outcome<string>> {
    const found = objectFor(this.core.data, params.nodeId);
    if ('error' in found) return { ok: false, reason: found.error };
    const { obj } = found;
    const context = this.core.opts.context;
    const what = `${obj.kind ?? ''} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata?.name ?? ''}`;
    if (params.action === 'delete') {
      const target = {
        apiVersion: obj.apiVersion!,
        kind: obj.kind!,
        metadata: {
          name: obj.metadata?.name ?? '',
          ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
        },
      };
      const r = await this.core.session.writer.delete(target);
      return r.outcome === 'failed'
        ? { ok: false, reason: `Could not delete ${what} in ${context}: ${r.message ?? ''}` }
        : { ok: true, value: `Deleted ${what} in ${context}.` };
    }
    if (
      obj.kind !== 'Deployment' &&
      obj.kind !== 'StatefulSet' &&
      !(params.action === 'restart' && obj.kind === 'DaemonSet') &&
      !(params.action === 'scale' && obj.kind === 'ReplicaSet')
    ) {
      return {
        ok: false,
        reason: `${params.action === 'scale' ? 'Scale' : 'Restart'} applies to Deployments and StatefulSets, not ${obj.kind ?? 'this'}.`,
      };
    }
    const info = kindInfo(found.key)!;
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? '')}/${info.key}/${encodeURIComponent(obj.metadata?.name ?? '')}`;
    const patch =
      params.action === 'scale'
        ? { spec: { replicas: params.replicas } }
        : {
            spec: {
              template: {
                metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } },
              },
            },
          };
    if (params.action === 'scale' && (!Number.isInteger(params.replicas) || params.replicas < 0))
      return { ok: false, reason: 'replicas: must be a whole number, 0 or more.' };
    const r = await this.core.session.client.request({
      method: 'PATCH',
      path,
      body: patch,
      contentType: 'application/merge-patch+json',
      query: { fieldManager: 'kube-forecast' },
    });
    if (r.status < 200 || r.status >= 300)
      return { ok: false, reason: `Could not ${params.action} ${what}: ${r.error ?? `HTTP ${r.status}`}` };
    return {
      ok: true,
      value:
        params.action === 'scale'
          ? `Scaled ${what} to ${params.replicas} replicas.`
          : `Restarted ${what} (rolling restart).`,
    };
  }

  /** Every namespace name the user may list cluster-wide (for Choose Namespaces), or why not. */
  async namespaceNames(): Promise<Outcome<string[]>> {
    const src = this.core.session.cache<KubeObj>('namespaces');
    await within(src.whenSynced(), 5000);
    if (src.state !== 'synced') return { ok: false, reason: `Cannot list namespaces (${src.state}): ${src.message}` };
    return {
      ok: true,
      value: src
        .list()
        .map((n) => n.metadata?.name ?? '')
        .filter((n) => n !== '')
        .sort(),
    };
  }
}

/** The log subresource of a pod. */
function logPath(pod: KubeObj): string {
  return `/api/v1/namespaces/${encodeURIComponent(pod.metadata?.namespace ?? '')}/pods/${encodeURIComponent(pod.metadata?.name ?? '')}/log`;
}
