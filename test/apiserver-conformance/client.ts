/**
 * The raw HTTPS client of the conformance run: one request as written (method, path, headers, body
 * bytes), one identity, and the whole answer back (status, headers, body bytes, JSON when it parses).
 * Watches are read as a stream of JSON lines until enough events arrived or a time limit passed.
 * Contract: never throws for an HTTP status; rejects only on transport errors.
 */
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** Who sends a request. */
export type Identity = 'admin' | 'viewer' | 'bad-token' | 'anonymous';

/** A client certificate or a bearer token (or nothing). */
export type Credential = { cert: string; key: string } | { token: string } | Record<string, never>;

/** One request of the sequence. */
export interface Request {
  method: string;
  path: string;
  /** Sent as JSON unless a string or a Buffer. */
  body?: unknown;
  /** Content-Type of the body (default application/json). */
  contentType?: string;
  /** Accept (default application/json). `null` sends no Accept header. */
  accept?: string | null;
  as?: Identity;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** One answer. */
export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The parsed JSON body, or the text, or undefined when empty. */
  body: unknown;
}

/** One watch event as received. */
export interface WatchEvent {
  type: string;
  object: unknown;
}

/** A stream of watch events. */
export interface WatchStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Events received so far. */
  readonly events: WatchEvent[];
  /** Text received that was not a JSON line (an error body). */
  readonly text: () => string;
  /** Resolves once `n` events (BOOKMARKs counted only when `countBookmarks`) arrived or `ms` passed or the stream ended. */
  waitFor(n: number, ms: number, countBookmarks?: boolean): Promise<void>;
  /** Resolves when the server ends the stream, or after `ms` (then false). */
  ended(ms: number): Promise<boolean>;
  close(): void;
}

/** A server and its identities. */
export class Client {
  private readonly agents = new Map<Identity, https.Agent>();

  constructor(
    readonly server: string,
    private readonly ca: string,
    private readonly creds: Record<Identity, Credential>,
  ) {}

  private agent(as: Identity): https.Agent {
    let a = this.agents.get(as);
    if (a === undefined) {
      const c = this.creds[as];
      a = new https.Agent({
        keepAlive: true,
        maxSockets: 16,
        ca: this.ca,
        ...('cert' in c ? { cert: c.cert, key: c.key } : {}),
      });
      this.agents.set(as, a);
    }
    return a;
  }

  private open(r: Request, timeoutMs: number): Promise<import('node:http').IncomingMessage> {
    const as = r.as ?? 'admin';
    const c = this.creds[as];
    const payload =
      r.body === undefined
        ? undefined
        : Buffer.isBuffer(r.body)
          ? r.body
          : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), 'utf8');
    const headers: Record<string, string | number> = {
      'User-Agent': 'kf-conformance/v1.0 (linux/amd64) kubernetes/conformance',
      ...(r.accept === null ? {} : { Accept: r.accept ?? 'application/json' }),
      ...('token' in c ? { Authorization: `Bearer ${c.token}` } : {}),
      ...(payload !== undefined
        ? { 'Content-Type': r.contentType ?? 'application/json', 'Content-Length': payload.length }
        : {}),
      ...r.headers,
    };
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(r.path, this.server),
        { method: r.method, agent: this.agent(as), headers, timeout: timeoutMs },
        resolve,
      );
      req.on('timeout', () => req.destroy(new Error(`${r.method} ${r.path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Sends one request and reads the whole answer. */
  async send(r: Request, timeoutMs = 30_000): Promise<Response> {
    const res = await this.open(r, timeoutMs);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      raw,
      body: parseBody(raw, res.headers['content-type']),
    };
  }

  /** Opens a watch (the request's path carries `watch=true` or is a legacy /watch/ path). */
  async watch(r: Request): Promise<WatchStream> {
    const res = await this.open(r, 60_000);
    const events: WatchEvent[] = [];
    let buf = '';
    let text = '';
    let done = false;
    const waiters = new Set<() => void>();
    const wake = (): void => {
      for (const w of [...waiters]) w();
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        const nl = buf.indexOf('\n');
        if (nl < 0) break;
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === '') continue;
        try {
          events.push(JSON.parse(line) as WatchEvent);
        } catch {
          text += line;
        }
      }
      wake();
    });
    const finish = (): void => {
      done = true;
      if (buf.trim() !== '') {
        try {
          events.push(JSON.parse(buf) as WatchEvent);
        } catch {
          text += buf;
        }
        buf = '';
      }
      wake();
    };
    res.on('end', finish);
    res.on('close', finish);
    res.on('error', finish);
    const wait = (ok: () => boolean, ms: number): Promise<boolean> =>
      new Promise((resolve) => {
        if (ok()) return resolve(true);
        const timer = setTimeout(() => {
          waiters.delete(check);
          resolve(false);
        }, ms);
        const check = (): void => {
          if (!ok()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(true);
        };
        waiters.add(check);
      });
    return {
      status: res.statusCode ?? 0,
      headers: res.headers,
      events,
      text: () => text,
      waitFor: async (n, ms, countBookmarks = false) => {
        await wait(() => done || events.filter((e) => countBookmarks || e.type !== 'BOOKMARK').length >= n, ms);
      },
      ended: (ms) => wait(() => done, ms),
      close: () => res.destroy(),
    };
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
  }
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('protobuf') || ct.includes('octet-stream')) return raw;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
