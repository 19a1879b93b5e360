/**
 * A minimal HTTPS client for the launcher's own calls to kube-apiserver (readiness, Nodes, RBAC),
 * authenticated by a client certificate and trusting only the run's CA. Contract: `request` never
 * throws for an HTTP status; it resolves `{ status, body }` and rejects only on transport errors.
 */
import https from 'node:https';
import type { CertKey } from '../../src/simulator/api/tls';

/** A parsed response. */
export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
}

/** A client for one server and one identity. */
export class ApiClient {
  constructor(
    readonly server: string,
    private readonly ca: string,
    private readonly cred: CertKey,
  ) {}

  /** Sends `method path` with an optional JSON body. */
  request(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<ApiResponse> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.ca,
          cert: this.cred.cert,
          key: this.cred.key,
          timeout: timeoutMs,
          headers: {
            Accept: 'application/json',
            ...(payload !== undefined
              ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
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
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

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
