// A user's first minutes with a kubeconfig present (issue 12), in the browser: a fresh code-server whose
// KUBECONFIG is the test cluster's; the person opens a manifest before touching the Kubernetes view.
// The lens must go straight from "connecting" to a forecast (never "no cluster connected", whose link
// would start another cluster), and the view must show the connected cluster, never the welcome.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, startCodeServer, workbenchUrl } from './host-lib.mjs';
import { harness, rowTexts, visibleTexts, waitForRows, widenSidebar } from './e2e-lib.mjs';

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
          .waitFor({ timeout: 15_000 });
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
  } finally {
    await context?.close().catch(() => {});
    await server.stop();
  }
}
