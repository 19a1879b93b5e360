/**
 * No secret leaks (issue 13, item 5): one full session at the most verbose trace level, then a search
 * of everything written for every credential and every Secret value.
 *
 * The language server runs as its own process (`node --import tsx src/server/main.ts --stdio`, the
 * source of dist/server.js) with HOME, TMPDIR and XDG dirs of its own, against the simulated cluster
 * (TLS) with three kubeconfig users: a bearer token, a client certificate and an exec credential
 * plugin printing an ExecCredential. Each credential and each Secret value is a random, recognisable
 * string. The session: `$/setTrace` verbose; connect as each user; open the Secrets of a namespace in
 * the tree and each Secret's keys; View YAML and Describe of the Secret; Reveal Secret Value; Create
 * from a manifest holding a second Secret; Save Cluster Snapshot (written to a file as the client does).
 *
 * Searched afterwards, as raw text, base64 (at each of the three alignments) and URL-encoded:
 * - the protocol trace as the extension's output channel gets it: the client connection's verbose
 *   tracer, through the extension's redactTrace (src/client/util/trace-redact.ts);
 * - every message the server sent: notifications (window/logMessage, $/logTrace, kube/authPrompt,
 *   diagnostics, …), requests and responses, except the Reveal answer itself, which must hold the value;
 * - the server's stderr;
 * - every file under the server's HOME/TMPDIR and the snapshot file.
 * Goal: 0 occurrences; a failure names every place one occurred.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import {
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  SetTraceNotification,
  Trace,
  type Tracer,
} from 'vscode-languageserver-protocol';
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { redactTrace } from '@src/client/util/trace-redact';
import {
  connectCluster,
  listContexts,
  resourceText,
  saveClusterSnapshot,
  treeChildren,
  writeManifest,
  type TreeNode,
} from '@src/shared/protocol';
import { startSimulator, type Simulator } from '@src/simulator/api/server';
import { issueClientCert } from '@src/simulator/api/tls';
import { applyDefaults, ControllerManager, lookupFromStore } from '@src/simulator/controllers';
import { applySnapshot, loadSnapshot } from '@src/simulator/demo';
import { Store } from '@src/simulator/store/store';
import { ApiClient } from '@test/real-cluster/api-client';
import { forms, secret } from '@test/leaks/secret-forms';

const ROOT = path.resolve(__dirname, '../../..');
const NODES_FILE = path.join(ROOT, 'test', 'fixtures', 'clusters', 'three-nodes.yaml');
const NS = 'leak-check';

/** `[secret name, where]` for every form of every secret found in `text`. */
function occurrences(secrets: Map<string, string>, where: string, text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of secrets)
    for (const f of forms(value)) {
      const i = text.indexOf(f);
      if (i >= 0) found.push(`${name} in ${where}: …${text.slice(Math.max(0, i - 80), i + f.length + 20)}…`);
    }
  return found;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

describe('no secret leaks in a verbose session (token, client certificate, exec plugin)', () => {
  const secrets = new Map<string, string>([
    ['bearer token', secret()],
    ['exec plugin token', secret()],
    ['Secret value (existing)', secret()],
    ['Secret stringData value (existing)', secret()],
    ['Secret value (created from a manifest)', secret()],
    ['rejected bearer token', secret()],
    ['failing exec plugin argument', secret()],
    ['token in a broken kubeconfig', secret()],
    ['Secret value in a manifest that does not parse', secret()],
  ]);
  const get = (name: string): string => secrets.get(name)!;
  let sim: Simulator;
  let cm: ControllerManager;
  let server: ChildProcess;
  let client: MessageConnection;
  let work: string;
  let sandbox: string;
  let kubeconfig: string;
  let broken: string;
  const trace: string[] = [];
  const received: { what: string; text: string }[] = [];
  let stderr = '';
  let revealed: string | undefined;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-leak-work-'));
    sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-leak-home-'));
    const store = new Store({ gracefulPodDeletion: 'external' });
    applySnapshot(store, loadSnapshot(NODES_FILE, { registry: store.registry }).objects);
    const lookup = lookupFromStore(store);
    sim = await startSimulator({
      store,
      versionMinor: 37,
      onError: () => undefined,
      tls: true,
      admit: (_kind, obj) => applyDefaults(obj as never, lookup),
      tokens: [
        { token: get('bearer token'), user: 'leak-token', groups: ['system:masters'] },
        { token: get('exec plugin token'), user: 'leak-exec', groups: ['system:masters'] },
      ],
    });
    cm = new ControllerManager(store);
    cm.start();
    const tls = sim.tls!;
    const cert = issueClientCert(tls.ca, 'leak-cert', ['system:masters']);
    // The client key's PEM body: any 24 characters of it would betray it; search its middle.
    const keyBody = cert.key.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    secrets.set('client key (PEM body)', keyBody.slice(200, 260));
    secrets.set('client key (PEM)', cert.key.slice(40, 120));

    const admin = new ApiClient(sim.url, tls.ca.cert, { token: sim.adminToken });
    const made = await admin.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    });
    assert.equal(made.status, 201, made.text);
    const s = await admin.request('POST', `/api/v1/namespaces/${NS}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-credentials', namespace: NS },
      data: { password: Buffer.from(get('Secret value (existing)')).toString('base64') },
      stringData: { apiKey: get('Secret stringData value (existing)') },
    });
    assert.equal(s.status, 201, s.text);

    const plugin = path.join(work, 'exec-plugin.js');
    fs.writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token:${JSON.stringify(get('exec plugin token'))}}}));\n`,
    );
    const failing = path.join(work, 'failing-plugin.js');
    fs.writeFileSync(
      failing,
      `process.stderr.write('login failed: the identity provider said no\\n'); process.exit(1);\n`,
    );
    broken = path.join(work, 'broken-config');
    fs.writeFileSync(
      broken,
      `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: ${get('token in a broken kubeconfig')}\n   bad: indentation\n`,
      { mode: 0o600 },
    );
    kubeconfig = path.join(work, 'config');
    fs.writeFileSync(
      kubeconfig,
      yaml.dump({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'leak-token',
        clusters: [
          {
            name: 'sim',
            cluster: { server: sim.url, 'certificate-authority-data': Buffer.from(tls.ca.cert).toString('base64') },
          },
        ],
        users: [
          { name: 'token', user: { token: get('bearer token') } },
          {
            name: 'cert',
            user: {
              'client-certificate-data': Buffer.from(cert.cert).toString('base64'),
              'client-key-data': Buffer.from(cert.key).toString('base64'),
            },
          },
          { name: 'rejected', user: { token: get('rejected bearer token') } },
          {
            name: 'exec-fail',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: [failing, `--client-secret=${get('failing exec plugin argument')}`],
                interactiveMode: 'Never',
              },
            },
          },
          {
            name: 'exec',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: [plugin],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: ['token', 'cert', 'exec', 'rejected', 'exec-fail'].map((u) => ({
          name: `leak-${u}`,
          context: { cluster: 'sim', user: u, namespace: NS },
        })),
      }),
      { mode: 0o600 },
    );

    const home = path.join(sandbox, 'home');
    const tmp = path.join(sandbox, 'tmp');
    fs.mkdirSync(home);
    fs.mkdirSync(tmp);
    server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/server/main.ts'), '--stdio'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: home,
        TMPDIR: tmp,
        XDG_CACHE_HOME: path.join(home, '.cache'),
        XDG_CONFIG_HOME: path.join(home, '.config'),
        KUBECONFIG: kubeconfig,
      },
    });
    server.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    client = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    const tracer: Tracer = {
      // As vscode-languageclient writes a trace line: the message, a newline, the data.
      log: (message: string | object, data?: string) =>
        void trace.push(redactTrace(typeof message === 'string' && data ? `${message}\n${data}` : String(message))),
    };
    await client.trace(Trace.Verbose, tracer);
    client.onNotification((method, params) => {
      received.push({ what: `notification ${method}`, text: JSON.stringify(params) });
    });
    client.onRequest((method, params) => {
      received.push({ what: `request ${method}`, text: JSON.stringify(params) });
      return method === 'workspace/configuration' ? [] : null;
    });
    client.listen();
    const init = await client.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { window: { workDoneProgress: true } },
      workspaceFolders: null,
      trace: 'verbose',
    });
    received.push({ what: 'initialize result', text: JSON.stringify(init) });
    await client.sendNotification(InitializedNotification.type, {});
    await client.sendNotification(SetTraceNotification.type, { value: 'verbose' });
  });

  after(async () => {
    client?.dispose();
    server?.kill();
    cm?.stop();
    await sim?.close();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(sandbox, { recursive: true, force: true });
  });

  /** Sends a request, recording its answer among what the server sent. */
  async function ask<P, R>(type: { method: string } & object, params: P, record = true): Promise<R> {
    const r = (await client.sendRequest(type as never, params as never)) as R;
    if (record) received.push({ what: `response ${type.method}`, text: JSON.stringify(r) });
    return r;
  }

  /** The tree rows from the root down to the Secrets of NS, then each Secret's keys. */
  async function secretKeyRows(): Promise<TreeNode[]> {
    const interesting = (n: TreeNode): boolean =>
      /namespace|secret|config|leak|cluster|context/i.test(`${n.id} ${n.label}`) || n.kind === 'context';
    const keys: TreeNode[] = [];
    let frontier: (string | null)[] = [null];
    for (let depth = 0; depth < 7 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const id of frontier) {
        const rows = await ask<{ parentId: string | null }, TreeNode[]>(treeChildren, { parentId: id });
        for (const r of rows) {
          if (r.contextValue === 'secretkey') keys.push(r);
          else if (r.hasChildren && interesting(r)) next.push(r.id);
        }
      }
      frontier = next;
    }
    return keys;
  }

  test('a full session writes no credential and no Secret value anywhere', async () => {
    for (const context of ['leak-token', 'leak-cert', 'leak-exec']) {
      const status = await ask<unknown, { state: string; message?: string }>(connectCluster, {
        source: 'kubeconfig',
        kubeconfigPaths: [kubeconfig],
        context,
        namespaces: [],
      });
      assert.equal(status.state, 'connected', `${context}: ${status.message ?? ''}`);
      let keys: TreeNode[] = [];
      const deadline = Date.now() + 20_000;
      while (new Set((keys = await secretKeyRows()).map((k) => k.label)).size < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        [...new Set(keys.map((k) => k.label))].sort(),
        ['apiKey', 'password'],
        `${context}: the Secret's keys in the tree`,
      );
      const secretRow = keys[0]!.parentId!;
      for (const view of ['yaml', 'describe'] as const) {
        const t = await ask<unknown, { ok: boolean }>(resourceText, { nodeId: secretRow, view });
        assert.ok(t.ok, `${context}: ${view} of the Secret`);
      }
      // Reveal Secret Value: the one answer that must hold the value (not recorded as "written").
      const password = keys.find((k) => k.label === 'password')!;
      const shown = await ask<unknown, { ok: boolean; value?: string }>(
        resourceText,
        { nodeId: password.id, view: 'secretValue' },
        false,
      );
      assert.ok(shown.ok, `${context}: Reveal Secret Value`);
      revealed = shown.value;
      assert.equal(revealed, get('Secret value (existing)'));
    }

    // Create from a manifest holding a Secret (connected as the exec plugin's user).
    const uri = `file://${path.join(work, 'secret.yaml')}`;
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: created-from-manifest',
      `  namespace: ${NS}`,
      'data:',
      `  token: ${Buffer.from(get('Secret value (created from a manifest)')).toString('base64')}`,
      '',
    ].join('\n');
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text: manifest },
    });
    const written = await ask<unknown, { ok: boolean; value?: { results: { outcome: string; message?: string }[] } }>(
      writeManifest,
      { uri, version: 1, mode: 'create' },
    );
    assert.ok(written.ok, JSON.stringify(written));
    assert.equal(written.value?.results[0]?.outcome, 'created', JSON.stringify(written));

    // Save Cluster Snapshot: the client writes the answer to the file the user picked.
    const snap = await ask<unknown, { ok: boolean; value?: string }>(saveClusterSnapshot, undefined, false);
    assert.ok(snap.ok, JSON.stringify(snap));
    const snapshotFile = path.join(sandbox, 'tmp', 'cluster-snapshot.json');
    fs.writeFileSync(snapshotFile, snap.value!);
    assert.ok(snap.value!.includes(NS), "the snapshot holds the session's namespace");

    // What fails: a token the cluster rejects, an exec plugin that fails (a secret in its arguments),
    // a kubeconfig that does not parse (a token on the line of the error).
    for (const context of ['leak-rejected', 'leak-exec-fail']) {
      const status = await ask<unknown, { state: string; message?: string }>(connectCluster, {
        source: 'kubeconfig',
        kubeconfigPaths: [kubeconfig],
        context,
        namespaces: [],
      });
      assert.notEqual(status.state, 'connected', `${context}: ${JSON.stringify(status)}`);
    }
    await ask(listContexts, { kubeconfigPaths: [broken] });
    const none = await ask<unknown, { state: string }>(connectCluster, {
      source: 'kubeconfig',
      kubeconfigPaths: [broken],
      context: '',
      namespaces: [],
    });
    assert.notEqual(none.state, 'connected');

    // A Secret manifest with a YAML error on its data line: diagnostics and logs name the line, not its text.
    const brokenUri = `file://${path.join(work, 'broken-secret.yaml')}`;
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: {
        uri: brokenUri,
        languageId: 'yaml',
        version: 1,
        text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: broken\nstringData:\n  password: ${get(
          'Secret value in a manifest that does not parse',
        )}\n   bad: indentation\n  other: [unclosed\n`,
      },
    });
    await ask(writeManifest, { uri: brokenUri, version: 1, mode: 'create' });
    const diagnosed = Date.now() + 10_000;
    const brokenDiagnostics = (): boolean =>
      received.some(
        (m) =>
          m.what === 'notification textDocument/publishDiagnostics' &&
          m.text.includes('broken-secret.yaml') &&
          m.text.includes('"message"'),
      );
    while (!brokenDiagnostics() && Date.now() < diagnosed) await new Promise((r) => setTimeout(r, 100));
    assert.ok(brokenDiagnostics(), 'the broken Secret manifest has diagnostics');

    // Let late notifications (logMessage, traces, tree changes) arrive: the check is for an absence (no
    // secret anywhere), so a fixed grace period is the only wait that can cover what may still come.
    await new Promise((r) => setTimeout(r, 500));

    const found: string[] = [];
    found.push(...occurrences(secrets, 'the protocol trace (output channel)', trace.join('\n')));
    for (const m of received) found.push(...occurrences(secrets, m.what, m.text));
    found.push(...occurrences(secrets, 'server stderr', stderr));
    for (const f of filesUnder(sandbox))
      found.push(...occurrences(secrets, path.relative(sandbox, f), fs.readFileSync(f).toString('latin1')));
    const counts = `${secrets.size} secrets × ${trace.length} trace lines, ${received.length} messages, ${
      stderr.length
    } B stderr, ${filesUnder(sandbox).length} files: ${found.length} occurrences`;
    console.log(`secret leaks: ${counts}`);
    assert.deepEqual(found, [], counts);
    // The search is not vacuous: the trace saw the session, and the Reveal answer held the value.
    assert.ok(
      trace.some((t) => t.includes('kube/resourceText')) && trace.some((t) => t.includes('textDocument/didOpen')),
    );
    assert.ok(occurrences(secrets, 'Reveal', revealed ?? '').length > 0);
  });
});
