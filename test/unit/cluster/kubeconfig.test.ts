import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { forContext, kubeconfigPaths, loadKubeconfig } from '@src/cluster/kubeconfig';
import { mergePaths } from '@src/cluster/login-shell-path';

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kf-kc-'));
}

function kubeconfig(
  current: string,
  entries: { ctx: string; cluster: string; server: string; user: string; token: string }[],
): string {
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: "${current}"`, 'clusters:'];
  for (const e of entries)
    lines.push(`- name: ${e.cluster}`, '  cluster:', `    server: ${e.server}`, '    certificate-authority: ca.crt');
  lines.push('users:');
  for (const e of entries) lines.push(`- name: ${e.user}`, '  user:', `    token: ${e.token}`);
  lines.push('contexts:');
  for (const e of entries)
    lines.push(
      `- name: ${e.ctx}`,
      '  context:',
      `    cluster: ${e.cluster}`,
      `    user: ${e.user}`,
      '    namespace: team-a',
    );
  return lines.join('\n') + '\n';
}

test('KUBECONFIG with several files merges like kubectl: first definition wins, first current-context wins', () => {
  const dir = tmpdir();
  const a = path.join(dir, 'a.yaml');
  const b = path.join(dir, 'b.yaml');
  fs.writeFileSync(
    a,
    kubeconfig('prod', [
      { ctx: 'prod', cluster: 'c1', server: 'https://a.example:6443', user: 'u1', token: 'secret-a' },
    ]),
  );
  fs.writeFileSync(
    b,
    kubeconfig('dev', [
      { ctx: 'dev', cluster: 'c2', server: 'https://b.example:6443', user: 'u2', token: 'secret-b' },
      { ctx: 'prod', cluster: 'c1', server: 'https://shadowed.example', user: 'u1', token: 'secret-c' },
    ]),
  );
  const before = fs.readFileSync(a, 'utf8');
  const loaded = loadKubeconfig({
    envKubeconfig: [a, path.join(dir, 'missing.yaml'), b].join(path.delimiter),
    home: dir,
  });
  assert.deepEqual(loaded.files, [a, b]);
  assert.equal(loaded.problems.length, 1);
  assert.match(loaded.problems[0]!, /missing\.yaml: no such file/);
  assert.equal(loaded.currentContext, 'prod');
  assert.deepEqual(
    loaded.contexts.map((c) => [c.name, c.server, c.namespace]),
    [
      ['prod', 'https://a.example:6443', 'team-a'],
      ['dev', 'https://b.example:6443', 'team-a'],
    ],
  );
  // Relative certificate paths resolve against the file that named them.
  assert.equal(loaded.config.getCluster('c1')?.caFile, path.join(dir, 'ca.crt'));
  // Choosing a context never writes the kubeconfig and never changes the merged config.
  const dev = forContext(loaded, 'dev');
  assert.equal(dev?.getCurrentContext(), 'dev');
  assert.equal(loaded.config.getCurrentContext(), 'prod');
  assert.equal(fs.readFileSync(a, 'utf8'), before);
  assert.equal(forContext(loaded, 'nope'), undefined);
});

test('the explicit setting wins over KUBECONFIG, which wins over ~/.kube/config', () => {
  const home = '/home/someone';
  assert.deepEqual(kubeconfigPaths({ explicitPath: '~/k.yaml', envKubeconfig: '/x', home }), ['/home/someone/k.yaml']);
  assert.deepEqual(kubeconfigPaths({ envKubeconfig: `/x${path.delimiter}/y`, home }), ['/x', '/y']);
  assert.deepEqual(kubeconfigPaths({ home }), ['/home/someone/.kube/config']);
});

test('a broken kubeconfig is a problem naming the file, without its content', () => {
  const dir = tmpdir();
  const f = path.join(dir, 'broken.yaml');
  fs.writeFileSync(f, 'apiVersion: v1\nusers:\n- name: u\n  user:\n    token: "s3cr3t\n  bad: [\n');
  const loaded = loadKubeconfig({ explicitPath: f });
  assert.equal(loaded.files.length, 0);
  assert.equal(loaded.problems.length, 1);
  assert.ok(loaded.problems[0]!.startsWith(f + ':'));
  assert.ok(!loaded.problems[0]!.includes('s3cr3t'));
  assert.deepEqual(loaded.contexts, []);
});

test('login shell PATH entries come first, without duplicates', () => {
  const d = path.delimiter;
  assert.equal(mergePaths(`/opt/aws/bin${d}/usr/bin`, `/usr/bin${d}/bin`), `/opt/aws/bin${d}/usr/bin${d}/bin`);
});
