/**
 * A fault-injecting HTTPS reverse proxy on 127.0.0.1 in front of any API server (the simulated
 * cluster or the real kube-apiserver), so the same fault tests run against both.
 *
 * Contract: with no fault set it is transparent: method, path, query, headers (Authorization
 * included) and bodies pass both ways unchanged and streamed (watch and log streams stay open).
 * It terminates TLS with its own CA (`ca`), so clients authenticate with bearer tokens, not client
 * certificates. Faults follow the simulated cluster's `FaultSpec` (src/simulator/api/faults.ts):
 * a fixed status for the next N (or all) `/api*` requests, answered with kube-apiserver's own
 * `Status` bodies (a 410 on a watch arrives as a watch ERROR event, as a real resumed watch sees it),
 * latency, dropping every open watch stream, stalling them (open and silent: a connection that died
 * without closing), and a failing `/readyz` (kube-apiserver's text answer).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as E from '../../src/simulator/store/errors';
import { createServerTls, type CertKey } from '../../src/simulator/api/tls';

/** The faults a test can switch (a subset of the simulator's FaultSpec, same meaning). */
export interface ProxyFaults {
  /** End every open watch stream now (one-shot). */
  dropWatches?: boolean;
  /**
   * Stop forwarding every open watch stream now, leaving the client's connection open and silent until
   * the client closes it (one-shot; later watches pass as usual).
   */
  stallWatches?: boolean;
  /** Answer `/api*` requests with this status (410, 429, 500 or 503) until cleared. */
  status?: 410 | 429 | 500 | 503 | null;
  /** Only the next N such requests get `status`. */
  count?: number;
  /** Delay every `/api*` request by this many milliseconds. */
  latencyMs?: number;
  /** Answer `/readyz` with this status and kube-apiserver's failing-check text until cleared (null). */
  readyz?: 500 | null;
  /** Reset everything before applying the rest. */
  clear?: boolean;
}

/** One `/api*` request the proxy received (its audit log). */
export interface ProxiedRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** True when the query says `dryRun=All`. */
  dryRun: boolean;
  /** True for a watch (`?watch=1` or a `/watch/` path). */
  watch: boolean;
  /** The status sent back; undefined until the answer starts (or when the client left before it). */
  status?: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** Every `/api*` request received so far, in arrival order (recorded before any latency). */
  readonly requests: readonly ProxiedRequest[];
  /** https://127.0.0.1:PORT */
  url: string;
  /** The CA that signed the proxy's serving certificate. */
  ca: CertKey;
  set(f: ProxyFaults): void;
  close(): Promise<void>;
}

/** Options: where to forward, and the CA to trust upstream (absent for plain HTTP upstreams). */
export interface FaultProxyOptions {
  upstream: string;
  upstreamCA?: string;
}

function isWatch(url: URL): boolean {
  const w = url.searchParams.get('watch');
  return w === 'true' || w === '1' || url.pathname.includes('/watch/');
}

function sendStatus(res: http.ServerResponse, err: E.StatusError): void {
  const body = JSON.stringify(err.status);
  res.writeHead(err.code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...err.headers,
  });
  res.end(body);
}

/** Starts the proxy; see the file comment. */
export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(opts.upstream);
  const secure = upstream.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ keepAlive: true, ...(opts.upstreamCA !== undefined ? { ca: opts.upstreamCA } : {}) })
    : new http.Agent({ keepAlive: true });
  const tls = createServerTls();
  let status: ProxyFaults['status'];
  let remaining: number | undefined;
  let latencyMs = 0;
  let readyz: 500 | undefined;
  /** Each open watch stream's `drop` (end it) and `stall` (silence it). */
  const watches = new Set<{ drop: () => void; stall: () => void }>();
  const requests: ProxiedRequest[] = [];

  const takeStatus = (): number | undefined => {
    const s = status ?? undefined;
    if (s !== undefined && remaining !== undefined && --remaining <= 0) {
      status = undefined;
      remaining = undefined;
    }
    return s;
  };

  const server = https.createServer({ cert: tls.serving.cert, key: tls.serving.key }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://proxy');
      if (readyz !== undefined && url.pathname === '/readyz') {
        res.writeHead(readyz, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
        return;
      }
      const api = url.pathname.startsWith('/api');
      if (api) {
        const entry: ProxiedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          dryRun: url.searchParams.get('dryRun') === 'All',
          watch: isWatch(url),
        };
        requests.push(entry);
        const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => http.ServerResponse;
        res.writeHead = ((code: number, ...rest: unknown[]) => {
          entry.status = code;
          return writeHead(code, ...rest);
        }) as typeof res.writeHead;
      }
      if (api && latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
      const fault = api ? takeStatus() : undefined;
      if (fault === 410 && isWatch(url)) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        res.end(`{"type":"ERROR","object":${JSON.stringify(E.expired('too old resource version: 1 (2)').status)}}\n`);
        return;
      }
      if (fault !== undefined) {
        if (fault === 429) return sendStatus(res, E.tooManyRequests(1));
        if (fault === 410) return sendStatus(res, E.expired('too old resource version: 1 (2)'));
        if (fault === 500) return sendStatus(res, E.internalError('injected fault'));
        return sendStatus(res, E.serviceUnavailable());
      }
      const headers = { ...req.headers, host: upstream.host };
      const out = (secure ? https : http).request(
        {
          protocol: upstream.protocol,
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
          up.pipe(res);
          // An upstream that dies mid-answer (kube-apiserver restarting) cuts the client's connection too,
          // as a real proxy does: the client sees the stream break instead of waiting on it forever.
          up.on('close', () => {
            if (!up.complete) res.destroy();
          });
          if (isWatch(url)) {
            const w = {
              drop: (): void => {
                out.destroy();
                res.end();
              },
              stall: (): void => {
                up.unpipe(res);
                up.resume(); // read on, into nothing
                watches.delete(w);
              },
            };
            watches.add(w);
            res.on('close', () => watches.delete(w));
          }
        },
      );
      out.on('error', (e) => {
        if (!res.headersSent) sendStatus(res, E.serviceUnavailable(`proxy: upstream ${upstream.host}: ${e.message}`));
        else res.destroy();
      });
      req.on('aborted', () => out.destroy());
      res.on('close', () => out.destroy());
      req.pipe(out);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: tls.ca,
    requests,
    set(f: ProxyFaults): void {
      if (f.clear === true) {
        status = undefined;
        remaining = undefined;
        latencyMs = 0;
        readyz = undefined;
      }
      if (f.status === null) status = undefined;
      else if (f.status !== undefined) {
        status = f.status;
        remaining = f.count;
      }
      if (f.latencyMs !== undefined) latencyMs = f.latencyMs;
      if (f.readyz !== undefined) readyz = f.readyz ?? undefined;
      if (f.dropWatches === true) for (const w of [...watches]) w.drop();
      if (f.stallWatches === true) for (const w of [...watches]) w.stall();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const w of [...watches]) w.drop();
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
