/**
 * The shipped bundles never require Node's deprecated built-in `punycode` (DEP0040): on Node 22 and
 * later that prints a DeprecationWarning on stderr, and the language server's stderr is an [error]
 * line in the Kube Forecast output channel (seen on code-server 4.139.1, Node 24). It came in
 * through @kubernetes/client-node 1.4 -> node-fetch 2 -> whatwg-url 5 and tr46 0.0.3; esbuild.mjs
 * gives node-fetch Node's own URL instead of whatwg-url (which it never used on Node), and aliases
 * punycode to the npm package should anything else require it. The bundles are built here in memory
 * with esbuild.mjs's own options (production, as `npm run package` builds them), so the check needs no
 * earlier build; the same build without those is shown to require the built-in, so the check cannot
 * pass vacuously. test/host/run-in-host.mjs also fails a run whose output channel shows a deprecation.
 *
 * The language server carries client-node's KubeConfig without the generated API client the package's
 * index re-exports (esbuild.mjs resolves the package to config.js), and that KubeConfig still loads a
 * kubeconfig and authenticates requests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
type Plugin = NonNullable<esbuild.BuildOptions['plugins']>[number];
interface EsbuildModule {
  ENTRIES: Entry[];
  buildOptions(e: Entry, how?: { production?: boolean }): esbuild.BuildOptions;
}

/** The options without the named esbuild.mjs plugins. */
const without =
  (...names: string[]) =>
  (o: esbuild.BuildOptions): esbuild.BuildOptions => ({
    ...o,
    plugins: (o.plugins ?? []).filter((p: Plugin) => !names.includes(p.name)),
  });

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

  test("the language server carries no whatwg-url, tr46 or punycode: node-fetch uses Node's URL", async () => {
    const config = await loadEsbuildConfig();
    const server = config.ENTRIES.find((e) => e.name === 'server');
    assert.ok(server, 'esbuild.mjs has a server entry');
    const shipped = await bundle(config, server);
    const dropped = shipped.inputs.filter((f) => /node_modules\/(whatwg-url|tr46|punycode)\//.test(f));
    assert.deepEqual(dropped, [], 'dist/server.js bundles whatwg-url, tr46 or punycode');
    assert.ok(shipped.inputs.includes('node_modules/node-fetch/lib/index.js'), 'dist/server.js bundles node-fetch');

    // node-fetch 2 prefers Node's URL (`Url.URL || whatwgUrl.URL`), so whatwg-url was never used on Node.
    const fetchSource = readFileSync(join(ROOT, 'node_modules/node-fetch/lib/index.js'), 'utf8');
    const uses = [...fetchSource.matchAll(/\bwhatwgUrl\b[^\n]*/g)].map((m) => m[0]);
    assert.deepEqual(
      uses.filter((u) => !/^whatwgUrl = _interopDefault\(require\('whatwg-url'\)\);$/.test(u)),
      ['whatwgUrl.URL;', 'whatwgUrl.URL;'],
    );
    assert.equal([...fetchSource.matchAll(/= Url\.URL \|\| whatwgUrl\.URL;/g)].length, 2);

    // Without that, whatwg-url and tr46 come back; the alias then bundles the npm punycode, and
    // without the alias too the server requires the built-in.
    const withWhatwg = await bundle(config, server, without('node-fetch-uses-node-url'));
    assert.ok(withWhatwg.inputs.some((f) => f.startsWith('node_modules/tr46/')));
    assert.ok(withWhatwg.inputs.includes('node_modules/punycode/punycode.js'));
    assert.doesNotMatch(withWhatwg.text, BUILTIN_PUNYCODE);
    const plain = await bundle(config, server, (o) => ({ ...without('node-fetch-uses-node-url')(o), alias: {} }));
    assert.match(
      plain.text,
      BUILTIN_PUNYCODE,
      'without the stand-in and the alias the server requires the built-in punycode; if it no longer does, the dependency that needed it is gone and the alias (and this part of the test) can go',
    );
  });

  test("the language server carries client-node's KubeConfig, not its generated API client", async () => {
    const config = await loadEsbuildConfig();
    const server = config.ENTRIES.find((e) => e.name === 'server');
    assert.ok(server, 'esbuild.mjs has a server entry');
    const generated = (inputs: string[]): string[] =>
      inputs.filter((f) => /node_modules\/@kubernetes\/client-node\/dist\/gen\/(models|apis|types)\//.test(f));
    const shipped = await bundle(config, server);
    assert.ok(shipped.inputs.includes('node_modules/@kubernetes/client-node/dist/config.js'));
    assert.deepEqual(generated(shipped.inputs), []);
    const whole = await bundle(config, server, without('client-node-kubeconfig-only'));
    assert.ok(generated(whole.inputs).length > 500, 'without the plugin the generated client is bundled');
    assert.ok(shipped.text.length < whole.text.length - 250_000, `${shipped.text.length} vs ${whole.text.length}`);
  });

  test('that KubeConfig loads a kubeconfig and authenticates with a token and with an exec plugin', async () => {
    const config = await loadEsbuildConfig();
    const server = config.ENTRIES.find((e) => e.name === 'server');
    assert.ok(server, 'esbuild.mjs has a server entry');
    // The package as src/cluster imports it, bundled with the server's options.
    const { text } = await bundle(config, server, (o) => {
      const { entryPoints: _e, ...rest } = o;
      return {
        ...rest,
        outfile: join(ROOT, 'dist', 'kubeconfig-test.js'),
        stdin: {
          contents: "export { KubeConfig } from '@kubernetes/client-node';",
          resolveDir: join(ROOT, 'src', 'cluster'),
          loader: 'ts',
        },
      };
    });
    const mod: { exports: Record<string, unknown> } = { exports: {} };
    new Function('module', 'exports', 'require', '__filename', '__dirname', text)(
      mod,
      mod.exports,
      require,
      join(ROOT, 'dist', 'kubeconfig-test.js'),
      join(ROOT, 'dist'),
    );
    const KubeConfig = mod.exports['KubeConfig'] as typeof import('@kubernetes/client-node').KubeConfig;
    const credential = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'from-exec' },
    });
    const kc = new KubeConfig();
    kc.loadFromString(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'insecure-skip-tls-verify': true } }],
        users: [
          { name: 'token', user: { token: 'static-token' } },
          {
            name: 'exec',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: process.execPath,
                args: ['-e', `process.stdout.write(${JSON.stringify(credential)})`],
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [
          { name: 'token', context: { cluster: 'c', user: 'token' } },
          { name: 'exec', context: { cluster: 'c', user: 'exec' } },
        ],
        'current-context': 'token',
      }),
    );
    assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
    const viaToken: { headers?: Record<string, unknown> } = {};
    await kc.applyToHTTPSOptions(viaToken);
    assert.equal(viaToken.headers?.['Authorization'], 'Bearer static-token');
    kc.setCurrentContext('exec');
    const viaExec: { headers?: Record<string, unknown> } = {};
    await kc.applyToHTTPSOptions(viaExec);
    assert.equal(viaExec.headers?.['Authorization'], 'Bearer from-exec');
  });
});
