/**
 * What a behaviour of the sequence works with: requests that are recorded as observations (status,
 * content type, Warning header, body), watches, values carried between steps, and polling.
 * A behaviour's observations are an ordered list of labelled values; the run compares the two
 * servers' lists label by label.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON read by field path. */
import { createHash } from 'node:crypto';
import type { Request, Response, WatchEvent } from './client';
import type { Target } from './targets';

/** One labelled observation. */
export interface Observation {
  label: string;
  value: unknown;
}

/** How a response body is reduced before it is recorded (for objects other actors keep changing). */
export type View = (body: any) => unknown;

/** The context a behaviour runs in, for one target. */
export class Ctx {
  readonly observations: Observation[] = [];

  constructor(
    readonly target: Target,
    /** Values carried between behaviours (per target). */
    readonly vars: Map<string, any>,
  ) {}

  /** Sends a request without recording it. */
  send(r: Request): Promise<Response> {
    return this.target.client.send(r);
  }

  /** Sends a request and records what came back (optionally reduced by `view`). */
  async call(label: string, r: Request, view?: View): Promise<Response> {
    const res = await this.target.client.send(r);
    this.note(label, observe(res, view));
    return res;
  }

  /** Records a value. */
  note(label: string, value: unknown): void {
    this.observations.push({ label, value });
  }

  /**
   * Opens a watch, runs `during` (the writes it should see), waits for `events` events (BOOKMARKs
   * count only with `countBookmarks`) or `ms`, then `settleMs` more for events that should not come,
   * and records the status, content type and events (periodic BOOKMARKs dropped unless counted:
   * servers may send them at any time).
   */
  async watch(
    label: string,
    r: Request,
    opts: {
      events: number;
      ms?: number;
      settleMs?: number;
      during?: () => Promise<void>;
      countBookmarks?: boolean;
      view?: View;
    },
  ): Promise<WatchEvent[]> {
    const w = await this.target.client.watch(r);
    try {
      if (opts.during !== undefined) await opts.during();
      await w.waitFor(opts.events, opts.ms ?? 8000, opts.countBookmarks);
      if ((opts.settleMs ?? 300) > 0) await new Promise((res) => setTimeout(res, opts.settleMs ?? 300));
    } finally {
      w.close();
    }
    const events = w.events.filter((e) => opts.countBookmarks === true || e.type !== 'BOOKMARK');
    this.note(label, {
      status: w.status,
      contentType: w.headers['content-type'],
      ...(w.text() !== '' ? { text: w.text() } : {}),
      events: events.map((e) => ({
        type: e.type,
        object: opts.view !== undefined && e.type !== 'ERROR' && e.type !== 'BOOKMARK' ? opts.view(e.object) : e.object,
      })),
    });
    return w.events;
  }

  /** Polls `check` until true or `ms` passed; resolves whether it became true. */
  async until(check: () => Promise<boolean>, ms = 20_000, every = 250): Promise<boolean> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (await check()) return true;
      if (Date.now() > deadline) return false;
      await new Promise((res) => setTimeout(res, every));
    }
  }
}

/** What is recorded of a response. */
export function observe(res: Response, view?: View): unknown {
  const warning = res.headers['warning'];
  let body: unknown = res.body;
  if (Buffer.isBuffer(body)) body = describeBinary(body);
  // A view reduces any successful body (a watch stream is text: 'watch' stands for it).
  else if (view !== undefined && res.status < 300 && body !== undefined) body = view(body);
  return {
    status: res.status,
    contentType: res.headers['content-type'],
    ...(warning !== undefined ? { warning } : {}),
    body,
  };
}

/**
 * A binary body as something comparable: Kubernetes protobuf (`k8s\0` + runtime.Unknown) becomes its
 * envelope's TypeMeta and content type; anything else its length and SHA-256.
 */
export function describeBinary(b: Buffer): unknown {
  if (b.subarray(0, 4).toString('latin1') === 'k8s\0') {
    const fields = readMessage(b.subarray(4));
    const typeMeta = fields.get(1) !== undefined ? readMessage(fields.get(1)!) : new Map<number, Buffer>();
    return {
      protobuf: 'k8s\\0 runtime.Unknown',
      apiVersion: typeMeta.get(1)?.toString('utf8'),
      kind: typeMeta.get(2)?.toString('utf8'),
      contentEncoding: fields.get(3)?.toString('utf8') ?? '',
      contentType: fields.get(4)?.toString('utf8') ?? '',
    };
  }
  return { bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') };
}

/** The length-delimited fields of one protobuf message (last one wins). */
function readMessage(b: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const byte = b[i++]!;
      n += (byte & 0x7f) * mul;
      if ((byte & 0x80) === 0) return n;
      mul *= 128;
    }
  };
  while (i < b.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 2) {
      const len = varint();
      out.set(tag >>> 3, b.subarray(i, i + len));
      i += len;
    } else if (wire === 0) varint();
    else if (wire === 5) i += 4;
    else if (wire === 1) i += 8;
    else break;
  }
  return out;
}
