/**
 * Ready to publish: the manifest has what the Visual Studio Marketplace and Open VSX require and show,
 * `vsce package` (with the `package` script's own flags) accepts it and writes a VSIX with the runtime
 * files only, and the same VSIX passes ovsx's checks, Open VSX's server checks and `ovsx publish`
 * against a registry on 127.0.0.1. No network, no build: the repository's package.json, README,
 * CHANGELOG, LICENSE, .vscodeignore, media/ and syntaxes/ are copied to a temporary folder beside stub
 * bundles for the dist/ files esbuild.mjs writes. Each check is also shown to fail when what it guards is
 * removed. `npm run package` runs the same checks (scripts/check-vsix.ts) on the real VSIX.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  type Manifest,
  manifestIssues,
  openVsxIssues,
  ovsxClientIssues,
  publishWithOvsx,
  readZip,
  ROOT,
  runtimeFiles,
  sizeIssues,
  vsce,
  vscePackageArgs,
  vsixIssues,
  VSIX_BUDGET_KIB,
} from '../../../scripts/check-vsix';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const clone = (): Manifest => structuredClone(PKG);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface StageOptions {
  /** Changes the staged package.json. */
  mutate?: (pkg: Manifest) => void;
  /** Top-level files not copied. */
  omit?: string[];
  /** Replaces .vscodeignore. */
  vscodeignore?: string;
  /** Bundle contents by dist/ file name (default: a small stub). */
  bundles?: Record<string, Buffer>;
}

/** A packaging folder: the repository's packaged sources with stub bundles; returns it and its package.json. */
function stage(o: StageOptions = {}): { dir: string; pkg: Manifest } {
  const dir = mkdtempSync(join(tmpdir(), 'kf-package-'));
  dirs.push(dir);
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore'])
    if (!(o.omit ?? []).includes(f)) cpSync(join(ROOT, f), join(dir, f));
  for (const d of ['media', 'syntaxes']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  for (const f of runtimeFiles(PKG).filter((f) => f.startsWith('extension/dist/'))) {
    const out = join(dir, f.slice('extension/'.length));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      o.bundles?.[f.slice('extension/'.length)] ?? "'use strict';\n// a stub bundle for the packaging test\n",
    );
  }
  if (o.vscodeignore !== undefined) writeFileSync(join(dir, '.vscodeignore'), o.vscodeignore);
  const pkg = clone();
  o.mutate?.(pkg);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return { dir, pkg };
}

/** `vsce package` in the folder with the `package` script's flags (plus `extra`). */
function pack(dir: string, extra: string[] = []): { status: number | null; output: string; vsix: string } {
  const vsix = join(dir, 'out.vsix');
  const r = vsce(['package', ...vscePackageArgs(PKG), ...extra, '--out', vsix], dir);
  return { ...r, vsix };
}

describe('package.json, README and CHANGELOG are ready for the Marketplace and Open VSX', () => {
  test('the repository passes every source check', () => {
    assert.deepEqual(manifestIssues(PKG), []);
  });

  test('the package script packages with vsce and checks the result', () => {
    const script = PKG.scripts?.['package'] ?? '';
    assert.match(script, /vsce package/);
    assert.doesNotMatch(script, /--no-rewrite-relative-links/, 'README images must be rewritten to the repository');
    assert.match(script, /scripts\/check-vsix\.ts/);
  });

  const removed: [string, (p: Manifest) => void][] = [
    ['repository', (p) => delete p.repository],
    ['bugs', (p) => delete p.bugs],
    ['homepage', (p) => delete p.homepage],
    ['galleryBanner', (p) => delete p.galleryBanner],
    ['icon', (p) => delete p.icon],
    ['categories', (p) => delete p.categories],
    ['keywords', (p) => delete p.keywords],
    ['publisher', (p) => delete p.publisher],
    ['license', (p) => delete p.license],
    ['displayName', (p) => delete p.displayName],
    ['description', (p) => delete p.description],
    ['engines.vscode', (p) => delete p.engines],
  ];
  for (const [field, remove] of removed) {
    test(`without '${field}' the check fails`, () => {
      const pkg = clone();
      remove(pkg);
      const issues = manifestIssues(pkg);
      assert.ok(
        issues.some((i) => i.includes(`'${field}'`)),
        `no issue names '${field}': ${JSON.stringify(issues)}`,
      );
    });
  }

  const broken: [string, (p: Manifest) => void, RegExp][] = [
    ['private: true', (p) => (p.private = true), /'private'/],
    ['a repository outside GitHub', (p) => (p.repository = 'https://example.com/x.git'), /not a GitHub URL/],
    ['bugs outside the repository', (p) => (p.bugs = 'https://example.com/issues'), /not under the repository/],
    ['a gallery theme other than dark/light', (p) => (p.galleryBanner = { color: '#17284F', theme: 'blue' }), /theme/],
    ['a gallery colour that is not #rrggbb', (p) => (p.galleryBanner = { color: 'navy', theme: 'dark' }), /color/],
    ['an SVG icon', (p) => (p.icon = 'media/kubernetes.svg'), /not a PNG/],
    ['an icon that does not exist', (p) => (p.icon = 'media/nope.png'), /does not exist/],
    ['a category VS Code does not know', (p) => (p.categories = ['Kubernetes']), /not one of VS Code's/],
    ['31 keywords', (p) => (p.keywords = Array.from({ length: 31 }, (_, i) => `k${i}`)), /at most 30/],
    ['a version without a CHANGELOG entry', (p) => (p.version = '9.9.9'), /CHANGELOG.md: no '## \[9\.9\.9\]'/],
  ];
  for (const [what, breakIt, expected] of broken) {
    test(`${what}: the check fails`, () => {
      const pkg = clone();
      breakIt(pkg);
      const issues = manifestIssues(pkg);
      assert.ok(
        issues.some((i) => expected.test(i)),
        `no issue matches ${expected}: ${JSON.stringify(issues)}`,
      );
    });
  }

  test('a README image that does not exist, or an untrusted SVG, fails the check', () => {
    const { dir } = stage();
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    writeFileSync(
      join(dir, 'README.md'),
      `${readme}\n![gone](media/screenshots/gone.png)\n![svg](https://example.com/a.svg)\n`,
    );
    const issues = manifestIssues(PKG, dir);
    assert.ok(issues.some((i) => /image media\/screenshots\/gone\.png does not exist/.test(i)));
    assert.ok(issues.some((i) => /a\.svg is an SVG from an untrusted source/.test(i)));
  });
});

describe('the VSIX: vsce packages it, ovsx and Open VSX take it', () => {
  let dir = '';
  let pkg: Manifest = PKG;
  let packed: ReturnType<typeof pack> = { status: null, output: '', vsix: '' };
  before(() => {
    ({ dir, pkg } = stage());
    packed = pack(dir);
  });

  test('vsce package accepts the manifest and README with the package script flags', () => {
    assert.equal(packed.status, 0, packed.output);
  });

  test('the VSIX carries the runtime files and nothing else (no screenshots, demo workspace, maps)', () => {
    const entries = readZip(readFileSync(packed.vsix));
    assert.deepEqual(vsixIssues(entries, pkg), []);
    const names = [...entries.keys()];
    assert.ok(!names.some((n) => n.includes('screenshots') || n.includes('demo-workspace')), names.join('\n'));
    for (const f of [
      'extension/media/icon.png',
      'extension/media/kubernetes.svg',
      'extension/media/details/details.js',
    ])
      assert.ok(names.includes(f), `${f} missing`);
  });

  test('vsce ls lists the same files the VSIX holds', () => {
    const ls = vsce(['ls', ...vscePackageArgs(PKG).filter((a) => a === '--no-dependencies')], dir);
    assert.equal(ls.status, 0, ls.output);
    const listed = ls.output
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json'].includes(l))
      .sort();
    const packaged = [...readZip(readFileSync(packed.vsix)).keys()]
      .filter(
        (n) =>
          n.startsWith('extension/') && !/^extension\/(readme\.md|changelog\.md|LICENSE\.txt|package\.json)$/.test(n),
      )
      .map((n) => n.slice('extension/'.length))
      .sort();
    assert.deepEqual(listed, packaged);
  });

  test("the README's images point at existing files in the repository, over https", () => {
    const readme = readZip(readFileSync(packed.vsix)).get('extension/readme.md')?.data.toString('utf8') ?? '';
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(images.length > 0, 'the README shows no images');
    for (const img of images)
      assert.match(img, /^https:\/\/github\.com\/kube-forecast\/kube-forecast\/raw\/HEAD\/media\//);
  });

  test('Open VSX: the server checks and ovsx client checks pass', async () => {
    assert.deepEqual(openVsxIssues(readZip(readFileSync(packed.vsix))), []);
    assert.deepEqual(await ovsxClientIssues(packed.vsix, dir), []);
  });

  test('ovsx publish uploads the same VSIX to a local registry, which accepts it', async () => {
    const r = await publishWithOvsx(packed.vsix);
    assert.ok(r.ok, r.output);
    assert.ok(r.uploadedIdentical, 'the registry received different bytes');
    assert.match(r.output, /Published kube-forecast\.kube-forecast v/);
  });
});

describe('the VSIX checks fail when what they guard is gone', () => {
  test('without repository, vsce cannot rewrite the README images or the VSIX lacks its links', () => {
    const { dir, pkg } = stage({ mutate: (p) => delete p.repository });
    const r = pack(dir);
    if (r.status === 0) assert.notDeepEqual(vsixIssues(readZip(readFileSync(r.vsix)), pkg), []);
    else assert.match(r.output, /repository/);
  });

  test('README images left relative are reported', () => {
    const { dir, pkg } = stage();
    const r = pack(dir, ['--no-rewrite-relative-links']);
    assert.equal(r.status, 0, r.output);
    const issues = vsixIssues(readZip(readFileSync(r.vsix)), pkg);
    assert.ok(
      issues.some((i) => /image media\/screenshots\/.+ is relative/.test(i)),
      JSON.stringify(issues),
    );
  });

  test('without galleryBanner the VSIX manifest has no banner', () => {
    const { dir, pkg } = stage({ mutate: (p) => delete p.galleryBanner });
    const r = pack(dir);
    assert.equal(r.status, 0, r.output);
    const issues = vsixIssues(readZip(readFileSync(r.vsix)), pkg);
    for (const expected of [/banner colour/, /banner theme/])
      assert.ok(
        issues.some((i) => expected.test(i)),
        `${expected}: ${JSON.stringify(issues)}`,
      );
  });

  test('screenshots and the demo workspace shipped again are refused', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8');
    const { dir, pkg } = stage({ vscodeignore: `${ignore}\n!media/**/*.png\n!media/**/*.yaml\n` });
    const r = pack(dir);
    assert.equal(r.status, 0, r.output);
    const issues = vsixIssues(readZip(readFileSync(r.vsix)), pkg);
    assert.ok(
      issues.some((i) => /media\/screenshots\/.+ must not ship/.test(i)),
      JSON.stringify(issues),
    );
    assert.ok(
      issues.some((i) => /media\/demo-workspace\/.+ must not ship/.test(i)),
      JSON.stringify(issues),
    );
  });

  test('a VSIX over the size budget fails, naming its biggest entries; the check script exits 1', () => {
    // A bundle a little over the budget on its own: base64 of random bytes deflates to about those bytes.
    const big = `'use strict';\n// ${randomBytes(Math.round(VSIX_BUDGET_KIB * 1024 * 1.05)).toString('base64')}\n`;
    const { dir } = stage({ bundles: { 'dist/simulator.js': Buffer.from(big) } });
    const r = pack(dir);
    assert.equal(r.status, 0, r.output);
    const bytes = readFileSync(r.vsix);
    assert.ok(bytes.length > VSIX_BUDGET_KIB * 1024, `${bytes.length} bytes`);
    const issues = sizeIssues(bytes.length, readZip(bytes));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.match(
      issues[0] ?? '',
      new RegExp(
        `^VSIX: [\\d.]+ KiB is over the ${VSIX_BUDGET_KIB} KiB budget; the biggest entries:\\n +extension/dist/simulator\\.js [\\d.]+ KiB \\([\\d.]+ [KM]iB unpacked\\)\\n`,
      ),
    );
    assert.equal((issues[0] ?? '').split('\n').length, 7, 'the six biggest entries');
    assert.deepEqual(sizeIssues(bytes.length, readZip(bytes), Math.ceil(bytes.length / 1024)), []);

    const cli = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/check-vsix.ts'), r.vsix, '--no-ovsx'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    assert.equal(cli.status, 1, `${cli.stdout}${cli.stderr}`);
    assert.match(
      cli.stderr,
      new RegExp(`over the ${VSIX_BUDGET_KIB} KiB budget; the biggest entries:\\n +extension/dist/simulator\\.js`),
    );
  });

  test('a runtime file left out is reported', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').replace(/^!media\/details\/\*\.css$/m, '');
    const { dir, pkg } = stage({ vscodeignore: ignore });
    const r = pack(dir);
    assert.equal(r.status, 0, r.output);
    const issues = vsixIssues(readZip(readFileSync(r.vsix)), pkg);
    assert.ok(issues.includes('VSIX: extension/media/details/details.css is missing'), JSON.stringify(issues));
  });

  test('without a license, Open VSX refuses the VSIX through ovsx publish', async () => {
    const { dir } = stage({ mutate: (p) => delete p.license, omit: ['LICENSE'] });
    const r = pack(dir);
    assert.equal(r.status, 0, r.output);
    assert.ok(
      openVsxIssues(readZip(readFileSync(r.vsix))).includes(
        'This extension cannot be accepted because it has no license.',
      ),
    );
    const published = await publishWithOvsx(r.vsix);
    assert.equal(published.ok, false, published.output);
    assert.match(published.output, /no license/);
  });

  test('Open VSX metadata rules: a gallery colour over 16 characters is refused', () => {
    const { dir } = stage({ mutate: (p) => (p.galleryBanner = { color: 'rgb(23, 40, 79, 1.0)', theme: 'dark' }) });
    const r = pack(dir);
    assert.equal(r.status, 0, r.output);
    assert.ok(
      openVsxIssues(readZip(readFileSync(r.vsix))).includes(
        "The field 'galleryBanner.color' exceeds the current limit of 16 characters.",
      ),
    );
  });
});
