/** Manifest documents: splitting and parsing per document, then dry run and writes against a simulated cluster. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments, summarize, writeDocuments } from '../../../../src/server/explorer/manifest-writer';
import { connectedBackend } from './helpers';

describe('splitDocuments', () => {
  const cases = [
    { name: 'one document', text: 'kind: Pod\n', want: [{ ok: true, line: 0 }] },
    {
      name: 'separators and empty documents',
      text: '---\nkind: A\n---\n# only a comment\n---\nkind: B\n',
      want: [
        { ok: true, line: 1 },
        { ok: true, line: 5 },
      ],
    },
    {
      name: 'a malformed document does not stop the others',
      text: 'kind: A\n---\nkind: [unclosed\n---\nkind: C\n',
      want: [
        { ok: true, line: 0 },
        { ok: false, line: 2 },
        { ok: true, line: 4 },
      ],
    },
    { name: 'a scalar document is not an object', text: 'just text\n', want: [{ ok: false, line: 0 }] },
    {
      name: 'CRLF line endings',
      text: 'kind: A\r\n---\r\nkind: B\r\n',
      want: [
        { ok: true, line: 0 },
        { ok: true, line: 2 },
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const docs = splitDocuments(c.text);
      assert.deepEqual(
        docs.map((d) => ({ ok: d.object !== undefined, line: d.line })),
        c.want,
      );
      assert.deepEqual(
        docs.map((d) => d.index),
        c.want.map((_, i) => i),
      );
    });
  }
  test('a YAML error names the line in the file', () => {
    const [, bad] = splitDocuments('kind: A\n---\nmetadata:\n  name: x\n   labels: [\n');
    assert.match(bad!.error ?? '', /^YAML syntax error at line \d+/);
  });
});

const POD = (name: string, extra = ''): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}${extra}\nspec:\n  containers:\n  - name: c\n    image: busybox\n`;

describe('writeDocuments against a simulated cluster', () => {
  test('every document is dry-run first: a failing one is reported with the server message and not written; the others are', async () => {
    const { sim, session, close } = await connectedBackend();
    try {
      const text = [
        POD('a'),
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec:\n  containers: []\n',
        'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
        POD('b', '\n  namespace: team'),
      ].join('---\n');
      sim.store.create(
        { group: '', resource: 'namespaces' },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      );
      const results = await writeDocuments(session().writer, text, { mode: 'create', defaultNamespace: 'default' });
      assert.deepEqual(
        results.map((r) => [r.ref, r.outcome]),
        [
          ['Pod/default/a', 'created'],
          ['Pod/default/broken', 'failed'],
          ['Gadget/g', 'failed'],
          ['Pod/team/b', 'created'],
        ],
      );
      assert.match(results[1]!.message ?? '', /spec\.containers: Required value/);
      assert.match(results[2]!.message ?? '', /no matches for kind "Gadget" in version "example.com\/v1"/);
      assert.equal(sim.store.get({ group: '', resource: 'pods' }, 'default', 'broken'), undefined);
      assert.ok(sim.store.get({ group: '', resource: 'pods' }, 'team', 'b'));
      assert.match(summarize(results, 'ctx'), /^ctx: 2 created, 2 failed\./);
    } finally {
      await close();
    }
  });

  test('existing objects are reported, then replaced, applied or skipped as asked', async () => {
    const { sim, session, close } = await connectedBackend();
    try {
      const w = session().writer;
      const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  v: "${v}"\n`;
      await writeDocuments(w, cm('1'), { mode: 'create', defaultNamespace: 'default' });
      const again = await writeDocuments(w, cm('1'), { mode: 'create', defaultNamespace: 'default' });
      assert.deepEqual(
        again.map((r) => r.outcome),
        ['exists'],
      );
      assert.match(again[0]!.message ?? '', /already exists/);
      for (const [onExisting, want] of [
        ['skip', 'skipped'],
        ['apply', 'applied'],
        ['replace', 'replaced'],
      ] as const) {
        const r = await writeDocuments(w, cm(onExisting), { mode: 'create', defaultNamespace: 'default', onExisting });
        assert.deepEqual(
          r.map((x) => x.outcome),
          [want],
          onExisting,
        );
      }
      assert.equal(sim.store.get({ group: '', resource: 'configmaps' }, 'default', 'a')?.['data']?.v, 'replace');
    } finally {
      await close();
    }
  });

  test('apply mode is a server-side apply of each document; `only` limits the documents', async () => {
    const { sim, session, close } = await connectedBackend();
    try {
      const text = [POD('x'), POD('y')].join('---\n');
      const r = await writeDocuments(session().writer, text, { mode: 'apply', defaultNamespace: 'default', only: [1] });
      assert.deepEqual(
        r.map((x) => [x.index, x.outcome]),
        [[1, 'applied']],
      );
      assert.equal(sim.store.get({ group: '', resource: 'pods' }, 'default', 'x'), undefined);
    } finally {
      await close();
    }
  });
});
