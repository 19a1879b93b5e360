/**
 * Issue 13 item 6 (no half-done writes), the pure parts: the server reports each step of a write
 * (`manifest-writer.ts`), the client's journal turns the steps it received before the server died into
 * one verdict per document, and only documents certainly not written are offered again.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inDoubt, verdictLines, verdicts, WriteJournal } from '@src/client/commands/write-journal';
import type { ManifestObject, ObjectResult, WriteOptions } from '@src/cluster/object-writer';
import { writeDocuments, type DocumentWriter } from '@src/server/explorer/manifest-writer';
import type { ManifestDocumentResult, WriteProgressParams } from '@src/shared/protocol';

const cm = (name: string): ManifestObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const docs = (...names: string[]) => names.map((n, index) => ({ index, object: cm(n) }));

/**
 * A cluster of ConfigMaps in `default`: create dry runs answer 409 for existing names; the real write
 * `dies` (throws, as the process would stop) at the write of `dieAt`.
 */
function fakeCluster(existing: string[], dieAt?: string): DocumentWriter & { created: string[] } {
  const have = new Set(existing);
  const created: string[] = [];
  const create = async (obj: ManifestObject, o: WriteOptions = {}): Promise<ObjectResult> => {
    const name = obj.metadata?.name ?? '?';
    const ref = `ConfigMap/default/${name}`;
    if (have.has(name)) return { outcome: 'failed', ref, status: 409, reason: 'AlreadyExists', message: 'exists' };
    if (o.dryRun === true) return { outcome: 'validated', ref, status: 201 };
    if (name === dieAt) throw new Error('the process stopped');
    have.add(name);
    created.push(name);
    return { outcome: 'created', ref, status: 201 };
  };
  return { created, create, apply: create, replace: create, discovery: { invalidate: () => undefined } };
}

/** Runs a Create of `names` through the writer, recording its progress into a journal, as the client does. */
async function interruptedCreate(names: string[], existing: string[], dieAt: string) {
  const journal = new WriteJournal();
  journal.begin('w1');
  const writer = fakeCluster(existing, dieAt);
  await assert.rejects(
    writeDocuments(writer, docs(...names), {
      mode: 'create',
      defaultNamespace: 'default',
      onProgress: (p) => journal.record({ writeId: 'w1', ...p }),
    }),
  );
  return { fates: journal.fates('w1'), writer };
}

describe('write progress and the journal', () => {
  test('the server reports planned, then sending/settled per document, in order', async () => {
    const steps: string[] = [];
    await writeDocuments(fakeCluster(['b']), docs('a', 'b', 'c'), {
      mode: 'create',
      defaultNamespace: 'default',
      onProgress: (p) => steps.push(`${p.phase} ${p.index}${p.result ? ` ${p.result.outcome}` : ''}`),
    });
    assert.deepEqual(steps, [
      'settled 1 exists',
      'planned 0',
      'planned 2',
      'sending 0',
      'settled 0 created',
      'sending 2',
      'settled 2 created',
    ]);
  });

  test('died at the 3rd of 5 writes: 2 written, 1 in doubt, 2 not written; only the 2 are offered', async () => {
    const { fates, writer } = await interruptedCreate(['a', 'b', 'c', 'd', 'e'], [], 'c');
    assert.deepEqual(writer.created, ['a', 'b']);
    assert.equal(fates.planned, true);
    assert.deepEqual(
      fates.documents.map((d) => [d.index, d.kind]),
      [
        [0, 'settled'],
        [1, 'settled'],
        [2, 'in-doubt'],
        [3, 'not-written'],
        [4, 'not-written'],
      ],
    );
    assert.deepEqual(inDoubt(fates), [2]);
    const unchecked = verdicts(fates, undefined, 'the language server did not come back');
    assert.deepEqual(
      unchecked.filter((v) => v.writeNow).map((v) => v.index),
      [3, 4],
      'a document in doubt is never offered again without a check',
    );
    assert.match(unchecked[2]!.sentence, /^unknown .*did not come back/);
    const lines = verdictLines(unchecked);
    assert.equal(lines.length, 5, 'one line per document');
    assert.match(lines[0]!, /^document 1 ConfigMap\/default\/a: written \(created\)$/);
    assert.match(lines[3]!, /^document 4 ConfigMap\/default\/d: not written \(the server stopped before sending it\)$/);
  });

  test('the check after the restart decides the document in doubt', async () => {
    const { fates } = await interruptedCreate(['a', 'b', 'c'], [], 'b');
    const exists: ManifestDocumentResult = { index: 1, ref: 'ConfigMap/default/b', outcome: 'exists' };
    const absent: ManifestDocumentResult = { ...exists, outcome: 'absent' };
    const wasWritten = verdicts(fates, new Map([[1, exists]]), '');
    assert.match(wasWritten[1]!.sentence, /^written .*checked after the restart: it exists/);
    assert.deepEqual(
      wasWritten.filter((v) => v.writeNow).map((v) => v.index),
      [2],
    );
    const wasNot = verdicts(fates, new Map([[1, absent]]), '');
    assert.match(wasNot[1]!.sentence, /^not written .*it does not exist/);
    assert.deepEqual(
      wasNot.filter((v) => v.writeNow).map((v) => v.index),
      [1, 2],
    );
    const applyLike = verdicts(fates, undefined, '', false);
    assert.match(applyLike[1]!.sentence, /^unknown/);
    assert.equal(applyLike[1]!.writeNow, false);
  });

  test('died during the dry run: nothing planned, nothing written', () => {
    const journal = new WriteJournal();
    journal.begin('w2');
    assert.deepEqual(journal.fates('w2'), { planned: false, documents: [] });
  });

  test('progress of writes not begun, or ended, is ignored', () => {
    const journal = new WriteJournal();
    const p: WriteProgressParams = { writeId: 'x', phase: 'sending', index: 0, ref: 'ConfigMap/default/a' };
    journal.record(p);
    journal.begin('x');
    journal.end('x');
    journal.record(p);
    assert.deepEqual(journal.fates('x').documents, []);
  });

  test('checkOnly writes nothing and tells exists / absent per document', async () => {
    const writer = fakeCluster(['a']);
    const steps: unknown[] = [];
    const results = await writeDocuments(writer, docs('a', 'b'), {
      mode: 'create',
      defaultNamespace: 'default',
      checkOnly: true,
      onProgress: (p) => steps.push(p),
    });
    assert.deepEqual(
      results.map((r) => [r.index, r.outcome]),
      [
        [0, 'exists'],
        [1, 'absent'],
      ],
    );
    assert.deepEqual(writer.created, []);
    assert.deepEqual(steps, []);
  });

  test('checkOnly: an object whose namespace does not exist is absent; any other refusal is not a verdict', async () => {
    const refuse = (status: number, message: string): DocumentWriter => {
      const create = async (obj: ManifestObject): Promise<ObjectResult> => ({
        outcome: 'failed',
        ref: `ConfigMap/gone/${obj.metadata?.name}`,
        status,
        message,
      });
      return { create, apply: create, replace: create, discovery: { invalidate: () => undefined } };
    };
    const check = (w: DocumentWriter) =>
      writeDocuments(w, docs('a'), { mode: 'create', defaultNamespace: 'gone', checkOnly: true });
    assert.equal((await check(refuse(404, 'namespaces "gone" not found')))[0]!.outcome, 'absent');
    const forbidden = (await check(refuse(403, 'configmaps is forbidden')))[0]!;
    assert.equal(forbidden.outcome, 'failed');
    assert.match(forbidden.message ?? '', /forbidden/);
  });
});
