/**
 * A minimal HTTPS client for the launcher's and the tests' own calls to an API server (readiness,
 * Nodes, RBAC, test set-up), authenticated by a client certificate or a bearer token and trusting
 * only the given CA. Contract: `request` never throws for an HTTP status; it resolves
 * `{ status, body }` and rejects only on transport errors.
 */
import https from 'node:https';
import type { CertKey } from '../../src/simulator/api/tls';

/** A parsed response. */
export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
}

/** Who the client is: a client certificate, or a bearer token. */
export type Credential = CertKey | { token: string };

/** A client for one server and one identity. */
export class ApiClient {
  /** Reuses connections (a run of thousands of calls would otherwise pay a TLS handshake each); idle ones are unref'd by Node. */
  private readonly agent: https.Agent;

  constructor(
    readonly server: string,
    ca: string,
    private readonly cred: Credential,
  ) {
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      ca,
      ...('token' in cred ? {} : { cert: cred.cert, key: cred.key }),
    });
  }

  /**
   * Sends `method path` with an optional body (JSON unless it is a string; `contentType` defaults to JSON).
   * A GET that gets no answer within `timeoutMs` is sent again, twice at most, with twice the patience
   * each time (reads are idempotent, and a loaded 2-core machine can stall etcd for seconds); other
   * methods are sent once.
   */
  async request(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 10_000,
    contentType = 'application/json',
  ): Promise<ApiResponse> {
    for (let attempt = 0, patience = timeoutMs; ; attempt++, patience *= 2) {
      try {
        return await this.send(method, path, body, patience, contentType);
      } catch (e) {
        if (method !== 'GET' || attempt >= 2 || !(e instanceof NoAnswer)) throw e;
      }
    }
  }

  private send(
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
    contentType: string,
  ): Promise<ApiResponse> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            Accept: 'application/json',
            ...('token' in this.cred ? { Authorization: `Bearer ${this.cred.token}` } : {}),
            ...(payload !== undefined
              ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // plain text (healthz)
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
        },
      );
      req.on('timeout', () => req.destroy(new NoAnswer(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

/** The server kept silent longer than the request's timeout. */
class NoAnswer extends Error {}

/** Polls `check` every `intervalMs` until it returns true; rejects with `describe()` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(describe());
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
