/**
 * A small LSP client over a pair of streams (a child's stdio, or in-memory streams to a server in
 * this process), with plain `Content-Length` framing so that a message may carry bytes that are not
 * valid UTF-8 (`notifyRaw`).
 *
 * Contract: `request` resolves with the answer (result or error) and its latency, or rejects with
 * `HangError` after `timeoutMs`; it never waits forever. Server-to-client requests are answered
 * (workspace/configuration with the fuzzer's settings, everything else with null). Diagnostics,
 * `window/logMessage` and `window/showMessage` are recorded for the caller to read and clear.
 */
import type { Readable, Writable } from 'node:stream';

/** One answer of the server. */
export interface Answer {
  result?: unknown;
  error?: { code: number; message: string };
  ms: number;
}

/** A diagnostics publication. */
export interface Published {
  version: number | undefined;
  count: number;
  messages: string[];
  /** The first 50 diagnostics as sent (for a codeAction request's context). */
  items: unknown[];
}

/** Raised when the server does not answer in time. */
export class HangError extends Error {
  constructor(
    readonly method: string,
    readonly ms: number,
  ) {
    super(`no answer to ${method} in ${ms} ms`);
  }
}

/** Raised when the connection ends (the server exited). */
export class ClosedError extends Error {}

/** The settings the fuzzer serves for the `kubeForecast` section: no debounce, so each input is fast. */
export const FUZZ_SETTINGS = { codeLens: { enabled: true }, prediction: { debounceMs: 0 }, schedulerProfile: '' };

/** The client. */
export class LspClient {
  private buf: Buffer = Buffer.alloc(0);
  private nextId = 0;
  private closed = false;
  private readonly pending = new Map<
    number,
    { method: string; t0: number; resolve: (a: Answer) => void; reject: (e: Error) => void }
  >();
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, Published>();
  /** Log and show messages (`[type] text`) since the last `takeLogs()`. */
  private logs: { type: number; message: string }[] = [];
  private diagWaiters: { uri: string; version: number; resolve: () => void }[] = [];
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();

  constructor(
    private readonly output: Writable,
    input: Readable,
  ) {
    input.on('data', (d: Buffer) => this.read(d));
    input.on('close', () => this.close());
    input.on('end', () => this.close());
  }

  /** Sends a request and waits for its answer. */
  request(method: string, params: unknown, timeoutMs = 10_000): Promise<Answer> {
    if (this.closed) return Promise.reject(new ClosedError(`connection closed before ${method}`));
    const id = ++this.nextId;
    const t0 = performance.now();
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HangError(method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        t0,
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.write(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method, params })));
    });
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): void {
    if (!this.closed) this.write(Buffer.from(JSON.stringify({ jsonrpc: '2.0', method, params })));
  }

  /**
   * Sends a notification whose params contain the string `placeholder` once; it is replaced by
   * `bytes` copied as they are (JSON-escaping only ASCII control characters, quotes and backslashes),
   * so the server receives exactly those bytes, valid UTF-8 or not.
   */
  notifyRaw(method: string, params: unknown, placeholder: string, bytes: Buffer): void {
    if (this.closed) return;
    const json = JSON.stringify({ jsonrpc: '2.0', method, params });
    const at = json.indexOf(placeholder);
    if (at < 0) throw new Error('notifyRaw: placeholder not found');
    this.write(
      Buffer.concat([
        Buffer.from(json.slice(0, at)),
        jsonBytes(bytes),
        Buffer.from(json.slice(at + placeholder.length)),
      ]),
    );
  }

  /** Resolves when diagnostics for `uri` at `version` (or later) arrive; rejects with HangError after `timeoutMs`. */
  waitDiagnostics(uri: string, version: number, timeoutMs = 10_000): Promise<number> {
    const t0 = performance.now();
    const have = this.diagnostics.get(uri);
    if (have !== undefined && (have.version ?? 0) >= version) return Promise.resolve(0);
    if (this.closed) return Promise.reject(new ClosedError('connection closed'));
    return new Promise((resolve, reject) => {
      const w = {
        uri,
        version,
        resolve: () => {
          clearTimeout(timer);
          resolve(performance.now() - t0);
        },
      };
      const timer = setTimeout(() => {
        this.diagWaiters = this.diagWaiters.filter((x) => x !== w);
        reject(new HangError('textDocument/publishDiagnostics', timeoutMs));
      }, timeoutMs);
      this.diagWaiters.push(w);
    });
  }

  /**
   * Calls `fn` with the params of every server notification or server-to-client request named
   * `method` (e.g. `kube/didChangeTree`, `workspace/codeLens/refresh`); requests are still answered as
   * the file comment says. Returns the remover.
   */
  on(method: string, fn: (params: unknown) => void): () => void {
    const list = this.listeners.get(method) ?? [];
    list.push(fn);
    this.listeners.set(method, list);
    return () =>
      this.listeners.set(
        method,
        (this.listeners.get(method) ?? []).filter((f) => f !== fn),
      );
  }

  /** The log messages received since the last call. */
  takeLogs(): { type: number; message: string }[] {
    const l = this.logs;
    this.logs = [];
    return l;
  }

  /** True once the connection ended. */
  get isClosed(): boolean {
    return this.closed;
  }

  private write(body: Buffer): void {
    this.output.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new ClosedError(`connection closed during ${p.method}`));
    this.pending.clear();
  }

  private read(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    for (;;) {
      const h = this.buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buf.subarray(0, h).toString('ascii'));
      const len = Number(m?.[1] ?? 0);
      if (this.buf.length < h + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(h + 4, h + 4 + len).toString('utf8')) as Message;
      this.buf = this.buf.subarray(h + 4 + len);
      this.dispatch(msg);
    }
  }

  private dispatch(msg: Message): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(Number(msg.id));
      if (p === undefined) return;
      this.pending.delete(Number(msg.id));
      const ms = performance.now() - p.t0;
      p.resolve(msg.error !== undefined ? { error: msg.error, ms } : { result: msg.result, ms });
      return;
    }
    if (msg.method !== undefined) for (const fn of this.listeners.get(msg.method) ?? []) fn(msg.params);
    if (msg.method === 'textDocument/publishDiagnostics') {
      const p = msg.params as { uri: string; version?: number; diagnostics: { message: string }[] };
      const items = p.diagnostics.slice(0, 50);
      this.diagnostics.set(p.uri, {
        version: p.version,
        count: p.diagnostics.length,
        messages: p.diagnostics.map((d) => d.message),
        items,
      });
      const done = this.diagWaiters.filter((w) => w.uri === p.uri && (p.version ?? Infinity) >= w.version);
      this.diagWaiters = this.diagWaiters.filter((w) => !done.includes(w));
      for (const w of done) w.resolve();
      return;
    }
    if (msg.method === 'window/logMessage' || msg.method === 'window/showMessage') {
      const p = msg.params as { type: number; message: string };
      this.logs.push({ type: p.type, message: p.message });
      return;
    }
    if (msg.id !== undefined && msg.method !== undefined) {
      let result: unknown = null;
      if (msg.method === 'workspace/configuration') {
        const items = (msg.params as { items?: { section?: string }[] }).items ?? [];
        result = items.map((i) => (i.section === 'kubeForecast' ? FUZZ_SETTINGS : null));
      }
      this.write(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result })));
    }
  }
}

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** `bytes` as the inside of a JSON string: bytes >= 0x80 copied raw, ASCII escaped as JSON requires. */
function jsonBytes(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b >= 0x80) out.push(b);
    else {
      const s = JSON.stringify(String.fromCharCode(b)).slice(1, -1);
      for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
    }
  }
  return Buffer.from(out);
}
