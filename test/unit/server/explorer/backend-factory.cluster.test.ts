/**
 * The backend factory against a cluster (the simulated one or the real control plane; see
 * test/clusters/test-cluster.ts): KUBECONFIG files merged (every context listed, none written), exec
 * credential plugins found on the configured PATH with their stderr prompts surfaced, kubeconfig
 * changes picked up, and clear errors for a missing context.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeBackendFactory } from '@src/server/explorer/backend-factory';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { until } from './helpers';

process.env['KF_NO_LOGIN_SHELL'] = '1';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
});

function kubeconfig(
  creds: { server: string; ca: string },
  contexts: { name: string; user: Record<string, unknown> }[],
  current: string,
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: [
      {
        name: 'c',
        cluster: { server: creds.server, 'certificate-authority-data': Buffer.from(creds.ca).toString('base64') },
      },
    ],
    users: contexts.map((c) => ({ name: `u-${c.name}`, user: c.user })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: 'c', user: `u-${c.name}` } })),
  });
}

test('KUBECONFIG with two files: every context is listed, the first current-context wins, and no file is written', async () => {
  const creds = cluster.credentials();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-factory-'));
  const a = path.join(dir, 'a.yaml');
  const b = path.join(dir, 'b.yaml');
  fs.writeFileSync(a, kubeconfig(creds, [{ name: 'alpha', user: { token: creds.adminToken } }], 'alpha'));
  fs.writeFileSync(b, kubeconfig(creds, [{ name: 'beta', user: { token: creds.viewerToken } }], 'beta'));
  const before = [fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8')];
  const factory = new KubeBackendFactory({
    simulatorScript: '/nonexistent',
    envKubeconfig: () => [a, b].join(path.delimiter),
    healthIntervalMs: 0,
  });
  try {
    const backend = await factory.create({ source: 'kubeconfig', kubeconfigPaths: [], context: '', namespaces: [] });
    assert.equal(backend.status.state, 'connected', backend.status.message);
    assert.equal(backend.status.context, 'alpha');
    assert.deepEqual(
      (await backend.children(null)).map((r) => [r.label, r.contextValue]),
      [
        ['alpha', 'context:active'],
        ['beta', 'context'],
      ],
    );
    // Editing a kubeconfig file (a new context) refreshes the root.
    const changes: string[][] = [];
    backend.onDidChangeTree?.((ids) => changes.push(ids));
    fs.writeFileSync(
      b,
      kubeconfig(
        creds,
        [
          { name: 'beta', user: { token: creds.viewerToken } },
          { name: 'gamma', user: { token: creds.viewerToken } },
        ],
        'beta',
      ),
    );
    const labels = await until(async () => {
      const l = (await backend.children(null)).map((r) => r.label);
      return l.includes('gamma') ? l : undefined;
    }, 5000);
    assert.deepEqual(labels, ['alpha', 'beta', 'gamma']);
    assert.ok(
      changes.some((ids) => ids.includes('')),
      'the client is told to re-read the root',
    );
    backend.dispose();
    assert.equal(fs.readFileSync(a, 'utf8'), before[0]);
    const missing = await factory.create({
      source: 'kubeconfig',
      kubeconfigPaths: [],
      context: 'nope',
      namespaces: [],
    });
    assert.equal(missing.status.state, 'error');
    assert.match(missing.status.message ?? '', /has no context "nope" \(it has alpha, beta, gamma\)/);
  } finally {
    factory.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an exec credential plugin is found on the configured PATH, and what it prints on stderr reaches the user', async () => {
  const creds = cluster.credentials();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-exec-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const plugin = path.join(bin, 'kf-test-login');
  fs.writeFileSync(
    plugin,
    `#!/bin/sh\necho "To sign in, open https://login.example/device and enter the code ABCD-1234" >&2\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${creds.adminToken}"}}'\n`,
    { mode: 0o755 },
  );
  const config = path.join(dir, 'config');
  fs.writeFileSync(
    config,
    kubeconfig(
      creds,
      [
        {
          name: 'sso',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'kf-test-login',
              interactiveMode: 'IfAvailable',
            },
          },
        },
      ],
      'sso',
    ),
  );
  const prompts: string[] = [];
  const savedPath = process.env['PATH'];
  const factory = new KubeBackendFactory({
    simulatorScript: '/nonexistent',
    envKubeconfig: () => config,
    healthIntervalMs: 0,
    authSettings: async () => ({ useLoginShellPath: false, extraPath: [bin] }),
    onAuthPrompt: (_ctx, text) => prompts.push(text),
  });
  try {
    const backend = await factory.create({ source: 'kubeconfig', kubeconfigPaths: [], context: '', namespaces: [] });
    assert.equal(backend.status.state, 'connected', backend.status.message);
    assert.ok(
      prompts.some((p) => p.includes('ABCD-1234')),
      `prompts: ${JSON.stringify(prompts)}`,
    );
    assert.ok(!prompts.join('').includes(creds.adminToken), 'the credential itself is never surfaced');
    backend.dispose();
  } finally {
    process.env['PATH'] = savedPath;
    factory.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
