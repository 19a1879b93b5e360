/**
 * Compacts a running etcd through its HTTP JSON gateway (`/v3/kv/range` for the current revision,
 * then `/v3/kv/compaction` up to it, physically), as an operator's `etcdctl compact` would.
 *
 * Contract: `compactEtcd` resolves with the revision it compacted to, or rejects naming the gateway
 * path and etcd's answer. It changes no key: only the history before that revision is dropped, so a
 * watch that resumes from an older resourceVersion is answered 410 Gone by kube-apiserver once its
 * watch cache no longer holds that version.
 */
import http from 'node:http';

/** Compacts the etcd at `clientUrl` (http://127.0.0.1:PORT) up to its current revision. */
export async function compactEtcd(clientUrl: string): Promise<number> {
  const range = (await etcdPost(clientUrl, '/v3/kv/range', { key: Buffer.from('/').toString('base64') })) as {
    header?: { revision?: string };
  };
  const revision = range.header?.revision;
  if (revision === undefined) throw new Error('etcd did not report its revision');
  await etcdPost(clientUrl, '/v3/kv/compaction', { revision, physical: true });
  return Number(revision);
}

/** POSTs JSON to etcd's gateway; resolves with the parsed answer, rejects on a non-200. */
export function etcdPost(base: string, path: string, body: unknown): Promise<unknown> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, base),
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) !== 200) reject(new Error(`etcd ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
