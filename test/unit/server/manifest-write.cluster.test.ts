/**
 * The Create lens writes the document it sits above, and Create from Manifest writes every document
 * of the model in order: the real server (handlers, document model, a KubeClusterBackend) over an
 * in-memory LSP connection to the test cluster (simulated, or the real control plane with
 * KF_TEST_CLUSTER=real). Requests are built from the lens's own arguments, as the client's command
 * does (src/client/commands/manifest.ts). Regression: the lens and the writer once split the file
 * with two parsers, and a `~` first document made the lens above `a` create `b`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type CodeLens,
} from 'vscode-languageserver/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { Commands } from '@src/shared/ids';
import { DOCUMENT_CHANGED } from '@src/server/services/manifest-write';
import {
  connectCluster,
  writeManifest,
  type ManifestDocumentRef,
  type WriteManifestParams,
} from '@src/shared/protocol';
import { startTestCluster, type TestCluster } from '@test/clusters/test-cluster';
import { backendOn } from './explorer/helpers';
import { inMemoryServer } from './in-memory-server';

const pod = (name: string, namespace: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  containers:\n    - name: c\n      image: busybox\n`;

describe('the Create lens writes the document it sits above', () => {
  let cluster: TestCluster;
  let client: MessageConnection;
  let closeBackend: (() => void) | undefined;
  let version = 0;

  before(async () => {
    cluster = await startTestCluster();
    client = await inMemoryServer(async () => {
      const { backend, close } = await backendOn(cluster);
      closeBackend = close;
      return backend;
    });
    const status = await client.sendRequest(connectCluster, {
      source: 'kubeconfig',
      kubeconfigPaths: [],
      context: 'it-admin',
      namespaces: [],
    });
    assert.equal(status.state, 'connected', status.message);
  });

  after(async () => {
    client?.dispose();
    closeBackend?.();
    await cluster?.close();
  });

  /** Opens `text` as `uri` (or changes it to `text`: a new version each call). */
  async function setText(uri: string, text: string): Promise<void> {
    version++;
    if (version === 1)
      await client.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version, text },
      });
    else
      await client.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
  }

  /** Opens `text` as `uri` and answers its Create lenses with their lines. */
  async function createLenses(uri: string, text: string): Promise<{ line: number; args: ManifestDocumentRef }[]> {
    await setText(uri, text);
    const lenses = (await client.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    return lenses
      .filter((l) => l.command?.command === Commands.createFromManifest)
      .map((l) => ({ line: l.range.start.line, args: l.command!.arguments![0] as ManifestDocumentRef }));
  }

  /** The request the client's Create command sends for a lens's arguments. */
  function request(args: ManifestDocumentRef): WriteManifestParams {
    return { uri: args.uri, version: args.version, mode: 'create', only: [args.documentIndex] };
  }

  async function podNames(ns: string): Promise<string[]> {
    const list = await cluster.api('GET', `/api/v1/namespaces/${ns}/pods`);
    return ((list.body?.items ?? []) as { metadata: { name: string } }[]).map((p) => p.metadata.name).sort();
  }

  test('a `~` first document: the lens above `a` creates `a`, the one above `b` creates `b`', async () => {
    const ns = await cluster.freshNamespace('lens-null');
    const uri = 'file:///tmp/null-first.yaml';
    const text = `~\n---\n${pod('a', ns)}---\n${pod('b', ns)}`;
    const lenses = await createLenses(uri, text);
    const lines = text.split('\n');
    assert.deepEqual(
      lenses.map((l) => lines[l.line]),
      ['spec:', 'spec:'],
    );
    const [aboveA, aboveB] = lenses;
    const first = await client.sendRequest(writeManifest, request(aboveA!.args));
    assert.ok(first.ok, first.ok ? '' : first.reason);
    assert.deepEqual(await podNames(ns), ['a'], 'the lens above a created exactly a');
    const second = await client.sendRequest(writeManifest, request(aboveB!.args));
    assert.ok(second.ok, second.ok ? '' : second.reason);
    assert.deepEqual(await podNames(ns), ['a', 'b']);
  });

  test('a `...` end marker between documents: each lens creates its own document', async () => {
    const ns = await cluster.freshNamespace('lens-end');
    const uri = 'file:///tmp/null-first.yaml';
    const text = `${pod('c', ns)}...\n${pod('d', ns)}`;
    const lenses = await createLenses(uri, text);
    assert.equal(lenses.length, 2);
    const r = await client.sendRequest(writeManifest, request(lenses[1]!.args));
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.deepEqual(await podNames(ns), ['d']);
  });

  test('a lens of an older version writes nothing: the server says the document changed', async () => {
    const ns = await cluster.freshNamespace('lens-stale');
    const uri = 'file:///tmp/null-first.yaml';
    const [lens] = await createLenses(uri, pod('e', ns));
    await setText(uri, `${pod('f', ns)}`);
    const r = await client.sendRequest(writeManifest, request(lens!.args));
    assert.deepEqual(r, { ok: false, reason: DOCUMENT_CHANGED });
    assert.deepEqual(await podNames(ns), []);
  });

  test('Create from Manifest writes every document of the model, in order, and skips the empty ones', async () => {
    const ns = await cluster.freshNamespace('create-all');
    const uri = 'file:///tmp/null-first.yaml';
    await setText(uri, `# a comment only\n---\n~\n---\n${pod('g', ns)}...\n${pod('h', ns)}---\nnot: [closed\n`);
    const r = await client.sendRequest(writeManifest, { uri, version, mode: 'create' });
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.deepEqual(
      r.value.results.map((x) => [x.index, x.ref, x.outcome]),
      [
        [1, `Pod/${ns}/g`, 'created'],
        [2, `Pod/${ns}/h`, 'created'],
        [3, 'document 4', 'failed'],
      ],
    );
    assert.match(r.value.results[2]!.message ?? '', /^invalid YAML: .*\(line 26\)\.$/);
    assert.deepEqual(await podNames(ns), ['g', 'h']);
  });
});
