/**
 * The simulator's bundle carries the captured OpenAPI documents packed (esbuild.mjs,
 * scripts/pack-openapi-data.mjs: one brotli stream instead of separately gzip'd parts), and its loader,
 * src/simulator/api/openapi-data.ts, serves from that the same bytes the repository's form gives: the
 * loader is bundled here in memory with the simulator's own options and compared with the same module
 * run from source.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import * as fromSource from '@src/simulator/api/openapi-data';

const ROOT = resolve(__dirname, '../../..');
const SOURCE = join(ROOT, 'src/simulator/api/openapi-data/kube-apiserver-openapi.json');

interface Entry {
  name: string;
  entry: string;
  out?: string;
}
interface EsbuildModule {
  ENTRIES: Entry[];
  buildOptions(e: Entry, how?: { production?: boolean }): esbuild.BuildOptions;
}
type Loader = typeof fromSource;

/** openapi-data.ts bundled as the simulator bundles it, and loaded; with the bundle's size. */
async function bundledLoader(): Promise<{ loader: Loader; bytes: number }> {
  const config = (await import(pathToFileURL(join(ROOT, 'esbuild.mjs')).href)) as EsbuildModule;
  const simulator = config.ENTRIES.find((e) => e.name === 'simulator');
  assert.ok(simulator, 'esbuild.mjs has a simulator entry');
  const cwd = process.cwd();
  process.chdir(ROOT);
  let text: string;
  try {
    const result = await esbuild.build({
      ...config.buildOptions(simulator, { production: true }),
      entryPoints: [join(ROOT, 'src/simulator/api/openapi-data.ts')],
      outfile: join(ROOT, 'dist', 'openapi-data-test.js'),
      write: false,
      sourcemap: false,
      logLevel: 'silent',
    });
    text = (result.outputFiles ?? []).find((f) => f.path.endsWith('.js'))?.text ?? '';
  } finally {
    process.chdir(cwd);
  }
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  new Function('module', 'exports', 'require', text)(mod, mod.exports, require);
  return { loader: mod.exports as unknown as Loader, bytes: Buffer.byteLength(text) };
}

describe('the bundled OpenAPI documents', () => {
  test('are packed: the bundled loader is under a third of the stored documents', async () => {
    const { bytes } = await bundledLoader();
    const stored = readFileSync(SOURCE).length;
    assert.ok(bytes < stored / 3, `the bundled loader is ${bytes} bytes, the stored documents ${stored}`);
  });

  test('serve the same bytes as the stored form: v2 JSON, v2 protobuf, ETag, v3 paths, documents, hashes', async () => {
    const { loader } = await bundledLoader();
    assert.equal(loader.CAPTURED_VERSION, fromSource.CAPTURED_VERSION);
    const [a, b] = [loader.capturedV2(), fromSource.capturedV2()];
    assert.equal(a.etag, b.etag);
    assert.ok(a.json.equals(b.json), 'v2 JSON differs');
    assert.ok(a.protobuf.equals(b.protobuf), 'v2 protobuf differs');
    const [v3a, v3b] = [loader.capturedV3(), fromSource.capturedV3()];
    assert.deepEqual(v3a.paths, v3b.paths);
    assert.deepEqual([...v3a.docs.keys()], [...v3b.docs.keys()]);
    assert.ok(v3b.paths.length > 10 && v3b.paths.includes('api/v1'), v3b.paths.join(' '));
    for (const p of v3b.paths) {
      const [x, y] = [v3a.docs.get(p), v3b.docs.get(p)];
      assert.ok(x !== undefined && y !== undefined, p);
      assert.ok(x.body.equals(y.body), `${p} differs`);
      assert.equal(x.hash, y.hash, p);
    }
    // Asked again, the same (decoded once).
    assert.equal(loader.capturedV3(), v3a);
    assert.equal(loader.capturedV2().json, a.json);
  });
});
