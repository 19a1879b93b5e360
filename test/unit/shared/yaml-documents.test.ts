/** The one YAML document splitter: markers, empty and comment-only parts, line breaks, a BOM. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { load, loadAll } from 'js-yaml';
import { countLineBreaks, isWhiteSpace, splitYamlDocuments } from '@src/shared/yaml-documents';

/** Each document as `startLine-endLine:body`. */
function split(text: string): string[] {
  return splitYamlDocuments(text).map((d) => `${d.startLine}-${d.endLine}:${d.body}`);
}

describe('splitYamlDocuments', () => {
  const cases: { name: string; text: string; want: string[] }[] = [
    { name: 'one document', text: 'a: 1\n', want: ['0-1:a: 1\n'] },
    { name: 'no document at all', text: '', want: [] },
    { name: 'a leading `---`', text: '---\na: 1\n', want: ['1-2:a: 1\n'] },
    {
      name: 'a `~` document is a document (it takes an index)',
      text: '~\n---\na: 1\n---\nb: 2\n',
      want: ['0-0:~\n', '2-2:a: 1\n', '4-5:b: 2\n'],
    },
    {
      name: 'comment-only and blank parts are not documents',
      text: '# head\n---\n# only a comment\n\n---\na: 1\n---\n---\n',
      want: ['5-5:a: 1\n'],
    },
    {
      name: 'a `...` end marker ends a document; a bare one may follow',
      text: 'a: 1\n...\nb: 2\n... # done\n---\nc: 3\n',
      want: ['0-0:a: 1\n', '2-2:b: 2\n', '5-6:c: 3\n'],
    },
    {
      name: '`---` and `...` inside an indented block scalar are content',
      text: 'data:\n  script: |\n    ---\n    ...\n    x\n---\nb: 2\n',
      want: ['0-4:data:\n  script: |\n    ---\n    ...\n    x\n', '6-7:b: 2\n'],
    },
    {
      name: '`---x` and `--- ` at another column are not markers',
      text: 'a: ---x\n ---\nb: 1\n',
      want: ['0-3:a: ---x\n ---\nb: 1\n'],
    },
    {
      name: 'a document that starts on its `---` line',
      text: '--- {a: 1}\n--- # a comment\nb: 2\n',
      want: ['0-0: {a: 1}\n', '2-3:b: 2\n'],
    },
    {
      name: 'directives belong to no document',
      text: '%YAML 1.2\n---\na: 1\n',
      want: ['2-3:a: 1\n'],
    },
    {
      name: 'CRLF line breaks',
      text: 'a: 1\r\n---\r\nb: 2\r\n...\r\nc: 3',
      want: ['0-0:a: 1\r\n', '2-2:b: 2\r\n', '4-4:c: 3'],
    },
    { name: 'lone CR line breaks', text: 'a: 1\r---\rb: 2', want: ['0-0:a: 1\r', '2-2:b: 2'] },
    {
      name: 'a byte order mark belongs to no document, and a marker may follow it',
      text: '\uFEFF---\na: 1\n---\nb: 2\n',
      want: ['1-1:a: 1\n', '3-4:b: 2\n'],
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(split(c.text), c.want));

  test('offsets are the body in the text; indexes count documents only', () => {
    const text = '\uFEFFa: 1\n---\n# c\n---\n~\n';
    const docs = splitYamlDocuments(text);
    assert.deepEqual(
      docs.map((d) => [d.index, d.startOffset, d.endOffset, text.slice(d.startOffset, d.endOffset) === d.body]),
      [
        [0, 1, 6, true],
        [1, 18, 20, true],
      ],
    );
  });

  test('the documents are the ones js-yaml loadAll reads, in the same order', () => {
    const text = '\uFEFF%YAML 1.2\n---\na: 1\n...\nb: [2]\n---\n~\n--- {c: 3}\n---\r\nd: |\r\n  ---x\r\n';
    assert.deepEqual(
      splitYamlDocuments(text).map((d) => load(d.body)),
      loadAll(text),
    );
  });
});

describe('documents of only space, comments and directives (the character scan)', () => {
  /** The rule the scan implements, as the earlier line-splitting version stated it. */
  const reference = (body: string): boolean =>
    body.split(/\r\n|\r|\n/).some((l) => {
      const t = l.trim();
      return t !== '' && !t.startsWith('#') && !l.startsWith('%');
    });
  const parts = ['', ' ', '\t', '\u00a0', '\u3000', '\ufeff', '\u2028', '#', '%', 'a', ':', '\n', '\r', '\r\n'];

  test('a part is a document exactly when some line has more than space, a comment or a directive', () => {
    let checked = 0;
    for (const a of parts)
      for (const b of parts)
        for (const c of parts)
          for (const d of parts) {
            const body = `${a}${b}${c}${d}`;
            // `---` before and after, so the whole body is one part whatever it holds.
            const got = splitYamlDocuments(`---\n${body}\n---\n`).length === 1;
            assert.equal(got, reference(body), JSON.stringify(body));
            checked++;
          }
    assert.equal(checked, parts.length ** 4);
  });

  test('isWhiteSpace is the class \\s for every UTF-16 code unit', () => {
    for (let c = 0; c < 0x10000; c++) assert.equal(isWhiteSpace(c), /\s/.test(String.fromCharCode(c)), c.toString(16));
  });
});

describe('countLineBreaks', () => {
  test('counts CRLF once, and LF and lone CR', () => {
    assert.equal(countLineBreaks('a\r\nb\nc\rd', 100), 3);
    assert.equal(countLineBreaks('a\r\nb', 3), 1);
  });
});
