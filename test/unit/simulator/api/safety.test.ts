/**
 * The simulated cluster is safe to leave running (issue 13, item 4), proven over real HTTPS against a
 * running server: no credentials → 401 / 403 as system:anonymous and never 200; loopback only with a
 * random token per run that the CLI never prints; Host checked against DNS rebinding; no CORS headers;
 * huge bodies, YAML alias bombs and bad snapshot files fail fast with a clear error.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- responses are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { call, withSim } from '@test/unit/simulator/helpers';
import type { Simulator } from '@src/simulator/api/server';
import { MAX_BODY_BYTES } from '@src/simulator/api/http-util';
import { loadSnapshot } from '@src/simulator/demo/snapshot';
import { parseArgs } from '@src/simulator/main';

const SECRETS = '/api/v1/namespaces/default/secrets';

/** A YAML alias bomb: 9 levels of 9 aliases, 9^9 (387 million) leaves once expanded, 1 KB of text. */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  return lines.join('\n') + '\n';
}

/** One raw HTTPS request with full control of the headers (Host included). */
function raw(
  sim: Simulator,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, any>; json: any; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: sim.port, method, path, headers, ca: sim.tls!.ca.cert, servername: 'localhost' },
      (res) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => {
          let json: any;
          try {
            json = JSON.parse(s);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json, ms: Date.now() - t0 });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

test('a request without credentials gets 403 as system:anonymous (or 401 with a bad one), never 200: Secrets included, over HTTPS and plain HTTP', async () => {
  // TLS is the CLI's default; plain HTTP models kube-apiserver's old insecure port (full access) unless
  // allowAnonymous is false.
  for (const tls of [true, false]) {
    await withSim({ tls, allowAnonymous: false }, async (sim) => {
      await call(sim, 'POST', SECRETS, {
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } },
      });
      const paths = [
        SECRETS,
        `${SECRETS}/s`,
        '/api/v1/secrets',
        `${SECRETS}?watch=true`,
        '/api/v1/namespaces',
        '/api/v1/nodes',
        '/api',
        '/apis',
        '/api/v1',
        '/apis/apps/v1',
        '/openapi/v2',
        '/openapi/v3',
        '/__sim/faults',
        '/metrics',
      ];
      for (const p of paths) {
        const bad = await call(sim, 'GET', p, { token: 'not-a-token' });
        assert.equal(bad.status, 401, `bad token ${p}`);
        assert.equal(bad.json.message, 'Unauthorized');
        const r = await call(sim, 'GET', p, { token: null });
        assert.equal(r.status, 403, `${tls ? 'https' : 'http'} GET ${p}: ${r.text}`);
        assert.equal(r.json.kind, 'Status', p);
        assert.match(r.json.message, /User "system:anonymous" cannot (get|list|watch)/, p);
        assert.doesNotMatch(r.text, /"k":|dg==/, p);
      }
      const writes: [string, string, unknown][] = [
        ['POST', SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }],
        ['DELETE', `${SECRETS}/s`, undefined],
        ['PATCH', `${SECRETS}/s`, { data: {} }],
        ['POST', '/__sim/faults', { status: 500 }],
        ['POST', '/__sim/compact', {}],
      ];
      for (const [m, p, body] of writes) {
        const r = await call(sim, m, p, {
          token: null,
          ...(body !== undefined ? { body } : {}),
          ...(m === 'PATCH' ? { ctype: 'application/merge-patch+json' } : {}),
        });
        assert.equal(r.status, 403, `${m} ${p}: ${r.text}`);
        assert.match(r.json.message, /system:anonymous/);
      }
      // The read-only user may not reach the admin endpoints either.
      assert.equal((await call(sim, 'POST', '/__sim/faults', { token: sim.readOnlyToken, body: {} })).status, 403);
      assert.doesNotMatch(JSON.stringify(sim.faults.describe()), /500/);
      // What system:public-info-viewer allows stays public.
      for (const p of ['/version', '/healthz', '/livez', '/readyz'])
        assert.equal((await call(sim, 'GET', p, { token: null })).status, 200, p);
      assert.equal(sim.store.count({ group: '', resource: 'secrets' }, 'default'), 1);
    });
  }
});

test('it listens on loopback only, with a random token per run', async () => {
  await withSim({ tls: true }, async (a) => {
    await withSim({ tls: true }, async (b) => {
      assert.match(a.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      for (const t of [a.adminToken, a.readOnlyToken, b.adminToken]) assert.match(t, /-[0-9a-f]{32}$/);
      assert.notEqual(a.adminToken, b.adminToken);
      assert.notEqual(a.readOnlyToken, b.readOnlyToken);
      // Every non-loopback address of this machine refuses the port.
      const external = Object.values(networkInterfaces())
        .flat()
        .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
        .map((i) => i!.address);
      for (const addr of external) {
        const err = await new Promise<string>((resolve) => {
          const s = net.connect({ host: addr, port: a.port });
          s.setTimeout(2000, () => {
            s.destroy();
            resolve('timeout');
          });
          s.on('connect', () => {
            s.destroy();
            resolve('connected');
          });
          s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        });
        assert.notEqual(err, 'connected', `${addr}:${a.port} accepted a connection`);
      }
    });
  });
});

test('the CLI serves TLS by default', () => {
  assert.equal(parseArgs([]).tls, true);
  assert.equal(parseArgs(['--plain-http']).tls, false);
});

test('a Host that is not the loopback address it serves is refused (DNS rebinding); kubectl-style Hosts work', async () => {
  await withSim({ tls: true }, async (sim) => {
    const auth = { Authorization: `Bearer ${sim.adminToken}`, Accept: 'application/json' };
    for (const host of [
      `127.0.0.1:${sim.port}`,
      `localhost:${sim.port}`,
      `[::1]:${sim.port}`,
      `LocalHost:${sim.port}`,
    ]) {
      const r = await raw(sim, 'GET', '/api/v1/namespaces', { ...auth, Host: host });
      assert.equal(r.status, 200, host);
    }
    for (const host of [
      `evil.example:${sim.port}`,
      'evil.example',
      `127.0.0.1:${sim.port + 1}`,
      `localhost:${sim.port + 1}`,
      `localhost.evil.example:${sim.port}`,
      `127.0.0.2:${sim.port}`,
    ]) {
      for (const h of [auth, { Accept: 'application/json' }]) {
        const r = await raw(sim, 'GET', SECRETS, { ...h, Host: host });
        assert.equal(r.status, 403, host);
        assert.equal(r.json.kind, 'Status');
        assert.equal(r.json.reason, 'Forbidden');
        assert.match(r.json.message, /is not this server's address .*DNS rebinding/, host);
        assert.ok(r.json.message.includes(JSON.stringify(host)), r.json.message);
      }
    }
    // Public endpoints too: a rebinding page learns nothing.
    assert.equal((await raw(sim, 'GET', '/version', { Host: 'evil.example' })).status, 403);
  });
});

test('it sends no CORS headers, to simple requests or preflights from any Origin', async () => {
  await withSim({ tls: true }, async (sim) => {
    const origin = { Origin: 'https://evil.example' };
    const tries = [
      await raw(sim, 'GET', '/version', origin),
      await raw(sim, 'GET', SECRETS, { ...origin, Authorization: `Bearer ${sim.adminToken}` }),
      await raw(sim, 'GET', SECRETS, origin),
      await raw(sim, 'OPTIONS', SECRETS, {
        ...origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      }),
      await raw(sim, 'OPTIONS', '/version', { ...origin, 'Access-Control-Request-Method': 'GET' }),
    ];
    for (const r of tries) {
      const cors = Object.keys(r.headers).filter((h) => h.startsWith('access-control-'));
      assert.deepEqual(cors, [], JSON.stringify(r.headers));
    }
  });
});

test('bodies over kube-apiserver’s 3 MiB limit get 413 at once, declared or streamed, without being buffered', async () => {
  assert.equal(MAX_BODY_BYTES, 3 * 1024 * 1024); // staging/src/k8s.io/apiserver/pkg/server/config.go MaxRequestBodyBytes
  await withSim({ tls: true }, async (sim) => {
    const auth = { Authorization: `Bearer ${sim.adminToken}`, 'Content-Type': 'application/json' };
    // Declared too large: answered before a byte of the body is sent.
    const declared = await new Promise<any>((resolve, reject) => {
      const t0 = Date.now();
      const req = https.request(
        {
          host: '127.0.0.1',
          port: sim.port,
          method: 'POST',
          path: SECRETS,
          ca: sim.tls!.ca.cert,
          servername: 'localhost',
          headers: { ...auth, 'Content-Length': String(1024 * 1024 * 1024) },
        },
        (res) => {
          let s = '';
          res.on('data', (c: Buffer) => (s += c.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode, json: JSON.parse(s), ms: Date.now() - t0 });
            req.destroy();
          });
        },
      );
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      req.flushHeaders();
    });
    assert.equal(declared.status, 413);
    assert.equal(declared.json.reason, 'RequestEntityTooLarge');
    assert.equal(declared.json.message, 'Request entity too large: limit is 3145728');
    assert.ok(declared.ms < 2000, `${declared.ms} ms`);
    // Chunked (no length): refused once 3 MiB arrived; the 1 GiB the client offers is never sent.
    const streamed = await new Promise<any>((resolve, reject) => {
      const t0 = Date.now();
      let sent = 0;
      const req = https.request(
        {
          host: '127.0.0.1',
          port: sim.port,
          method: 'POST',
          path: SECRETS,
          ca: sim.tls!.ca.cert,
          servername: 'localhost',
          headers: { ...auth, 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          let s = '';
          res.on('data', (c: Buffer) => (s += c.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode, json: JSON.parse(s), ms: Date.now() - t0, sent });
            req.destroy();
          });
        },
      );
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 1024 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });
    assert.equal(streamed.status, 413);
    assert.equal(streamed.json.message, 'Request entity too large: limit is 3145728');
    assert.ok(streamed.sent < 64 * 1024 * 1024, `sent ${streamed.sent} bytes before the answer`);
    assert.ok(streamed.ms < 5000, `${streamed.ms} ms`);
    // The server is still fine.
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces')).status, 200);
  });
});

test('a YAML body that is an alias bomb is refused fast with 400, not expanded', async () => {
  await withSim({ tls: true }, async (sim) => {
    const body =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  x: "1"\nbomb:\n' +
      aliasBomb()
        .split('\n')
        .map((l) => (l === '' ? l : `  ${l}`))
        .join('\n');
    const t0 = Date.now();
    const r = await call(sim, 'PATCH', '/api/v1/namespaces/default/configmaps/bomb?fieldManager=t', {
      body,
      ctype: 'application/apply-patch+yaml',
    });
    const ms = Date.now() - t0;
    assert.equal(r.status, 400, r.text);
    assert.match(r.json.message, /yaml: document contains excessive aliasing/);
    assert.ok(ms < 2000, `${ms} ms`);
    // Ordinary anchors and aliases still work.
    const ok = await call(sim, 'PATCH', '/api/v1/namespaces/default/configmaps/fine?fieldManager=t', {
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n  labels: &l {a: b}\n  annotations: *l\n',
      ctype: 'application/apply-patch+yaml',
    });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.json.metadata.annotations, { a: 'b' });
  });
});

test('snapshot files that are too large or alias bombs fail fast with a clear error naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-sim-safety-'));
  try {
    const big = join(dir, 'big.yaml');
    const fd = openSync(big, 'w');
    closeSync(fd);
    // A sparse 300 MiB file: refused from its size, never read.
    const { truncateSync } = await import('node:fs');
    truncateSync(big, 300 * 1024 * 1024);
    let t0 = Date.now();
    const s1 = loadSnapshot(big);
    assert.ok(Date.now() - t0 < 1000);
    assert.deepEqual(s1.objects, []);
    assert.equal(s1.fatal, `snapshot ${big} is too large: 300.0 MiB, over the 256.0 MiB limit`);
    assert.equal(loadSnapshot(big, { maxBytes: 10 }).fatal?.includes(big), true);

    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(bomb, `apiVersion: v1\nkind: List\nitems: []\n${aliasBomb()}`);
    t0 = Date.now();
    const s2 = loadSnapshot(bomb);
    assert.ok(Date.now() - t0 < 2000);
    assert.deepEqual(s2.objects, []);
    assert.equal(
      s2.fatal,
      `snapshot ${bomb} refused: YAML document contains excessive aliasing (an alias bomb: its aliases expand far beyond its size)`,
    );

    // The CLI exits with that message at once instead of serving a half-loaded cluster.
    for (const f of [bomb, join(dir, 'missing.yaml')]) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', '--snapshot', f], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 1, err);
      assert.ok(err.includes(f), err);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'the CLI never prints its tokens; only the kubeconfig it writes (mode 0600) holds one',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-sim-safety-'));
    const kc = join(dir, 'kubeconfig');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/simulator/main.ts', '--port', '0', '--tls', '--kubeconfig-out', kc],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => /kubeconfig written/.test(out) && resolve());
        child.on('exit', (code) => reject(new Error(`exited with ${String(code)}: ${out}`)));
      });
      const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const cfg = yaml.load(readFileSync(kc, 'utf8')) as any;
      const token: string = cfg.users[0].user.token;
      assert.match(token, /^admin-[0-9a-f]{32}$/);
      // A failed and a successful request later: still nothing printed.
      const ca = Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
      for (const t of [token, `${token}x`])
        await new Promise<void>((resolve, reject) =>
          https
            .get(`${url}/api/v1/secrets`, { ca, headers: { Authorization: `Bearer ${t}` } }, (res) => {
              res.resume();
              res.on('end', resolve);
            })
            .on('error', reject),
        );
      // The check is for an absence (no token in the log): a grace period for the child's late output.
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(!out.includes(token.slice(6)), out);
      assert.equal((await import('node:fs')).statSync(kc).mode & 0o777, 0o600);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
