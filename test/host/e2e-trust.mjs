// Issue 12 items 3–6 in the browser, as a person does them, against the test cluster (KUBECONFIG):
//  3. Save Cluster Snapshot from F1 into the workspace, open it with Open Simulated Cluster → "Load a
//     cluster snapshot…": the same nodes, the same pods on each node, the same lenses.
//  4. The details view never stale: it follows an edit of its manifest, a cluster switch, and closes
//     with its manifest.
//  5. Names: the demo cluster, the snapshot's cluster and the kubeconfig's contexts each have their own
//     name in the tree, the status bar and Choose Context; switching back to a context works.
//  6. Lenses that fit: in a 1280 px window with the side bar open every Create/Apply link is on screen;
//     a pod that fits nowhere reads `no node fits: N× reason` (≤ 96 characters, kube-scheduler's whole
//     sentence in the tooltip); a Deployment of which one replica of two can run says so in words.
// The pictures of the lenses and of the details view are taken in the dark theme ('Default Dark
// Modern'), then again after switching to 'Default Light Modern' with the Color Theme picker (the
// README shows both).
// Each check names, in a comment, the old behaviour it fails on.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, startCodeServer, workbenchUrl } from './host-lib.mjs';
import {
  fillFileDialog,
  harness,
  kubectlRunner,
  pollUntil,
  rowTexts,
  treeModel,
  visibleTexts,
  waitForRows,
} from './e2e-lib.mjs';

const NS = 'e2e-trust';
const MANIFEST = 'trust.yaml';
/** Line (1-based) of the first pod's cpu request in MANIFEST: the edit of item 4. */
const CPU_LINE = 12;
/**
 * Three pod specs on the test cluster's nodes (node-a, node-b: 3.9 cpu; gpu-a: 7.9 cpu, tainted
 * nvidia.com/gpu): `web` fits; `too-big` (64 cpu) fits nowhere, for two reasons; `batch` is a
 * Deployment of 2 replicas that tolerates the taint and asks 5 cpu each: only gpu-a holds one.
 */
const TRUST_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ${NS}
spec:
  containers:
    - name: nginx
      image: nginx:1.27
      resources:
        requests:
          cpu: 250m
          memory: 128Mi
---
apiVersion: v1
kind: Pod
metadata: {name: too-big, namespace: ${NS}}
spec:
  containers: [{name: c, image: busybox, resources: {requests: {cpu: '64'}}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: ${NS}}
spec:
  replicas: 2
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers: [{name: c, image: busybox, resources: {requests: {cpu: '5'}}}]
`;
/** Pods owned by a Deployment before the snapshot is taken (a reloaded copy must not make a second set). */
const SPREAD_YAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: spread, namespace: ${NS}}
spec:
  replicas: 3
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 100m, memory: 64Mi}}}]
`;

/** The browser window of item 6's promise: 1,280 px wide. */
const VIEWPORT = { width: 1280, height: 800 };

/**
 * Runs the scenario; pushes one result per check into `results`.
 * @param {{ vsix: string, kubeconfig: string, ui: { container: string, view: string },
 *   clusterKind: string, shotsDir: string, results: { name: string, ok: boolean }[], log: (s: string) => void,
 *   keep?: boolean, verbose?: boolean }} o
 */
export async function trust(o) {
  const kubectl = kubectlRunner(o.kubeconfig, path.dirname(o.kubeconfig));
  const started = Date.now();
  const since = () => `${Date.now() - started} ms`;
  // The first-minutes scenario's namespace goes away first: its pods must not come and go while
  // the snapshot is compared with the cluster it was taken from.
  kubectl(['wait', '--for=delete', 'namespace/e2e-live', '--timeout=90s'], { allowFail: true, timeoutMs: 120_000 });
  const deleted = since();
  kubectl(['create', 'namespace', NS]);
  kubectl(['apply', '-f', '-'], { input: SPREAD_YAML });
  // Polled rather than `kubectl rollout status`: one watch that hangs under CI's load must not fail the
  // scenario while the Deployment is ready (CI saw "successfully rolled out" and a failure together).
  await pollUntil(
    'Deployment spread has 3 available replicas',
    () =>
      kubectl(['get', '-n', NS, 'deployment/spread', '-o', 'jsonpath={.status.availableReplicas}'], {
        timeoutMs: 30_000,
      }) === '3',
    { ms: 150_000 },
  );
  o.log(`trust setup: e2e-live gone after ${deleted}; spread's 3 replicas available after ${since()}`);
  try {
    await scenario(o);
  } finally {
    kubectl(['delete', 'namespace', NS, '--wait=false'], { allowFail: true });
  }
}

/** A fresh code-server in `theme` with KUBECONFIG = the test cluster; the workspace holds MANIFEST. */
async function openWorkbench(o, theme) {
  const server = await startCodeServer({
    installVsix: [o.vsix],
    keep: !!o.keep,
    verbose: !!o.verbose,
    env: { KUBECONFIG: o.kubeconfig },
    settings: {
      'kubeForecast.useSimulatedClusterWhenNoKubeconfig': false,
      'workbench.colorTheme': theme,
    },
  });
  fs.writeFileSync(path.join(server.dirs.workspace, MANIFEST), TRUST_YAML);
  const context = await launchChromium(server.dirs['browser-profile'], { viewport: VIEWPORT });
  const page = context.pages()[0] || (await context.newPage());
  if (o.verbose) page.on('console', (m) => o.log(`[browser ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => o.log(`[workbench error] ${e.message}`));
  await page.goto(workbenchUrl(server.url, { folder: server.dirs.workspace }), {
    waitUntil: 'domcontentloaded',
    timeout: 60_000,
  });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return { server, context, page, ui: ui(page, o) };
}

/**
 * What a person looks at and does, as functions of the page.
 * @param {import('playwright-core').Page} page
 */
function ui(page, o) {
  const sidebar = page.locator('#workbench\\.view\\.extension\\.kubeForecast');
  const treeRows = sidebar.locator(`.monaco-list[aria-label="${o.ui.view}"] .monaco-list-row`);
  const editor = page.locator('.editor-instance .monaco-editor').first();
  const quickInput = page.locator('.quick-input-widget input');
  const quickRows = page.locator('.quick-input-list .monaco-list-row');
  const details = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const u = {
    sidebar,
    treeRows,
    editor,
    details,
    /** Runs a command from the F1 palette by its title. */
    async palette(title) {
      await page.keyboard.press('F1');
      await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
      await quickInput.fill(`>${title}`);
      // The row titled exactly so (others may match the words too, e.g. "… Color Themes in Marketplace").
      const row = quickRows.filter({
        has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }),
      });
      await row.first().click({ timeout: 15_000 });
    },
    /**
     * The labels of the QuickPick titled `title` (the palette's rows stay on screen until the
     * command's own list replaces them), once it lists some.
     */
    async quickPickLabels(title, ms = 15_000) {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: ms });
      await quickRows.first().waitFor({ timeout: ms });
      return u.rowLabels();
    },
    async rowLabels() {
      return quickRows.evaluateAll((els) =>
        els.map((el) => el.querySelector('.label-name')?.textContent?.trim() ?? el.textContent?.trim() ?? ''),
      );
    },
    /** Clicks the QuickPick row whose label is exactly `label`, once the list offers it. */
    async pick(label, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const labels = await u.rowLabels();
        const at = labels.indexOf(label);
        if (at >= 0) return quickRows.nth(at).click();
        if (Date.now() > deadline)
          throw new Error(`the list offers no ${JSON.stringify(label)}: ${JSON.stringify(labels)}`);
        await page.waitForTimeout(100);
      }
    },
    /** Opens a workspace file with Quick Open (Ctrl+P). */
    async quickOpen(name) {
      await page.keyboard.press('Control+P');
      await quickInput.fill(name);
      // Quick Open lists workspace files once its file search answers: seconds on a loaded machine.
      await quickRows.filter({ hasText: name }).first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
    },
    /**
     * The lenses of the visible editor, top to bottom: the forecast (first link), its tooltip (the
     * link's title), and each link's box.
     */
    async lenses() {
      const all = await editor.locator('.codelens-decoration').evaluateAll((els) =>
        els
          .map((el) => {
            const links = [...el.querySelectorAll('a')].map((a) => {
              const r = a.getBoundingClientRect();
              return {
                text: (a.textContent ?? '').replace(/\s+/g, ' ').trim(),
                title: a.getAttribute('title') ?? '',
                left: r.left,
                right: r.right,
                top: r.top,
                bottom: r.bottom,
              };
            });
            return {
              top: el.getBoundingClientRect().top,
              text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
              links,
            };
          })
          .filter((l) => l.links.length > 0)
          .sort((a, b) => a.top - b.top),
      );
      return all.map((l) => ({ ...l, title: l.links[0].text, tooltip: l.links[0].title }));
    },
    /** Polls the lenses until `ok(lenses)`; returns them, or throws with the last seen. */
    async lensesUntil(what, ok, ms = 30_000) {
      const deadline = Date.now() + ms;
      let last = [];
      for (;;) {
        last = await u.lenses();
        if (ok(last)) return last;
        if (Date.now() > deadline)
          throw new Error(`${what}; the lenses read ${JSON.stringify(last.map((l) => l.text))}`);
        await page.waitForTimeout(100);
      }
    },
    /** The part of the editor a person sees: right of the gutter, left of the minimap and scrollbar. */
    async editorViewport() {
      return editor.evaluate((ed) => {
        const box = (sel) => ed.querySelector(sel)?.getBoundingClientRect();
        const guard = box('.overflow-guard');
        const content = box('.editor-scrollable');
        const mm = box('.minimap');
        const vbar = box('.editor-scrollable > .scrollbar.vertical');
        const right = Math.min(
          guard.right,
          mm && mm.width > 0 ? mm.left : Infinity,
          vbar && vbar.width > 0 ? vbar.left : Infinity,
        );
        return { left: content?.left ?? guard.left, right, top: guard.top, bottom: guard.bottom };
      });
    },
    /** The status bar items' texts. */
    async statusText() {
      const texts = await page.locator('.statusbar-item').allInnerTexts();
      return texts.map((t) => t.trim()).filter(Boolean);
    },
    /** Waits for a status bar item that contains `text`; returns all items. */
    async statusShows(text, ms = 30_000) {
      const deadline = Date.now() + ms;
      let items = [];
      while (Date.now() < deadline) {
        items = await u.statusText();
        if (items.some((t) => t.includes(text))) return items;
        await page.waitForTimeout(100);
      }
      throw new Error(`no status bar item says ${JSON.stringify(text)}: ${JSON.stringify(items)}`);
    },
    /** The tree's top-level rows (the contexts), label → description. */
    async contextRows() {
      const rows = await treeModel(treeRows);
      return rows.filter((r) => r.level === 1);
    },
    /** Waits until the context row `label` says `connected`. */
    async connectedTo(label, ms = 60_000) {
      await waitForRows(treeRows, (t) => t.includes(`${label} (connected)`), ms);
    },
    /**
     * Opens Nodes and every node of the connected cluster; returns node → { description, pods }
     * once the Nodes group's count matches its rows and each node's pod rows match its `N/M pods`.
     */
    async nodesAndPods(ms = 30_000, { pods = true } = {}) {
      const deadline = Date.now() + ms;
      let snapshot = '';
      for (;;) {
        const rows = await treeModel(treeRows);
        const ctx = rows.findIndex((r) => r.level === 1 && /^connected/.test(r.description));
        const at = rows.findIndex((r, i) => i > ctx && r.level === 2 && r.label === 'Nodes');
        if (ctx >= 0 && rows[ctx].expanded === false) {
          await u.expand(ctx, rows[ctx]);
        } else if (at >= 0 && rows[at].expanded === false) {
          await u.expand(at, rows[at]);
        } else if (at >= 0) {
          const nodes = new Map();
          let closed = -1;
          let complete = /^\d+$/.test(rows[at].description);
          for (let i = at + 1; i < rows.length && rows[i].level > 2; i++) {
            const r = rows[i];
            if (r.level === 3) {
              nodes.set(r.label, { description: r.description, pods: [] });
              if (pods && r.expanded === false && closed < 0) closed = i;
            } else if (r.level === 4) [...nodes.values()].pop()?.pods.push(r.label);
          }
          if (closed >= 0) {
            await u.expand(closed, rows[closed]);
          } else {
            if (nodes.size !== Number(rows[at].description)) complete = false;
            for (const [, n] of nodes) {
              const count = /(\d+)\/\d+ pods/.exec(n.description);
              if (pods && (!count || Number(count[1]) !== n.pods.length)) complete = false;
              n.pods.sort();
            }
            if (complete && nodes.size > 0) return nodes;
          }
          snapshot = JSON.stringify(await rowTexts(treeRows));
        }
        if (Date.now() > deadline) throw new Error(`the tree's nodes and their pods never settled: ${snapshot}`);
        await page.waitForTimeout(150);
      }
    },
    /**
     * Clicks the collapsed row at `index` (`row`, as read) and waits until the tree shows it open: a
     * second click before the tree has redrawn (slow on a loaded machine) would close it again.
     */
    async expand(index, row) {
      await treeRows.nth(index).click();
      const deadline = Date.now() + 15_000;
      for (;;) {
        const now = await treeModel(treeRows);
        const same = now.find((r) => r.label === row.label && r.level === row.level);
        if (same?.expanded !== false) return;
        if (Date.now() > deadline) throw new Error(`the tree row ${JSON.stringify(row.label)} does not open`);
        await page.waitForTimeout(100);
      }
    },
    /** Collapses a group of the connected context (keeps the tree short for the next reading). */
    async fold(label = 'Nodes') {
      const rows = await treeModel(treeRows);
      const ctx = rows.findIndex((r) => r.level === 1 && /^connected/.test(r.description));
      const at = rows.findIndex((r, i) => i > ctx && r.level === 2 && r.label === label);
      if (at >= 0 && rows[at].expanded === true) await treeRows.nth(at).click();
    },
    /**
     * Closes the secondary side bar if it is open (VS Code 1.139 opens an empty one at the right by
     * default), with its key, as a person would: the layout of item 6 is the side bar alone.
     */
    async closeSecondarySideBar() {
      const aux = page.locator('#workbench\\.parts\\.auxiliarybar');
      const open = async () => ((await aux.boundingBox().catch(() => null))?.width ?? 0) > 0;
      if (!(await open())) return;
      await page.keyboard.press('Control+Alt+B');
      const deadline = Date.now() + 10_000;
      while (await open()) {
        if (Date.now() > deadline) throw new Error('the secondary side bar does not close');
        await page.waitForTimeout(100);
      }
    },
    /** Clears the notification toasts (so they cover nothing in a picture). */
    async clearToasts() {
      await u.palette('Notifications: Clear All Notifications').catch(() => page.keyboard.press('Escape'));
    },
    /** The details view's node rows (names), its summary and its out-of-date banner. */
    async detailsState() {
      const names = await details
        .locator('#nodes tbody tr td.name')
        .allInnerTexts()
        .catch(() => []);
      const summary = await details
        .locator('#summary')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      const stale = (await details
        .locator('#stale')
        .count()
        .catch(() => 0))
        ? await details.locator('#stale').innerText()
        : '';
      return { names: names.map((n) => n.trim()), summary: summary.trim(), stale: stale.trim() };
    },
  };
  return u;
}

/** Whether each Create/Apply link lies inside the editor's visible area; the misfits, in words. */
function clipped(lenses, view) {
  const bad = [];
  for (const l of lenses) {
    for (const a of l.links.slice(1)) {
      const inside =
        a.left >= view.left - 1 && a.right <= view.right + 1 && a.top >= view.top - 1 && a.bottom <= view.bottom + 1;
      if (!inside || a.right - a.left < 5)
        bad.push(
          `"${a.text}" of "${l.title}" spans x ${Math.round(a.left)}–${Math.round(a.right)}, the editor shows x ${Math.round(view.left)}–${Math.round(view.right)}`,
        );
    }
  }
  return bad;
}

async function scenario(o) {
  const { server, context, page, ui: u } = await openWorkbench(o, 'Default Dark Modern');
  const { shot, check } = harness(page, o.log, o.shotsDir, o.results);
  const kind = o.clusterKind;
  const snapshotFile = path.join(server.dirs.workspace, 'it-admin-snapshot.json');
  /** What the it-admin cluster showed when the snapshot was saved. */
  let before = { nodes: new Map(), lenses: /** @type {string[]} */ ([]) };
  let demoLabel = '';
  let snapshotLabel = '';
  try {
    await page.locator(`.activitybar .action-item a[aria-label^="${o.ui.container}"]`).click({ timeout: 60_000 });
    await u.connectedTo('it-admin');
    await u.quickOpen(MANIFEST);
    // The editor measured below is the only one in its row (the details view opens beside it later),
    // between the side bar and the window's right edge.
    await u.closeSecondarySideBar();

    // Item 6. Old behaviour: titles were capped at 180 characters and a pod that fit nowhere read
    // `no node fits — 0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.
    // preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.` (176
    // characters): at the ~5.9 px a lens character takes here its Create link ends near x 1,500, past
    // the editor's right edge (x ≈ 1,170 in a 1,280 px window with the side bar open): both checks fail.
    await check(
      `a pod that fits nowhere reads "no node fits: N× reason" (≤ 96 characters), the whole sentence in its tooltip`,
      async () => {
        const lenses = await u.lensesUntil(
          'no forecast for the three pod specs',
          (l) => l.length === 3 && !/predicting|connecting/i.test(l.map((x) => x.title).join()),
        );
        const nofit = lenses[1];
        if (!/^no node fits: \d+× [^—]+$/.test(nofit.title) || nofit.title.length > 96)
          throw new Error(
            `the lens of too-big reads ${JSON.stringify(nofit.title)} (${nofit.title.length} characters)`,
          );
        if (
          !/^0\/\d+ nodes are available: .*Insufficient cpu/.test(nofit.tooltip) ||
          nofit.tooltip.length <= nofit.title.length
        )
          throw new Error(
            `the tooltip of ${JSON.stringify(nofit.title)} is ${JSON.stringify(nofit.tooltip)}, not kube-scheduler's sentence`,
          );
        o.log(
          `lenses: ${JSON.stringify(lenses.map((l) => l.text))}; too-big's tooltip: ${JSON.stringify(nofit.tooltip)}`,
        );
      },
    );
    await check(
      "at 1280 px with the side bar open every lens's Create link is inside the editor's visible area",
      async () => {
        const lenses = await u.lenses();
        const view = await u.editorViewport();
        const sidebarBox = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
        if (!sidebarBox || sidebarBox.width < 150)
          throw new Error(`the side bar is not open (${JSON.stringify(sidebarBox)})`);
        const bad = clipped(lenses, view);
        if (lenses.length !== 3 || lenses.some((l) => l.links.length < 2))
          throw new Error(`lenses without a Create link: ${JSON.stringify(lenses.map((l) => l.text))}`);
        if (bad.length) throw new Error(bad.join('; '));
        o.log(
          `editor shows x ${Math.round(view.left)}–${Math.round(view.right)}; Create links end at ${lenses.map((l) => Math.round(l.links[1].right)).join(', ')}`,
        );
      },
    );
    // Old behaviour (before the drift wording): `predicted gpu-a · running: gpu-a · 1 Pending: 0/3 nodes
    // are available: 3 Insufficient cpu. preemption: …`: no `1 of 2 running`, no short reason; then
    // `1 of 2 running (gpu-a), predicted (gpu-a) · 1 Pending: …`, which read as drift when it was not.
    await check(
      'Create on a Deployment of which one replica of two fits: the lens says "1 of 2 running as predicted (gpu-a) · 1 Pending as predicted: N× reason ✓", its Apply link on screen',
      async () => {
        const lenses = await u.lenses();
        const create = lenses[2].links.find((a) => a.text === 'Create');
        if (!create) throw new Error(`the Deployment's lens has no Create link: ${JSON.stringify(lenses[2].text)}`);
        if (!/^1 of 2 replicas fit now: gpu-a — then \d+× Insufficient cpu$/.test(lenses[2].title))
          throw new Error(`before Create the Deployment's lens reads ${JSON.stringify(lenses[2].title)}`);
        await page.mouse.click((create.left + create.right) / 2, (create.top + create.bottom) / 2);
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ timeout: 15_000 });
        await dialog.getByRole('button', { name: 'Create' }).click();
        const after = await u.lensesUntil(
          "the Deployment's lens never compared its pods with the forecast",
          (l) =>
            l.length === 3 &&
            /^1 of 2 running as predicted \(gpu-a\) · 1 Pending as predicted: \d+× Insufficient cpu ✓$/.test(
              l[2].title,
            ) &&
            l[2].links[1]?.text === 'Apply',
          60_000,
        );
        const bad = clipped(after, await u.editorViewport());
        if (bad.length) throw new Error(bad.join('; '));
        o.log(`after Create: ${JSON.stringify(after[2].text)}`);
        await u.clearToasts();
        // The picture: the nodes with their pods beside the lenses (Create revealed the Deployment in
        // its namespace; that branch is folded again).
        await u.fold('Namespaces');
        await u.nodesAndPods();
        await bothThemes(page, u, shot, `21-${kind}-lenses`);
      },
    );

    // Item 4 (edit). Old behaviour: the details view kept the numbers it opened with until it was
    // opened again; an edit changed the lens and nothing in the view.
    let summaryBefore = '';
    await check(
      'the details view follows an edit of its manifest (cpu 250m → 64): its summary becomes the new lens',
      async () => {
        const lenses = await u.lenses();
        const forecast = lenses[0];
        await page.mouse.click(
          (forecast.links[0].left + forecast.links[0].right) / 2,
          (forecast.links[0].top + forecast.links[0].bottom) / 2,
        );
        await u.details.locator('#nodes tbody tr').first().waitFor({ timeout: 30_000 });
        summaryBefore = (await u.detailsState()).summary;
        if (summaryBefore !== forecast.title)
          throw new Error(
            `the details say ${JSON.stringify(summaryBefore)}, the lens ${JSON.stringify(forecast.title)}`,
          );
        await bothThemes(page, u, shot, `22-${kind}-details`);
        await editLine(page, u, CPU_LINE, '          cpu: 64');
        const edited = await u.lensesUntil(
          'the lens did not follow the edit',
          (l) => l.length === 3 && /^no node fits: /.test(l[0].title),
        );
        await followsTo(page, u, edited[0].title);
        await shot(`23-${kind}-details-after-edit.png`);
        // Back to 250m (and saved, so closing the editor later asks nothing): the lens and the view follow.
        await editLine(page, u, CPU_LINE, '          cpu: 250m');
        await page.keyboard.press('Control+S');
        await u.lensesUntil(
          'the lens did not come back with cpu 250m',
          (l) => l.length === 3 && l[0].title === forecast.title,
        );
        await followsTo(page, u, forecast.title);
      },
    );

    // Item 3. Old behaviour: the snapshot dropped uids, so the copy's Deployment controllers did not
    // know their pods and made a second set (each node listed more pods, under other names); and until
    // this commit the copy served Kubernetes 1.33 whatever the original ran (v1.37 here), so its
    // forecasts used another release's scores (`→ node-b 490` on the copy against `→ node-b 468`).
    await check(
      'Save Cluster Snapshot from F1, then Open Simulated Cluster → "Load a cluster snapshot…": the same nodes, the same pods on each node, the same lenses',
      async () => {
        before = { nodes: await u.nodesAndPods(), lenses: (await u.lenses()).map((l) => l.title) };
        o.log(`it-admin: ${JSON.stringify([...before.nodes])}`);
        await u.palette('Kube Forecast: Save Cluster Snapshot');
        // The save dialog suggests <workspace>/it-admin-snapshot.json; the person accepts that name.
        await fillFileDialog(page, snapshotFile, { folder: server.dirs.workspace });
        const deadline = Date.now() + 20_000;
        let saved;
        while (saved === undefined) {
          try {
            saved = JSON.parse(fs.readFileSync(snapshotFile, 'utf8'));
          } catch (e) {
            if (Date.now() > deadline) throw new Error(`no snapshot in ${snapshotFile} after Save: ${e.message}`);
            await page.waitForTimeout(100);
          }
        }
        const pods = (saved.items ?? []).filter((i) => i.kind === 'Pod').length;
        if (saved.kind !== 'List' || pods === 0) throw new Error(`the snapshot holds ${saved.kind} with ${pods} pods`);
        await u.clearToasts();

        await u.palette(o.ui.openSimTitle);
        await u.pick('Load a cluster snapshot…');
        await fillFileDialog(page, snapshotFile, { folder: server.dirs.workspace, title: /snapshot/i });
        const roots = await waitForRows(
          u.treeRows,
          (t) => t.some((x) => /^simulated: .* \(connected\)$/.test(x)),
          60_000,
        );
        // The row that matched (it-admin's row may still say "connected" for a moment while it redraws).
        snapshotLabel = roots.find((x) => /^simulated: .* \(connected\)$/.test(x)).replace(/ \(connected\)$/, '');
        const loaded = await u.nodesAndPods();
        const a = JSON.stringify([...before.nodes].sort());
        if (JSON.stringify([...loaded].sort()) !== a)
          throw new Error(`it-admin had ${a}; the loaded snapshot has ${JSON.stringify([...loaded].sort())}`);
        // The lens comparing the Deployment's pods with the forecast reads as on it-admin once the copy's
        // controllers have had their go (a second set of pods would change it), and the nodes still match.
        const lenses = await u.lensesUntil(
          `the lenses over the snapshot differ from it-admin's ${JSON.stringify(before.lenses)}`,
          (l) => JSON.stringify(l.map((x) => x.title)) === JSON.stringify(before.lenses),
        );
        const again = await u.nodesAndPods();
        if (JSON.stringify([...again].sort()) !== a)
          throw new Error(`the loaded cluster changed: ${JSON.stringify([...again])}`);
        o.log(`${snapshotLabel}: lenses ${JSON.stringify(lenses.map((l) => l.title))}`);
        await u.clearToasts();
        await shot(`24-${kind}-snapshot-loaded.png`);
      },
    );

    // Item 5. Old behaviour: the built-in cluster was `kube-forecast-sim` whatever it held, the same
    // name for the demo and for a snapshot; and until this commit Choose Context offered it as
    // `simulated: demo` while it held the snapshot (the tree said `simulated: it-admin-snapshot.json`).
    await check(
      "the loaded snapshot is named after its file in the tree, the status bar and Choose Context, beside the kubeconfig's contexts; choosing it-admin switches back",
      async () => {
        if (snapshotLabel !== `simulated: ${path.basename(snapshotFile)}`)
          throw new Error(`the loaded cluster is called ${JSON.stringify(snapshotLabel)} in the tree`);
        await u.statusShows(snapshotLabel);
        await u.palette('Kube Forecast: Choose Context');
        const labels = await u.quickPickLabels(/choose a context/i);
        const want = ['it-admin', 'it-viewer', snapshotLabel];
        if (JSON.stringify([...labels].sort()) !== JSON.stringify(want.sort()))
          throw new Error(`Choose Context lists ${JSON.stringify(labels)}, not ${JSON.stringify(want)}`);
        await u.pick('it-admin');
        await u.connectedTo('it-admin');
        await u.statusShows('it-admin');
        const nodes = await u.nodesAndPods();
        if (JSON.stringify([...nodes].sort()) !== JSON.stringify([...before.nodes].sort()))
          throw new Error(`it-admin now shows ${JSON.stringify([...nodes])}`);
        await u.lensesUntil(
          'the lenses did not come back',
          (l) => JSON.stringify(l.map((x) => x.title)) === JSON.stringify(before.lenses),
        );
        // From it-admin, the built-in cluster (still holding the snapshot) keeps the snapshot's name.
        const roots = (await u.contextRows()).map((r) => r.label);
        if (!roots.includes(snapshotLabel)) throw new Error(`the tree's contexts are ${JSON.stringify(roots)}`);
        await u.palette('Kube Forecast: Choose Context');
        const again = await u.quickPickLabels(/choose a context/i);
        await page.keyboard.press('Escape');
        if (!again.includes(snapshotLabel))
          throw new Error(
            `from it-admin, Choose Context lists ${JSON.stringify(again)}; the tree calls the built-in cluster ${JSON.stringify(snapshotLabel)}`,
          );
        await u.fold();
      },
    );
    // Old behaviour: `kube-forecast-sim` again (not told apart from the snapshot); and until this
    // commit "Demo cluster" reconnected to the running copy of the snapshot instead.
    await check(
      'Open Simulated Cluster → "Demo cluster" after the snapshot: the demo cluster, under a name of its own in the tree, the status bar and Choose Context',
      async () => {
        await u.palette(o.ui.openSimTitle);
        await u.pick('Demo cluster');
        const roots = await waitForRows(
          u.treeRows,
          (t) => t.some((x) => /^simulated: .* \(connected\)$/.test(x) && !x.includes(snapshotLabel)),
          60_000,
        );
        demoLabel = roots
          .find((x) => /^simulated: .* \(connected\)$/.test(x) && !x.includes(snapshotLabel))
          .replace(/ \(connected\)$/, '');
        if (!/^simulated: demo\b/.test(demoLabel))
          throw new Error(`the demo cluster is called ${JSON.stringify(demoLabel)}`);
        await u.statusShows(demoLabel);
        await u.palette('Kube Forecast: Choose Context');
        const labels = await u.quickPickLabels(/choose a context/i);
        await page.keyboard.press('Escape');
        if (!labels.includes(demoLabel) || labels.includes(snapshotLabel))
          throw new Error(
            `Choose Context lists ${JSON.stringify(labels)} while the tree shows ${JSON.stringify(demoLabel)}`,
          );
        const names = [snapshotLabel, demoLabel, 'it-admin', 'it-viewer'];
        if (new Set(names).size !== names.length) throw new Error(`names are not distinct: ${JSON.stringify(names)}`);
      },
    );
    // Item 4 (switch). Old behaviour: the details view kept showing it-admin's nodes after the switch.
    await check(
      "the details view follows the switch to the demo cluster: its rows become the demo cluster's nodes",
      async () => {
        // The demo's nodes hold more pods than the side bar shows rows: its node rows are enough.
        const demo = await u.nodesAndPods(30_000, { pods: false });
        const want = [...demo.keys()].sort();
        const deadline = Date.now() + 20_000;
        for (;;) {
          const seen = await u.detailsState();
          if (seen.stale && (await u.details.locator('#recompute').count()))
            await u.details.locator('#recompute').click();
          else if (JSON.stringify([...seen.names].sort()) === JSON.stringify(want)) break;
          if (Date.now() > deadline)
            throw new Error(
              `the details list ${JSON.stringify(seen.names)} (out of date: ${JSON.stringify(seen.stale)}); the demo cluster has ${JSON.stringify(want)}`,
            );
          await page.waitForTimeout(200);
        }
        await u.clearToasts();
        await shot(`25-${kind}-details-after-switch.png`);
      },
    );

    // Item 4 (close). Old behaviour: the panel outlived its manifest, showing a prediction of nothing.
    await check('closing the manifest closes its details view', async () => {
      const tab = page.locator('.tabs-container .tab', { hasText: MANIFEST });
      await tab.hover();
      await tab.locator('.tab-actions .action-label').first().click();
      await tab.waitFor({ state: 'detached', timeout: 10_000 });
      const panel = page.locator('.tabs-container .tab', { hasText: /^Prediction/ });
      await panel.waitFor({ state: 'detached', timeout: 15_000 }).catch(async () => {
        throw new Error(
          `the details view is still open: ${JSON.stringify(await visibleTexts(page.locator('.tabs-container .tab')))}`,
        );
      });
    });
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
}

/** Replaces line `line` (1-based) of the active editor with `text`, with the keyboard. */
async function editLine(page, u, line, text) {
  await u.editor.click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  // Shift+Home selects back to the first non-blank character: the indentation stays.
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type(text.trimStart());
}

/** Waits until the details view shows `summary` (clicking Recompute when it says it is out of date). */
async function followsTo(page, u, summary, ms = 20_000) {
  const deadline = Date.now() + ms;
  let seen;
  for (;;) {
    seen = await u.detailsState();
    if (seen.summary === summary && !seen.stale) return;
    if (seen.stale && (await u.details.locator('#recompute').count())) await u.details.locator('#recompute').click();
    if (Date.now() > deadline)
      throw new Error(
        `the details view says ${JSON.stringify(seen.summary)} (out of date: ${JSON.stringify(seen.stale)}); the lens ${JSON.stringify(summary)}`,
      );
    await page.waitForTimeout(150);
  }
}

/**
 * Takes `<name>-dark.png`, switches to the light theme with F1 "Preferences: Color Theme" (as a person
 * would), takes `<name>-light.png`, and switches back.
 */
async function bothThemes(page, u, shot, name) {
  await shot(`${name}-dark.png`);
  await pickTheme(page, u, 'Light Modern', 'vs');
  await shot(`${name}-light.png`);
  await pickTheme(page, u, 'Dark Modern', 'vs-dark');
}

/** Picks `label` in the Color Theme picker and waits until the workbench wears `cls`. */
async function pickTheme(page, u, label, cls) {
  await u.palette('Preferences: Color Theme');
  await u.pick(label);
  await page.locator(`.monaco-workbench.${cls}`).waitFor({ timeout: 15_000 });
}

/** `s` as a literal in a regular expression. */
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
