/**
 * The simulator's HTTP(S) server: routing, public endpoints (version, health, discovery, OpenAPI),
 * authentication/authorization, fault injection, and dispatch to the resource handlers. Every request
 * is wrapped so a handler failure becomes a Status response, never a crash.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are schemaless wire JSON here, read by field path. */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { definitionOf } from '../store/kinds';
import { Store } from '../store/store';
import type { ResourceKind } from '../store/registry';
import * as E from '../store/errors';
import { StatusError } from '../store/errors';
import { type AuthOptions, type TokenSpec, authenticate, authorize, publicPath } from './auth';
import { handleList, handleWatch } from './collection';
import { selfAccessReview, selfSubjectReview } from './self-reviews';
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregated,
} from './discovery';
import { Faults, type FaultSpec } from './faults';
import { MAX_BODY_BYTES, decodeBody, readBody, sendError, sendJSON, sendText } from './http-util';
import { markYaml, wantsYaml } from './negotiate';
import { ensureKubernetesService } from './bootstrap';
import { type OpenApiAnswer, serveOpenApiV2, serveOpenApiV3Doc, serveOpenApiV3Index } from './openapi';
import { parseApiPath } from './routes';
import {
  type RequestContext,
  handleBinding,
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleEviction,
  handleGet,
  handleLog,
  handlePatch,
  handleUpdate,
} from './resources';
import { type ServerTls, createServerTls } from './tls';
import { buildKubeconfig } from './kubeconfig';

/** Options for `startSimulator`. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1 (0 = ephemeral, the default). */
  port?: number;
  /** Serve HTTPS with a generated CA (default false). */
  tls?: boolean;
  /** Reuse TLS material (tests share one CA to save time). */
  tlsMaterial?: ServerTls;
  /** The store to serve (default: a new Store). */
  store?: Store;
  /** The Kubernetes minor version reported by /version (default 33). */
  versionMinor?: number;
  /** Extra static tokens (an admin token and a read-only token are always created). */
  tokens?: TokenSpec[];
  /** Cluster-scoped resources a read-only user may not read (default nodes and CRDs). */
  forbiddenForReadOnly?: string[];
  /** Bookmark interval for watches with allowWatchBookmarks (default 30 s). */
  bookmarkIntervalMs?: number;
  /** Watch timeout when the client gives none (default 1800 s). */
  defaultWatchTimeoutSeconds?: number;
  /**
   * Plain HTTP only: requests without credentials get full access, as kube-apiserver's old insecure
   * port gave (kubectl sends no credentials over http://). Default true for plain HTTP, false with TLS;
   * with TLS it is always false. Without it, no credentials means 403 as system:anonymous.
   */
  allowAnonymous?: boolean;
  /** Request body limit (default 3 MiB, as kube-apiserver). */
  maxBodyBytes?: number;
  /**
   * Admission run on every create (POST and apply-create) before validation: may default the (mutable)
   * object in place; a returned message rejects the request with 403 Forbidden, as admission plugins do.
   */
  admit?: (kind: ResourceKind, obj: Record<string, any>) => string | undefined;
  /** Called for unexpected handler errors (default: console.error). */
  onError?: (e: unknown) => void;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `https://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly faults: Faults;
  /** TLS material when serving HTTPS. */
  readonly tls: ServerTls | undefined;
  /** Bearer token with full access. */
  readonly adminToken: string;
  /** Bearer token that may only read (and not the forbidden cluster-scoped lists). */
  readonly readOnlyToken: string;
  /** Number of requests received and not yet answered (open watches included). */
  readonly inFlight: number;
  /** Changes the version /version reports (kubectl's dispatcher picks its build from it). */
  setVersionMinor(minor: number): void;
  /** A kubeconfig (YAML) for this server; context `kube-forecast-sim`. */
  kubeconfig(opts?: { token?: string; clientCert?: { cert: string; key: string }; context?: string }): string;
  /** Stops listening, ends watches and log streams. */
  close(): Promise<void>;
}

function sendOpenApi(res: http.ServerResponse, a: OpenApiAnswer): void {
  res.writeHead(a.status, { 'Cache-Control': 'no-cache, private', ...a.headers, 'Content-Length': a.body.length });
  res.end(a.body);
}

function userAgentManager(ua: string | undefined): string {
  const s = (ua ?? '').split('/')[0]!.trim();
  return s === '' ? 'unknown' : s.slice(0, 128);
}

const VERB_BY_METHOD: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** Starts a simulator on 127.0.0.1. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const store = opts.store ?? new Store();
  ensureKubernetesService(store);
  const faults = new Faults();
  const useTls = opts.tls === true;
  const tls = useTls ? (opts.tlsMaterial ?? createServerTls()) : undefined;
  let minor = opts.versionMinor ?? 33;
  const adminToken = `admin-${randomBytes(16).toString('hex')}`;
  const readOnlyToken = `readonly-${randomBytes(16).toString('hex')}`;
  const auth: AuthOptions = {
    tokens: [
      { token: adminToken, user: 'kube-forecast-admin', groups: ['system:masters'] },
      { token: readOnlyToken, user: 'kube-forecast-viewer', readOnly: true },
      ...(opts.tokens ?? []),
    ],
    allowAnonymous: !useTls && (opts.allowAnonymous ?? true),
    forbiddenForReadOnly: opts.forbiddenForReadOnly ?? ['nodes', 'customresourcedefinitions.apiextensions.k8s.io'],
  };
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const streams = new Set<() => void>();
  const track = (close: () => void): (() => void) => {
    streams.add(close);
    return () => streams.delete(close);
  };
  const onError = opts.onError ?? ((e: unknown) => console.error('simulator: unexpected error', e));
  let baseUrl = '';
  let port = 0;
  /** The `Host` values this server answers (set once it listens). */
  const allowedHosts = new Set<string>();

  const crds = (): Record<string, any>[] =>
    store.list({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }).items as Record<string, any>[];

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    // DNS rebinding: a browser page on evil.example that re-resolves its name to 127.0.0.1 still sends
    // `Host: evil.example`; only the loopback names of this server's own port are served.
    const host = req.headers.host;
    if (host !== undefined && !allowedHosts.has(host.toLowerCase())) throw E.misdirectedHost(host, port);
    // Admin endpoints for tests: loopback only, like the rest of the server, and for full-access users.
    if (path.startsWith('/__sim/')) {
      const admin = authenticate(req, auth, faults.expiredTokens);
      if (admin === 'unauthorized') throw E.unauthorized();
      if (admin.readOnly) throw E.forbiddenPath(admin.name, method.toLowerCase(), path);
    }
    if (path === '/__sim/faults') {
      if (method === 'GET') return sendJSON(res, 200, faults.describe());
      if (method !== 'POST') throw E.methodNotAllowed(method);
      const spec = decodeBody(await readBody(req, maxBody), 'application/json', 'FaultSpec') as FaultSpec;
      try {
        return sendJSON(res, 200, faults.set(spec ?? {}));
      } catch (e) {
        throw E.badRequest((e as Error).message);
      }
    }
    if (path === '/__sim/compact' && method === 'POST') {
      store.compact();
      return sendJSON(res, 200, { compactedResourceVersion: store.resourceVersion });
    }
    // kube-apiserver authenticates every request first: a bad credential is 401 even on public paths.
    if (req.headers['authorization'] !== undefined && authenticate(req, auth, faults.expiredTokens) === 'unauthorized')
      throw E.unauthorized();
    const who = authenticate(req, auth, faults.expiredTokens);
    if (
      who !== 'unauthorized' &&
      who.anonymous === true &&
      !publicPath(path) &&
      parseApiPath(path)?.resource === undefined
    )
      throw E.forbiddenPath(who.name, method.toLowerCase(), path);
    if (path === '/version') return sendJSON(res, 200, versionInfo(minor));
    if (['/healthz', '/livez', '/readyz'].includes(path) || /^\/(healthz|livez|readyz)\//.test(path))
      return sendText(res, 200, 'ok');
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const fault = path.startsWith('/api') ? faults.takeStatus() : undefined;
    if (fault === 410 && (q.get('watch') === 'true' || q.get('watch') === '1' || path.includes('/watch/'))) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(`{"type":"ERROR","object":${JSON.stringify(E.expired('too old resource version: 1 (2)').status)}}\n`);
      return;
    }
    if (fault !== undefined) {
      if (fault === 429) throw E.tooManyRequests(1);
      if (fault === 410) throw E.expired('too old resource version: 1 (2)');
      if (fault === 500) throw E.internalError('injected fault');
      throw E.serviceUnavailable();
    }
    if (method === 'GET') {
      if (path === '/api') {
        if (wantsAggregated(req.headers['accept']))
          return sendJSON(res, 200, aggregatedDiscovery(store.registry, true), { 'Content-Type': AGGREGATED_V2 });
        return sendJSON(res, 200, apiVersions(baseUrl.replace(/^https?:\/\//, '')));
      }
      if (path === '/apis') {
        if (wantsAggregated(req.headers['accept']))
          return sendJSON(res, 200, aggregatedDiscovery(store.registry, false), { 'Content-Type': AGGREGATED_V2 });
        return sendJSON(res, 200, apiGroupList(store.registry));
      }
      if (path === '/openapi/v2') {
        const ifNoneMatch = req.headers['if-none-match'];
        return sendOpenApi(res, serveOpenApiV2(req.headers['accept'], ifNoneMatch));
      }
      if (path === '/openapi/v3') return sendOpenApi(res, serveOpenApiV3Index(crds()));
      if (path.startsWith('/openapi/v3/')) {
        const a = serveOpenApiV3Doc(crds(), path.slice('/openapi/v3/'.length), q.get('hash'), req.headers['accept']);
        // kube-openapi answers an unknown document with a bare 404.
        if (a === undefined) return sendOpenApi(res, { status: 404, headers: {}, body: Buffer.alloc(0) });
        return sendOpenApi(res, a);
      }
      const gm = path.match(/^\/apis\/([^/]+)$/);
      if (gm !== null) {
        const g = apiGroup(store.registry, gm[1]!);
        if (g === undefined) return sendText(res, 404, '404 page not found\n');
        return sendJSON(res, 200, g);
      }
    }
    const t = parseApiPath(path);
    // Outside /api and /apis nothing is routed: Go's mux answers a bare text 404.
    if (t === undefined && !/^\/apis?(\/|$)/.test(path)) return sendText(res, 404, '404 page not found\n');
    if (t === undefined) throw E.pathNotFound();
    if (t.resource === undefined) {
      if (method !== 'GET') throw E.methodNotAllowed(method);
      const rl = apiResourceList(store.registry, t.group, t.version);
      // An unknown group is not routed at all (Go's mux 404); an unknown core version is a Status.
      if (rl === undefined && t.group !== '') return sendText(res, 404, '404 page not found\n');
      if (rl === undefined) throw E.pathNotFound();
      return sendJSON(res, 200, rl);
    }
    const user = authenticate(req, auth, faults.expiredTokens);
    if (user === 'unauthorized') throw E.unauthorized();
    if (user.anonymous === true && method === 'POST' && /^self/.test(t.resource)) {
      const reason = authorize(user, 'create', t.group, t.resource, undefined, auth);
      throw E.forbidden(t.group, t.resource, '', reason ?? '');
    }
    if (t.group === 'authorization.k8s.io' && t.resource === 'selfsubjectaccessreviews' && method === 'POST') {
      // A review is no list: a Table is not among its representations.
      const acc = req.headers['accept'] ?? '';
      if (/as=Table/.test(acc) && !acc.split(',').some((p) => /json|\*\/\*|yaml/.test(p) && !/as=/.test(p)))
        throw E.notAcceptableMediaTypes();
      return selfAccessReview(req, res, user, t.version, { auth, maxBody, manager: userAgentManager });
    }
    if (t.group === 'authentication.k8s.io' && t.resource === 'selfsubjectreviews' && method === 'POST')
      return selfSubjectReview(res, user, t.version);
    const kind = store.registry.get(t.group, t.resource, t.version);
    if (kind === undefined) throw E.pathNotFound();
    if (!kind.namespaced && t.namespace !== undefined) throw E.pathNotFound();
    if (t.subresource !== undefined && !kind.subresources.includes(t.subresource)) throw E.pathNotFound();
    const watch = t.legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
    let verb: string;
    if (method === 'GET') verb = t.name === undefined ? (watch ? 'watch' : 'list') : 'get';
    else if (method === 'DELETE') verb = t.name === undefined ? 'deletecollection' : 'delete';
    else if (method === 'POST') verb = 'create';
    else if (method === 'PUT' || method === 'PATCH') verb = VERB_BY_METHOD[method]!;
    else throw E.methodNotAllowed(method);
    // A verb the resource does not serve (deletecollection of namespaces...) is 405 before authorization.
    if (t.subresource === undefined && !kind.verbs.includes(verb)) throw E.methodNotAllowed(method);
    const reason = authorize(
      user,
      verb,
      kind.group,
      t.subresource === undefined ? kind.resource : `${kind.resource}/${t.subresource}`,
      t.namespace,
      auth,
    );
    if (reason !== undefined) throw E.forbidden(kind.group, kind.resource, t.name ?? '', reason);
    if (
      kind.namespaced &&
      t.namespace !== undefined &&
      method !== 'GET' &&
      method !== 'DELETE' &&
      !(kind.group === '' && kind.resource === 'namespaces')
    ) {
      if (store.get({ group: '', resource: 'namespaces' }, undefined, t.namespace) === undefined)
        throw E.notFound('', 'namespaces', t.namespace);
    }
    const accept = req.headers['accept'];
    // pods/log streams text/plain: kubectl sends */*, other clients text/plain or application/json.
    const acceptable = t.subresource === 'log' ? /json|\*\/\*|text\/plain|text\/\*/ : /json|\*\/\*|yaml/;
    if (accept !== undefined && accept !== '' && !acceptable.test(accept) && !/as=Table/.test(accept))
      throw /protobuf/.test(accept) ? E.notAcceptable(accept) : E.notAcceptableRepresentation();
    if (!watch && t.subresource !== 'log' && wantsYaml(accept)) markYaml(res);
    const warning = definitionOf(kind)?.requestWarning;
    if (warning !== undefined) res.setHeader('Warning', `299 - "${warning}"`);
    const c: RequestContext = {
      store,
      kind,
      namespace: kind.namespaced ? t.namespace : undefined,
      name: t.name,
      subresource: t.subresource,
      q,
      req,
      res,
      maxBodyBytes: maxBody,
      defaultManager: userAgentManager(req.headers['user-agent']),
      ...(opts.admit !== undefined ? { admit: opts.admit } : {}),
    };
    if (t.name === undefined) {
      if (method === 'GET') {
        if (watch)
          return handleWatch(store, kind, c.namespace, q, req, res, {
            bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 30_000,
            defaultTimeoutSeconds: opts.defaultWatchTimeoutSeconds ?? 1800,
            faults,
            track,
          });
        return handleList(store, kind, c.namespace, q, req, res);
      }
      if (kind.namespaced && t.namespace === undefined) throw E.pathNotFound();
      if (method === 'POST') return handleCreate(c);
      if (method === 'DELETE') return handleDeleteCollection(c);
      throw E.methodNotAllowed(method);
    }
    if (kind.namespaced && t.namespace === undefined) throw E.pathNotFound();
    const sub = t.subresource;
    if (sub === 'binding') {
      if (method !== 'POST') throw E.methodNotAllowed(method);
      return handleBinding(c);
    }
    if (sub === 'eviction') {
      if (method !== 'POST') throw E.methodNotAllowed(method);
      return handleEviction(c);
    }
    if (sub === 'log') {
      if (method !== 'GET') throw E.methodNotAllowed(method);
      return handleLog(c, track);
    }
    if (method === 'GET') return handleGet(c);
    if (method === 'PUT') return handleUpdate(c);
    if (method === 'PATCH') return handlePatch(c);
    if (method === 'DELETE' && sub === undefined) return handleDelete(c);
    throw E.methodNotAllowed(method);
  };

  let inFlight = 0;
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    inFlight++;
    res.once('close', () => inFlight--);
    handle(req, res).catch((e: unknown) => {
      if (!(e instanceof StatusError)) {
        onError(e);
        e = E.internalError(e instanceof Error ? e.message : String(e));
      }
      try {
        if (res.headersSent) res.end();
        else sendError(res, e as StatusError);
      } catch (e2) {
        onError(e2);
      }
    });
  };
  const server =
    tls !== undefined
      ? https.createServer(
          {
            key: tls.serving.key,
            cert: tls.serving.cert,
            ca: [tls.ca.cert],
            requestCert: true,
            rejectUnauthorized: false,
            // Go's net/http (kube-apiserver) accepts a chunked body that also carries Content-Length (the
            // chunked framing wins); node's strict parser answers a bare 400, so use the lenient one.
            insecureHTTPParser: true,
          },
          listener,
        )
      : http.createServer({ insecureHTTPParser: true }, listener);
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  for (const h of ['127.0.0.1', 'localhost', '[::1]']) {
    allowedHosts.add(`${h}:${port}`);
    // A raw client may leave the port out; a browser never sends a loopback name for a rebound one.
    allowedHosts.add(h);
  }
  baseUrl = `${tls !== undefined ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    port,
    store,
    faults,
    tls,
    adminToken,
    readOnlyToken,
    get inFlight() {
      return inFlight;
    },
    setVersionMinor(m: number) {
      minor = m;
    },
    kubeconfig(k = {}) {
      return buildKubeconfig({
        server: baseUrl,
        ...(tls !== undefined ? { caCert: tls.ca.cert } : {}),
        ...(k.clientCert !== undefined ? { clientCert: k.clientCert } : { token: k.token ?? adminToken }),
        ...(k.context !== undefined ? { context: k.context } : {}),
      });
    },
    close() {
      for (const s of [...streams]) s();
      store.dispose();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
