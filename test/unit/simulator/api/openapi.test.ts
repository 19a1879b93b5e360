/**
 * The simulator serves kube-apiserver v1.37.2's own OpenAPI documents: `kubectl explain` (OpenAPI v3,
 * and v2 with `--output=plaintext-openapiv2`) reads the real schemas, kubectl's strict validation
 * names an unknown field, and `/openapi/v2` answers the media type each Accept header asks for (JSON
 * unless protobuf is asked for: vscode-kubernetes-tools reads it as JSON). Each kubectl run gets its
 * own --cache-dir and a kubeconfig written here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, widgetCrd, withSim } from '@test/unit/simulator/helpers';

const KUBECTL = '/usr/bin/kubectl';

// kubectl, the real client, is these tests' oracle: without it they fail (this test says why), never skip.
test('kubectl is installed at ' + KUBECTL, () =>
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: install kubectl`),
);

function kubectl(dir: string, kubeconfig: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { ...process.env, HOME: dir, KUBECONFIG: kubeconfig }, timeout: 60_000 },
      (err, out, errOut) =>
        resolve({
          code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1,
          out: String(out),
          err: String(errOut),
        }),
    );
  });
}

test('kubectl explain reads the real schemas (v3 and v2) and strict validation names unknown fields', async () => {
  await withSim({ versionMinor: 33 }, async (sim) => {
    const dir = mkdtempSync(join(tmpdir(), 'kf-explain-'));
    try {
      const kc = join(dir, 'kubeconfig');
      writeFileSync(kc, sim.kubeconfig());
      const run = (args: string[]): ReturnType<typeof kubectl> => kubectl(dir, kc, args);

      const spec = await run(['explain', 'pods.spec']);
      assert.equal(spec.code, 0, spec.err);
      assert.match(spec.out, /KIND:\s+Pod/);
      assert.match(spec.out, /FIELD:\s+spec <PodSpec>/);
      assert.match(spec.out, /containers\s+<\[\]Container> -required-/);
      assert.match(spec.out, /nodeSelector\s+<map\[string\]string>/);

      const deep = await run(['explain', 'deployments.spec.strategy.rollingUpdate.maxSurge']);
      assert.equal(deep.code, 0, deep.err);
      assert.match(deep.out, /GROUP:\s+apps/);
      assert.match(deep.out, /maxSurge <IntOrString>/);

      const v2 = await run(['explain', 'pods.spec.containers.image', '--output=plaintext-openapiv2']);
      assert.equal(v2.code, 0, v2.err);
      assert.match(v2.out, /FIELD:\s+image <string>/);

      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: "1"}\nsurprise: true\n');
      const strict = await run(['create', '-f', bad, '--validate=strict']);
      assert.notEqual(strict.code, 0);
      assert.match(strict.err, /unknown field "surprise"/);

      // A CRD's group version gets a document built from its schema.
      assert.equal(
        (await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: widgetCrd() }))
          .status,
        201,
      );
      const idx = (await call(sim, 'GET', '/openapi/v3')).json as {
        paths: Record<string, { serverRelativeURL: string }>;
      };
      assert.ok(idx.paths['apis/example.com/v1'], 'the CRD group version is in the index');
      assert.ok(idx.paths['api/v1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('/openapi/v2 answers JSON or protobuf as the Accept header asks, 406 otherwise, 304 for its ETag', async () => {
  await withSim({}, async (sim) => {
    const cases: [string, number, string | undefined][] = [
      ['application/json', 200, 'application/json'],
      ['application/json, */*', 200, 'application/json'],
      ['*/*', 200, 'application/json'],
      ['', 200, 'application/json'],
      [
        'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
        200,
        'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      ],
      [
        'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json',
        200,
        'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      ],
      [
        'application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
        200,
        'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      ],
      ['text/html', 406, undefined],
    ];
    for (const [accept, status, type] of cases) {
      const r = await call(sim, 'GET', '/openapi/v2', { headers: { Accept: accept } });
      assert.equal(r.status, status, `Accept: ${accept}`);
      if (type !== undefined) assert.equal(r.headers['content-type'], type, `Accept: ${accept}`);
      if (type === 'application/json') assert.equal((r.json as { swagger?: string }).swagger, '2.0');
    }
    const first = await call(sim, 'GET', '/openapi/v2', { headers: { Accept: 'application/json' } });
    const etag = String(first.headers['etag']);
    const again = await call(sim, 'GET', '/openapi/v2', {
      headers: { Accept: 'application/json', 'If-None-Match': etag },
    });
    assert.equal(again.status, 304);
  });
});
