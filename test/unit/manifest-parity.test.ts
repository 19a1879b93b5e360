/**
 * `src/shared/ids.ts` and `package.json` `contributes` must agree exactly, in both directions, and
 * every command referenced by a menu, welcome link or the command table must exist.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Commands, EXTENSION_ID, PREFIX, Settings, ViewContainers, Views } from '@src/shared/ids';

interface Contributes {
  commands: { command: string; title: string; category?: string }[];
  viewsContainers: { activitybar: { id: string }[] };
  views: Record<string, { id: string }[]>;
  viewsWelcome: { view: string; contents: string }[];
  menus: Record<string, { command: string; when?: string }[]>;
  configuration: { properties: Record<string, { description?: string; markdownDescription?: string; scope?: string }> };
}

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  activationEvents: string[];
  extensionKind: string[];
  contributes: Contributes;
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
};
const c = pkg.contributes;
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** Asserts two id sets are equal and names what is missing on each side. */
function assertSameIds(inIds: string[], inManifest: string[]): void {
  const a = new Set(inIds);
  const b = new Set(inManifest);
  assert.deepEqual(
    {
      missingFromPackageJson: sorted(inIds.filter((x) => !b.has(x))),
      missingFromIdsTs: sorted(inManifest.filter((x) => !a.has(x))),
    },
    { missingFromPackageJson: [], missingFromIdsTs: [] },
  );
  assert.equal(inManifest.length, b.size, 'package.json lists an id twice');
}

describe('ids.ts ↔ package.json', () => {
  test('extension id', () => assert.equal(EXTENSION_ID, `${pkg.publisher}.${pkg.name}`));
  test('commands', () =>
    assertSameIds(
      Object.values(Commands),
      c.commands.map((x) => x.command),
    ));
  test('views', () =>
    assertSameIds(
      Object.values(Views),
      Object.values(c.views)
        .flat()
        .map((v) => v.id),
    ));
  test('view containers', () =>
    assertSameIds(
      Object.values(ViewContainers),
      c.viewsContainers.activitybar.map((v) => v.id),
    ));
  test('views live in our container', () => assert.deepEqual(Object.keys(c.views), Object.values(ViewContainers)));
  test('settings', () => assertSameIds(Object.values(Settings), Object.keys(c.configuration.properties)));
});

describe('manifest consistency', () => {
  const known = new Set<string>(Object.values(Commands));
  test('every menu entry names a contributed command', () => {
    const unknown = Object.entries(c.menus).flatMap(([menu, items]) =>
      items.filter((i) => !known.has(i.command)).map((i) => `${menu}: ${i.command}`),
    );
    assert.deepEqual(unknown, []);
  });
  test('every welcome link names a contributed command', () => {
    const links = c.viewsWelcome.flatMap((w) =>
      [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1] ?? ''),
    );
    assert.ok(links.length > 0);
    assert.deepEqual(
      links.filter((l) => !known.has(l)),
      [],
    );
  });
  test('the welcome content offers the simulated cluster and a kubeconfig', () => {
    const text = c.viewsWelcome.map((w) => w.contents).join('\n');
    assert.match(text, /\[Open the simulated cluster\]\(command:kubeForecast\.openSimulatedCluster\)/);
    assert.match(text, /\[Choose a kubeconfig\]\(command:kubeForecast\.chooseKubeconfig\)/);
  });
  test('every command is in the Kube Forecast category', () => {
    assert.deepEqual(
      c.commands.filter((x) => x.category !== 'Kube Forecast').map((x) => x.command),
      [],
    );
  });
  test('every setting has a description and a scope, and is prefixed', () => {
    const bad = Object.entries(c.configuration.properties)
      .filter(([k, v]) => !k.startsWith(`${PREFIX}.`) || !(v.description ?? v.markdownDescription) || !v.scope)
      .map(([k]) => k);
    assert.deepEqual(bad, []);
  });
  test('restricted settings exist, and include the kubeconfig and credential path', () => {
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual(
      restricted.filter((k) => !(k in c.configuration.properties)),
      [],
    );
    assert.ok(restricted.includes(Settings.kubeconfig) && restricted.includes(Settings.authExtraPath));
  });
  test('runs on the workspace side (remote, WSL, containers), where the kubeconfig is', () => {
    assert.deepEqual(pkg.extensionKind, ['workspace']);
  });
  test('activation is lazy: onLanguage:yaml, never "*"', () => {
    assert.deepEqual(pkg.activationEvents, ['onLanguage:yaml']);
  });
});
