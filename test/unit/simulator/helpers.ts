/**
 * Test helpers for the simulator: start a server on 127.0.0.1:0, make raw HTTP(S) requests, read watch
 * streams line by line.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import * as http from 'node:http';
import * as https from 'node:https';
import { type Simulator, type SimulatorOptions, startSimulator } from '@src/simulator/api/server';

/** A response as the tests see it. */
export interface Resp {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Request options. */
export interface ReqOpts {
  body?: unknown;
  /** Content-Type (default application/json when a body is given). */
  ctype?: string;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends none; default the admin token. */
  token?: string | null;
  cert?: { cert: string; key: string };
}

/** Starts a simulator (plain HTTP unless `tls`), runs `fn`, always closes it. */
export async function withSim<T>(opts: SimulatorOptions, fn: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ onError: () => {}, ...opts });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

/** Makes one request and reads the whole response. */
export function call(sim: Simulator, method: string, path: string, o: ReqOpts = {}): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) };
    const token = o.token === undefined ? sim.adminToken : o.token;
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    let payload: Buffer | undefined;
    if (o.body !== undefined) {
      payload = Buffer.isBuffer(o.body)
        ? o.body
        : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
      headers['Content-Type'] = o.ctype ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const u = new URL(path, sim.url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      {
        method,
        headers,
        ...(sim.tls !== undefined ? { ca: sim.tls.ca.cert } : {}),
        ...(o.cert !== undefined ? { cert: o.cert.cert, key: o.cert.key } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** An open watch stream collecting parsed events. */
export interface WatchStream {
  events: any[];
  status: number;
  /** Resolves when `n` events arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<any[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a watch (`path` must include watch=true) and parses the JSON lines. */
export function openWatch(sim: Simulator, path: string, o: ReqOpts = {}): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) };
    const token = o.token === undefined ? sim.adminToken : o.token;
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    const u = new URL(path, sim.url);
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      { method: 'GET', headers, ...(sim.tls !== undefined ? { ca: sim.tls.ca.cert } : {}) },
      (res) => {
        const events: any[] = [];
        let buf = '';
        const waiters: (() => void)[] = [];
        let endResolve: () => void = () => {};
        const ended = new Promise<void>((r) => (endResolve = r));
        res.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim() !== '') events.push(JSON.parse(line));
          }
          for (const w of [...waiters]) w();
        });
        res.on('end', () => {
          endResolve();
          for (const w of [...waiters]) w();
        });
        res.on('error', () => endResolve());
        resolve({
          events,
          status: res.statusCode ?? 0,
          ended,
          waitFor(n: number, ms = 3000) {
            return new Promise((res2, rej2) => {
              const check = (): void => {
                if (events.length >= n) {
                  clearTimeout(t);
                  waiters.splice(waiters.indexOf(check), 1);
                  res2(events.slice(0, n));
                }
              };
              const t = setTimeout(() => {
                waiters.splice(waiters.indexOf(check), 1);
                rej2(
                  new Error(
                    `timed out waiting for ${n} events, got ${events.length}: ${JSON.stringify(events.map((e) => e.type))}`,
                  ),
                );
              }, ms);
              waiters.push(check);
              check();
            });
          },
          close() {
            req.destroy();
          },
        });
      },
    );
    req.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}

/** A minimal valid pod manifest. */
export function pod(name: string, extra: Record<string, any> = {}): Record<string, any> {
  const { metadata, spec, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(metadata ?? {}) },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(spec ?? {}) },
    ...rest,
  };
}

/** A minimal valid deployment manifest. */
export function deployment(name: string, replicas = 1): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
    },
  };
}

/** A CRD for `widgets.example.com` (namespaced, kind Widget) with optional printer columns. */
export function widgetCrd(columns?: unknown[]): Record<string, any> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          ...(columns !== undefined ? { additionalPrinterColumns: columns } : {}),
        },
      ],
    },
  };
}

/** Waits until `pred` holds (polling every 10 ms), or throws after `ms`. */
export async function until(pred: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
