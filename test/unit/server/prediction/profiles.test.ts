import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { manifestDiagnostics } from '@src/server/prediction/diagnostics';
import { PredictionEngine } from '@src/server/prediction/engine';
import { lensText } from '@src/server/prediction/lens-text';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { resolveProfile } from '@src/server/prediction/profiles';
import { parseManifest } from '@src/server/services/manifest';
import { boundPod, FakeCaches, node } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'kf-profiles-'));
const uri = pathToFileURL(join(dir, 'app.yaml')).toString();
writeFileSync(
  join(dir, 'sched.yaml'),
  `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
  - schedulerName: bin-packer
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
            resources: [{ name: cpu, weight: 1 }, { name: memory, weight: 1 }]
`,
);
writeFileSync(
  join(dir, 'bad.yaml'),
  `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    percentageOfNodesToScore: 200
`,
);

const manifest = (comment: string, schedulerName?: string): string => `${comment}
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
${schedulerName ? `  schedulerName: ${schedulerName}\n` : ''}  containers: [{ name: c, image: i, resources: { requests: { cpu: 500m, memory: 256Mi } } }]
`;

function title(text: string, setting = 'default-scheduler'): { title: string; problems: string[] } {
  const caches = new FakeCaches({ nodes: [node('empty'), node('busy')], pods: [boundPod('x', 'busy', '2')] });
  const live = new LiveCluster(caches);
  const r = resolveProfile(uri, text, setting);
  const [doc] = parseManifest(text);
  const v = new PredictionEngine().verdict(doc!, doc!.podSpecs[0]!, live.snapshot, live.generation, {
    defaultNamespace: 'default',
    profile: r.choice,
  });
  return { title: lensText(v).title, problems: r.problems.map((p) => p.message) };
}

describe('scheduler profiles', () => {
  test('the default profile spreads: the emptiest node', () => {
    assert.match(title(manifest('')).title, /^→ empty /);
  });
  test('a profile comment points at a configuration; schedulerName picks its profile (MostAllocated packs)', () => {
    const r = title(manifest('# kube-forecast: profile=./sched.yaml', 'bin-packer'));
    assert.deepEqual(r.problems, []);
    assert.match(r.title, /^→ busy /);
  });
  test('the setting works the same when the file has no comment', () => {
    assert.match(title(manifest('', 'bin-packer'), join(dir, 'sched.yaml')).title, /^→ busy /);
  });
  test('a schedulerName no profile has: the pod would never be scheduled', () => {
    assert.match(
      title(manifest('# kube-forecast: profile=./sched.yaml', 'nobody')).title,
      /spec\.schedulerName: .*no scheduler profile has this name/,
    );
  });
  test('an invalid configuration is reported with its field path, and the default profile is used', () => {
    const r = title(manifest('# kube-forecast: profile=./bad.yaml'));
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /profiles\[0\]\.percentageOfNodesToScore: Invalid value: 200/);
    assert.match(r.title, /^→ empty /);
  });
  test('a missing configuration file is reported', () => {
    const r = title(manifest('# kube-forecast: profile=./missing.yaml'));
    assert.match(r.problems[0] ?? '', /cannot read the file/);
  });

  test('the configuration problem is an error diagnostic on the profile comment', () => {
    const text = manifest('# kube-forecast: profile=./bad.yaml');
    const r = resolveProfile(uri, text, 'default-scheduler');
    const diags = manifestDiagnostics(
      TextDocument.create(uri, 'yaml', 1, text),
      parseManifest(text),
      () => undefined,
      r.problems,
    );
    assert.equal(diags.length, 1);
    assert.equal(diags[0]!.severity, 1);
    assert.equal(diags[0]!.range.start.line, 0);
    assert.match(String(diags[0]!.message), /profiles\[0\]\.percentageOfNodesToScore/);
  });
});
