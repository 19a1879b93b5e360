/**
 * The one-way import rules of ARCHITECTURE.md, checked by scanning every source file's imports.
 * The rule engine is tested on synthetic files first, so a broken scanner cannot pass silently.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(__dirname, '../..');

/** One import found in a file. */
interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

/** Finds static imports, re-exports, dynamic imports and requires; `typeOnly` when erased at compile time. */
export function scanImports(text: string): ImportRef[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const refs: ImportRef[] = [];
  const fromRe = /^\s*(import|export)\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(fromRe)) {
    const clause = (m[3] ?? '').trim();
    const named = /^\{([\s\S]*)\}$/.exec(clause);
    const allTypeSpecifiers =
      named !== null &&
      (named[1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .every((s) => s.startsWith('type '));
    refs.push({ specifier: m[4] ?? '', typeOnly: m[2] !== undefined || allTypeSpecifiers });
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm))
    refs.push({ specifier: m[1] ?? '', typeOnly: false });
  for (const m of code.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    refs.push({ specifier: m[1] ?? '', typeOnly: false });
  }
  return refs;
}

/**
 * Named exceptions, each with its reason. Keep this list short; every entry is a reviewed decision.
 */
const EXCEPTIONS: { path: RegExp; specifier: RegExp; why: string }[] = [];

/** The layers that may import src/kube-api (besides itself). */
const KUBE_API_USERS = new Set(['kube-api', 'scheduler', 'server', 'simulator']);

/** The layer (`src/<layer>`) a source path belongs to. */
function layerOf(srcRelative: string): string {
  return srcRelative.split('/')[0] ?? '';
}

/** Returns one sentence per broken rule for files given as `src/`-relative paths with their text. */
export function checkRules(files: { path: string; text: string }[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    for (const ref of scanImports(file.text)) {
      const s = ref.specifier;
      if (EXCEPTIONS.some((e) => e.path.test(file.path) && e.specifier.test(s))) continue;
      const isRelative = s.startsWith('.');
      const target = isRelative ? join(dirname(file.path), s).split(sep).join('/') : undefined;
      const targetLayer = target !== undefined ? layerOf(target) : undefined;
      const where = `${file.path} imports '${s}'`;
      if (
        layer === 'scheduler' &&
        !file.path.startsWith('scheduler/conformance/') &&
        target?.startsWith('scheduler/conformance/')
      ) {
        problems.push(`${where}: the scheduler model never imports its conformance tooling`);
      }
      if (layer === 'scheduler' && !ref.typeOnly && targetLayer !== 'scheduler' && targetLayer !== 'kube-api') {
        problems.push(`${where}: src/scheduler imports nothing outside itself and src/kube-api at runtime`);
      }
      // The Kubernetes API kernel: types, defaulting, selectors, quantities, tolerations. Pure, self-contained.
      if (layer === 'kube-api' && targetLayer !== 'kube-api') {
        problems.push(`${where}: src/kube-api imports nothing but itself`);
      }
      if (targetLayer === 'kube-api' && !KUBE_API_USERS.has(layer)) {
        problems.push(`${where}: only src/scheduler, src/server and src/simulator import src/kube-api`);
      }
      if (layer === 'shared' && !(targetLayer === 'shared' || s === 'vscode-languageserver-protocol')) {
        problems.push(`${where}: src/shared imports only vscode-languageserver-protocol`);
      }
      if (layer !== 'client' && (s === 'vscode' || s.startsWith('vscode-languageclient'))) {
        problems.push(`${where}: only src/client imports 'vscode'`);
      }
      if (layer !== 'cluster' && !ref.typeOnly && s.startsWith('@kubernetes/client-node')) {
        problems.push(`${where}: only src/cluster imports @kubernetes/client-node at runtime`);
      }
      const lazyOnly =
        s.startsWith('vscode-languageclient') ||
        s.startsWith('vscode-languageserver-protocol') ||
        target === 'shared/protocol';
      if (layer === 'client' && file.path !== 'client/language-client.ts' && !ref.typeOnly && lazyOnly) {
        problems.push(
          `${where}: in src/client only language-client.ts (loaded when the server starts) imports the protocol at runtime`,
        );
      }
      if (layer === 'server' && targetLayer === 'client') {
        problems.push(`${where}: src/server never imports src/client`);
      }
      // The extension host stays thin: predictions and cluster access live in the language server.
      if (layer === 'client' && (targetLayer === 'scheduler' || targetLayer === 'cluster')) {
        problems.push(`${where}: src/client imports neither src/scheduler nor src/cluster (the server does that work)`);
      }
      if (layer === 'simulator' && targetLayer === 'server') {
        problems.push(`${where}: src/simulator never imports src/server`);
      }
      // The controllers are the cluster's behaviour; the demo generator is data fed to them, not their source.
      if (
        file.path.startsWith('simulator/controllers/') &&
        (target === 'simulator/demo' || target?.startsWith('simulator/demo/'))
      ) {
        problems.push(`${where}: nothing under src/simulator/controllers imports src/simulator/demo`);
      }
      if (target !== undefined && target.startsWith('..')) {
        problems.push(`${where}: imports from outside src/`);
      }
    }
  }
  return problems;
}

/**
 * Files outside src/scheduler that may reach inside it: the model's own unit tests (they test
 * internals), the fixtures that build NodeInfo and CycleState for them, and the placement oracle's probe,
 * which reruns the framework's score and preemption steps on the nodes the real scheduler saw.
 */
const SCHEDULER_INSIDERS: RegExp[] = [
  /^test\/unit\/scheduler\//,
  /^test\/builders\/scheduler\.ts$/,
  /^test\/scheduler-oracle\/placement\/model-probe\.ts$/,
];

/** The scheduler's two entry points, as import targets without the extension. */
const SCHEDULER_DOORS = new Set([
  'src/scheduler/index',
  'src/scheduler/conformance',
  'src/scheduler/conformance/index',
]);

/**
 * The scheduler's front doors: outside src/scheduler, code reaches the model only through
 * src/scheduler/index.ts (`src/scheduler`) and the conformance tooling only through
 * src/scheduler/conformance/index.ts (`src/scheduler/conformance`). Files are repository-relative
 * (src/, test/, scripts/, bench/); `@src/` aliases and relative specifiers are resolved.
 */
export function checkSchedulerFrontDoor(files: { path: string; text: string }[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    if (file.path.startsWith('src/scheduler/') || SCHEDULER_INSIDERS.some((r) => r.test(file.path))) continue;
    for (const { specifier: s } of scanImports(file.text)) {
      const target = s.startsWith('@src/')
        ? `src/${s.slice('@src/'.length)}`
        : s.startsWith('.')
          ? join(dirname(file.path), s).split(sep).join('/')
          : undefined;
      if (target === undefined || !target.startsWith('src/scheduler/') || SCHEDULER_DOORS.has(target)) continue;
      problems.push(
        `${file.path} imports '${s}': outside src/scheduler the model is reached only through src/scheduler/index.ts (and its conformance tooling through src/scheduler/conformance/index.ts)`,
      );
    }
  }
  return problems;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture rule engine', () => {
  const cases: { name: string; path: string; text: string; want: RegExp | null }[] = [
    {
      name: 'scheduler runtime import of client-node',
      path: 'scheduler/a.ts',
      text: "import { KubeConfig } from '@kubernetes/client-node';",
      want: /src\/scheduler imports nothing/,
    },
    {
      name: 'scheduler type import of client-node is fine',
      path: 'scheduler/a.ts',
      text: "import type { V1Pod } from '@kubernetes/client-node';",
      want: null,
    },
    {
      name: 'scheduler inline type specifiers are fine',
      path: 'scheduler/a.ts',
      text: "import { type V1Pod, type V1Node } from '@kubernetes/client-node';",
      want: null,
    },
    {
      name: 'scheduler importing node:fs',
      path: 'scheduler/a.ts',
      text: "import * as fs from 'node:fs';",
      want: /src\/scheduler imports nothing/,
    },
    {
      name: 'scheduler importing shared',
      path: 'scheduler/x/a.ts',
      text: "import { Commands } from '../../shared/ids';",
      want: /src\/scheduler imports nothing/,
    },
    {
      name: 'scheduler relative import inside itself',
      path: 'scheduler/x/a.ts',
      text: "import { b } from '../b';",
      want: null,
    },
    {
      name: 'scheduler importing kube-api',
      path: 'scheduler/plugins/x/a.ts',
      text: "import { tolerationsTolerateTaint } from '../../../kube-api/tolerations';",
      want: null,
    },
    {
      name: 'kube-api importing the scheduler',
      path: 'kube-api/a.ts',
      text: "import type { NodeInfo } from '../scheduler/framework/interface';",
      want: /src\/kube-api imports nothing but itself/,
    },
    {
      name: 'kube-api importing a package',
      path: 'kube-api/a.ts',
      text: "import { load } from 'js-yaml';",
      want: /src\/kube-api imports nothing but itself/,
    },
    {
      name: 'kube-api importing itself',
      path: 'kube-api/a.ts',
      text: "import type { Pod } from './types';",
      want: null,
    },
    {
      name: 'client importing kube-api',
      path: 'client/views/a.ts',
      text: "import type { Pod } from '../../kube-api/types';",
      want: /only src\/scheduler, src\/server and src\/simulator import src\/kube-api/,
    },
    {
      name: 'shared importing js-yaml',
      path: 'shared/a.ts',
      text: "import { load } from 'js-yaml';",
      want: /src\/shared imports only/,
    },
    {
      name: 'shared importing the protocol package',
      path: 'shared/a.ts',
      text: "import { RequestType } from 'vscode-languageserver-protocol';",
      want: null,
    },
    {
      name: 'server importing vscode',
      path: 'server/a.ts',
      text: "import * as vscode from 'vscode';",
      want: /only src\/client imports 'vscode'/,
    },
    {
      name: 'cluster requiring vscode dynamically',
      path: 'cluster/a.ts',
      text: "const v = require('vscode');",
      want: /only src\/client imports 'vscode'/,
    },
    {
      name: 'server importing client-node at runtime',
      path: 'server/a.ts',
      text: "import {\n  KubeConfig,\n} from '@kubernetes/client-node';",
      want: /only src\/cluster imports/,
    },
    {
      name: 'server dynamic import of client-node',
      path: 'server/a.ts',
      text: "await import('@kubernetes/client-node');",
      want: /only src\/cluster imports/,
    },
    {
      name: 'server importing client',
      path: 'server/h/a.ts',
      text: "import { x } from '../../client/state';",
      want: /src\/server never imports src\/client/,
    },
    {
      name: 're-export counts',
      path: 'server/a.ts',
      text: "export { x } from '../client/state';",
      want: /src\/server never imports src\/client/,
    },
    {
      name: 'commented-out import is ignored',
      path: 'server/a.ts',
      text: "// import * as vscode from 'vscode';\n/* import 'vscode'; */",
      want: null,
    },
    { name: 'client importing vscode', path: 'client/a.ts', text: "import { window } from 'vscode';", want: null },
    {
      name: 'eager client code importing protocol constants',
      path: 'client/views/a.ts',
      text: "import { treeChildren } from '../../shared/protocol';",
      want: /only language-client\.ts/,
    },
    {
      name: 'eager client code importing protocol types',
      path: 'client/views/a.ts',
      text: "import type { TreeNode } from '../../shared/protocol';",
      want: null,
    },
    {
      name: 'client importing the scheduler',
      path: 'client/views/a.ts',
      text: "import type { Pod } from '../../scheduler';",
      want: /src\/client imports neither src\/scheduler nor src\/cluster/,
    },
    {
      name: 'client importing the cluster layer',
      path: 'client/a.ts',
      text: "import { loadKubeconfig } from '../cluster/kubeconfig';",
      want: /src\/client imports neither src\/scheduler nor src\/cluster/,
    },
    {
      name: 'simulator importing the server',
      path: 'simulator/api/a.ts',
      text: "import { x } from '../../server/context';",
      want: /src\/simulator never imports src\/server/,
    },
    {
      name: 'a controller importing the demo generator',
      path: 'simulator/controllers/a.ts',
      text: "import { Rng } from '../demo/random';",
      want: /nothing under src\/simulator\/controllers imports src\/simulator\/demo/,
    },
    {
      name: 'the demo generator importing a controller',
      path: 'simulator/demo/a.ts',
      text: "import { KUBELET_VERSION } from '../controllers/kubelet';",
      want: null,
    },
    {
      name: 'language-client.ts importing the language client',
      path: 'client/language-client.ts',
      text: "import { LanguageClient } from 'vscode-languageclient/node';\nimport * as protocol from '../shared/protocol';",
      want: null,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const problems = checkRules([{ path: c.path, text: c.text }]);
      if (c.want === null) assert.deepEqual(problems, []);
      else
        assert.ok(
          problems.some((p) => c.want?.test(p)),
          `expected a problem matching ${c.want}, got ${JSON.stringify(problems)}`,
        );
    });
  }
});

describe('the scheduler front-door rule', () => {
  const cases: { name: string; path: string; text: string; want: boolean }[] = [
    {
      name: 'server deep import',
      path: 'src/server/prediction/a.ts',
      text: "import { validatePod } from '../../scheduler/predict/validate-input';",
      want: true,
    },
    {
      name: 'server through the front door',
      path: 'src/server/prediction/a.ts',
      text: "import { validatePod } from '../../scheduler';",
      want: false,
    },
    {
      name: 'simulator type-only deep import',
      path: 'src/simulator/controllers/a.ts',
      text: "import type { Handle } from '../../scheduler/framework/interface';",
      want: true,
    },
    {
      name: 'script deep import',
      path: 'scripts/a.ts',
      text: "import { runScenario } from '../src/scheduler/conformance/runner';",
      want: true,
    },
    {
      name: 'script through the conformance door',
      path: 'scripts/a.ts',
      text: "import { runScenario } from '../src/scheduler/conformance';",
      want: false,
    },
    {
      name: 'bench through the front door',
      path: 'bench/a.ts',
      text: "import { predict } from '../src/scheduler';",
      want: false,
    },
    {
      name: 'server test deep import through the alias',
      path: 'test/unit/server/a.test.ts',
      text: "import { snapshotFrom } from '@src/scheduler/framework/snapshot';",
      want: true,
    },
    {
      name: 'the model’s own unit test reaches inside',
      path: 'test/unit/scheduler/framework/a.test.ts',
      text: "import { NodeInfoImpl } from '@src/scheduler/framework/node-info';",
      want: false,
    },
    {
      name: 'inside src/scheduler',
      path: 'src/scheduler/predict/a.ts',
      text: "import { CycleState } from '../framework/cycle-state';",
      want: false,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const problems = checkSchedulerFrontDoor([{ path: c.path, text: c.text }]);
      if (c.want) assert.match(problems.join('\n'), /reached only through src\/scheduler\/index\.ts/);
      else assert.deepEqual(problems, []);
    });
  }
});

describe('architecture invariants hold in src/', () => {
  test('no source file breaks a one-way import rule', () => {
    const src = join(ROOT, 'src');
    const files = walk(src, []).map((p) => ({
      path: relative(src, p).split(sep).join('/'),
      text: readFileSync(p, 'utf8'),
    }));
    assert.ok(files.length > 0);
    assert.deepEqual(checkRules(files), []);
  });

  test('outside src/scheduler, only src/scheduler/index.ts is imported (src, scripts, bench, test)', () => {
    const files = ['src', 'scripts', 'bench', 'test'].flatMap((d) =>
      walk(join(ROOT, d), []).map((p) => ({
        path: relative(ROOT, p).split(sep).join('/'),
        text: readFileSync(p, 'utf8'),
      })),
    );
    assert.ok(files.some((f) => f.path.startsWith('scripts/')) && files.some((f) => f.path.startsWith('bench/')));
    assert.deepEqual(checkSchedulerFrontDoor(files), []);
  });
});
