/**
 * One manifest model from the lens to the write: for files with `~`, `...`, `---` inside block scalars,
 * comment-only documents, CRLF and a BOM, each Create lens names the document it sits above, and the
 * write of that lens's arguments sends exactly the object the model holds for it (a recording writer
 * stands in for the cluster; manifest-write.cluster.test.ts does it against one).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ManifestObject, ObjectResult, WriteOptions } from '@src/cluster/object-writer';
import { writeDocuments, type DocumentWriter } from '@src/server/explorer/manifest-writer';
import { computeCodeLenses } from '@src/server/services/code-lens';
import { parseManifest } from '@src/server/services/manifest';
import { DOCUMENT_CHANGED, documentsToWrite } from '@src/server/services/manifest-write';
import { Commands } from '@src/shared/ids';
import type { ManifestDocumentRef } from '@src/shared/protocol';

const pod = (name: string, nl = '\n'): string =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  containers:',
    '    - name: c',
    '      image: busybox',
    '',
  ].join(nl);

/** A writer that accepts everything and records the objects it wrote (not the dry runs). */
function recordingWriter(): DocumentWriter & { written: ManifestObject[] } {
  const written: ManifestObject[] = [];
  const answer = async (obj: ManifestObject, o: WriteOptions = {}): Promise<ObjectResult> => {
    if (o.dryRun !== true) written.push(obj);
    return { outcome: o.dryRun ? 'validated' : 'created', ref: `${obj.kind}/${obj.metadata?.name}`, status: 201 };
  };
  return { written, create: answer, apply: answer, replace: answer, discovery: { invalidate: () => undefined } };
}

const CONNECTED = { state: 'connected' as const, source: 'simulator' as const };

/** The Create lenses of `text` as version 1 of a file: the pod name written above each (the nearest `name:`), and its arguments. */
function createLenses(text: string): { above: string; ref: ManifestDocumentRef }[] {
  const lines = text.split(/\r\n|\r|\n/);
  return computeCodeLenses({ uri: 'file:///m.yaml', version: 1 }, parseManifest(text), CONNECTED, { enabled: true })
    .filter((l) => l.command?.command === Commands.createFromManifest)
    .map((l) => {
      const name = lines
        .slice(0, l.range.start.line)
        .reverse()
        .find((x) => /^ {2}name: /.test(x));
      return {
        above: name?.trim().slice('name: '.length) ?? '?',
        ref: l.command!.arguments![0] as ManifestDocumentRef,
      };
    });
}

/** What a click on a lens writes: the request its arguments make, chosen and written as the server does. */
async function click(text: string, ref: ManifestDocumentRef): Promise<string[]> {
  const open = TextDocument.create(ref.uri, 'yaml', 1, text);
  const chosen = documentsToWrite(open, parseManifest(text), { version: ref.version, only: [ref.documentIndex] });
  assert.ok(chosen.ok, chosen.ok ? '' : chosen.reason);
  const writer = recordingWriter();
  await writeDocuments(writer, chosen.value, { mode: 'create', defaultNamespace: 'default' });
  return writer.written.map((o) => o.metadata?.name ?? '?');
}

describe('each Create lens writes the document it sits above', () => {
  const cases: { name: string; text: string; pods: string[] }[] = [
    { name: 'a `~` first document', text: `~\n---\n${pod('a')}---\n${pod('b')}`, pods: ['a', 'b'] },
    { name: 'a `null` document between two pods', text: `${pod('a')}---\nnull\n---\n${pod('b')}`, pods: ['a', 'b'] },
    { name: 'a `...` end marker, then a bare document', text: `${pod('a')}...\n${pod('b')}`, pods: ['a', 'b'] },
    { name: 'a `...` end marker, then `---`', text: `${pod('a')}...\n---\n${pod('b')}`, pods: ['a', 'b'] },
    {
      name: '`---` and `...` inside a block scalar',
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  s: |\n    ---\n    ...\n---\n${pod('a')}---\n${pod('b')}`,
      pods: ['a', 'b'],
    },
    {
      name: 'comment-only documents',
      text: `# header\n---\n${pod('a')}---\n# nothing here\n---\n---\n${pod('b')}`,
      pods: ['a', 'b'],
    },
    { name: 'CRLF line breaks', text: `~\r\n---\r\n${pod('a', '\r\n')}---\r\n${pod('b', '\r\n')}`, pods: ['a', 'b'] },
    { name: 'a byte order mark', text: `\uFEFF~\n---\n${pod('a')}---\n${pod('b')}`, pods: ['a', 'b'] },
    { name: 'a byte order mark before `---`', text: `\uFEFF---\n${pod('a')}---\n${pod('b')}`, pods: ['a', 'b'] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const lenses = createLenses(c.text);
      assert.deepEqual(
        lenses.map((l) => l.above),
        c.pods,
        'one Create lens per pod',
      );
      for (const l of lenses) assert.deepEqual(await click(c.text, l.ref), [l.above], `the lens above ${l.above}`);
    });
  }
});

describe('choosing the documents of a write', () => {
  const text = `~\n---\n${pod('a')}---\n${pod('b')}---\nkind: [unclosed\n---\njust text\n`;
  const open = TextDocument.create('file:///m.yaml', 'yaml', 3, text);
  const manifest = parseManifest(text);

  test('another version of the text: nothing, and the sentence saying the document changed', () => {
    assert.deepEqual(documentsToWrite(open, manifest, { version: 2, only: [1] }), {
      ok: false,
      reason: DOCUMENT_CHANGED,
    });
  });

  test('an index the model does not have is refused', () => {
    assert.deepEqual(documentsToWrite(open, manifest, { version: 3, only: [9] }), {
      ok: false,
      reason: 'The manifest has no document 10.',
    });
  });

  test('a range chooses the documents it touches', () => {
    const line = (s: string): number => text.split('\n').indexOf(s);
    const chosen = documentsToWrite(open, manifest, {
      version: 3,
      range: { start: { line: line('  name: a'), character: 2 }, end: { line: line('  name: b'), character: 0 } },
    });
    assert.deepEqual(chosen.ok ? chosen.value.map((d) => d.index) : chosen.reason, [1, 2]);
  });

  test('Create all writes each document in order; the empty one is skipped, the broken ones fail', async () => {
    const chosen = documentsToWrite(open, manifest, { version: 3 });
    assert.ok(chosen.ok);
    const writer = recordingWriter();
    const results = await writeDocuments(writer, chosen.value, { mode: 'create', defaultNamespace: 'default' });
    assert.deepEqual(
      writer.written.map((o) => o.metadata?.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      results.map((r) => [r.index, r.ref, r.outcome]),
      [
        [1, 'Pod/a', 'created'],
        [2, 'Pod/b', 'created'],
        [3, 'document 4', 'failed'],
        [4, 'document 5', 'failed'],
      ],
    );
    assert.match(results[2]!.message ?? '', /^invalid YAML: .*\(line 22\)\.$/);
    assert.equal(results[3]!.message, 'the document is not a Kubernetes object (a mapping)');
  });

  test('the object written is the one the model holds (the same value, not a re-parse)', async () => {
    const writer = recordingWriter();
    await writeDocuments(writer, [manifest[1]!], { mode: 'create', defaultNamespace: 'default' });
    assert.equal(writer.written[0], manifest[1]!.object);
  });

  test('a document whose aliases expand too far is not sent', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdef'[i]}`).join(', ')}]`),
    ];
    const docs = parseManifest(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${bomb.map((l) => `  ${l}`).join('\n')}\n`,
    );
    const writer = recordingWriter();
    const [r] = await writeDocuments(writer, docs, { mode: 'create', defaultNamespace: 'default' });
    assert.equal(writer.written.length, 0);
    assert.match(r?.message ?? '', /expands to more than 100000 nodes/);
  });
});
