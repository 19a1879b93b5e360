#!/usr/bin/env node
// `npm run test:e2e`: Kube Forecast as a person meets it. The PACKAGED VSIX is installed into a
// fresh code-server; headless Chromium opens a workspace holding a fixture manifest, opens the
// Kubernetes view in the activity bar, runs "Open Simulated Cluster" from the F1 command palette,
// then checks the cluster tree rows and the CodeLens over the manifest. Checks assert visible text.
//
// Usage: node test/host/e2e.mjs [--vsix FILE] [--package] [--update-docs] [--keep] [--verbose]
//   [--scenario no-kubeconfig,first-minutes,trust] (default all three)
//   --vsix         the VSIX to install (default kube-forecast-<version>.vsix; built when missing
//                  or older than src/, media/, syntaxes/, package.json, esbuild.mjs)
//   --package      rebuild the VSIX first (`npm run package`) even when it is up to date
//   --update-docs  copy the README screenshots to media/screenshots/
// Screenshots: test-results/screenshots/*.png (-real, -latest for those tiers). Exit: 0 all checks passed, 1 a check failed,
// 2 infrastructure failure. Last line: `N passed, N failed`.
import fs from 'node:fs';
import path from 'node:path';
import { HostError, REPO_ROOT, launchChromium, parseArgs, startCodeServer, workbenchUrl } from './host-lib.mjs';
import {
  ensureVsix,
  fillFileDialog,
  harness,
  rowTexts,
  serveTestCluster,
  treeModel,
  uiStrings,
  visibleTexts,
  waitForRows,
  widenSidebar,
} from './e2e-lib.mjs';
import { firstMinutes } from './e2e-first-minutes.mjs';
import { trust } from './e2e-trust.mjs';

// One folder per tier, so tiers that run at once (npm test's lanes) never overwrite each other's:
// screenshots (simulated cluster, oldest VS Code), screenshots-real, screenshots-latest.
const TIER = [
  process.env.KF_TEST_CLUSTER === 'real' ? 'real' : '',
  process.env.KF_CODE_SERVER_VERSION === 'latest' ? 'latest' : '',
]
  .filter(Boolean)
  .join('-');
const SHOTS = path.join(REPO_ROOT, 'test-results', TIER ? `screenshots-${TIER}` : 'screenshots');
const DOC_SHOTS = path.join(REPO_ROOT, 'media', 'screenshots');
/** Screenshots good enough for the README: test-results name -> media/screenshots name. */
const FOR_DOCS = {
  '01-welcome.png': 'welcome.png',
  '03b-nodes-and-pods.png': 'cluster-tree.png',
  '04-codelens.png': 'cluster-and-codelens.png',
  '05-prediction-details.png': 'prediction-details.png',
  '21-simulated-lenses-dark.png': 'lenses-dark.png',
  '21-simulated-lenses-light.png': 'lenses-light.png',
};
/** The fixture manifest the CodeLens check opens (copied into a temp workspace). */
const MANIFEST_CANDIDATES = ['test/fixtures/manifests/pod.yaml', 'media/demo-workspace/web-deployment.yaml'];

async function main() {
  const args = parseArgs(process.argv.slice(2), {
    flags: ['package', 'update-docs', 'keep', 'verbose'],
    values: ['vsix', 'scenario'],
  });
  const t0 = Date.now();
  const log = (s) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
  const ui = uiStrings();
  const vsix = ensureVsix(args, ui);
  const manifestSrc = MANIFEST_CANDIDATES.map((p) => path.join(REPO_ROOT, p)).find((p) => fs.existsSync(p));
  if (!manifestSrc) throw new HostError(`no fixture manifest (looked for ${MANIFEST_CANDIDATES.join(', ')})`);
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });

  // The test cluster (KF_TEST_CLUSTER: the simulated cluster or the real control plane), reached
  // later through "Choose a kubeconfig", as a user with a kubeconfig file would.
  const clusterKind = process.env.KF_TEST_CLUSTER || 'simulated';
  const testCluster = await serveTestCluster(log);
  const results = [];
  const scenarios = String(args.scenario || 'no-kubeconfig,first-minutes,trust').split(',');
  if (scenarios.includes('no-kubeconfig')) {
    // No kubeconfig reaches the extension at first: the tree must come from the commands the test runs.
    const server = await startCodeServer({
      installVsix: [vsix],
      keep: !!args.keep,
      verbose: !!args.verbose,
      env: { KUBECONFIG: path.join(REPO_ROOT, 'test-results', 'no-such-kubeconfig') },
      settings: {
        'kubeForecast.useSimulatedClusterWhenNoKubeconfig': false,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
    const manifestName = path.basename(manifestSrc);
    fs.copyFileSync(manifestSrc, path.join(server.dirs.workspace, manifestName));
    log(`code-server up with ${path.basename(vsix)}; workspace holds ${manifestName}`);

    let context;
    try {
      context = await launchChromium(server.dirs['browser-profile']);
      const page = context.pages()[0] || (await context.newPage());
      if (args.verbose) page.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => log(`[workbench error] ${e.message}`));
      const { shot, check } = harness(page, log, SHOTS, results);
      const steps = createSteps(page, ui, manifestName, shot, server.dirs.workspace);

      await page.goto(workbenchUrl(server.url, { folder: server.dirs.workspace }), {
        waitUntil: 'domcontentloaded',
        timeout: 60_000,
      });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await check(
        `the activity bar's "${ui.container}" view says no cluster is connected and offers the simulated one`,
        steps.openView,
      );
      await check(
        `${manifestName} opened from Quick Open shows the "no cluster connected" CodeLens`,
        steps.lensBeforeCluster,
      );
      await check(
        `"${ui.openSimTitle}" from the F1 palette fills the "${ui.view}" tree with the cluster's nodes`,
        steps.paletteFillsTree,
      );
      await check('the status bar names the connected cluster', steps.statusBar);
      await check(
        `the CodeLens over ${manifestName} switches to the forecast: a node from the tree`,
        steps.lensAfterCluster,
      );
      await check('clicking the forecast CodeLens opens the details view: nodes × plugins', steps.detailsView);
      await check(
        `"${ui.chooseKubeconfigTitle}" with the ${clusterKind} test cluster's file lists its nodes in the tree`,
        () => steps.kubeconfigFillsTree(testCluster.kubeconfig, `06-${clusterKind}-tree.png`),
      );
      await check(`the CodeLens follows to the ${clusterKind} test cluster: a node from its tree`, () =>
        steps.lensAfterCluster(`07-${clusterKind}-codelens.png`),
      );
      await check(`the details view for the ${clusterKind} test cluster: nodes × plugins`, () =>
        steps.detailsView(`08-${clusterKind}-details.png`),
      );
    } finally {
      await context?.close().catch(() => {});
      if (args.keep) log(`kept ${server.root}`);
      await server.stop();
    }
  }
  try {
    if (scenarios.includes('first-minutes'))
      await firstMinutes({
        vsix,
        kubeconfig: testCluster.kubeconfig,
        manifest: manifestSrc,
        ui,
        clusterKind,
        shotsDir: SHOTS,
        results,
        log,
        keep: !!args.keep,
        verbose: !!args.verbose,
      });
    if (scenarios.includes('trust'))
      await trust({
        vsix,
        kubeconfig: testCluster.kubeconfig,
        ui,
        clusterKind,
        shotsDir: SHOTS,
        results,
        log,
        keep: !!args.keep,
        verbose: !!args.verbose,
      });
  } finally {
    await testCluster.stop();
  }

  if (args['update-docs']) {
    fs.mkdirSync(DOC_SHOTS, { recursive: true });
    for (const [from, to] of Object.entries(FOR_DOCS)) {
      if (fs.existsSync(path.join(SHOTS, from))) {
        fs.copyFileSync(path.join(SHOTS, from), path.join(DOC_SHOTS, to));
        log(`updated media/screenshots/${to}`);
      }
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

/**
 * The user-visible steps. Each throws with a sentence saying what the person would not see.
 * @param {import('playwright-core').Page} page
 * @param {ReturnType<typeof uiStrings>} ui
 * @param {string} manifestName
 * @param {(name: string) => Promise<void>} shot
 * @param {string} workspace  the workspace folder (where code-server's file dialog settles)
 */
function createSteps(page, ui, manifestName, shot, workspace) {
  const activityItem = page.locator(`.activitybar .action-item a[aria-label^="${ui.container}"]`);
  const sidebar = page.locator('#workbench\\.view\\.extension\\.kubeForecast');
  // A tree view's list carries the view's name as its aria-label, with or without a pane header.
  const treeRows = sidebar.locator(`.monaco-list[aria-label="${ui.view}"] .monaco-list-row`);
  const lenses = page.locator('.monaco-editor .codelens-decoration');
  const statusItem = page.locator('.statusbar-item', { hasText: /cluster/i }).first();
  /** @type {string[]} */
  const nodeNames = [];
  let noClusterLens = '';
  /** The node the forecast lens names (empty when it says that none fits). */
  let lensNode = '';
  let statusBefore = '';
  // Once the tree step failed, the later steps fail fast instead of waiting out full timeouts.
  let connected = true;
  const patience = (ms) => (connected ? ms : 3_000);
  const toasts = async () =>
    visibleTexts(page.locator('.notification-toast, .notifications-list-container .monaco-list-row'));
  /**
   * Finds the "Nodes" group of the connected cluster (expanding rows that start collapsed), opens it,
   * and reads its children (the rows one level deeper) once their number matches the group's count.
   */
  const readNodesGroup = async () => {
    // Find the "Nodes" group (expanding the cluster's row if it starts collapsed), open it, and
    // read its children: the rows one level deeper, up to the next row at its own level.
    const nodesGroup = async () => (await treeModel(treeRows)).findIndex((r) => /^nodes$/i.test(r.label));
    for (let i = 0; i < 3 && (await nodesGroup()) < 0; i++) {
      const collapsed = treeRows.and(page.locator('[aria-expanded="false"]')).first();
      if (!(await collapsed.count())) break;
      await collapsed.click();
      await page.waitForTimeout(500);
    }
    const at = await nodesGroup();
    if (at < 0) throw new Error(`the tree has no "Nodes" group; rows: ${JSON.stringify(await rowTexts(treeRows))}`);
    if ((await treeModel(treeRows))[at].expanded === false) await treeRows.nth(at).click();
    const deadline = Date.now() + 30_000;
    let rows = [];
    let children = [];
    let announced = NaN;
    for (;;) {
      rows = await treeModel(treeRows);
      const group = rows[at];
      announced = Number(/^\d+/.exec(group.description)?.[0] ?? NaN);
      children = [];
      for (const r of rows.slice(at + 1)) {
        if (r.level <= group.level) break;
        if (r.level === group.level + 1) children.push(r.label);
      }
      if (children.length > 0 && (Number.isNaN(announced) || children.length === announced)) break;
      if (Date.now() > deadline) {
        throw new Error(`the Nodes group (${group.description || 'no count'}) lists ${JSON.stringify(children)}`);
      }
      await page.waitForTimeout(250);
    }
    return { rows, at, children };
  };
  /** Runs a command from the F1 palette by its title. */
  const palette = async (title) => {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
  };
  return {
    async openView() {
      await activityItem.waitFor({ timeout: 60_000 });
      await activityItem.click();
      const welcome = sidebar.locator('.welcome-view-content');
      await welcome.waitFor({ timeout: 30_000 });
      const text = await welcome.innerText();
      if (!/no cluster/i.test(text))
        throw new Error(`the welcome text does not say that no cluster is connected: ${JSON.stringify(text)}`);
      await welcome.getByRole('button', { name: /simulated cluster/i }).waitFor({ timeout: 5_000 });
      await widenSidebar(page, 520);
      await shot('01-welcome.png');
    },
    async lensBeforeCluster() {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(manifestName);
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: manifestName })
        .first()
        .waitFor({ timeout: 60_000 });
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
      await lenses.first().waitFor({ timeout: 60_000 });
      const texts = await visibleTexts(lenses);
      noClusterLens = texts.find((t) => /no cluster/i.test(t)) || '';
      if (!noClusterLens) throw new Error(`no CodeLens says that no cluster is connected: ${JSON.stringify(texts)}`);
      statusBefore = (await statusItem.innerText().catch(() => '')).trim();
      await shot('02-codelens-no-cluster.png');
    },
    async paletteFillsTree() {
      await palette(ui.openSimTitle);
      // Run without arguments, the command asks where to start from: "Demo cluster" is first (Enter).
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Demo cluster' })
        .first()
        .waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      connected = false;
      await waitForRows(treeRows, (t) => t.length > 0, 60_000).catch(async (e) => {
        throw new Error(`${e.message}; notifications: ${JSON.stringify(await toasts())}`);
      });
      const { rows, at, children } = await readNodesGroup();
      nodeNames.push(...children);
      console.log(
        `[e2e] tree: ${JSON.stringify(rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}${r.description ? ` (${r.description})` : ''}`))}`,
      );
      connected = true;
      await shot('03-cluster-tree.png');
      // Open the first node too: its pods with their status icons (the README's explorer picture).
      const firstNode = rows[at + 1];
      if (firstNode && firstNode.expanded === false) {
        await treeRows.nth(at + 1).click();
        await waitForRows(treeRows, (t) => t.length > rows.length, 15_000).catch(() => {});
        await shot('03b-nodes-and-pods.png');
      }
    },
    async statusBar() {
      const deadline = Date.now() + patience(30_000);
      let now = '';
      while (Date.now() < deadline) {
        now = (await page.locator('.statusbar-item').allInnerTexts()).join(' | ');
        if (!/no cluster/i.test(now) && /sim|cluster|kube/i.test(now)) return;
        await page.waitForTimeout(250);
      }
      throw new Error(`the status bar still reads ${JSON.stringify(statusBefore)}; items: ${JSON.stringify(now)}`);
    },
    async lensAfterCluster(shotName = '04-codelens.png') {
      const deadline = Date.now() + patience(60_000);
      let texts = [];
      let named = [];
      // The forecast names a node the tree shows, or says that no node fits (a lens still showing
      // the previous cluster's nodes is waited out).
      const verdict = () =>
        texts.length > 0 &&
        !texts.some((t) => /no cluster|unavailable/i.test(t)) &&
        (named.length > 0 || /\b0\/\d+ nodes? fit|no node|pending|unschedulable/i.test(texts.join(' ')));
      while (Date.now() < deadline) {
        texts = await visibleTexts(lenses);
        named = nodeNames.filter((n) => texts.join(' ').includes(n));
        if (verdict()) break;
        await page.waitForTimeout(250);
      }
      if (!texts.length || texts.some((t) => /no cluster|unavailable/i.test(t))) {
        throw new Error(`the CodeLens did not change after connecting: ${JSON.stringify(texts)}`);
      }
      if (!verdict()) {
        throw new Error(
          `the CodeLens names none of the tree's nodes (${nodeNames.join(', ')}): ${JSON.stringify(texts)}`,
        );
      }
      lensNode = named[0] || '';
      console.log(`[e2e] CodeLens now reads: ${JSON.stringify(texts)}`);
      await shot(shotName);
    },
    /**
     * "Choose a kubeconfig" from F1 with the test cluster's file (typed into code-server's file
     * dialog, as a person would): the tree switches to its current context and lists its nodes.
     */
    async kubeconfigFillsTree(kubeconfigPath, shotName) {
      await page.keyboard.press('Escape');
      await palette(ui.chooseKubeconfigTitle);
      // code-server's file dialog is a quick input that fills in a folder, then the workspace folder:
      // typing before it settles got the path overwritten now and then (the flaky check of CI).
      await fillFileDialog(page, kubeconfigPath, { folder: workspace, title: /kubeconfig/i });
      connected = false;
      await waitForRows(treeRows, (t) => t.some((x) => /^it-admin\b/.test(x)), 60_000).catch(async (e) => {
        throw new Error(`${e.message}; notifications: ${JSON.stringify(await toasts())}`);
      });
      const { rows, children } = await readNodesGroup();
      nodeNames.length = 0;
      nodeNames.push(...children);
      console.log(
        `[e2e] tree: ${JSON.stringify(rows.map((r) => `${'  '.repeat(r.level - 1)}${r.label}${r.description ? ` (${r.description})` : ''}`))}`,
      );
      connected = true;
      await shot(shotName);
    },
    async detailsView(shotName = '05-prediction-details.png') {
      // The first link of the lens line is the forecast; it runs Show Prediction Details.
      await lenses
        .first()
        .locator('a')
        .first()
        .click({ timeout: patience(15_000) });
      const view = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await view
        .locator('#nodes tbody tr')
        .first()
        .waitFor({ timeout: patience(30_000) });
      const rows = await view.locator('#nodes tbody tr').count();
      const summary = (await view.locator('#summary').innerText()).trim();
      if (rows === 0 || !summary)
        throw new Error(`the details view shows no table (${rows} rows, summary ${JSON.stringify(summary)})`);
      console.log(`[e2e] details: ${JSON.stringify(summary)}, ${rows} node rows`);
      // The view agrees with the lens: the node it names ranks first.
      const first = (await view.locator('#nodes tbody tr').first().innerText()).replace(/\s+/g, ' ');
      if (lensNode && !first.includes(lensNode)) {
        throw new Error(`the lens names ${lensNode} but the details rank first: ${JSON.stringify(first)}`);
      }
      // Hide the side bar so the table has room in the picture, then bring it back.
      await page.keyboard.press('Control+B');
      await shot(shotName);
      await page.keyboard.press('Control+B');
    },
  };
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error(`[e2e] ${e instanceof HostError ? e.message : e?.stack || e}`);
    if (e instanceof HostError && e.hint) console.error(`  how to fix: ${e.hint}`);
    console.log('0 passed, 1 failed');
    process.exit(2);
  },
);
