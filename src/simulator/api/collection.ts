/**
 * List and watch on a collection: selectors, resourceVersion/resourceVersionMatch rules, limit/continue,
 * Table output and the chunked JSON-lines watch stream with bookmarks, timeouts and 410 Expired.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Store } from '../store/store';
import { StatusError, badRequest, expired, invalidOptions, timeout } from '../store/errors';
import { type ResourceKind, apiVersionOf } from '../store/registry';
import { parseFieldSelector, parseLabelSelector, matchesFields } from '../store/selectors';
import type { KubeObject, WatchEvent } from '../store/types';
import { sendJSON } from './http-util';
import { listAt } from './list-at';
import { partialList, wantsPartialMetadata } from './negotiate';
import { includeObjectOf, tableJSON, tableRow, tableVersionOf, printerFor, wantsTable } from './table';
import type { Faults } from './faults';

/** Builds the object filter for label and field selectors; returns the nodeName index hint too. */
export function buildFilter(
  kind: ResourceKind,
  q: URLSearchParams,
): { filter?: (o: KubeObject) => boolean; nodeName?: string; hasSelector: boolean } {
  const ls = q.get('labelSelector') ?? '';
  const fs = q.get('fieldSelector') ?? '';
  const labels = parseLabelSelector(ls);
  const terms = parseFieldSelector(fs, kind.fieldLabels);
  const hasSelector = labels.requirements.length > 0 || terms.length > 0;
  const nodeTerm =
    kind.group === '' && kind.resource === 'pods'
      ? terms.find((t) => t.field === 'spec.nodeName' && t.op === '=' && t.value !== '')
      : undefined;
  if (!hasSelector) return { hasSelector };
  const filter = (o: KubeObject): boolean => labels.matches(o.metadata.labels) && matchesFields(o, terms);
  return nodeTerm !== undefined ? { filter, nodeName: nodeTerm.value, hasSelector } : { filter, hasSelector };
}

interface ContinueToken {
  rv: number;
  /** Key of the last item returned. */
  start: string;
  /** Id of the cached list snapshot the pages are cut from, and the offset of the next page. */
  snap?: string;
  offset?: number;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', ...t })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  // storage.DecodeContinue's errors, as the list handler words them.
  const bad = (why: string): never => {
    throw badRequest(`invalid continue token: continue key is not valid: ${why}`);
  };
  const i = s.search(/[^A-Za-z0-9_-]/);
  if (i >= 0 || s.length % 4 === 1) bad(`illegal base64 data at input byte ${i >= 0 ? i : s.length - 1}`);
  const text = Buffer.from(s, 'base64url').toString('utf8');
  let o: any;
  try {
    o = JSON.parse(text);
  } catch {
    bad(goJsonError(text));
  }
  if (o === null || typeof o !== 'object' || o.v !== 'meta.k8s.io/v1')
    throw badRequest(
      `invalid continue token: continue key is not valid: server does not recognize this encoded version ${String(o?.v ?? '')}`,
    );
  if (typeof o.rv !== 'number' || o.rv === 0)
    throw badRequest(
      'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  if (typeof o.start !== 'string' || o.start === '')
    throw badRequest(
      'invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)',
    );
  const t: ContinueToken = { rv: o.rv, start: o.start };
  if (typeof o.snap === 'string' && typeof o.offset === 'number') Object.assign(t, { snap: o.snap, offset: o.offset });
  return t;
}

/** Go's encoding/json message for the first syntax error of `text` (the common cases). */
function goJsonError(text: string): string {
  let i = 0;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (i >= text.length) return 'unexpected end of JSON input';
  const ch = text[i]!;
  for (const lit of ['null', 'true', 'false']) {
    if (ch !== lit[0]) continue;
    for (let j = 1; j < lit.length; j++) {
      if (i + j >= text.length) return 'unexpected end of JSON input';
      if (text[i + j] !== lit[j]) return `invalid character '${text[i + j]}' in literal ${lit} (expecting '${lit[j]}')`;
    }
    return `invalid character '${text[i + lit.length] ?? ''}' after top-level value`;
  }
  if (!/[{["\-0-9]/.test(ch)) return `invalid character '${ch}' looking for beginning of value`;
  return 'unexpected end of JSON input';
}

/**
 * Paged lists are cut from a snapshot taken by the first page (shared frozen objects, so only an array of
 * references is kept), which makes every page consistent with the first page's resourceVersion, as etcd
 * does. Snapshots expire after five minutes; an expired one continues from the current state.
 */
interface ListSnapshot {
  items: readonly KubeObject[];
  expires: number;
}
const SNAPSHOTS = new WeakMap<Store, Map<string, ListSnapshot>>();
const SNAPSHOT_TTL_MS = 5 * 60_000;
const MAX_SNAPSHOTS = 32;
let snapshotSeq = 0;

function snapshotsOf(store: Store): Map<string, ListSnapshot> {
  let m = SNAPSHOTS.get(store);
  if (m === undefined) SNAPSHOTS.set(store, (m = new Map()));
  const now = Date.now();
  for (const [k, v] of m) if (v.expires < now) m.delete(k);
  return m;
}

function itemKey(o: KubeObject): string {
  return o.metadata.namespace !== undefined ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
}

function parseRv(s: string | null): number | undefined {
  if (s === null || s === '') return undefined;
  if (!/^\d+$/.test(s)) throw badRequest(`resourceVersion: Invalid value: "${s}": must be a non-negative integer`);
  return Number(s);
}

/** Whether any change to this kind happened after `rv` (so an Exact read at `rv` differs from now). */
/** Answers a list request (JSON list or Table). */
export function handleList(
  store: Store,
  kind: ResourceKind,
  namespace: string | undefined,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const { filter, nodeName, hasSelector } = buildFilter(kind, q);
  const rvStr = q.get('resourceVersion');
  const rv = parseRv(rvStr);
  const match = q.get('resourceVersionMatch') ?? '';
  const cont = q.get('continue') ?? '';
  const limitStr = q.get('limit');
  const limit = limitStr !== null && limitStr !== '' ? Number(limitStr) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw badRequest(`limit: Invalid value: "${limitStr}": must be a non-negative integer`);
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw invalidOptions('ListOptions', [
      {
        type: 'FieldValueNotSupported',
        field: 'resourceVersionMatch',
        value: match,
        detail: 'supported values: "Exact", "NotOlderThan", ""',
      },
    ]);
  }
  if (match !== '' && rv === undefined)
    throw invalidOptions('ListOptions', [
      {
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'resourceVersionMatch is forbidden unless resourceVersion is provided',
      },
    ]);
  if (match === 'Exact' && rv === 0)
    throw invalidOptions('ListOptions', [
      {
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      },
    ]);
  if (cont !== '' && rv !== undefined && rv !== 0)
    throw badRequest('specifying resource version is not allowed when using continue');
  if (cont !== '' && match !== '')
    throw badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for continue`);
  let after: string | undefined;
  let listRv: number | undefined;
  let contToken: ContinueToken | undefined;
  if (cont !== '') {
    const tok = decodeContinue(cont);
    contToken = tok;
    if (tok.rv >= 0 && tok.rv < store.oldestWatchableResourceVersion) {
      const e = expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
      (e.status as any).metadata = { continue: encodeContinue({ rv: -1, start: tok.start }) };
      throw e;
    }
    after = tok.start;
    listRv = tok.rv > 0 ? tok.rv : undefined;
  } else if (rv !== undefined && rv > 0) {
    if (rv > store.resourceVersion) {
      const e = timeout(`Timeout: Too large resource version: ${rv}, current: ${store.resourceVersion}`);
      e.status.details = {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      };
      e.headers['Retry-After'] = '1';
      throw e;
    }
    const exact = match === 'Exact' || (match === '' && limit !== undefined && limit > 0);
    if (exact) {
      if (rv < store.oldestWatchableResourceVersion)
        throw expired('The resourceVersion for the provided list is too old.');
      listRv = rv;
    }
  }
  const opts: Parameters<Store['list']>[1] = {};
  if (kind.namespaced && namespace !== undefined) opts.namespace = namespace;
  if (filter !== undefined) opts.filter = filter;
  if (nodeName !== undefined) opts.nodeName = nodeName;
  // An exact list at an earlier resourceVersion is the state then, rebuilt from history.
  const past = listRv !== undefined && contToken === undefined ? listAt(store, kind, listRv, opts) : undefined;
  const pageSize = limit !== undefined && limit > 0 ? limit : undefined;
  const snaps = snapshotsOf(store);
  let result: { items: KubeObject[]; resourceVersion: number };
  let token: ContinueToken | undefined;
  let remaining = 0;
  const cached = contToken?.snap !== undefined ? snaps.get(contToken.snap) : undefined;
  if (cached !== undefined && contToken !== undefined) {
    const from = contToken.offset ?? 0;
    const end = pageSize === undefined ? cached.items.length : from + pageSize;
    result = { items: cached.items.slice(from, end), resourceVersion: contToken.rv };
    remaining = Math.max(0, cached.items.length - end);
    if (remaining > 0)
      token = {
        rv: contToken.rv,
        start: itemKey(result.items[result.items.length - 1]!),
        snap: contToken.snap!,
        offset: end,
      };
  } else if (after === undefined && pageSize !== undefined) {
    const full = past !== undefined ? { items: past, resourceVersion: listRv! } : store.list(kind, opts);
    result = { items: full.items.slice(0, pageSize), resourceVersion: full.resourceVersion };
    remaining = full.items.length - result.items.length;
    if (remaining > 0) {
      const id = String(++snapshotSeq);
      if (snaps.size >= MAX_SNAPSHOTS) snaps.delete(snaps.keys().next().value!);
      snaps.set(id, { items: full.items, expires: Date.now() + SNAPSHOT_TTL_MS });
      token = {
        rv: listRv ?? full.resourceVersion,
        start: itemKey(result.items[result.items.length - 1]!),
        snap: id,
        offset: pageSize,
      };
    }
  } else if (past !== undefined) {
    result = { items: past, resourceVersion: listRv! };
  } else {
    if (after !== undefined) opts.after = after;
    if (pageSize !== undefined) opts.limit = pageSize;
    const r = store.list(kind, opts);
    result = r;
    if (r.next !== undefined) {
      remaining = r.next.remaining;
      token = { rv: listRv ?? r.resourceVersion, start: r.next.after };
    }
  }
  const meta: Record<string, unknown> = { resourceVersion: String(listRv ?? result.resourceVersion) };
  if (token !== undefined) {
    meta['continue'] = encodeContinue(token);
    if (!hasSelector) meta['remainingItemCount'] = remaining;
  }
  if (wantsTable(req.headers['accept'])) {
    sendJSON(
      res,
      200,
      tableJSON(
        kind,
        result.items,
        meta,
        includeObjectOf(q.get('includeObject')),
        tableVersionOf(req.headers['accept']),
      ),
    );
    return;
  }
  if (wantsPartialMetadata(req.headers['accept']) === 'PartialObjectMetadataList') {
    sendJSON(res, 200, partialList(meta, result.items));
    return;
  }
  // An unstructured (custom resource) list keeps the empty continue token.
  if (kind.custom && token === undefined) meta['continue'] = '';
  const typeless = !kind.custom;
  const items = result.items.map((o) => store.toJSON(o, typeless)).join(',');
  sendJSON(
    res,
    200,
    `{"kind":${JSON.stringify(`${kind.kind}List`)},"apiVersion":${JSON.stringify(apiVersionOf(kind))},"metadata":${JSON.stringify(meta)},"items":[${items}]}`,
  );
}

/** Options for watch streams. */
export interface WatchStreamOptions {
  bookmarkIntervalMs: number;
  /** Upper bound when the client gives no timeoutSeconds (kube-apiserver: 1800–3600 s). */
  defaultTimeoutSeconds: number;
  faults: Faults;
  /** Called with a closer so the server can end streams on shutdown. */
  track: (close: () => void) => () => void;
}

/** Serves a watch: a chunked stream of `{"type":...,"object":...}` lines. */
export function handleWatch(
  store: Store,
  kind: ResourceKind,
  namespace: string | undefined,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  o: WatchStreamOptions,
): void {
  const { filter } = buildFilter(kind, q);
  const rv = parseRv(q.get('resourceVersion'));
  const bookmarks = q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1';
  const sendInitial = q.get('sendInitialEvents');
  const match = q.get('resourceVersionMatch') ?? '';
  if (sendInitial !== null && match !== 'NotOlderThan') {
    throw invalidOptions('ListOptions', [
      {
        type: 'FieldValueForbidden',
        field: 'resourceVersionMatch',
        detail: 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      },
    ]);
  }
  if (match !== '' && match !== 'NotOlderThan')
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "NotOlderThan"`);
  const tsStr = q.get('timeoutSeconds');
  const timeoutS = tsStr !== null && tsStr !== '' ? Number(tsStr) : o.defaultTimeoutSeconds;
  if (!Number.isFinite(timeoutS) || timeoutS < 0) throw badRequest(`timeoutSeconds: Invalid value: "${tsStr}"`);
  const asTable = wantsTable(req.headers['accept']);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  const now = (): number => Date.now();
  let sentColumns = false;
  const encode = (e: { type: string; object: KubeObject }): string => {
    if (!asTable || e.type === 'BOOKMARK') return `{"type":"${e.type}","object":${store.toJSON(e.object)}}\n`;
    const cols = sentColumns ? 'null' : JSON.stringify(printerFor(kind).columns);
    sentColumns = true;
    return `{"type":"${e.type}","object":{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"${e.object.metadata.resourceVersion}"},"columnDefinitions":${cols},"rows":[${tableRow(kind, e.object, now(), includeObjectOf(q.get('includeObject')))}]}}\n`;
  };
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let sub: { close(): void } | undefined;
  const cleanups: (() => void)[] = [];
  const end = (): void => {
    if (closed) return;
    closed = true;
    sub?.close();
    for (const t of timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    for (const c of cleanups) c();
    if (!res.writableEnded) res.end();
  };
  const write = (s: string): void => {
    if (!closed) res.write(s);
  };
  const bookmark = (annot?: Record<string, string>): void => {
    const meta: Record<string, unknown> = { resourceVersion: String(store.resourceVersion) };
    if (annot !== undefined) meta['annotations'] = annot;
    write(
      `{"type":"BOOKMARK","object":{"kind":${JSON.stringify(kind.kind)},"apiVersion":${JSON.stringify(apiVersionOf(kind))},"metadata":${JSON.stringify(meta)}}}\n`,
    );
  };
  req.on('close', end);
  res.on('close', end);
  try {
    const wopts: Parameters<Store['watch']>[1] = {};
    if (kind.namespaced && namespace !== undefined) wopts.namespace = namespace;
    if (filter !== undefined) wopts.filter = filter;
    const initial = sendInitial === 'true' || (sendInitial === null && (rv === undefined || rv === 0));
    if (!initial) wopts.sinceResourceVersion = rv ?? store.resourceVersion;
    sub = store.watch(kind, wopts, (e: WatchEvent) => write(encode(e)));
    if (sendInitial === 'true' && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } catch (e) {
    if (e instanceof StatusError) {
      write(`{"type":"ERROR","object":${JSON.stringify(e.status)}}\n`);
      end();
      return;
    }
    throw e;
  }
  if (timeoutS > 0) timers.push(setTimeout(end, timeoutS * 1000));
  if (bookmarks && o.bookmarkIntervalMs > 0) timers.push(setInterval(() => bookmark(), o.bookmarkIntervalMs));
  cleanups.push(o.track(end), o.faults.onDrop(end));
  const unregister = store.registry.onChange(() => {
    if (store.registry.get(kind.group, kind.resource) === undefined) end();
  });
  res.on('close', unregister);
}
