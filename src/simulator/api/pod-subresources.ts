/**
 * The pod subresources: binding (the scheduler's write), eviction (a delete; no disruption budget
 * checks) and log (synthetic container output, streamed with `follow=true`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import * as E from '../store/errors';
import { bindPod } from './binding';
import { body, checkTypeMeta } from './decode';
import { sendJSON, sendText } from './http-util';
import { type RequestContext, managerOf } from './request-context';
import { dryRunOf } from './write-options';

/** POST pods/NAME/binding. */
export async function handleBinding(c: RequestContext): Promise<void> {
  const dry = dryRunOf(c.q, c.req.method);
  const b = checkTypeMeta(c.kind, await body(c, 'Binding'), 'Binding', 'v1');
  if (b['metadata'].name !== undefined && b['metadata'].name !== c.name)
    throw E.badRequest('name in URL does not match name in Binding object');
  const target = b['target'];
  if (target?.kind !== undefined && target.kind !== 'Node' && target.kind !== '')
    throw E.invalid('', 'Binding', c.name!, [
      { type: 'FieldValueNotSupported', field: 'target.kind', value: target.kind, detail: 'supported values: "Node"' },
    ]);
  if (typeof target?.name !== 'string' || target.name === '')
    throw E.invalid('', 'Binding', c.name!, [{ type: 'FieldValueRequired', field: 'target.name' }]);
  bindPod(c.store, c.namespace!, c.name!, target.name, {
    annotations: b['metadata'].annotations,
    dryRun: dry,
    fieldManager: managerOf(c),
  });
  sendJSON(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** POST pods/NAME/eviction: deletes the pod (no PDB checks). */
export async function handleEviction(c: RequestContext): Promise<void> {
  await body(c, 'Eviction');
  c.store.delete(c.kind, c.namespace, c.name!, {});
  sendJSON(c.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** GET pods/NAME/log: synthetic container output; `follow=true` streams until the pod goes away. */
/** PodLogOptions query parameters are decoded before anything else (Go's strconv messages). */
function checkLogOptions(q: URLSearchParams): void {
  for (const k of ['tailLines', 'limitBytes', 'sinceSeconds']) {
    const v = q.get(k);
    if (v !== null && !/^[+-]?\d+$/.test(v))
      throw E.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
  for (const k of ['follow', 'previous', 'timestamps', 'insecureSkipTLSVerifyBackend']) {
    const v = q.get(k);
    if (
      v !== null &&
      v !== '' &&
      !['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)
    )
      throw E.badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  }
}

export function handleLog(c: RequestContext, track: (close: () => void) => () => void): void {
  checkLogOptions(c.q);
  const pod = c.store.getOrThrow(c.kind, c.namespace, c.name!);
  const containers: string[] = (pod['spec']?.containers ?? []).map((x: any) => x.name);
  let container = c.q.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1)
      throw E.badRequest(
        `a container name must be specified for pod ${c.name}, choose one of: [${containers.join(' ')}]`,
      );
    container = containers[0]!;
  }
  if (!containers.includes(container) && !(pod['spec']?.initContainers ?? []).some((x: any) => x.name === container)) {
    throw E.badRequest(`container ${container} is not valid for pod ${c.name}`);
  }
  if (pod['spec']?.nodeName === undefined || pod['spec'].nodeName === '') {
    // LogLocation: a pod no node was assigned has no log location yet; the stream is empty.
    c.res.writeHead(204);
    c.res.end();
    return;
  }
  if (pod['status']?.phase === 'Pending') {
    throw E.badRequest(`container "${container}" in pod "${c.name}" is waiting to start: ContainerCreating`);
  }
  const ts = c.q.get('timestamps') === 'true';
  // The container's own times, as the runtime stamps its lines (RFC 3339 with nanoseconds): it started
  // when its status says, became ready when the pod did; only lines written later carry later times.
  const statuses: any[] = [
    ...(pod['status']?.containerStatuses ?? []),
    ...(pod['status']?.initContainerStatuses ?? []),
  ];
  const st = statuses.find((s) => s?.name === container)?.state;
  const started = String(
    st?.running?.startedAt ?? st?.terminated?.startedAt ?? pod['status']?.startTime ?? new Date().toISOString(),
  );
  const ready = String(
    (pod['status']?.conditions ?? []).find((x: any) => x?.type === 'Ready' && x?.status === 'True')
      ?.lastTransitionTime ?? started,
  );
  const lines: [string, string][] = [
    [started, `simulated container ${container} of pod ${c.namespace}/${c.name} started`],
    [started, `running on node ${String(pod['spec']?.nodeName)}`],
    [ready < started ? started : ready, 'ready'],
  ];
  const tail = c.q.get('tailLines');
  const shown = tail !== null ? lines.slice(Math.max(0, lines.length - Number(tail))) : lines;
  const fmt = ([at, l]: [string, string]): string => `${ts ? `${nanoTime(at)} ` : ''}${l}\n`;
  if (c.q.get('follow') !== 'true') {
    let text = shown.map(fmt).join('');
    const lb = c.q.get('limitBytes');
    if (lb !== null) text = text.slice(0, Number(lb));
    sendText(c.res, 200, text);
    return;
  }
  c.res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  for (const l of shown) c.res.write(fmt(l));
  const uid = pod.metadata.uid;
  let n = 0;
  const timer = setInterval(() => {
    const p = c.store.get(c.kind, c.namespace, c.name!);
    if (p === undefined || p.metadata.uid !== uid) return end();
    c.res.write(fmt([new Date().toISOString(), `heartbeat ${++n}`]));
  }, 1000);
  const untrack = track(() => end());
  function end(): void {
    clearInterval(timer);
    untrack();
    if (!c.res.writableEnded) c.res.end();
  }
  c.res.on('close', end);
}

/** `2026-01-01T00:00:05Z` or `...05.123Z` as a container runtime stamps log lines: nine fraction digits. */
function nanoTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const frac = /\.(\d+)Z$/.exec(rfc3339)?.[1] ?? '';
  return `${new Date(t).toISOString().slice(0, 19)}.${frac.padEnd(9, '0').slice(0, 9)}Z`;
}
