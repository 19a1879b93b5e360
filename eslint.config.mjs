// ESLint flat config: typescript-eslint recommended, no-floating-promises (type-aware), and the
// one-way import rules of ARCHITECTURE.md as per-folder restricted imports. test/unit/architecture.test.ts
// checks the same rules by scanning sources, so CI catches them even without lint.
import tseslint from 'typescript-eslint';

const vscodeOnlyInClient = [{ name: 'vscode', message: "Only src/client imports 'vscode' (ARCHITECTURE.md)." }];
const languageClientOnlyInClient = {
  group: ['vscode-languageclient', 'vscode-languageclient/*'],
  message: 'Only src/client uses the language client.',
};
const clientNodeOnlyInCluster = {
  group: ['@kubernetes/client-node', '@kubernetes/client-node/*'],
  allowTypeImports: true,
  message: 'Only src/cluster imports @kubernetes/client-node at runtime; use `import type` elsewhere.',
};

/**
 * The scheduler's front doors: outside src/scheduler, the model is imported as `src/scheduler` (its
 * index.ts) and the conformance tooling as `src/scheduler/conformance`, never a file inside.
 */
const schedulerFrontDoor = {
  regex: '(^|/)scheduler/(?!conformance$)',
  message:
    'Import the scheduler model through src/scheduler (index.ts) and its conformance tooling through src/scheduler/conformance (ARCHITECTURE.md).',
};
/** The extension host stays thin: predictions, cluster access and the Kubernetes API kernel live in the server. */
const clientStaysThin = {
  regex: '^(\\.\\./)+(scheduler|cluster|kube-api)(/|$)',
  message:
    'src/client imports neither src/scheduler, src/cluster nor src/kube-api: the language server does that work.',
};

/** What src/simulator may not import. */
const simulatorPatterns = [
  languageClientOnlyInClient,
  clientNodeOnlyInCluster,
  { regex: '^(\\.\\./)+server/', message: 'src/simulator never imports src/server.' },
  schedulerFrontDoor,
];

/** Restricted-import options for a folder; `patterns` adds folder-specific groups. */
const restrict = (paths, patterns) => ['error', { paths, patterns }];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', '.bench/**', 'test-results/**', '**/*.d.ts'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Everything outside src/client and src/cluster: no vscode, no language client, client-node types only.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/client/**', 'src/cluster/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [
        languageClientOnlyInClient,
        clientNodeOnlyInCluster,
      ]),
    },
  },
  {
    files: ['src/client/**/*.ts'],
    ignores: ['src/client/language-client.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [],
        [
          clientNodeOnlyInCluster,
          clientStaysThin,
          {
            group: [
              'vscode-languageclient',
              'vscode-languageclient/*',
              'vscode-languageserver-protocol',
              '**/shared/protocol',
            ],
            allowTypeImports: true,
            message:
              'Activation must not load the protocol: import types only, and send requests with ExtensionState.request (language-client.ts loads lazily).',
          },
        ],
      ),
    },
  },
  {
    files: ['src/client/language-client.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([], [clientNodeOnlyInCluster, clientStaysThin]) },
  },
  {
    files: ['src/cluster/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [languageClientOnlyInClient]) },
  },
  // src/kube-api is the Kubernetes API kernel (types, defaulting, selectors, quantities, tolerations):
  // it imports nothing but itself.
  {
    files: ['src/kube-api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [
        { regex: '^(?!\\./[^/]+$)', message: 'src/kube-api imports nothing but itself.' },
      ]),
    },
  },
  // src/scheduler is pure: nothing from outside itself and src/kube-api at runtime (client-node types are fine).
  {
    files: ['src/scheduler/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [
        languageClientOnlyInClient,
        clientNodeOnlyInCluster,
        {
          group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process'],
          message: 'src/scheduler does no I/O.',
        },
        {
          group: ['js-yaml', 'vscode-languageserver*'],
          message: 'src/scheduler imports nothing outside itself at runtime.',
        },
        {
          group: [
            '**/client/**',
            '**/server/**',
            '**/cluster/**',
            '**/simulator/**',
            '**/shared/**',
            '**/conformance/**',
          ],
          message: 'src/scheduler imports nothing outside itself and src/kube-api.',
        },
      ]),
    },
  },
  // src/shared: only vscode-languageserver-protocol.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [
        languageClientOnlyInClient,
        {
          group: ['*', '!vscode-languageserver-protocol', '!./*'],
          message: 'src/shared imports only vscode-languageserver-protocol.',
        },
      ]),
    },
  },
  // src/server never imports src/client.
  {
    files: ['src/server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [
        languageClientOnlyInClient,
        clientNodeOnlyInCluster,
        { group: ['**/client/**', '**/client'], message: 'src/server never imports src/client.' },
        schedulerFrontDoor,
      ]),
    },
  },
  // src/simulator never imports src/server, and reaches the scheduler through its front door; its
  // controllers never import the demo generator.
  {
    files: ['src/simulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, simulatorPatterns),
    },
  },
  {
    files: ['src/simulator/controllers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(vscodeOnlyInClient, [
        ...simulatorPatterns,
        { regex: '^\\.\\./demo(/|$)', message: 'Nothing under src/simulator/controllers imports src/simulator/demo.' },
      ]),
    },
  },
  // Scripts, benchmarks and tests reach the scheduler through its front door too; the model's own unit
  // tests (test/unit/scheduler), their fixtures and the placement oracle's probe test its internals.
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    ignores: ['test/unit/scheduler/**', 'test/builders/scheduler.ts', 'test/scheduler-oracle/placement/model-probe.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict([], [schedulerFrontDoor]) },
  },
);
