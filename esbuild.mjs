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
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
    // tr46 0.0.3 require('punycode'); bundle the npm package of the same code instead (the trailing
    // slash names the package, not the built-in). test/unit/build/ checks that no bundle requires it.
    alias: { punycode: 'punycode/' },
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
