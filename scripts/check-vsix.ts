#!/usr/bin/env -S npx tsx
/**
 * Is the VSIX ready for the Visual Studio Marketplace and Open VSX? Checks, without the network:
 *
 * - the source manifest: what both galleries show (publisher, license, repository, bugs, homepage,
 *   galleryBanner, a PNG icon of at least 128×128, categories from VS Code's list, keywords, not
 *   `private`), a CHANGELOG entry for the version, and README images and links that exist;
 * - the VSIX: the runtime files the extension loads (bundles named by esbuild.mjs, files package.json
 *   names, directories src/client loads by path) and nothing else (no screenshots, demo workspace, source
 *   maps); extension.vsixmanifest carries the links, branding, icon and flags; the README's relative images
 *   were rewritten to the repository's raw URLs, of files that exist; files outside dist/ stay small;
 *   the whole VSIX stays within VSIX_BUDGET_KIB (issue #12: ≤ 900 KB), naming its biggest entries if not;
 * - Open VSX: ovsx's own client checks (`validateManifest`, `isLicenseOk`, `readVSIXPackage`), the
 *   server's publish checks ported from eclipse/openvsx (ExtensionValidator.validateMetadata,
 *   LocalRegistryService's name, metadata-match, license and icon checks, ExtensionProcessor's entries),
 *   and `ovsx publish <vsix>` run against a registry on 127.0.0.1 that applies those server checks to the
 *   bytes it receives and answers as Open VSX does.
 *
 * Usage: tsx scripts/check-vsix.ts [file.vsix] [--max-kb N] [--no-ovsx]
 *   file.vsix  default: <name>-<version>.vsix in the repository root (what `npm run package` writes)
 *   --max-kb   fail when the VSIX is larger than N KiB (default VSIX_BUDGET_KIB, 900)
 *   --no-ovsx  skip the `ovsx publish` run against the local registry
 * Exit: 0 ready, 1 issues (each printed), 2 bad usage or no VSIX.
 * test/unit/package/publish-ready.test.ts packages the manifest with stub bundles and runs the same checks.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, posix, relative, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { isLicenseOk, validateManifest } from 'ovsx';
import { readVSIXPackage } from 'ovsx/lib/zip';

export const ROOT = resolve(__dirname, '..');

/** The package.json fields these checks read (the rest is passed through). */
export interface Manifest {
  name?: unknown;
  displayName?: unknown;
  description?: unknown;
  version?: unknown;
  publisher?: unknown;
  license?: unknown;
  private?: unknown;
  preview?: unknown;
  repository?: unknown;
  bugs?: unknown;
  homepage?: unknown;
  icon?: unknown;
  galleryBanner?: unknown;
  categories?: unknown;
  keywords?: unknown;
  engines?: unknown;
  main?: unknown;
  markdown?: unknown;
  qna?: unknown;
  contributes?: unknown;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

/** VS Code's extension categories (the `categories` enum of its extension manifest schema). */
export const CATEGORIES = [
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Education',
  'Extension Packs',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Other',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
];

/** The Marketplace shows at most 30 keywords. */
export const MAX_KEYWORDS = 30;

/** Compressed bytes allowed outside extension/dist/ (manifest, README, CHANGELOG, icons, webview files). */
export const NON_BUNDLE_BUDGET = 64 * 1024;

/** The VSIX's size budget in KiB (issue #12: ≤ 900 KB); `--max-kb` sets another. */
export const VSIX_BUDGET_KIB = 900;

/** Hosts the Marketplace accepts SVG images from (vsce's TrustedSVGSources, abridged to the badge hosts). */
const TRUSTED_SVG_HOSTS = ['img.shields.io', 'badgen.net', 'vsmarketplacebadges.dev', 'badge.fury.io', 'codecov.io'];

/** Paths that must never ship: repository-only media, sources, tests, source maps. */
const FORBIDDEN = [
  /^extension\/media\/screenshots\//,
  /^extension\/media\/demo-workspace\//,
  /^extension\/media\/src\//,
  /^extension\/(src|test|scripts|bench|node_modules|out)\//,
  /\.map$/,
  /\.vsix$/,
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The URL of a `repository`, `bugs` or `homepage` field given as a string or as `{ url }`. */
export function fieldUrl(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isRecord(v) && typeof v['url'] === 'string') return v['url'];
  return undefined;
}

/** `https://github.com/owner/name` for a GitHub repository field, else undefined. */
export function githubRepository(pkg: Manifest): string | undefined {
  const url = fieldUrl(pkg.repository);
  const m = url === undefined ? null : /github\.com[/:]([^/]+)\/([^/#?]+?)(\.git)?\/?$/.exec(url);
  return m ? `https://github.com/${m[1]}/${m[2]}` : undefined;
}

function isHttpsUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.host !== '';
  } catch {
    return false;
  }
}

/** Width and height of a PNG, or undefined when the bytes are not a PNG. */
export function pngSize(buf: Buffer): { width: number; height: number } | undefined {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(sig) || buf.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Markdown images and links of a README: `![alt](target)`, `[text](target)` and `<img src="...">`. */
export function markdownRefs(md: string): { images: string[]; links: string[] } {
  const text = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const images: string[] = [];
  const links: string[] = [];
  for (const m of text.matchAll(/(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    (m[1] === '!' ? images : links).push(m[2] ?? '');
  }
  for (const m of text.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["']/gi)) images.push(m[1] ?? '');
  return { images, links };
}

const isRelative = (ref: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('#');

/**
 * The source side: package.json fields both galleries need or show, the icon, the CHANGELOG entry for
 * the version, README images and links. `root` is the folder package.json, README.md etc. are read from.
 */
export function manifestIssues(pkg: Manifest, root: string = ROOT): string[] {
  const issues: string[] = [];
  for (const f of ['name', 'displayName', 'description', 'version', 'publisher', 'license'] as const) {
    if (!nonEmptyString(pkg[f])) issues.push(`package.json: '${f}' is missing`);
  }
  if (nonEmptyString(pkg.publisher) && !/^[a-z0-9][a-z0-9-]*$/i.test(pkg.publisher))
    issues.push(`package.json: 'publisher' ${pkg.publisher} is not a Marketplace publisher id`);
  if (pkg.private === true) issues.push(`package.json: 'private' is true (a published extension is not private)`);
  if (pkg.preview !== undefined && typeof pkg.preview !== 'boolean')
    issues.push(`package.json: 'preview' must be true or false`);
  if (!isRecord(pkg.engines) || !nonEmptyString(pkg.engines['vscode']))
    issues.push(`package.json: 'engines.vscode' is missing`);
  if (!existsSync(join(root, 'LICENSE'))) issues.push('LICENSE: missing (both galleries show it)');

  // Links: the Marketplace's Repository / Issues / Homepage; Open VSX takes them from the VSIX manifest.
  const repo = githubRepository(pkg);
  const repoUrl = fieldUrl(pkg.repository);
  if (repoUrl === undefined) issues.push(`package.json: 'repository' is missing`);
  else if (repo === undefined)
    issues.push(`package.json: 'repository' ${repoUrl} is not a GitHub URL (vsce rewrites README images from it)`);
  for (const f of ['bugs', 'homepage'] as const) {
    const url = fieldUrl(pkg[f]);
    if (url === undefined) issues.push(`package.json: '${f}' is missing`);
    else if (!isHttpsUrl(url)) issues.push(`package.json: '${f}' ${url} is not an https URL`);
    else if (repo !== undefined && !url.startsWith(repo))
      issues.push(`package.json: '${f}' ${url} is not under the repository ${repo}`);
  }

  // Gallery banner: the header colour behind the icon on the Marketplace page.
  if (!isRecord(pkg.galleryBanner)) issues.push(`package.json: 'galleryBanner' is missing`);
  else {
    const { color, theme } = pkg.galleryBanner;
    if (typeof color !== 'string' || !/^#[0-9a-f]{6}$/i.test(color))
      issues.push(`package.json: 'galleryBanner.color' must be a #rrggbb colour (got ${String(color)})`);
    if (theme !== 'dark' && theme !== 'light')
      issues.push(`package.json: 'galleryBanner.theme' must be 'dark' or 'light' (got ${String(theme)})`);
  }

  // Icon: a PNG (neither gallery takes SVG) of at least 128×128, square.
  if (!nonEmptyString(pkg.icon)) issues.push(`package.json: 'icon' is missing`);
  else if (!existsSync(join(root, pkg.icon))) issues.push(`package.json: 'icon' ${pkg.icon} does not exist`);
  else {
    const size = pngSize(readFileSync(join(root, pkg.icon)));
    if (size === undefined) issues.push(`package.json: 'icon' ${pkg.icon} is not a PNG`);
    else if (size.width < 128 || size.height < 128 || size.width !== size.height)
      issues.push(
        `package.json: 'icon' ${pkg.icon} is ${size.width}×${size.height}; it must be square, 128×128 or more`,
      );
  }

  if (!Array.isArray(pkg.categories) || pkg.categories.length === 0)
    issues.push(`package.json: 'categories' is missing or empty`);
  else {
    for (const c of pkg.categories)
      if (!CATEGORIES.includes(String(c)))
        issues.push(`package.json: category '${String(c)}' is not one of VS Code's (${CATEGORIES.join(', ')})`);
    if (new Set(pkg.categories).size !== pkg.categories.length) issues.push(`package.json: duplicate categories`);
  }
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0)
    issues.push(`package.json: 'keywords' is missing or empty`);
  else {
    if (pkg.keywords.length > MAX_KEYWORDS)
      issues.push(`package.json: ${pkg.keywords.length} keywords; the Marketplace takes at most ${MAX_KEYWORDS}`);
    if (!pkg.keywords.every(nonEmptyString)) issues.push(`package.json: every keyword must be a non-empty string`);
  }

  // CHANGELOG: an entry for this version with at least one item.
  const changelogPath = join(root, 'CHANGELOG.md');
  if (!existsSync(changelogPath)) issues.push('CHANGELOG.md: missing');
  else if (nonEmptyString(pkg.version)) {
    const changelog = readFileSync(changelogPath, 'utf8');
    const esc = pkg.version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`^## \\[?${esc}\\]?[^\\n]*\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(changelog);
    if (m === null) issues.push(`CHANGELOG.md: no '## [${pkg.version}]' entry for the package version`);
    else if (!/^\s*- \S/m.test(m[1] ?? '')) issues.push(`CHANGELOG.md: the ${pkg.version} entry lists nothing`);
  }

  // README: images vsce can rewrite (relative, to files that exist) or https, no untrusted SVG; links resolve.
  const readmePath = join(root, 'README.md');
  if (!existsSync(readmePath)) issues.push('README.md: missing');
  else {
    const { images, links } = markdownRefs(readFileSync(readmePath, 'utf8'));
    for (const img of images) {
      if (isRelative(img)) {
        if (!existsSync(join(root, decodeURI(img)))) issues.push(`README.md: image ${img} does not exist`);
      } else if (!img.startsWith('https://')) issues.push(`README.md: image ${img} is not https`);
      const host = isRelative(img) ? '' : new URL(img).host;
      if (/\.svg([?#]|$)/i.test(img) && !TRUSTED_SVG_HOSTS.includes(host))
        issues.push(`README.md: image ${img} is an SVG from an untrusted source (the Marketplace refuses it)`);
    }
    for (const link of links) {
      if (!isRelative(link) || /^mailto:/i.test(link)) continue;
      const file = decodeURI(link.replace(/#.*$/, ''));
      if (file !== '' && !existsSync(join(root, file))) issues.push(`README.md: link ${link} does not resolve`);
    }
  }
  return issues;
}

/** One file of a zip archive. */
export interface ZipEntry {
  name: string;
  data: Buffer;
  compressedSize: number;
  /** Extra-field bytes in the central directory and local header (Open VSX holds such entries back). */
  extraLength: number;
}

/** Reads a zip archive (stored and deflated entries; what vsce writes). */
export function readZip(buf: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: bad central directory entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`);
    const localExtra = buf.readUInt16LE(local + 28);
    const start = local + 30 + buf.readUInt16LE(local + 26) + localExtra;
    const raw = buf.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`zip: ${name} uses compression method ${method}`);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    entries.set(name, { name, data, compressedSize, extraLength: extraLength + localExtra });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlText = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(parseInt(e.slice(1), 10))
        : (XML_ENTITIES[e.toLowerCase()] ?? ''),
  );

/** What extension.vsixmanifest says (the fields the galleries read). */
export interface VsixManifest {
  identity: Record<string, string>;
  displayName: string;
  description: string;
  tags: string[];
  categories: string[];
  galleryFlags: string[];
  properties: Map<string, string>;
  license: string;
  icon: string;
  assets: Map<string, string>;
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:.-]+)="([^"]*)"/g)) out[m[1] ?? ''] = xmlText(m[2] ?? '');
  return out;
}

export function parseVsixManifest(xml: string): VsixManifest {
  const element = (tag: string): string =>
    xmlText(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1] ?? '').trim();
  const list = (s: string): string[] => (s === '' ? [] : s.split(','));
  const properties = new Map<string, string>();
  for (const m of xml.matchAll(/<Property\s([^>]*?)\/?>/g)) {
    const a = attributes(m[1] ?? '');
    if (a['Id'] !== undefined) properties.set(a['Id'], a['Value'] ?? '');
  }
  const assets = new Map<string, string>();
  for (const m of xml.matchAll(/<Asset\s([^>]*?)\/?>/g)) {
    const a = attributes(m[1] ?? '');
    if (a['Type'] !== undefined) assets.set(a['Type'], a['Path'] ?? '');
  }
  return {
    identity: attributes(/<Identity\s([^>]*?)\/?>/.exec(xml)?.[1] ?? ''),
    displayName: element('DisplayName'),
    description: element('Description'),
    tags: list(element('Tags')),
    categories: list(element('Categories')),
    galleryFlags: element('GalleryFlags').split(/\s+/).filter(Boolean),
    properties,
    license: element('License'),
    icon: element('Icon'),
    assets,
  };
}

const LINKS = {
  repository: 'Microsoft.VisualStudio.Services.Links.Source',
  bugs: 'Microsoft.VisualStudio.Services.Links.Support',
  homepage: 'Microsoft.VisualStudio.Services.Links.Learn',
};
const BRANDING_COLOR = 'Microsoft.VisualStudio.Services.Branding.Color';
const BRANDING_THEME = 'Microsoft.VisualStudio.Services.Branding.Theme';

function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walkFiles(join(dir, d.name)) : [join(dir, d.name)],
  );
}

/**
 * The files the extension loads at runtime, as VSIX entry names: the bundles esbuild.mjs writes (not
 * its dev-only ones), the files package.json names (main, icon, contributed icons and grammars) and
 * every file of a directory src/client opens by path (`asAbsolutePath('…')`, `Uri.joinPath(…extensionUri, '…')`).
 */
export function runtimeFiles(pkg: Manifest, root: string = ROOT): string[] {
  const files = new Set<string>();
  const add = (p: string): void => void files.add(`extension/${posix.normalize(p.replace(/^\.\//, ''))}`);
  const esbuild = readFileSync(join(root, 'esbuild.mjs'), 'utf8');
  for (const m of esbuild.matchAll(/\{[^{}]*?\bout:\s*'(dist\/[^']+\.js)'[^{}]*\}/g))
    if (!/devOnly:\s*true/.test(m[0])) add(m[1] ?? '');
  if (nonEmptyString(pkg.main)) add(pkg.main);
  if (nonEmptyString(pkg.icon)) add(pkg.icon);
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^(\.\/)?[\w.-]+(\/[\w.-]+)+\.\w+$/.test(v) && existsSync(join(root, v))) add(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v)) Object.values(v).forEach(visit);
  };
  visit(pkg.contributes);
  const clientDir = join(root, 'src', 'client');
  if (existsSync(clientDir)) {
    for (const file of walkFiles(clientDir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(file, 'utf8');
      const paths = [
        ...[...text.matchAll(/asAbsolutePath\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? ''),
        ...[...text.matchAll(/joinPath\(\s*[\w.]*extensionUri\s*,((?:\s*'[^']*'\s*,?)+)\)/g)].map((m) =>
          [...(m[1] ?? '').matchAll(/'([^']*)'/g)].map((s) => s[1] ?? '').join('/'),
        ),
      ];
      for (const p of paths) {
        const abs = join(root, p);
        if (!existsSync(abs)) continue;
        if (statSync(abs).isDirectory()) for (const f of walkFiles(abs)) add(relative(root, f).split('\\').join('/'));
        else add(p);
      }
    }
  }
  return [...files].sort();
}

/** Entries vsce writes for every extension besides the runtime files. */
const PACKAGING_ENTRIES = [
  'extension.vsixmanifest',
  '[Content_Types].xml',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
];

/**
 * The VSIX side: its files, extension.vsixmanifest, the rewritten README and the size outside dist/.
 * `pkg` is the source package.json, `root` the repository the README's rewritten URLs must point into.
 */
export function vsixIssues(
  entries: Map<string, ZipEntry>,
  pkg: Manifest,
  root: string = ROOT,
  opts: { runtime?: string[] } = {},
): string[] {
  const issues: string[] = [];
  const runtime = opts.runtime ?? runtimeFiles(pkg, root);
  for (const name of [...PACKAGING_ENTRIES, ...runtime])
    if (!entries.has(name)) issues.push(`VSIX: ${name} is missing`);
  const expected = new Set([...PACKAGING_ENTRIES, ...runtime]);
  for (const name of entries.keys()) {
    if (FORBIDDEN.some((re) => re.test(name))) issues.push(`VSIX: ${name} must not ship (see .vscodeignore)`);
    else if (!expected.has(name))
      issues.push(`VSIX: ${name} is not loaded at runtime (exclude it in .vscodeignore, or load it by path)`);
  }
  let outside = 0;
  for (const e of entries.values()) if (!e.name.startsWith('extension/dist/')) outside += e.compressedSize;
  if (outside > NON_BUNDLE_BUDGET)
    issues.push(`VSIX: ${Math.round(outside / 1024)} KiB outside dist/ (budget ${NON_BUNDLE_BUDGET / 1024} KiB)`);

  const manifestEntry = entries.get('extension.vsixmanifest');
  if (manifestEntry === undefined) return issues;
  const vsix = parseVsixManifest(manifestEntry.data.toString('utf8'));
  const id = vsix.identity;
  if (id['Id'] !== pkg.name || id['Publisher'] !== pkg.publisher || id['Version'] !== pkg.version)
    issues.push(`VSIX: identity ${id['Publisher']}.${id['Id']}@${id['Version']} is not package.json's`);
  for (const [field, property] of Object.entries(LINKS)) {
    const value = vsix.properties.get(property) ?? '';
    if (!isHttpsUrl(value)) issues.push(`VSIX: no ${field} link (${property})`);
  }
  if (!vsix.properties.get(BRANDING_COLOR)) issues.push(`VSIX: no gallery banner colour (${BRANDING_COLOR})`);
  if (!vsix.properties.get(BRANDING_THEME)) issues.push(`VSIX: no gallery banner theme (${BRANDING_THEME})`);
  const iconAsset = vsix.assets.get('Microsoft.VisualStudio.Services.Icons.Default');
  if (iconAsset === undefined || vsix.icon === '') issues.push('VSIX: no icon');
  else if (!entries.has(iconAsset)) issues.push(`VSIX: the icon ${iconAsset} is not in the package`);
  if (vsix.categories.length === 0) issues.push('VSIX: no categories');
  if (!vsix.galleryFlags.includes('Public'))
    issues.push(`VSIX: gallery flags ${vsix.galleryFlags.join(' ')} lack Public`);
  if (vsix.galleryFlags.includes('Preview') !== (pkg.preview === true))
    issues.push(`VSIX: the Preview flag does not follow package.json's 'preview'`);

  // The README as the galleries render it: images from https URLs into the repository, of files that exist.
  const readme = entries.get('extension/readme.md')?.data.toString('utf8');
  const repo = githubRepository(pkg);
  if (readme !== undefined) {
    const { images, links } = markdownRefs(readme);
    for (const img of images) {
      if (isRelative(img)) {
        issues.push(`VSIX README: image ${img} is relative (set 'repository' and let vsce rewrite it)`);
        continue;
      }
      if (!img.startsWith('https://')) issues.push(`VSIX README: image ${img} is not https`);
      const inRepo = repo === undefined ? undefined : /^\/raw\/[^/]+\/(.+)$/.exec(img.slice(repo.length));
      if (
        repo !== undefined &&
        img.startsWith(`${repo}/`) &&
        inRepo &&
        !existsSync(join(root, decodeURI(inRepo[1] ?? '')))
      )
        issues.push(`VSIX README: image ${img} names ${inRepo[1]}, which the repository lacks`);
    }
    for (const link of links) {
      if (isRelative(link) && !link.startsWith('#'))
        issues.push(`VSIX README: link ${link} is relative (it breaks on the Marketplace)`);
      const inRepo = repo === undefined ? undefined : /^\/blob\/[^/]+\/([^#]+)/.exec(link.slice(repo.length));
      if (
        repo !== undefined &&
        link.startsWith(`${repo}/`) &&
        inRepo &&
        !existsSync(join(root, decodeURI(inRepo[1] ?? '')))
      )
        issues.push(`VSIX README: link ${link} names ${inRepo[1]}, which the repository lacks`);
    }
  }
  return issues;
}

// ---- Open VSX: the server's publish checks (eclipse/openvsx ExtensionValidator, LocalRegistryService) ----

const OVSX_NAME = /^[\w\-+$~]+$/;
const OVSX_STRING_SIZE = 255;
const OVSX_DESCRIPTION_SIZE = 2048;
const OVSX_GALLERY_COLOR_SIZE = 16;
const OVSX_VERSION_CHARS = '$+-,.:;_';
const OVSX_TARGETS = [
  'win32-x64',
  'win32-ia32',
  'win32-arm64',
  'linux-x64',
  'linux-arm64',
  'linux-armhf',
  'alpine-x64',
  'alpine-arm64',
  'darwin-x64',
  'darwin-arm64',
  'web',
  'universal',
];
/** Java's Character types CONTROL, FORMAT, UNASSIGNED, PRIVATE_USE, LINE_ and PARAGRAPH_SEPARATOR. */
const OVSX_BAD_CHAR = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Zl}\p{Zp}]/u;

function ovsxIsUrl(v: string): boolean {
  const s = v.startsWith('git+') && v.length > 4 ? v.slice(4) : v;
  try {
    return new URL(s).host !== '';
  } catch {
    return false;
  }
}

/**
 * What Open VSX's server checks when `ovsx publish` uploads `entries` (its messages), in the order
 * LocalRegistryService.createExtensionVersion runs them; the namespace's existence and the publisher's
 * rights are the registry's state, not the package's, and are not checked.
 */
export function openVsxIssues(entries: Map<string, ZipEntry>): string[] {
  const issues: string[] = [];
  const packageJson = entries.get('extension/package.json');
  const manifestXml = entries.get('extension.vsixmanifest');
  if (packageJson === undefined) return ['Entry not found: extension/package.json'];
  if (manifestXml === undefined) return ['Entry not found: extension.vsixmanifest'];
  let pkg: Manifest;
  try {
    pkg = JSON.parse(packageJson.data.toString('utf8')) as Manifest;
  } catch (e) {
    return [`Invalid JSON format in extension/package.json: ${(e as Error).message}`];
  }
  const vsix = parseVsixManifest(manifestXml.data.toString('utf8'));
  const namespace = vsix.identity['Publisher'] ?? '';
  const name = vsix.identity['Id'] ?? '';
  const version = vsix.identity['Version'] ?? '';

  if (namespace === '' || namespace === '-') issues.push('Namespace name must not be empty.');
  else if (!OVSX_NAME.test(namespace)) issues.push(`Invalid namespace name: ${namespace}`);
  if (name === '') issues.push('Name must not be empty.');
  else if (!OVSX_NAME.test(name)) issues.push(`Invalid extension name: ${name}`);
  const ci = (a: unknown, b: unknown): boolean => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();
  if (!ci(namespace, pkg.publisher))
    issues.push('Publisher in extension.vsixmanifest and package.json does not match.');
  if (!ci(name, pkg.name)) issues.push('Extension name in extension.vsixmanifest and package.json does not match.');
  if (!ci(version, pkg.version))
    issues.push('Extension version in extension.vsixmanifest and package.json does not match.');
  if (!ci(vsix.displayName, pkg.displayName))
    issues.push('Display name in extension.vsixmanifest and package.json does not match.');

  // License: package.json's `license`, or a license file the manifest names.
  const licensePath = vsix.license || vsix.assets.get('Microsoft.VisualStudio.Services.Content.License') || '';
  if (licensePath !== '' && !entries.has(licensePath)) issues.push(`Entry not found: ${licensePath}`);
  if (!nonEmptyString(pkg.license) && (licensePath === '' || !entries.has(licensePath)))
    issues.push('This extension cannot be accepted because it has no license.');

  // Icon: the manifest's asset, else package.json's `icon`; it must be in the package and not an SVG.
  const iconPath =
    vsix.assets.get('Microsoft.VisualStudio.Services.Icons.Default') ??
    (typeof pkg.icon === 'string' ? `extension/${pkg.icon.replace(/\\/g, '/')}` : undefined);
  if (iconPath !== undefined) {
    if (/\.svg$/i.test(iconPath))
      issues.push('This extension cannot be accepted as it uses an unsupported icon format.');
    if (!entries.has(iconPath)) issues.push(`Validation failed: Entry not found: ${iconPath}`);
  }
  for (const type of [
    'Microsoft.VisualStudio.Services.Content.Details',
    'Microsoft.VisualStudio.Services.Content.Changelog',
  ]) {
    const p = vsix.assets.get(type);
    if (p !== undefined && !entries.has(p)) issues.push(`Validation failed: Entry not found: ${p}`);
  }

  // ExtensionValidator.validateMetadata.
  if (version === '') issues.push('Version must not be empty.');
  else if (['latest', 'pre-release', 'reviews'].includes(version))
    issues.push(`The version string '${version}' is reserved.`);
  else {
    const bad = [...version].findIndex((c) => !/[\p{L}\p{Nd}]/u.test(c) && !OVSX_VERSION_CHARS.includes(c));
    if (bad >= 0) issues.push(`Invalid character '${version[bad]}' found in version (index ${bad}).`);
  }
  const target = vsix.identity['TargetPlatform'] || 'universal';
  if (!OVSX_TARGETS.includes(target)) issues.push(`Unsupported target platform '${target}'`);
  const chars = (v: string | undefined, field: string): void => {
    if (v !== undefined && OVSX_BAD_CHAR.test(v)) issues.push(`Invalid character found in field '${field}': ${v}`);
  };
  const size = (v: string | undefined, limit: number, field: string): void => {
    if (v !== undefined && v.length > limit)
      issues.push(`The field '${field}' exceeds the current limit of ${limit} characters.`);
  };
  const url = (v: string | undefined, field: string): void => {
    if (v !== undefined && v !== '' && !ovsxIsUrl(v)) issues.push(`Invalid URL in field '${field}': ${v}`);
  };
  const oneOf = (v: string | undefined, allowed: string[], field: string, shown: string): void => {
    if (v !== undefined && v !== '' && !allowed.includes(v) && !(field === 'qna' && ovsxIsUrl(v)))
      issues.push(`Invalid value in field '${field}': ${v}. Allowed values: ${shown}`);
  };
  chars(vsix.displayName, 'displayName');
  size(vsix.displayName, OVSX_STRING_SIZE, 'displayName');
  chars(vsix.description, 'description');
  size(vsix.description, OVSX_DESCRIPTION_SIZE, 'description');
  for (const c of vsix.categories) {
    chars(c, 'categories');
    size(c, OVSX_STRING_SIZE, 'categories');
  }
  for (const t of vsix.tags) {
    chars(t, 'keywords');
    size(t, OVSX_STRING_SIZE, 'keywords');
  }
  const license = typeof pkg.license === 'string' ? pkg.license : undefined;
  chars(license, 'license');
  size(license, OVSX_STRING_SIZE, 'license');
  for (const [field, property] of Object.entries(LINKS)) {
    const v = vsix.properties.get(property);
    url(v, field);
    size(v, OVSX_STRING_SIZE, field);
  }
  oneOf(
    typeof pkg.markdown === 'string' ? pkg.markdown : undefined,
    ['github', 'standard'],
    'markdown',
    '[github, standard]',
  );
  const color = vsix.properties.get(BRANDING_COLOR);
  chars(color, 'galleryBanner.color');
  size(color, OVSX_GALLERY_COLOR_SIZE, 'galleryBanner.color');
  oneOf(vsix.properties.get(BRANDING_THEME), ['dark', 'light'], 'galleryBanner.theme', '[dark, light]');
  for (const l of (vsix.properties.get('Microsoft.VisualStudio.Code.LocalizedLanguages') ?? '')
    .split(',')
    .filter(Boolean))
    size(l, OVSX_STRING_SIZE, 'localizedLanguages');
  const qna = pkg.qna === false ? 'false' : typeof pkg.qna === 'string' ? pkg.qna : undefined;
  oneOf(qna, ['marketplace', 'false'], 'qna', '[marketplace, false] or a URL');
  size(qna, OVSX_STRING_SIZE, 'qna');

  // ExtensionProcessor.isPotentiallyMalicious: entries with zip extra fields are held back.
  for (const e of entries.values())
    if (e.extraLength > 0) issues.push(`Potentially harmful zip entry with extra fields: ${e.name}`);
  return issues;
}

/** ovsx's own client-side checks: the manifest it reads from the VSIX and the license it requires. */
export async function ovsxClientIssues(vsixPath: string, sourceDir: string = ROOT): Promise<string[]> {
  const issues: string[] = [];
  try {
    const manifest = await readVSIXPackage(vsixPath);
    validateManifest(manifest);
  } catch (e) {
    issues.push(`ovsx: ${(e as Error).message}`);
  }
  try {
    if (!(await isLicenseOk(sourceDir))) issues.push('ovsx: no license (package.json `license` or a LICENSE file)');
  } catch (e) {
    issues.push(`ovsx: ${(e as Error).message}`);
  }
  return issues;
}

/** What `ovsx publish` did against the local registry. */
export interface OvsxPublishResult {
  ok: boolean;
  output: string;
  /** The registry received exactly the VSIX's bytes. */
  uploadedIdentical: boolean;
}

/**
 * Runs the real `ovsx publish <vsix>` CLI against a registry on 127.0.0.1 that answers as Open VSX's
 * /api/-/publish does: 400 with the server's messages (openVsxIssues) or 201 with the extension.
 */
export async function publishWithOvsx(vsixPath: string): Promise<OvsxPublishResult> {
  const original = readFileSync(vsixPath);
  let uploadedIdentical = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method !== 'POST' || url.pathname !== '/api/-/publish' || !url.searchParams.get('token'))
        return reply(404, { error: `not served here: ${req.method} ${url.pathname}` });
      const body = Buffer.concat(chunks);
      uploadedIdentical = body.equals(original);
      let issues: string[];
      try {
        issues = openVsxIssues(readZip(body));
      } catch (e) {
        issues = [`Could not read zip file: ${(e as Error).message}`];
      }
      if (issues.length > 0)
        return reply(400, {
          error:
            issues.length === 1
              ? issues[0]
              : `Multiple issues were found in the extension metadata:\n${issues.join('\n')}`,
        });
      const pkg = JSON.parse(readZip(body).get('extension/package.json')?.data.toString('utf8') ?? '{}') as Manifest;
      return reply(201, {
        namespace: pkg.publisher,
        name: pkg.name,
        version: pkg.version,
        targetPlatform: 'universal',
        success: 'Created',
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  try {
    const ovsx = require.resolve('ovsx/bin/ovsx');
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('OVSX_')) delete env[k];
    const child = spawn(
      process.execPath,
      [ovsx, 'publish', vsixPath, '--registryUrl', `http://127.0.0.1:${port}`, '--pat', 'offline-check'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    return { ok: code === 0, output: output.trim(), uploadedIdentical };
  } finally {
    server.close();
  }
}

// ---- Packaging (vsce) ----

/** The vsce arguments of package.json's `package` script after `vsce package`. */
export function vscePackageArgs(pkg: Manifest): string[] {
  const script = pkg.scripts?.['package'] ?? '';
  const m = /\bvsce package\b([^&|;]*)/.exec(script);
  if (m === null) throw new Error("package.json's 'package' script does not run `vsce package`");
  return (m[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/** Runs the vsce CLI of node_modules in `cwd`. */
export function vsce(args: string[], cwd: string): { status: number | null; output: string } {
  const bin = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The `count` entries that take the most room in the VSIX, biggest first, with packed and unpacked sizes. */
export function biggestEntries(entries: Map<string, ZipEntry>, count = 6): string[] {
  return [...entries.values()]
    .sort((a, b) => b.compressedSize - a.compressedSize || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((e) => `${e.name} ${kib(e.compressedSize)} (${kib(e.data.length)} unpacked)`);
}

/** The size budget: an issue naming the biggest entries when the VSIX's `size` bytes exceed `budgetKib`. */
export function sizeIssues(
  size: number,
  entries: Map<string, ZipEntry>,
  budgetKib: number = VSIX_BUDGET_KIB,
): string[] {
  if (size <= budgetKib * 1024) return [];
  const biggest = biggestEntries(entries).map((e) => `\n      ${e}`);
  return [`VSIX: ${kib(size)} is over the ${budgetKib} KiB budget; the biggest entries:${biggest.join('')}`];
}

async function main(argv: string[]): Promise<number> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
  let vsixPath: string | undefined;
  let maxKb = VSIX_BUDGET_KIB;
  let ovsx = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--max-kb') maxKb = Number(argv[++i]);
    else if (a === '--no-ovsx') ovsx = false;
    else if (!a.startsWith('-') && vsixPath === undefined) vsixPath = resolve(a);
    else {
      console.error(`check-vsix: unknown argument ${a}`);
      return 2;
    }
  }
  if (!(maxKb > 0)) {
    console.error('check-vsix: --max-kb takes a positive number');
    return 2;
  }
  vsixPath ??= join(ROOT, `${String(pkg.name)}-${String(pkg.version)}.vsix`);
  if (!existsSync(vsixPath)) {
    console.error(`check-vsix: ${vsixPath} does not exist (run npm run package)`);
    return 2;
  }
  const bytes = readFileSync(vsixPath);
  const entries = readZip(bytes);
  const issues = [
    ...manifestIssues(pkg),
    ...vsixIssues(entries, pkg),
    ...openVsxIssues(entries).map((m) => `Open VSX: ${m}`),
    ...(await ovsxClientIssues(vsixPath)),
    ...sizeIssues(bytes.length, entries, maxKb),
  ];
  if (ovsx && issues.length === 0) {
    const r = await publishWithOvsx(vsixPath);
    if (!r.ok) issues.push(`ovsx publish (local registry) failed: ${r.output}`);
    else if (!r.uploadedIdentical) issues.push('ovsx publish uploaded bytes that differ from the VSIX');
  }
  let dist = 0;
  for (const e of entries.values()) if (e.name.startsWith('extension/dist/')) dist += e.compressedSize;
  const name = relative(process.cwd(), vsixPath) || vsixPath;
  console.log(
    `check-vsix: ${name}: ${kib(bytes.length)} of ${maxKb} KiB, ${entries.size} entries (bundles ${kib(dist)}, the rest ${kib(bytes.length - dist)})`,
  );
  if (issues.length > 0) {
    for (const i of issues) console.error(`  ✗ ${i}`);
    console.error(`check-vsix: ${issues.length} issue(s); not ready to publish`);
    return 1;
  }
  console.log(
    `check-vsix: ready for the Marketplace and Open VSX (manifest, README, files, Open VSX server checks${ovsx ? ', ovsx publish against a local registry' : ''})`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(2);
    },
  );
}
