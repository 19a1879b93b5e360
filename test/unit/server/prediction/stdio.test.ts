/**
 * Other editors: the language server over stdio, choosing its cluster from initializationOptions
 * (`{ kubeconfig, context, namespaces }`), against a simulated cluster this test starts on 127.0.0.1:0.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = join(__dirname, '../../../..');

class LspClient {
  private buf = Buffer.alloc(0);
  private id = 0;
  private readonly pending = new Map<number, (v: unknown) => void>();
  readonly diagnostics: {
    uri: string;
    diagnostics: { message: string; source?: string; range: unknown; data?: unknown }[];
  }[] = [];
  constructor(private readonly proc: ChildProcess) {
    proc.stdout!.on('data', (d: Buffer) => this.read(d));
  }
  private read(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const h = this.buf.indexOf('\r\n\r\n');
      if (h < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, h).toString())![1]);
      if (this.buf.length < h + 4 + len) return;
      const m = JSON.parse(this.buf.subarray(h + 4, h + 4 + len).toString());
      this.buf = this.buf.subarray(h + 4 + len);
      if (m.id !== undefined && m.method === undefined) {
        this.pending.get(m.id)?.(m.result ?? m.error);
        this.pending.delete(m.id);
      } else if (m.method === 'textDocument/publishDiagnostics') this.diagnostics.push(m.params);
      else if (m.id !== undefined)
        this.send({ id: m.id, result: m.method === 'workspace/configuration' ? [null] : null });
    }
  }
  send(msg: Record<string, unknown>): void {
    const s = JSON.stringify({ jsonrpc: '2.0', ...msg });
    this.proc.stdin!.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
  }
  request<T>(method: string, params: unknown): Promise<T> {
    const id = ++this.id;
    this.send({ id, method, params });
    return new Promise((r) => this.pending.set(id, r as (v: unknown) => void));
  }
}

async function until<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await probe();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    v = await probe();
  }
  return v;
}

describe('language server over stdio (other editors)', () => {
  let sim: ChildProcess | undefined;
  let server: ChildProcess | undefined;
  let client: LspClient;
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kf-stdio-')), 'kubeconfig.yaml');
  const uri = 'file:///work/app.yaml';
  let capabilities: Record<string, unknown> = {};

  before(async () => {
    sim = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/simulator/main.ts'),
        '--port',
        '0',
        '--nodes',
        '3',
        '--kubeconfig-out',
        kubeconfig,
      ],
      {
        stdio: 'ignore',
      },
    );
    await until(
      () => existsSync(kubeconfig) && readFileSync(kubeconfig, 'utf8').includes('current-context'),
      (v) => v,
    );
    server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server/main.ts'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    client = new LspClient(server);
    ({ capabilities } = await client.request<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { codeLens: { refreshSupport: true } } },
      initializationOptions: { kubeconfig, context: 'kube-forecast-sim', namespaces: [] },
    }));
    client.send({ method: 'initialized', params: {} });
    client.send({
      method: 'textDocument/didOpen',
      params: {
        textDocument: {
          uri,
          languageId: 'yaml',
          version: 1,
          text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      resources:\n        requests:\n          cpus: 100m\n',
        },
      },
    });
  });

  after(() => {
    server?.kill();
    sim?.kill();
  });

  test('lenses predict on the cluster named in initializationOptions', async () => {
    const lenses = await until(
      () => client.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } }),
      (l) => l.length > 0 && /^→ \S+ \d+ · \d+\/3 nodes fit$/.test(l[0]!.command.title),
    );
    assert.match(lenses[0]!.command.title, /^→ \S+ \d+ · \d+\/3 nodes fit$/);
    assert.equal(lenses[1]?.command.title, 'Create');
  });

  test('diagnostics come from kube-forecast', async () => {
    const d = await until(
      () => client.diagnostics.filter((x) => x.uri === uri).at(-1)?.diagnostics ?? [],
      (x) => x.length > 0,
    );
    assert.equal(d[0]?.source, 'kube-forecast');
    assert.match(d[0]!.message, /"cpus" is not a valid resource name/);
  });

  test('quick fixes: advertised, carried by the diagnostics and answered as code actions', async () => {
    assert.deepEqual(capabilities['codeActionProvider'], { codeActionKinds: ['quickfix'] });
    const fixUri = 'file:///work/fix.yaml';
    client.send({
      method: 'textDocument/didOpen',
      params: {
        textDocument: {
          uri: fixUri,
          languageId: 'yaml',
          version: 1,
          text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fix\nspec:\n  containers:\n    - name: web\n      image: nginx\n      resources:\n        requests:\n          cpu: 500\n',
        },
      },
    });
    // The cluster's largest node is in the message once the cluster is connected.
    const d = await until(
      () => client.diagnostics.filter((x) => x.uri === fixUri).at(-1)?.diagnostics ?? [],
      (x) => x.some((y) => /the largest node allocates/.test(y.message)),
    );
    assert.match(
      d[0]!.message,
      /^cpu: 500 requests 500 whole CPUs; the largest node allocates [\d.]+\. Did you mean 500m/,
    );
    const actions = await client.request<
      { title: string; kind: string; isPreferred?: boolean; edit: { changes: Record<string, unknown[]> } }[]
    >('textDocument/codeAction', {
      textDocument: { uri: fixUri },
      range: d[0]!.range,
      context: { diagnostics: d, only: ['quickfix'] },
    });
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [['Change to 500m', 'quickfix', true]],
    );
    assert.deepEqual(actions[0]!.edit.changes[fixUri], [
      { range: { start: { line: 10, character: 15 }, end: { line: 10, character: 18 } }, newText: '500m' },
    ]);
  });
});
