/**
 * ManifestCache (incremental parsing) gives what a full parse gives: after edits anywhere in files of
 * several documents, including the fuzzer's mutated inputs, every position, error and pod spec equals
 * `parseManifest`'s; and unchanged documents are reused rather than parsed again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManifestCache } from '@src/server/services/manifest-cache';
import { parseManifest, type ManifestDocument } from '@src/server/services/manifest';
import { Rng } from '@src/simulator/util/rng';
import { makeInput } from '@test/lsp-fuzz/mutate';

/** Everything but the parsed values (which an alias bomb makes too large to compare). */
function positions(docs: readonly ManifestDocument[]): unknown {
  return docs.map((d) => ({
    index: d.index,
    lines: [d.startLine, d.endLine],
    offsets: [d.startOffset, d.endOffset],
    kind: d.kind,
    name: d.name,
    root: d.root,
    error: d.error,
    errorOffset: d.errorOffset,
    problem: d.problem,
    specs: d.podSpecs.map((s) => ({
      path: s.path,
      line: s.line,
      offset: s.offset,
      node: s.node,
      replicas: s.replicas,
    })),
  }));
}

const POD = (name: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: a\n      image: x\n`;

describe('ManifestCache', () => {
  test('an edit in the first document moves the later ones and reuses them', () => {
    const cache = new ManifestCache();
    const v1 = [POD('a'), POD('b'), POD('c')].join('---\n');
    const first = cache.parse(v1);
    const v2 = v1.replace('name: a', 'name: a-longer\n  labels: {x: y}');
    const second = cache.parse(v2);
    assert.deepEqual(positions(second), positions(parseManifest(v2)));
    // The unchanged documents carry the very same parsed values (not parsed again).
    assert.equal(second[1]!.object, first[1]!.object);
    assert.equal(second[2]!.object, first[2]!.object);
    assert.notEqual(second[0]!.object, first[0]!.object);
    // The earlier result was not changed by the move.
    assert.deepEqual(positions(first), positions(parseManifest(v1)));
  });

  test('broken documents, duplicates and removed separators', () => {
    const cache = new ManifestCache();
    const texts = [
      [POD('a'), 'a: [\n', POD('a'), POD('a')].join('---\n'),
      [POD('z'), 'a: [\n', POD('a'), POD('a')].join('---\n'),
      [POD('z'), 'a: [\n', POD('a') + POD('a')].join('---\n'),
      [POD('a'), POD('a')].join('---\n'),
    ];
    for (const t of texts) assert.deepEqual(positions(cache.parse(t)), positions(parseManifest(t)));
  });

  test('random edits of fuzz inputs (seed 5, 150 inputs) match a full parse', () => {
    for (let i = 0; i < 150; i++) {
      const input = makeInput(5, i);
      if (input.text.length > 300_000) continue;
      const rng = new Rng(i);
      const cache = new ManifestCache();
      let text = input.text;
      for (let v = 0; v < 4; v++) {
        assert.deepEqual(positions(cache.parse(text)), positions(parseManifest(text)), `input ${i}, version ${v}`);
        const at = rng.int(text.length + 1);
        text = text.slice(0, at) + rng.pick(['', 'x', '\n', '---\n', 'a: 1\n', '\r\n']) + text.slice(at + rng.int(4));
      }
    }
  });
});
