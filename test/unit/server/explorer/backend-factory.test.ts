/**
 * The backend factory against a simulated cluster: KUBECONFIG files merged (every context listed, none
 * written), exec credential plugins found on the configured PATH with their stderr prompts surfaced,
 * kubeconfig changes picked up, and clear errors for a missing context.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeBackendFactory } from '../../../../src/server/explorer/backend-factory';
import { startSimulator } from '../../../../src/simulator/api/server';
import { until } from './helpers';

process.env['KF_NO_LOGIN_SHELL'] = '1';

function kubeconfig(
  server: string,
  contexts: { name: string; user: Record<string, unknown> }[],
  current: string,
): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': current,
    clusters: [{ name: 'sim', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: contexts.map((c) => ({ name: `u-${c.name}`, user: c.user })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: 'sim', user: `u-${c.name}` } })),
  });
}

test('KUBECONFIG with two files: every context is listed, the first current-context wins, and no file is written', async () => {
  const sim = await startSimulator({ onError: () => undefined, allowAnonymous: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-factory-'));
  const a = path.join(dir, 'a.yaml');
  const b = path.join(dir, 'b.yaml');
  fs.writeFileSync(a, kubeconfig(sim.url, [{ name: 'alpha', user: { token: sim.adminToken } }], 'alpha'));
  fs.writeFileSync(b, kubeconfig(sim.url, [{ name: 'beta', user: { token: sim.readOnlyToken } }], 'beta'));
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
        sim.url,
        [
          { name: 'beta', user: { token: sim.readOnlyToken } },
          { name: 'gamma', user: { token: sim.readOnlyToken } },
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
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an exec credential plugin is found on the configured PATH, and what it prints on stderr reaches the user', async () => {
  const sim = await startSimulator({ onError: () => undefined, allowAnonymous: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-exec-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const plugin = path.join(bin, 'kf-test-login');
  fs.writeFileSync(
    plugin,
    `#!/bin/sh\necho "To sign in, open https://login.example/device and enter the code ABCD-1234" >&2\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${sim.adminToken}"}}'\n`,
    { mode: 0o755 },
  );
  const config = path.join(dir, 'config');
  fs.writeFileSync(
    config,
    kubeconfig(
      sim.url,
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
    assert.ok(!prompts.join('').includes(sim.adminToken), 'the credential itself is never surfaced');
    backend.dispose();
  } finally {
    process.env['PATH'] = savedPath;
    factory.dispose();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no kubeconfig at all: not connected, with a sentence naming the missing file', async () => {
  const factory = new KubeBackendFactory({
    simulatorScript: '/nonexistent',
    envKubeconfig: () => '/nonexistent/kubeconfig',
  });
  const backend = await factory.create({ source: 'kubeconfig', kubeconfigPaths: [], context: '', namespaces: [] });
  assert.equal(backend.status.state, 'none');
  assert.match(
    backend.status.message ?? '',
    /No cluster connected: no kubeconfig context found \(\/nonexistent\/kubeconfig: no such file\)/,
  );
  factory.dispose();
});

test('the simulated cluster cannot start without its script: an error status, not a rejection', async () => {
  const factory = new KubeBackendFactory({ simulatorScript: '/nonexistent/simulator.js' });
  const backend = await factory.create({ source: 'simulator' });
  assert.equal(backend.status.state, 'error');
  assert.match(
    backend.status.message ?? '',
    /Could not start the simulated cluster: the simulated cluster is not built/,
  );
  factory.dispose();
});
