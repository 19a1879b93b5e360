/**
 * Raw Kubernetes REST calls authenticated by client-node (TLS, tokens, exec and OIDC plugins),
 * returning plain JSON (the wire format the scheduler model and the tree read).
 *
 * Why not client-node's typed APIs: they deserialize every object into classes with Dates,
 * which costs seconds on 10,000 pods and loses unknown fields. Authentication and TLS still
 * come from client-node's `KubeConfig.applyToHTTPSOptions`, so exec/OIDC plugins work.
 *
 * Contract: every call resolves (never rejects) to a `RestResult`; network failures become
 * `{ status: 0, error }`. Errors carry the server's `Status.message`, never request headers.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RestRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Streams only: cut the stream when no byte has arrived for this long (a connection that died without
   * closing, as after a sleep or a network change, never ends by itself); `done` then says `stalled`.
   */
  idleTimeoutMs?: number;
}

export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export interface RestResult<T = unknown> {
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  body?: T;
  /** The server's Status for non-2xx answers. */
  errorStatus?: KubeStatus;
  /** A one-line human explanation for failures (no credentials). */
  error?: string;
  /** The server's Warning headers (deprecations, unknown fields with fieldValidation=Warn). */
  warnings?: string[];
  /** A non-2xx answer's `Retry-After` in seconds (429 TooManyRequests, some 503s), when it sent one. */
  retryAfterSeconds?: number;
}

/** What a watch stream delivers per line. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** The object as the server sent it (any kind), or a Status for ERROR events. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON of any kind; callers narrow it.
  object: any;
}

/** How a stream ended: `undefined` for a clean close or `stop()`. */
export type StreamEnd =
  | { status?: number; error?: string; retryAfterSeconds?: number; stalled?: undefined }
  /** Nothing arrived for the request's `idleTimeoutMs`; the client cut the stream. */
  | { stalled: true; status?: undefined; error?: undefined; retryAfterSeconds?: undefined }
  | undefined;

export interface WatchHandle {
  /** Resolves when the stream ends: `undefined` for a clean close, else the error text/status (and `Retry-After`), or `stalled`. */
  done: Promise<StreamEnd>;
  stop(): void;
}

/** One cluster (one kubeconfig context) addressed over REST. */
export class RestClient {
  constructor(
    private readonly kc: KubeConfig,
    private readonly defaultTimeoutMs = 30_000,
  ) {}

  /** The server URL of the bound context. */
  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  get contextName(): string {
    return this.kc.getCurrentContext();
  }

  async request<T = unknown>(req: RestRequest): Promise<RestResult<T>> {
    let opts: https.RequestOptions;
    let url: URL;
    try {
      ({ opts, url } = await this.prepare(req));
    } catch (e) {
      return { status: 0, error: authError(e) };
    }
    const payload =
      req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    return new Promise((resolve) => {
      const mod = url.protocol === 'https:' ? https : http;
      const r = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => resolve({ status: 0, error: networkError(e, this.server) }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const warnings = parseWarnings(res.headers['warning']);
          let body: unknown;
          try {
            body = text.length ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          if (status >= 200 && status < 300) {
            resolve({ status, body: body as T, ...(warnings.length ? { warnings } : {}) });
          } else {
            const st = (typeof body === 'object' && body ? body : { message: String(body ?? '') }) as KubeStatus;
            const retryAfter = retryAfterSeconds(res.headers['retry-after']);
            resolve({
              status,
              errorStatus: st,
              error: st.message || `HTTP ${status}`,
              ...(warnings.length ? { warnings } : {}),
              ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
            });
          }
        });
      });
      r.on('error', (e) => resolve({ status: 0, error: networkError(e, this.server) }));
      r.setTimeout(req.timeoutMs ?? this.defaultTimeoutMs, () => r.destroy(new Error('timed out')));
      req.signal?.addEventListener('abort', () => r.destroy(new Error('aborted')), { once: true });
      // A fixed Content-Length: some servers reject chunked request bodies on DELETE.
      if (payload !== undefined) r.setHeader('Content-Length', Buffer.byteLength(payload));
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  }

  /**
   * Opens a watch (`?watch=1`) and calls `onEvent` for each JSON line. The stream ends on
   * server close, `timeoutSeconds`, a network error or `stop()`; `done` says which.
   */
  watch(req: RestRequest, onEvent: (e: WatchEvent) => void): WatchHandle {
    let buf = '';
    return this.stream({ ...req, query: { ...req.query, watch: 1 } }, (chunk) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        try {
          onEvent(JSON.parse(line) as WatchEvent);
        } catch {
          /* A torn or non-JSON line is dropped; the cache re-lists on the next error. */
        }
      }
    });
  }

  /**
   * Streams a text response (e.g. `pods/log?follow=true`), calling `onChunk` with each decoded chunk
   * until the server ends it or `stop()` is called. Non-200 answers end it with the server's message.
   */
  stream(req: RestRequest, onChunk: (text: string) => void): WatchHandle {
    let request: http.ClientRequest | undefined;
    let stopped = false;
    let idle: NodeJS.Timeout | undefined;
    const done = (async () => {
      let opts: https.RequestOptions;
      let url: URL;
      try {
        ({ opts, url } = await this.prepare(req));
      } catch (e) {
        return { status: 0, error: authError(e) };
      }
      if (stopped) return undefined;
      return new Promise<StreamEnd>((resolveEnd) => {
        const resolve = (end: StreamEnd): void => {
          clearTimeout(idle);
          resolveEnd(end);
        };
        /** (Re)starts the idle clock: when the request goes out, when the answer starts, on every chunk. */
        const heard = (): void => {
          if (req.idleTimeoutMs === undefined || stopped) return;
          clearTimeout(idle);
          idle = setTimeout(() => {
            resolve({ stalled: true });
            request?.destroy();
          }, req.idleTimeoutMs);
        };
        const mod = url.protocol === 'https:' ? https : http;
        request = mod.request(url, opts, (res) => {
          const status = res.statusCode ?? 0;
          res.setEncoding('utf8');
          if (status !== 200) {
            let text = '';
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              let message = `HTTP ${status}`;
              try {
                message = (JSON.parse(text) as KubeStatus).message ?? message;
              } catch {
                /* Non-JSON error body: keep the HTTP status. */
              }
              const retryAfter = retryAfterSeconds(res.headers['retry-after']);
              resolve({
                status,
                error: message,
                ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
              });
            });
            return;
          }
          heard();
          res.on('data', (c: string) => {
            heard();
            onChunk(c);
          });
          res.on('end', () => resolve(undefined));
          res.on('error', (e) => resolve(stopped ? undefined : { error: networkError(e, this.server) }));
        });
        request.on('error', (e) => resolve(stopped ? undefined : { status: 0, error: networkError(e, this.server) }));
        request.end();
        heard();
      });
    })();
    return {
      done,
      stop: () => {
        stopped = true;
        clearTimeout(idle);
        request?.destroy();
      },
    };
  }

  private async prepare(req: RestRequest): Promise<{ opts: https.RequestOptions; url: URL }> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error(`context "${this.kc.getCurrentContext()}" names no cluster`);
    const url = new URL(cluster.server.replace(/\/+$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method: req.method ?? 'GET', headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const headers = opts.headers as Record<string, string>;
    headers['Accept'] = req.accept ?? 'application/json';
    headers['User-Agent'] = 'kube-forecast';
    if (req.body !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
    return { opts, url };
  }
}

/** `Retry-After` as whole seconds (kube-apiserver sends seconds; an HTTP date is not used by it). */
function retryAfterSeconds(h: string | undefined): number | undefined {
  const n = h === undefined ? NaN : Number(h.trim());
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function parseWarnings(h: string | string[] | undefined): string[] {
  if (!h) return [];
  const list = Array.isArray(h) ? h : [h];
  // Warning: 299 - "message"
  return list.map((w) => w.replace(/^\d{3}\s+\S+\s+"?/, '').replace(/"$/, ''));
}

function networkError(e: Error & { code?: string }, server: string): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot reach ${server}: connection refused`;
    case 'ENOTFOUND':
      return `cannot reach ${server}: host not found`;
    case 'ETIMEDOUT':
      return `cannot reach ${server}: timed out`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `cannot verify ${server}'s certificate (${e.code}); check certificate-authority in the kubeconfig`;
    default:
      return `cannot reach ${server}: ${e.message}`;
  }
}

/** Exec/OIDC plugin failures: keep the plugin's first line (it never contains the token). */
function authError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `authentication failed: ${(msg.split('\n')[0] ?? msg).slice(0, 300)}`;
}
