import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseManifest } from '@src/server/services/manifest';
import { looksLikeKubernetesManifest } from '@src/shared/manifest-sniff';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../fixtures/manifests', name), 'utf8');

describe('parseManifest', () => {
  test('finds the pod spec of every workload kind, on the line that opens it', () => {
    const text = fixture('workloads.yaml');
    const lines = text.split('\n');
    const docs = parseManifest(text);
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['Deployment', 'ConfigMap', 'CronJob', 'StatefulSet', 'Service', 'DaemonSet', 'Job'],
    );
    const specs = docs.flatMap((d) =>
      d.podSpecs.map((s) => ({ kind: d.kind, path: s.path.join('.'), text: lines[s.line]?.trim() })),
    );
    assert.deepEqual(specs, [
      { kind: 'Deployment', path: 'spec.template', text: 'template:' },
      { kind: 'CronJob', path: 'spec.jobTemplate.spec.template', text: 'template:' },
      { kind: 'StatefulSet', path: 'spec.template', text: 'template:' },
      { kind: 'DaemonSet', path: 'spec.template', text: 'template:' },
      { kind: 'Job', path: 'spec.template', text: 'template:' },
    ]);
  });

  test('a Pod gets its lens on the spec line and carries name and kind', () => {
    const [doc] = parseManifest(fixture('pod.yaml'));
    assert.equal(doc?.kind, 'Pod');
    assert.equal(doc?.name, 'web');
    assert.deepEqual(
      doc?.podSpecs.map((s) => ({ path: s.path, line: s.line })),
      [{ path: [], line: 6 }],
    );
  });

  test('a broken document reports its error with a line, and the others still parse', () => {
    const docs = parseManifest(fixture('broken.yaml'));
    assert.equal(docs.length, 2);
    assert.equal(docs[0]?.error, undefined);
    assert.equal(docs[0]?.podSpecs.length, 1);
    assert.match(docs[1]?.error ?? '', /line \d+/);
    assert.equal(docs[1]?.podSpecs.length, 0);
  });

  const cases: { name: string; text: string; want: { kinds: (string | undefined)[]; specs: number } }[] = [
    { name: 'empty file', text: '', want: { kinds: [], specs: 0 } },
    { name: 'only comments and separators', text: '# hi\n---\n# there\n---\n', want: { kinds: [], specs: 0 } },
    { name: 'not kubernetes', text: fixture('not-kubernetes.yaml'), want: { kinds: [undefined], specs: 0 } },
    { name: 'a scalar document', text: 'just a string\n', want: { kinds: [undefined], specs: 0 } },
    { name: 'a list document', text: '- a\n- b\n', want: { kinds: [undefined], specs: 0 } },
    {
      name: 'kind without apiVersion',
      text: 'kind: Pod\nspec:\n  containers: []\n',
      want: { kinds: ['Pod'], specs: 0 },
    },
    {
      name: 'deployment without template',
      text: 'apiVersion: apps/v1\nkind: Deployment\nspec: {}\n',
      want: { kinds: ['Deployment'], specs: 0 },
    },
    { name: 'flow style pod', text: fixture('flow-style.yaml'), want: { kinds: ['Pod'], specs: 1 } },
    {
      name: 'document end marker',
      text: 'apiVersion: v1\nkind: Pod\nspec: {containers: []}\n...\n',
      want: { kinds: ['Pod'], specs: 1 },
    },
    {
      name: 'CRLF line endings',
      text: 'apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers: []\r\n',
      want: { kinds: ['Pod'], specs: 1 },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const docs = parseManifest(c.text);
      assert.deepEqual(
        docs.map((d) => d.kind),
        c.want.kinds,
      );
      assert.equal(
        docs.reduce((n, d) => n + d.podSpecs.length, 0),
        c.want.specs,
      );
    });
  }

  test('document lines are absolute in the file', () => {
    const docs = parseManifest(
      'apiVersion: v1\nkind: Pod\nspec: {}\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers: []\n',
    );
    assert.deepEqual(
      docs.map((d) => [d.startLine, d.podSpecs[0]?.line]),
      [
        [0, 2],
        [4, 6],
      ],
    );
  });
});

describe('looksLikeKubernetesManifest', () => {
  const cases = [
    { name: 'pod', text: fixture('pod.yaml'), want: true },
    { name: 'compose file', text: fixture('not-kubernetes.yaml'), want: false },
    { name: 'kind only', text: 'kind: Pod\n', want: false },
    { name: 'indented (inside a list)', text: 'items:\n  - apiVersion: v1\n    kind: Pod\n', want: true },
  ];
  for (const c of cases) test(c.name, () => assert.equal(looksLikeKubernetesManifest(c.text), c.want));
});
