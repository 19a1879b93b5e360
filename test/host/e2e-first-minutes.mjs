// A user's first minutes with a kubeconfig present (issue 12), in the browser: a fresh code-server whose
// KUBECONFIG is the test cluster's; the person opens a manifest before touching the Kubernetes view.
// The lens must go straight from "connecting" to a forecast (never "no cluster connected", whose link
// would start another cluster), and the view must show the connected cluster, never the welcome.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, startCodeServer, workbenchUrl } from './host-lib.mjs';
import { harness, kubectlRunner, rowTexts, treeModel, visibleTexts, waitForRows, widenSidebar } from './e2e-lib.mjs';

/**
 * Runs the scenario; pushes one result per check into `results`.
 * @param {{ vsix: string, kubeconfig: string, manifest: string, ui: { container: string, view: string },
 *   clusterKind: string, shotsDir: string, results: { name: string, ok: boolean }[], log: (s: string) => void,
 *   keep?: boolean, verbose?: boolean }} o
 */
export async function firstMinutes(o) {
  const server = await startCodeServer({
    installVsix: [o.vsix],
    keep: !!o.keep,
    verbose: !!o.verbose,
    env: { KUBECONFIG: o.kubeconfig },
    settings: {
      'kubeForecast.useSimulatedClusterWhenNoKubeconfig': false,
      'workbench.colorTheme': 'Default Dark Modern',
    },
  });
  const manifestName = path.basename(o.manifest);
  fs.copyFileSync(o.manifest, path.join(server.dirs.workspace, manifestName));
  // Files exist before the workbench opens, so Quick Open's index has them.
  fs.writeFileSync(path.join(server.dirs.workspace, 'workloads.yaml'), WORKLOADS);
  let context;
  try {
    context = await launchChromium(server.dirs['browser-profile']);
    const page = context.pages()[0] || (await context.newPage());
    const { shot, check } = harness(page, o.log, o.shotsDir, o.results);
    const lenses = page.locator('.monaco-editor .codelens-decoration');
    const sidebar = page.locator('#workbench\\.view\\.extension\\.kubeForecast');
    const treeRows = sidebar.locator(`.monaco-list[aria-label="${o.ui.view}"] .monaco-list-row`);
    await page.goto(workbenchUrl(server.url, { folder: server.dirs.workspace }), {
      waitUntil: 'domcontentloaded',
      timeout: 60_000,
    });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    /** Every distinct lens text seen, with the ms since the manifest's editor appeared. */
    const seen = [];
    await check(
      `with a kubeconfig (${o.clusterKind} test cluster), a manifest opened first gets a forecast lens, never "no cluster connected"`,
      async () => {
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').fill(manifestName);
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: manifestName })
          .first()
          .waitFor({ timeout: 60_000 });
        await page.keyboard.press('Enter');
        await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
        const opened = Date.now();
        const forecast = (t) => /→|fits|no node|would preempt|predicted/i.test(t) && !/connecting/i.test(t);
        let last = '';
        while (Date.now() - opened < 90_000) {
          const t = (await visibleTexts(lenses)).join(' | ');
          if (t !== last) {
            last = t;
            seen.push({ ms: Date.now() - opened, text: t });
          }
          if (forecast(t)) break;
          await page.waitForTimeout(50);
        }
        o.log(`lens texts after opening ${manifestName}: ${JSON.stringify(seen)}`);
        const bad = seen.find((s) => /no cluster connected/i.test(s.text));
        if (bad) throw new Error(`the lens said ${JSON.stringify(bad.text)} ${bad.ms} ms after opening`);
        const first = seen.find((s) => forecast(s.text));
        if (!first) throw new Error(`no forecast lens within 90 s; last: ${JSON.stringify(last)}`);
        o.log(`first forecast lens ${first.ms} ms after the editor opened: ${JSON.stringify(first.text)}`);
        await shot(`11-${o.clusterKind}-first-lens.png`);
      },
    );
    await check('the Kubernetes view then shows the connected cluster, not the no-cluster welcome', async () => {
      await page.locator(`.activitybar .action-item a[aria-label^="${o.ui.container}"]`).click();
      const rows = await waitForRows(treeRows, (t) => t.some((x) => /^it-admin\b/.test(x)), 30_000);
      const welcome = await sidebar.locator('.welcome-view-content').allInnerTexts();
      if (welcome.some((t) => /no cluster/i.test(t)))
        throw new Error(`the welcome says no cluster is connected beside rows ${JSON.stringify(rows)}`);
      o.log(`tree: ${JSON.stringify(await rowTexts(treeRows))}`);
      await widenSidebar(page, 520);
      await shot(`12-${o.clusterKind}-connected-view.png`);
    });
    await liveAfterWrites({ ...o, page, server, treeRows, check, shot });
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
  }
}

const NS = 'e2e-live';
const WORKLOADS = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: 10m}}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: ${NS}
spec:
  replicas: 1
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: c, image: postgres:16, resources: {requests: {cpu: 10m}}}]
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: ${NS}
spec:
  containers: [{name: c, image: busybox, resources: {requests: {cpu: 10m}}}]
`;

/**
 * Live after every write (issue 12 item 2): Create from the editor, then changes made with kubectl, each
 * seen in the tree's branch that holds it without Refresh; the created object is revealed and selected.
 */
async function liveAfterWrites(o) {
  const { page, server, treeRows, check, shot } = o;
  const run = kubectlRunner(o.kubeconfig, server.dirs.tmp);
  const kubectl = (...args) => run(args, { timeoutMs: 30_000 });
  /** The rows below the row labelled `parent` (one level deeper), by label → description. */
  const childrenOf = async (parent) => {
    const rows = await treeModel(treeRows);
    const at = rows.findIndex((r) => r.label === parent);
    if (at < 0) return undefined;
    const out = new Map();
    for (const r of rows.slice(at + 1)) {
      if (r.level <= rows[at].level) break;
      if (r.level === rows[at].level + 1) out.set(r.label, r.description);
    }
    return out;
  };
  /** Opens the rows labelled `labels`, one level after the other (already open rows stay open). */
  const openPath = async (...labels) => {
    for (const label of labels) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const rows = await treeModel(treeRows);
        const at = rows.findIndex((r) => r.label === label);
        if (at >= 0) {
          if (rows[at].expanded === false) await treeRows.nth(at).click();
          break;
        }
        if (Date.now() > deadline)
          throw new Error(`no tree row ${JSON.stringify(label)}; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
        await page.waitForTimeout(100);
      }
    }
  };
  /** Waits until `ok(children of parent)`; returns the ms it took. */
  const until = async (what, parent, ok, ms = 20_000) => {
    const start = Date.now();
    let last;
    while (Date.now() - start < ms) {
      last = await childrenOf(parent);
      if (last !== undefined && ok(last)) return Date.now() - start;
      await page.waitForTimeout(50);
    }
    throw new Error(
      `${what}: the tree under ${JSON.stringify(parent)} shows ${JSON.stringify(last ? [...last] : null)}`,
    );
  };
  const timings = [];

  await check('Create from Manifest reveals and selects the first created workload in its namespace', async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('workloads.yaml');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'workloads.yaml' })
      .first()
      .waitFor({ timeout: 60_000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Kube Forecast: Create from Manifest');
    await page
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Create from Manifest' })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Create' }).click();
    const started = Date.now();
    const deadline = started + 20_000;
    let selected = [];
    while (Date.now() < deadline) {
      selected = await treeRows
        .and(page.locator('[aria-selected="true"]'))
        .evaluateAll((els) => els.map((el) => el.querySelector('.label-name')?.textContent?.trim() ?? ''));
      if (selected.includes('web')) break;
      await page.waitForTimeout(50);
    }
    if (!selected.includes('web'))
      throw new Error(`the created Deployment "web" is not the selected row; selected: ${JSON.stringify(selected)}`);
    timings.push(`revealed and selected ${Date.now() - started} ms after Create`);
    await shot(`13-${o.clusterKind}-created-revealed.png`);
  });

  await check('the namespace branch lists each created kind and object without Refresh', async () => {
    await openPath('Namespaces', NS);
    timings.push(
      `kinds in ${NS}: ${await until('kinds', NS, (c) => c.has('Deployments') && c.has('StatefulSets') && c.has('Pods'))} ms`,
    );
    await openPath('StatefulSets');
    timings.push(`StatefulSet db: ${await until('StatefulSet db', 'StatefulSets', (c) => c.has('db'))} ms`);
    await openPath('Pods');
    timings.push(
      `pods solo, web-…, db-0: ${await until('pods', 'Pods', (c) => c.has('solo') && c.has('db-0') && [...c.keys()].some((k) => k.startsWith('web-')))} ms`,
    );
    await shot(`14-${o.clusterKind}-namespace-branch.png`);
  });

  await check('changes made with kubectl show in the tree without Refresh', async () => {
    // Timed from kubectl's return (the server has the change) to the row in the tree.
    kubectl('scale', '-n', NS, 'deployment/web', '--replicas=2');
    const webPods = (c) => [...c.keys()].filter((k) => k.startsWith('web-')).length === 2;
    timings.push(`kubectl scale deployment → 2 web pods: ${await until('scaled pods', 'Pods', webPods)} ms`);
    kubectl('delete', '-n', NS, 'pod/solo', '--grace-period=0', '--force');
    timings.push(`kubectl delete pod solo → gone: ${await until('deleted pod', 'Pods', (c) => !c.has('solo'))} ms`);
    kubectl('scale', '-n', NS, 'statefulset/db', '--replicas=2');
    timings.push(`kubectl scale statefulset → db-1: ${await until('db-1', 'Pods', (c) => c.has('db-1'))} ms`);
    kubectl('label', '-n', NS, 'deployment/web', 'tier=front');
    kubectl('scale', '-n', NS, 'deployment/web', '--replicas=1');
    timings.push(
      `kubectl scale deployment → 1 web pod: ${await until('scaled down', 'Pods', (c) => [...c.keys()].filter((k) => k.startsWith('web-')).length === 1)} ms`,
    );
    o.log(`live tree: ${timings.join('; ')}`);
    await shot(`15-${o.clusterKind}-after-kubectl.png`);
  });
  // Clean-up, not a check: a refusal here must not cost the run its results.
  try {
    kubectl('delete', 'namespace', NS, '--wait=false');
  } catch (e) {
    o.log(`clean-up: ${e.message}`);
  }
}
