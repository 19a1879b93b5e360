// Shared pieces of the browser end-to-end scenarios (test/host/e2e*.mjs): the UI strings read from
// package.json, the VSIX to install, the test cluster in a child process, a check/screenshot
// harness, and helpers that read VS Code's tree and CodeLenses as a person sees them.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HostError, REPO_ROOT } from './host-lib.mjs';

/**
 * UI strings read from package.json `contributes`, so the test follows renames.
 * @returns {{ version: string, name: string, container: string, view: string, openSimTitle: string, chooseKubeconfigTitle: string }}
 */
export function uiStrings() {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  const c = pkg.contributes || {};
  const container = (c.viewsContainers?.activitybar || []).find((v) => v.id === 'kubeForecast');
  const view = (c.views?.kubeForecast || []).find((v) => v.id === 'kubeForecast.clusterExplorer');
  const cmd = (c.commands || []).find((x) => x.command === 'kubeForecast.openSimulatedCluster');
  const choose = (c.commands || []).find((x) => x.command === 'kubeForecast.chooseKubeconfig');
  if (!container || !view || !cmd || !choose) {
    throw new HostError(
      'package.json lacks the kubeForecast view container, the clusterExplorer view, or the openSimulatedCluster or chooseKubeconfig command',
    );
  }
  const title = (x) => (x.category ? `${x.category}: ${x.title}` : x.title);
  return {
    version: pkg.version,
    name: pkg.name,
    container: container.title,
    view: view.name,
    openSimTitle: title(cmd),
    chooseKubeconfigTitle: title(choose),
  };
}

/** What the VSIX is built from: when any is newer than the VSIX, the e2e test repackages. */
export const PACKAGED_SOURCES = ['src', 'media', 'syntaxes', 'package.json', 'esbuild.mjs'].map((p) =>
  path.join(REPO_ROOT, p),
);

/**
 * The newest modification time (ms) among `paths` and the files below them; 0 when none exists.
 * @param {string[]} paths
 * @returns {number}
 */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/**
 * The VSIX to test: --vsix, else <name>-<version>.vsix, packaged first when missing or asked.
 * @param {Record<string, any>} args
 * @param {{ name: string, version: string }} ui
 */
export function ensureVsix(args, ui) {
  if (args.vsix) return path.resolve(args.vsix);
  const vsix = path.join(REPO_ROOT, `${ui.name}-${ui.version}.vsix`);
  const reason = args.package
    ? '--package'
    : !fs.existsSync(vsix)
      ? 'no VSIX yet'
      : newestMtime(PACKAGED_SOURCES) > fs.statSync(vsix).mtimeMs
        ? 'the VSIX is older than the sources'
        : '';
  if (reason) {
    console.log(`[e2e] packaging (${reason}): npm run package`);
    const r = spawnSync('npm', ['run', 'package'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', args.verbose ? 'inherit' : 'ignore', 'inherit'],
    });
    if (r.status !== 0 || !fs.existsSync(vsix))
      throw new HostError(`npm run package did not produce ${path.basename(vsix)}`, 'run: npm run package');
  }
  return vsix;
}

/**
 * Starts the test cluster in a child process (test/clusters/serve.ts) and waits for `ready`.
 * @param {(s: string) => void} log
 * @returns {Promise<{ kubeconfig: string, stop: () => Promise<void> }>}
 */
export async function serveTestCluster(log) {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test-results', 'cluster-'));
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'test/clusters/serve.ts'), '--kubeconfig-out', kubeconfig],
    { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new HostError(`the test cluster did not start in 180 s:\n${output}`)),
      180_000,
    );
    child.stdout.on('data', (d) => {
      output += d;
      if (/^ready /m.test(output)) {
        clearTimeout(timer);
        resolve(undefined);
      }
    });
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new HostError(`the test cluster exited (${code}) before it was ready:\n${output}`));
    });
  });
  await ready;
  log(output.trim().split('\n').pop());
  return {
    kubeconfig,
    stop: async () => {
      const gone = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await gone;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The trimmed, non-empty inner texts of the elements `loc` matches.
 * @param {import('playwright-core').Locator} loc
 * @returns {Promise<string[]>}
 */
export async function visibleTexts(loc) {
  return (await loc.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/**
 * Drags the sash right of the side bar so the tree's descriptions are readable in screenshots.
 * Best effort: a layout without the sash keeps its width.
 * @param {import('playwright-core').Page} page
 * @param {number} width  wanted side-bar width in CSS pixels
 */
export async function widenSidebar(page, width) {
  const box = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

/**
 * The tree's visible rows with their depth: { label, description, level, expanded }.
 * @param {import('playwright-core').Locator} rows
 * @returns {Promise<{ label: string, description: string, level: number, expanded: boolean | undefined }[]>}
 */
export async function treeModel(rows) {
  return rows.evaluateAll((els) =>
    els.map((el) => ({
      label: el.querySelector('.label-name')?.textContent?.trim() || el.textContent?.trim() || '',
      description: el.querySelector('.label-description')?.textContent?.trim() || '',
      level: Number(el.getAttribute('aria-level') || 1),
      expanded: el.hasAttribute('aria-expanded') ? el.getAttribute('aria-expanded') === 'true' : undefined,
    })),
  );
}

/**
 * Tree rows as a person reads them: the label, then the description in parentheses.
 * @param {import('playwright-core').Locator} rows
 * @returns {Promise<string[]>}
 */
export async function rowTexts(rows) {
  return rows.evaluateAll((els) =>
    els.map((el) => {
      const label = el.querySelector('.label-name')?.textContent?.trim() || el.textContent?.trim() || '';
      const description = el.querySelector('.label-description')?.textContent?.trim();
      return description ? `${label} (${description})` : label;
    }),
  );
}

/**
 * Polls the rows' text until `ok(texts)` holds; returns the texts.
 * @param {import('playwright-core').Locator} rows
 * @param {(texts: string[]) => boolean} ok
 * @param {number} ms
 */
export async function waitForRows(rows, ok, ms) {
  const deadline = Date.now() + ms;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await rowTexts(rows);
    if (ok(texts)) return texts;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`tree rows never matched; last seen: ${JSON.stringify(texts.slice(0, 12))}`);
}

/**
 * The check/screenshot harness of one browser page: `shot(name)` takes a settled screenshot into
 * `shotsDir`; `check(name, fn)` runs a step, records PASS/FAIL in `results` and shoots failures.
 * @param {import('playwright-core').Page} page
 * @param {(s: string) => void} log
 * @param {string} shotsDir
 * @param {{ name: string, ok: boolean }[]} results
 */
export function harness(page, log, shotsDir, results) {
  const shot = async (name) => {
    // Park the pointer so no hover tooltip or sash highlight is in the picture, and let the
    // workbench finish applying the theme and activating extensions.
    await page.mouse.move(900, 600).catch(() => {});
    await page
      .locator('.monaco-workbench.vs-dark, .monaco-workbench.vs')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => {});
    await page
      .locator('.statusbar-item', { hasText: /Activating Extensions/ })
      .waitFor({ state: 'detached', timeout: 15_000 })
      .catch(() => {});
    await page
      .locator('#workbench\\.parts\\.sidebar .monaco-progress-container.active')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(() => {});
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(shotsDir, name) });
    log(`screenshot ${path.relative(REPO_ROOT, path.join(shotsDir, name))}`);
  };
  const check = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
      log(`PASS ${name}`);
    } catch (e) {
      results.push({ name, ok: false });
      log(
        `FAIL ${name}: ${String(e?.message || e)
          .split('\n')
          .slice(0, 3)
          .join(' | ')}`,
      );
      await shot(`fail-${results.length}.png`).catch(() => {});
    }
  };
  return { shot, check };
}

/**
 * Types `file` into code-server's file dialog (a quick input; open or save) and accepts it, as a
 * person would. The dialog fills in a folder first and may replace it with the workspace folder a
 * moment later (it does on 4.100.3 too): a path typed in between is overwritten, now and then. So it
 * waits until the dialog shows `folder` (the workspace: what the dialog settles on) or a path in it
 * (a save dialog's suggested file), then types, and types again should the dialog still replace it.
 * @param {import('playwright-core').Page} page
 * @param {string} file  an absolute path
 * @param {{ folder: string, title?: string | RegExp }} o
 */
export async function fillFileDialog(page, file, o) {
  const input = page.locator('.quick-input-widget input');
  if (o.title) await page.locator('.quick-input-widget', { hasText: o.title }).waitFor({ timeout: 15_000 });
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  const settled = async () => (await input.inputValue()).startsWith(o.folder);
  const deadline = Date.now() + 15_000;
  while (!(await settled())) {
    if (Date.now() > deadline)
      throw new Error(`the file dialog never showed ${o.folder}: it reads ${JSON.stringify(await input.inputValue())}`);
    await page.waitForTimeout(50);
  }
  for (let i = 0; ; i++) {
    await input.fill(file);
    await page.waitForTimeout(300);
    if ((await input.inputValue()) === file) break;
    if (i === 3)
      throw new Error(`the file dialog reads ${JSON.stringify(await input.inputValue())}, not the typed path`);
  }
  await page.keyboard.press('Enter');
}

/**
 * kubectl against the test cluster, as the person's terminal would run it, with its own cache dir
 * under `tmpParent`. `run(args, { input, allowFail, timeoutMs })` returns stdout; a failure throws with
 * what is needed to tell a refusal from a kill: exit status or signal, the time taken, stderr and stdout
 * (CI once saw `rollout status` print success and still fail, with no way to tell why).
 * @param {string} kubeconfig
 * @param {string} tmpParent
 */
export function kubectlRunner(kubeconfig, tmpParent) {
  const cache = fs.mkdtempSync(path.join(tmpParent, 'kubectl-'));
  return (args, { input, allowFail = false, timeoutMs = 60_000 } = {}) => {
    const started = Date.now();
    const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], {
      encoding: 'utf8',
      input,
      timeout: timeoutMs,
    });
    if (r.status !== 0 && !allowFail) {
      const how = r.status === null ? `killed by ${r.signal ?? r.error?.message}` : `exit ${r.status}`;
      const out = [r.stderr?.trim(), r.stdout?.trim()].filter(Boolean).join(' | ');
      throw new Error(`kubectl ${args.join(' ')}: ${how} after ${Date.now() - started} ms: ${out}`);
    }
    return r.stdout ?? '';
  };
}

/**
 * Polls `probe()` every `everyMs` until it returns a truthy value (returned) or `ms` pass; then throws
 * with `what` and the last value seen. A thrown probe counts as "not yet" (kubectl may time out under
 * load), and its error is the last value.
 * @template T
 * @param {string} what
 * @param {() => T} probe
 * @param {{ ms: number, everyMs?: number }} o
 * @returns {Promise<T>}
 */
export async function pollUntil(what, probe, { ms, everyMs = 500 }) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = probe();
      if (last) return last;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
