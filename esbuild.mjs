#!/usr/bin/env node
// Bundles the extension's entry points with esbuild.
//   node esbuild.mjs                  development build: sourcemaps linked (dist/*.js.map)
//   node esbuild.mjs --production     minified, sourcemaps external (written, not referenced; not shipped)
//   node esbuild.mjs --watch          rebuild on change
//   node esbuild.mjs --only=server    one entry (extension | language-client | server | simulator | integration)
// An entry whose source file does not exist yet is skipped with a note, not an error.
// Development builds also compile the in-host mocha suite, test/integration/**/*.ts, one bundle per
// file into out/test/integration/ (see test/integration/README.md); --production skips it.
// Imported (not run), it exports ENTRIES and buildOptions() for tests that build in memory.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packOpenApiDataFile } from './scripts/pack-openapi-data.mjs';

const ROOT = dirname(fileURLToPath(import.meta.url));

export const ENTRIES = [
  // The extension host side: 'vscode' is provided by the host at runtime. The language client is a
  // separate bundle that state.ts loads with `await import('./language-client')` when the server starts,
  // so activation parses ~50 KB instead of ~500 KB.
  {
    name: 'extension',
    entry: 'src/client/extension.ts',
    out: 'dist/extension.js',
    external: ['vscode', './language-client'],
  },
  {
    name: 'language-client',
    entry: 'src/client/language-client.ts',
    out: 'dist/language-client.js',
    external: ['vscode'],
  },
  // The language server, a separate node process started over IPC.
  { name: 'server', entry: 'src/server/main.ts', out: 'dist/server.js', external: [] },
  // The simulated cluster, a separate node process.
  { name: 'simulator', entry: 'src/simulator/main.ts', out: 'dist/simulator.js', external: [] },
  // The in-host test suite: every .ts file its own bundle; 'vscode' and mocha come from the host and node_modules.
  {
    name: 'integration',
    entry: 'test/integration',
    outdir: 'out/test/integration',
    external: ['vscode', 'mocha'],
    devOnly: true,
  },
];

/** All .ts files under `dir`. */
function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? tsFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/**
 * The simulator's captured OpenAPI documents (api/openapi-data/kube-apiserver-openapi.json, 1.24 MB of
 * separately gzip'd parts) bundled brotli'd as one stream instead (~0.28 MB; scripts/pack-openapi-data.mjs,
 * cached in node_modules/.cache/kube-forecast/). src/simulator/api/openapi-data.ts reads either form.
 */
const OPENAPI_DATA = /[\\/]src[\\/]simulator[\\/]api[\\/]openapi-data[\\/]kube-apiserver-openapi\.json$/;
const packedOpenApiData = {
  name: 'packed-openapi-data',
  setup(build) {
    build.onLoad({ filter: OPENAPI_DATA }, (args) => ({
      contents: packOpenApiDataFile(args.path, join(ROOT, 'node_modules', '.cache', 'kube-forecast')),
      loader: 'json',
      watchFiles: [args.path],
    }));
  },
};

const CLIENT_NODE = join(ROOT, 'node_modules', '@kubernetes', 'client-node', 'dist');
/**
 * @kubernetes/client-node's index re-exports its whole generated API client (every model and API
 * class, ~370 KB minified), and src/cluster's dynamic import makes esbuild keep all of it. The sources
 * use one value from the package, KubeConfig (the rest are `import type`; eslint keeps client-node to
 * src/cluster): resolve the package to the module that defines it, and that module's import of the
 * generated client's index to the two modules it uses. A value import of anything else, or a
 * client-node whose config.js needs more, fails the build ("No matching export").
 */
const kubeConfigOnly = {
  name: 'client-node-kubeconfig-only',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: join(CLIENT_NODE, 'config.js') }));
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) =>
      args.importer === join(CLIENT_NODE, 'config.js')
        ? { path: 'gen/index.js', namespace: 'client-node-gen' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'client-node-gen' }, () => ({
      contents:
        "export { createConfiguration } from './configuration.js';\nexport { ServerConfiguration } from './servers.js';\n",
      resolveDir: join(CLIENT_NODE, 'gen'),
      loader: 'js',
    }));
  },
};

/**
 * node-fetch 2 (client-node's HTTP) takes `Url.URL || whatwgUrl.URL`: Node's own URL, always there on
 * Node 20, so its whatwg-url 5 fallback (with tr46's 260 KB mapping table and the punycode it requires)
 * is never used. node-fetch gets a whatwg-url that is Node's URL.
 */
const nodeFetchUsesNodeUrl = {
  name: 'node-fetch-uses-node-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, (args) =>
      /[\\/]node_modules[\\/]node-fetch[\\/]/.test(args.importer)
        ? { path: 'whatwg-url', namespace: 'node-url' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-url' }, () => ({
      contents: "module.exports = { URL: require('node:url').URL };\n",
      loader: 'js',
    }));
  },
};

/**
 * esbuild options for one entry of ENTRIES.
 * @param {(typeof ENTRIES)[number]} e
 * @param {{ production?: boolean }} [how]
 */
export function buildOptions(e, { production = false } = {}) {
  const output =
    e.outdir !== undefined
      ? { entryPoints: tsFiles(e.entry), outdir: e.outdir, outbase: e.entry }
      : { entryPoints: [e.entry], outfile: e.out };
  return {
    ...output,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: e.external,
    // Node's built-in `punycode` is deprecated (DEP0040): on Node 22+ requiring it prints a
    // DeprecationWarning, which the language server's stderr turns into an error line in the output
    // channel. @kubernetes/client-node 1.4 -> node-fetch 2 -> whatwg-url 5 (url-state-machine.js) and
    // tr46 0.0.3 require('punycode'); nodeFetchUsesNodeUrl leaves those out, and should anything else
    // require it, it gets the npm package of the same code (the trailing slash names the package, not
    // the built-in). test/unit/build/ checks that no bundle requires it.
    alias: { punycode: 'punycode/' },
    plugins: [packedOpenApiData, kubeConfigOnly, nodeFetchUsesNodeUrl],
    minify: production,
    sourcemap: production ? 'external' : 'linked',
    sourcesContent: false,
    // Emit `import()` as `require()`: the external ./language-client must load as CommonJS, by file name.
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
    metafile: true,
    define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
  };
}

function formatSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

async function main() {
  const args = process.argv.slice(2);
  const production = args.includes('--production');
  const watch = args.includes('--watch');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const unknown = args.filter((a) => !['--production', '--watch'].includes(a) && !a.startsWith('--only='));
  if (unknown.length > 0) {
    console.error(`esbuild.mjs: unknown argument(s) ${unknown.join(' ')}`);
    process.exit(2);
  }
  if (only !== undefined && !ENTRIES.some((e) => e.name === only)) {
    console.error(`esbuild.mjs: --only=${only} is not one of ${ENTRIES.map((e) => e.name).join(', ')}`);
    process.exit(2);
  }
  const options = (e) => buildOptions(e, { production });

  const selected = ENTRIES.filter((e) => (only === undefined ? !(production && e.devOnly) : e.name === only));
  const present = selected.filter((e) => {
    if (existsSync(e.entry)) return true;
    console.log(`skip ${e.name}: ${e.entry} does not exist yet`);
    return false;
  });

  if (watch) {
    for (const e of present) {
      const ctx = await esbuild.context({
        ...options(e),
        plugins: [
          {
            name: 'report',
            setup(build) {
              build.onEnd((r) =>
                console.log(`[watch] ${e.name}: ${r.errors.length === 0 ? 'built' : `${r.errors.length} error(s)`}`),
              );
            },
          },
        ],
      });
      await ctx.watch();
    }
    console.log('[watch] watching; Ctrl+C to stop');
  } else {
    let failed = false;
    for (const e of present) {
      try {
        const result = await esbuild.build(options(e));
        const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
        const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
        const where = e.out ?? `${e.outdir}/ (${files.length} files)`;
        console.log(
          `${e.name.padEnd(12)} ${where.padEnd(34)} ${formatSize(e.out !== undefined ? statSync(e.out).size : bytes)}`,
        );
      } catch {
        failed = true; // esbuild already printed the errors.
      }
    }
    process.exit(failed ? 1 : 0);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
