/**
 * One watch of the campaign, as a client holds it: `GET <collection>?watch=1&resourceVersion=R`
 * over HTTPS, newline-delimited JSON events read as they stream. When the server ends the stream
 * (its timeout, or `timeoutSeconds` asked for) the watch resumes from the last resourceVersion it
 * saw (an event's or a bookmark's), as client-go's reflector does. Contract: `events` holds every
 * ADDED/MODIFIED/DELETED event received, in arrival order, across all connections; bookmarks only
 * advance the resume point; an ERROR event (410 Expired and the like) or a failed (re)connection
 * ends the watch with `error` set, since resuming by relisting would hide lost events.
 */
import https from 'node:https';
import type { Endpoint } from './writers';

/** What to watch. */
export interface WatchSpec {
  name: string;
  /** Collection path (namespaced or all namespaces). */
  path: string;
  kind: string;
  /** The namespace it is limited to (undefined: all namespaces). */
  namespace?: string;
  bookmarks: boolean;
  /** Asked of the server on every connection, so the server ends the stream (undefined: the server's default). */
  timeoutSeconds?: number;
  /** 'start': from the campaign's first resourceVersion; 'mid': from one taken during the load. */
  from: 'start' | 'mid';
}

/** One received event, reduced to what the checks read. */
export interface SeenEvent {
  type: string;
  /** `<namespace>/<name>`. */
  key: string;
  rv: string;
  /** The object carries a deletionTimestamp (a pod's graceful-deletion step). */
  terminating: boolean;
  /** Arrival time in ms since the load started (diagnostics). */
  at: number;
}

/** A running watch (see the file comment). */
export class Watch {
  readonly events: SeenEvent[] = [];
  bookmarks = 0;
  /** Connections made (1 + resumptions). */
  connections = 0;
  error: string | undefined;
  /** The resourceVersion it started from. */
  startRv = '';
  private lastRv = '';
  private stopped = false;
  private current: { destroy(): void } | undefined;
  private readonly agent: https.Agent;
  private finished!: Promise<void>;

  constructor(
    readonly spec: WatchSpec,
    private readonly endpoint: Endpoint,
    private readonly t0: number,
  ) {
    this.agent = new https.Agent({ keepAlive: false, ca: endpoint.ca });
  }

  /** The resourceVersion it would resume from. */
  get resumeRv(): string {
    return this.lastRv;
  }

  /** Starts watching from `rv` (events after it). */
  start(rv: string): void {
    this.startRv = rv;
    this.lastRv = rv;
    this.finished = this.loop();
  }

  /** Ends the watch; resolves once its stream is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.destroy();
    await this.finished;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped && this.error === undefined) {
      this.connections++;
      try {
        await this.connectOnce();
        failures = 0;
      } catch (e) {
        if (this.stopped) break;
        // A refused or reset connection is retried a few times from the same resourceVersion, as a
        // reflector would; an answer other than 200 is final.
        if (++failures > 5 || e instanceof WatchRefused) {
          this.error = e instanceof Error ? e.message : String(e);
          break;
        }
        await new Promise((r) => setTimeout(r, 200 * failures));
      }
    }
  }

  private connectOnce(): Promise<void> {
    const q = new URLSearchParams({ watch: '1', resourceVersion: this.lastRv });
    if (this.spec.bookmarks) q.set('allowWatchBookmarks', 'true');
    if (this.spec.timeoutSeconds !== undefined) q.set('timeoutSeconds', String(this.spec.timeoutSeconds));
    const url = new URL(`${this.spec.path}?${q}`, this.endpoint.server);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: 'GET',
          agent: this.agent,
          headers: { Accept: 'application/json', Authorization: `Bearer ${this.endpoint.token}` },
        },
        (res) => {
          if (res.statusCode !== 200) {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => reject(new WatchRefused(`watch ${this.spec.name}: HTTP ${res.statusCode} ${text}`)));
            return;
          }
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (line !== '') this.take(line);
            }
          });
          res.on('end', () => resolve());
          res.on('error', (e) => (this.stopped ? resolve() : reject(e)));
        },
      );
      this.current = req;
      req.on('error', (e) => (this.stopped ? resolve() : reject(e)));
      req.end();
    });
  }

  private take(line: string): void {
    const e = JSON.parse(line) as {
      type: string;
      object: {
        metadata?: { name?: string; namespace?: string; resourceVersion?: string; deletionTimestamp?: string };
        code?: number;
      };
    };
    const rv = e.object.metadata?.resourceVersion ?? '';
    if (e.type === 'ERROR') {
      this.error = `watch ${this.spec.name}: ERROR event ${JSON.stringify(e.object)}`;
      this.stopped = true;
      this.current?.destroy();
      return;
    }
    if (e.type === 'BOOKMARK') {
      this.bookmarks++;
      if (rv !== '' && Number(rv) > Number(this.lastRv)) this.lastRv = rv;
      return;
    }
    const m = e.object.metadata ?? {};
    this.events.push({
      type: e.type,
      key: `${m.namespace ?? ''}/${m.name ?? ''}`,
      rv,
      terminating: m.deletionTimestamp !== undefined,
      at: performance.now() - this.t0,
    });
    this.lastRv = rv;
  }
}

/** The server answered the watch request with something other than 200. */
class WatchRefused extends Error {}
