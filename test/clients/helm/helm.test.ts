/**
 * Real Helm (helm.sh/helm/v4, built by test/clients/setup.ts) against the test cluster of this run
 * (KF_TEST_CLUSTER=simulated|real; see test/clusters/test-cluster.ts), with the example chart in
 * examples/chart: install, upgrade, list, status, history, rollback and uninstall all succeed, and the
 * explorer's Helm Releases branch shows each revision as helm itself stored and reports it (name,
 * namespace, revision, status, chart, app version), and nothing once it is uninstalled. A helm command
 * that fails fails the test with helm's own error text.
 *
 *   npm run test:clients:helm [-- --cluster simulated|real]     (run.ts runs this file per cluster)
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- helm's JSON output and Kubernetes objects are read by field path. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startTestCluster, type TestCluster } from '../../clusters/test-cluster';
import { repoRoot } from '../../real-cluster/binaries';
import { backendOn, until } from '../../unit/server/explorer/helpers';
import { generateDemoCluster } from '../../../src/simulator/demo';
import { helmPath } from '../setup';

const CHART = path.join(repoRoot(), 'examples', 'chart');
const CTX = 'it-admin';
const HELM_ROWS = `${CTX}/helm`;

let cluster: TestCluster;
let home: string;
before(async () => {
  if (!fs.existsSync(helmPath())) throw new Error(`no helm at ${helmPath()}: run npm run setup:clients -- helm`);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-helm-'));
  cluster = await startTestCluster();
});
after(async () => {
  await cluster?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/** Runs helm against the cluster (context it-admin); rejects with helm's own output when it fails. */
function helm(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(helmPath(), [...args, '--kubeconfig', cluster.kubeconfig], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: home,
        HELM_CACHE_HOME: path.join(home, 'cache'),
        HELM_CONFIG_HOME: path.join(home, 'config'),
        HELM_DATA_HOME: path.join(home, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`helm ${args.join(' ')} exited ${code}:\n${err.trim() || out.trim()}`));
    });
  });
}

/** A copy of the example chart with another version and appVersion (a new chart release to upgrade to). */
function chartVersion(version: string, appVersion: string): string {
  const dir = path.join(home, `chart-${version}`);
  fs.cpSync(CHART, dir, { recursive: true });
  const file = path.join(dir, 'Chart.yaml');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(file, 'utf8')
      .replace(/^version: .*$/m, `version: ${version}`)
      .replace(/^appVersion: .*$/m, `appVersion: '${appVersion}'`),
  );
  return dir;
}

/** The release Secrets helm stored in `ns`, decoded (data.release = base64(base64(gzip(JSON)))). */
async function storedReleases(ns: string): Promise<{ secret: any; release: any }[]> {
  const r = await cluster.api('GET', `/api/v1/namespaces/${ns}/secrets?labelSelector=owner%3Dhelm`);
  assert.equal(r.status, 200);
  return (r.body.items as any[])
    .map((secret) => ({
      secret,
      release: JSON.parse(
        gunzipSync(Buffer.from(Buffer.from(secret.data.release, 'base64').toString(), 'base64')).toString(),
      ),
    }))
    .sort((a, b) => a.release.version - b.release.version);
}

/** What the explorer should show for the newest revision helm stored, from helm's own record of it. */
function expectedRow(release: any): { label: string; namespace: string; description: string; tooltip: string } {
  const m = release.chart.metadata;
  return {
    label: release.name,
    namespace: release.namespace,
    description: `${m.name}-${m.version} · rev ${release.version} · ${release.info.status} · ${release.namespace}`,
    tooltip:
      `Chart ${m.name} ${m.version}${m.appVersion ? ` (app ${m.appVersion})` : ''}\n` +
      `Revision ${release.version}, ${release.info.status}\nUpdated ${release.info.last_deployed}`,
  };
}

test('helm install, upgrade, list, status, history, rollback and uninstall; the Helm Releases branch follows each revision', async () => {
  const ns = await cluster.freshNamespace('helm');
  const { backend, close } = await backendOn(cluster);
  /** The branch's rows for this namespace, once they satisfy `ok`. */
  const rowsWhen = async (ok: (rows: any[]) => boolean, what: string): Promise<any[]> => {
    let last: any[] = [];
    const rows = await until(async () => {
      last = (await backend.children(HELM_ROWS)).filter((r) => r.namespace === ns || r.kind === 'message');
      const mine = last.filter((r) => r.namespace === ns);
      return ok(mine) ? mine : undefined;
    }, 30_000);
    assert.ok(rows, `${what}; the branch shows ${JSON.stringify(last.map((r) => [r.label, r.description]))}`);
    return rows;
  };
  /** Checks the branch against the newest revision helm stored, and View YAML against helm's record. */
  const showsNewest = async (revision: number): Promise<void> => {
    const stored = await storedReleases(ns);
    const newest = stored.at(-1)!.release;
    assert.equal(newest.version, revision);
    const want = expectedRow(newest);
    const rows = await rowsWhen(
      (r) => r.length === 1 && r[0].description === want.description,
      `the branch shows revision ${revision} (${want.description})`,
    );
    assert.deepEqual(
      {
        label: rows[0].label,
        namespace: rows[0].namespace,
        description: rows[0].description,
        tooltip: rows[0].tooltip,
      },
      want,
    );
    const text = await backend.resourceText({ nodeId: rows[0].id, view: 'yaml' });
    assert.ok(text.ok, JSON.stringify(text));
    const m = newest.chart.metadata;
    assert.match(text.value, new RegExp(`^chart: ${m.name}-${m.version}$`, 'm'));
    assert.match(text.value, new RegExp(`^appVersion: ['"]?${m.appVersion.replace(/\./g, '\\.')}['"]?$`, 'm'));
    assert.match(text.value, new RegExp(`^revision: ${revision}$`, 'm'));
    assert.match(text.value, new RegExp(`^status: ${newest.info.status}$`, 'm'));
    assert.match(text.value, new RegExp(`- Deployment ${ns}/web$`, 'm'));
    assert.match(text.value, new RegExp(`- Service ${ns}/web$`, 'm'));
  };
  try {
    // The example chart is valid as helm judges it.
    assert.match(await helm('lint', CHART, '--strict'), /1 chart\(s\) linted, 0 chart\(s\) failed/);
    // Install: revision 1 of chart web-0.1.0 (app 1.27.0), its Deployment available.
    const installed = await helm('install', 'web', CHART, '-n', ns, '--wait', '--timeout', '120s');
    assert.match(installed, /^STATUS: deployed$/m);
    assert.match(installed, /^REVISION: 1$/m);
    const list1 = JSON.parse(await helm('list', '-n', ns, '-o', 'json'));
    assert.deepEqual(
      list1.map((r: any) => [r.name, r.namespace, r.revision, r.status, r.chart, r.app_version]),
      [['web', ns, '1', 'deployed', 'web-0.1.0', '1.27.0']],
    );
    const dep = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(dep.status, 200);
    assert.equal(dep.body.spec.replicas, 2);
    assert.equal(dep.body.status.availableReplicas, 2, 'helm --wait waited for the pods');
    assert.equal(dep.body.spec.template.spec.containers[0].image, 'nginx:1.27.0');
    assert.equal(dep.body.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(dep.body.metadata.annotations['meta.helm.sh/release-name'], 'web');
    assert.equal((await cluster.api('GET', `/api/v1/namespaces/${ns}/services/web`)).status, 200);
    await showsNewest(1);

    // Upgrade to a new chart release with three replicas: revision 2 of web-0.2.0 (app 1.28.0).
    const v2 = chartVersion('0.2.0', '1.28.0');
    const upgraded = await helm(
      'upgrade',
      'web',
      v2,
      '-n',
      ns,
      '--set',
      'replicaCount=3',
      '--wait',
      '--timeout',
      '120s',
    );
    assert.match(upgraded, /^REVISION: 2$/m);
    const dep2 = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(dep2.body.spec.replicas, 3);
    assert.equal(dep2.body.spec.template.spec.containers[0].image, 'nginx:1.28.0');
    await showsNewest(2);

    const status = JSON.parse(await helm('status', 'web', '-n', ns, '-o', 'json'));
    assert.deepEqual(
      [status.name, status.namespace, status.version, status.info.status, status.info.description],
      ['web', ns, 2, 'deployed', 'Upgrade complete'],
    );
    assert.deepEqual(Object.keys(status.info.resources).sort(), ['v1/Deployment', 'v1/Pod(related)', 'v1/Service']);
    assert.deepEqual(JSON.parse(await helm('get', 'values', 'web', '-n', ns, '-o', 'json')), { replicaCount: 3 });
    const history = JSON.parse(await helm('history', 'web', '-n', ns, '-o', 'json'));
    assert.deepEqual(
      history.map((h: any) => [h.revision, h.status, h.chart, h.app_version, h.description]),
      [
        [1, 'superseded', 'web-0.1.0', '1.27.0', 'Install complete'],
        [2, 'deployed', 'web-0.2.0', '1.28.0', 'Upgrade complete'],
      ],
    );

    // Roll back to revision 1: a new revision 3 holding revision 1's chart and values.
    const rolled = await helm('rollback', 'web', '1', '-n', ns, '--wait', '--timeout', '120s');
    assert.match(rolled, /Rollback was a success/);
    const dep3 = await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(dep3.body.spec.replicas, 2);
    assert.equal(dep3.body.spec.template.spec.containers[0].image, 'nginx:1.27.0');
    await showsNewest(3);
    const list3 = JSON.parse(await helm('list', '-n', ns, '-o', 'json'));
    assert.deepEqual(
      list3.map((r: any) => [r.name, r.revision, r.status, r.chart, r.app_version]),
      [['web', '3', 'deployed', 'web-0.1.0', '1.27.0']],
    );
    const stored = await storedReleases(ns);
    assert.deepEqual(
      stored.map((s) => [s.secret.metadata.name, s.secret.metadata.labels.status, s.release.info.status]),
      [
        ['sh.helm.release.v1.web.v1', 'superseded', 'superseded'],
        ['sh.helm.release.v1.web.v2', 'superseded', 'superseded'],
        ['sh.helm.release.v1.web.v3', 'deployed', 'deployed'],
      ],
    );

    // Uninstall: the objects and the release records are gone, and so is the row.
    const removed = await helm('uninstall', 'web', '-n', ns, '--wait', '--timeout', '120s');
    assert.match(removed, /release "web" uninstalled/);
    assert.deepEqual(JSON.parse(await helm('list', '-n', ns, '-o', 'json')), []);
    assert.deepEqual(await storedReleases(ns), []);
    assert.equal((await cluster.api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/web`)).status, 404);
    assert.equal((await cluster.api('GET', `/api/v1/namespaces/${ns}/services/web`)).status, 404);
    await rowsWhen((r) => r.length === 0, 'the release is no longer shown after helm uninstall');
  } finally {
    close();
  }
});

test('a chart the server refuses: helm install fails with the server’s own words, and the branch shows the failed revision', async () => {
  const ns = await cluster.freshNamespace('helm-bad');
  const { backend, close } = await backendOn(cluster);
  try {
    await assert.rejects(helm('install', 'bad', CHART, '-n', ns, '--set', 'replicaCount=-1'), (e: Error) => {
      assert.match(e.message, /exited 1/);
      assert.match(e.message, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
      return true;
    });
    const stored = await storedReleases(ns);
    assert.deepEqual(
      stored.map((s) => [s.release.name, s.release.version, s.release.info.status, s.secret.metadata.labels.status]),
      [['bad', 1, 'failed', 'failed']],
    );
    const want = expectedRow(stored[0]!.release);
    const rows = await until(async () => {
      const r = (await backend.children(HELM_ROWS)).filter((x) => x.namespace === ns);
      return r.length === 1 && r[0]!.description === want.description ? r : undefined;
    }, 30_000);
    assert.ok(rows, 'the failed release is shown');
    assert.equal(rows[0]!.status, 'error');
    assert.equal(rows[0]!.tooltip, want.tooltip);
    await helm('uninstall', 'bad', '-n', ns);
  } finally {
    close();
  }
});

/** Every key path of a JSON value with its JSON type (`chart.metadata.name: string`), sorted. */
function shape(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return [`${at}: array`];
  if (v !== null && typeof v === 'object')
    return Object.entries(v)
      .flatMap(([k, x]) => shape(x, at === '' ? k : `${at}.${k}`))
      .sort();
  return [`${at}: ${v === null ? 'null' : typeof v}`];
}

test('the Helm release the simulated cluster’s demo holds is stored the way helm stores one', async () => {
  const ns = await cluster.freshNamespace('helm-shape');
  await helm('install', 'shop', CHART, '-n', ns, '--set', 'replicaCount=1');
  try {
    const [real] = await storedReleases(ns);
    const demo = generateDemoCluster({ nodes: 4, zones: 2, seed: 1 }).objects.find(
      (o) => o.kind === 'Secret' && o['type'] === 'helm.sh/release.v1',
    ) as any;
    assert.ok(demo, 'the demo cluster has a Helm release Secret');
    const release = JSON.parse(
      gunzipSync(Buffer.from(Buffer.from(demo.data.release, 'base64').toString(), 'base64')).toString(),
    );
    // The Secret: type, name, label keys, data keys.
    assert.equal(demo.type, real!.secret.type);
    assert.equal(demo.metadata.name, `sh.helm.release.v1.${release.name}.v${release.version}`);
    assert.deepEqual(Object.keys(demo.metadata.labels).sort(), Object.keys(real!.secret.metadata.labels).sort());
    assert.deepEqual(Object.keys(demo.data), Object.keys(real!.secret.data));
    assert.equal(demo.metadata.labels.modifiedAt, String(Date.parse(release.info.last_deployed) / 1000));
    // The same fields in the same order (helm's Go struct order), each of the same JSON type.
    assert.deepEqual(Object.keys(release), Object.keys(real!.release));
    assert.deepEqual(Object.keys(release.chart), Object.keys(real!.release.chart));
    assert.deepEqual(Object.keys(release.info), Object.keys(real!.release.info));
    // The release record: the same fields with the same types, outside what a chart's own content decides.
    // (Values and config are the chart's and the user's; files is null for a chart with no other files.)
    const own = (lines: string[]): string[] => [
      ...new Set(
        lines.map((l) =>
          l
            .replace(/^(chart\.values|config)\..*$/, '$1: object')
            .replace(/^chart\.files: (null|array)$/, 'chart.files: null or array'),
        ),
      ),
    ];
    assert.deepEqual(own(shape(release)), own(shape(real!.release)));

    // And helm itself reads it as one of its own releases.
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const { uid: _uid, creationTimestamp: _created, ...meta } = demo.metadata;
    await cluster.create({ ...demo, metadata: meta });
    const listed = JSON.parse(await helm('list', '-n', 'shop', '-o', 'json'));
    assert.deepEqual(
      listed.map((r: any) => [r.name, r.namespace, r.revision, r.status, r.chart, r.app_version]),
      [['shop', 'shop', '1', 'deployed', 'shop-2.4.1', '2.4.1']],
    );
    const history = JSON.parse(await helm('history', 'shop', '-n', 'shop', '-o', 'json'));
    assert.deepEqual(
      history.map((h: any) => [h.revision, h.status, h.chart, h.description]),
      [[1, 'deployed', 'shop-2.4.1', 'Install complete']],
    );
    assert.deepEqual(JSON.parse(await helm('get', 'values', 'shop', '-n', 'shop', '-o', 'json')), release.config);
    assert.equal(await helm('get', 'manifest', 'shop', '-n', 'shop'), `${release.manifest}\n`);
  } finally {
    await helm('uninstall', 'shop', '-n', ns);
  }
});
