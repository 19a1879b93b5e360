/**
 * Replays every regression fixture of the language-server fuzzer (test/fixtures/lsp-fuzz/, saved by
 * `npm run fuzz:lsp`) through the server in this process, the way the fuzzer sent it: open, edits,
 * diagnostics, codeLens, hovers, codeAction and the custom requests (test/lsp-fuzz/exercise.ts).
 * A fixture recorded with a cluster is replayed against a simulated cluster started here.
 *
 * Asserts only that every request was answered (within a generous 30 s) without an error, an
 * error log line or a crash. Latencies are recorded as test diagnostics, never asserted.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { KubeForecastServer } from '@src/server/server';
import { LspClient } from '@test/lsp-fuzz/client';
import { exercise } from '@test/lsp-fuzz/exercise';
import { loadFixtures, type Fixture } from '@test/lsp-fuzz/fixtures';
import { CLIENT_CAPABILITIES, startFuzzCluster, type FuzzCluster } from '@test/lsp-fuzz/server-process';

/** No answer within this bound fails the replay (the fuzzer's own bound is 10 s; CI machines are slower). */
const ANSWER_BOUND_MS = 30_000;

interface InProcess {
  client: LspClient;
  stop(): Promise<void>;
}

/** A server in this process over in-memory streams, initialized like the fuzzer's, optionally on a cluster. */
async function startServer(kubeconfig?: string): Promise<InProcess> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  new KubeForecastServer(createConnection(ProposedFeatures.all, toServer, toClient)).listen();
  const client = new LspClient(toServer, toClient);
  await client.request('initialize', {
    processId: null,
    rootUri: null,
    capabilities: CLIENT_CAPABILITIES,
    workspaceFolders: null,
    ...(kubeconfig !== undefined
      ? { initializationOptions: { kubeconfig, context: 'kube-forecast-sim', namespaces: [] } }
      : {}),
  });
  client.notify('initialized', {});
  if (kubeconfig !== undefined) {
    const end = Date.now() + 60_000;
    for (;;) {
      const s = (await client.request('kube/clusterStatus', undefined)).result as { state?: string } | undefined;
      if (s?.state === 'connected') break;
      assert.ok(Date.now() < end, `the server did not connect: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    client,
    // Shutdown disposes the cluster connection; the streams stay open, since the server exits the
    // process when its input ends.
    stop: async () => {
      await client.request('shutdown', null, 5000).catch(() => undefined);
    },
  };
}

const fixtures = loadFixtures();
const withCluster = fixtures.filter((f) => f.sidecar.cluster);
const without = fixtures.filter((f) => !f.sidecar.cluster);

test('the regression fixtures are there, with and without a cluster (a replay of zero fixtures proves nothing)', () => {
  assert.ok(
    without.length > 0,
    `no fixture recorded without a cluster in test/fixtures/lsp-fuzz/ (${fixtures.length} in all)`,
  );
  assert.ok(
    withCluster.length > 0,
    `no fixture recorded with a cluster in test/fixtures/lsp-fuzz/ (${fixtures.length} in all)`,
  );
});

async function replay(server: InProcess, f: Fixture, t: { diagnostic(s: string): void }): Promise<void> {
  const r = await exercise(
    server.client,
    { text: f.text, recipe: f.sidecar.recipe },
    { uri: `file:///lsp-fuzz/${f.name}.yaml`, seed: f.sidecar.seed * 7 + f.sidecar.index, timeoutMs: ANSWER_BOUND_MS },
  );
  const slowest = r.answers.reduce((m, a) => (a.ms > m.ms ? a : m), { method: '-', ms: 0 });
  t.diagnostic(`${r.answers.length} answers, slowest ${slowest.method} ${Math.round(slowest.ms)} ms`);
  assert.equal(r.crash, undefined, `crash: ${r.crash}`);
  assert.equal(r.hang, undefined, `no answer: ${r.hang}`);
  assert.deepEqual(r.errors, [], `errors on ${f.name} (${f.sidecar.recipe.join(' ')})`);
}

describe('fuzz:lsp regression fixtures, no cluster', () => {
  let server: InProcess;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());
  for (const f of without)
    test(`${f.name}: ${f.sidecar.finding} [${f.sidecar.recipe.join(' ')}]`, (t) => replay(server, f, t));
});

describe('fuzz:lsp regression fixtures, simulated cluster', () => {
  let cluster: FuzzCluster;
  let server: InProcess;
  before(async () => {
    cluster = await startFuzzCluster();
    server = await startServer(cluster.kubeconfig);
  });
  after(async () => {
    await server.stop();
    await cluster.stop();
  });
  for (const f of withCluster)
    test(`${f.name}: ${f.sidecar.finding} [${f.sidecar.recipe.join(' ')}]`, (t) => replay(server, f, t));
});
