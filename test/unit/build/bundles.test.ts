/**
 * The shipped bundles never require Node's deprecated built-in `punycode` (DEP0040): on Node 22 and
 * later that prints a DeprecationWarning on stderr, and the language server's stderr is an [error]
 * line in the Kube Forecast output channel (seen on code-server 4.139.1, Node 24). It comes in
 * through @kubernetes/client-node 1.4 -> node-fetch 2 -> whatwg-url 5 and tr46 0.0.3; esbuild.mjs
 * aliases it to the npm package `punycode`. The bundles are built here in memory with esbuild.mjs's
 * own options (production, as `npm run package` builds them), so the check needs no earlier build;
 * the same build without the alias is shown to require the built-in, so the check cannot pass
 * vacuously. test/host/run-in-host.mjs also fails a run whose output channel shows a deprecation.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(__dirname, '../../..');

interface Entry {
  name: string;
  entry: string;
  out?: string;
  devOnly?: boolean;
}
interface EsbuildModule {
  ENTRIES: Entry[];
  buildOptions(e: Entry, how?: { production?: boolean }): esbuild.BuildOptions;
}

/** A require() of the built-in: `require("punycode")`, `require('node:punycode')`, minified or not. */
const BUILTIN_PUNYCODE = /\brequire\(\s*["'](?:node:)?punycode["']\s*\)/;

async function loadEsbuildConfig(): Promise<EsbuildModule> {
  return (await import(pathToFileURL(join(ROOT, 'esbuild.mjs')).href)) as EsbuildModule;
}

/** Builds one entry in memory (run from the repository root, as npm scripts do). */
async function bundle(
  config: EsbuildModule,
  e: Entry,
  change: (o: esbuild.BuildOptions) => esbuild.BuildOptions = (o) => o,
): Promise<{ text: string; inputs: string[] }> {
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const options = change({ ...config.buildOptions(e, { production: true }), write: false, sourcemap: false });
    const result = await esbuild.build({ ...options, logLevel: 'silent' });
    const text = (result.outputFiles ?? [])
      .filter((f) => f.path.endsWith('.js'))
      .map((f) => f.text)
      .join('\n');
    return { text, inputs: Object.keys(result.metafile?.inputs ?? {}) };
  } finally {
    process.chdir(cwd);
  }
}

describe('bundles', () => {
  test('the regex finds the built-in require in the shapes esbuild writes', () => {
    for (const s of ['var p=require("punycode")', "require('punycode')", 'x = require( "node:punycode" );'])
      assert.match(s, BUILTIN_PUNYCODE, s);
    for (const s of ['require("punycode/")', 'require("punycode.js")', '// node_modules/punycode/punycode.js'])
      assert.doesNotMatch(s, BUILTIN_PUNYCODE, s);
  });

  test("no shipped bundle requires the built-in 'punycode' (DEP0040 on Node 22+)", async () => {
    const config = await loadEsbuildConfig();
    const shipped = config.ENTRIES.filter((e) => e.devOnly !== true);
    assert.ok(shipped.length >= 3, `esbuild.mjs lists ${shipped.length} shipped entries`);
    for (const e of shipped) {
      const { text } = await bundle(config, e);
      const hit = BUILTIN_PUNYCODE.exec(text);
      assert.equal(
        hit,
        null,
        `${e.out ?? e.name} requires the built-in punycode near ${JSON.stringify(text.slice(Math.max(0, (hit?.index ?? 0) - 80), (hit?.index ?? 0) + 40))}; esbuild.mjs must alias it to the npm package`,
      );
    }
  });

  test("the language server bundles the npm package 'punycode' instead, and needs to", async () => {
    const config = await loadEsbuildConfig();
    const server = config.ENTRIES.find((e) => e.name === 'server');
    assert.ok(server, 'esbuild.mjs has a server entry');
    const aliased = await bundle(config, server);
    assert.ok(
      aliased.inputs.includes('node_modules/punycode/punycode.js'),
      'dist/server.js bundles node_modules/punycode/punycode.js',
    );
    const plain = await bundle(config, server, (o) => ({ ...o, alias: {} }));
    assert.match(
      plain.text,
      BUILTIN_PUNYCODE,
      'without the alias the server requires the built-in punycode; if it no longer does, the dependency that needed it is gone and the alias (and this test) can go',
    );
  });
});
