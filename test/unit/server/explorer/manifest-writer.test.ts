/** Manifest documents: splitting and parsing per document (writes: manifest-writer.cluster.test.ts). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitDocuments } from '../../../../src/server/explorer/manifest-writer';

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
