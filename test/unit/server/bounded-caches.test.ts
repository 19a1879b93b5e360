/**
 * The language server's caches stay within their bounds whatever the documents hold: BoundedMap
 * itself (entries, estimated bytes, least recently used first), the prediction engine's verdict and
 * profile caches, the scheduler-configuration file cache and the live cluster's workload memo. These
 * are the bounds `npm run fuzz:lsp` relies on for the server's memory to stay flat (test/lsp-fuzz/README.md).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { ClusterSnapshot, OBJECT_LIST_CACHE_LIMIT } from '@src/scheduler';
import { BoundedMap, jsonBytes, ownCopy, ownString } from '@src/server/bounded-map';
import { MAX_CACHED_PROFILES, MAX_CACHED_VERDICT_BYTES, PredictionEngine } from '@src/server/prediction/engine';
import { LiveCluster, MAX_WORKLOAD_MEMO } from '@src/server/prediction/live-cluster';
import { cachedConfigCount, MAX_CACHED_CONFIGS, resolveProfile } from '@src/server/prediction/profiles';
import { parseManifest } from '@src/server/services/manifest';
import { FakeCaches, node } from './prediction/helpers';

/** A Pod manifest whose spec differs by `i` (so each is a verdict of its own), with `pad` in an annotation. */
const podText = (i: number, opts: { pad?: number; schedulerName?: string } = {}): string => `apiVersion: v1
kind: Pod
metadata:
  name: p${i}
  annotations:
    pad: "${'x'.repeat(opts.pad ?? 0)}"
spec:
${opts.schedulerName !== undefined ? `  schedulerName: ${opts.schedulerName}\n` : ''}  containers:
    - name: c
      image: busybox
      resources:
        requests:
          cpu: ${i + 1}m
`;

/** Predicts every pod spec of `text`; returns the verdicts. */
function predict(engine: PredictionEngine, live: LiveCluster, text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseManifest(text))
    for (const spec of doc.podSpecs)
      out.push(
        engine.verdict(doc, spec, live.snapshot, live.generation, {
          defaultNamespace: 'default',
          profile: { key: 'default' },
        }),
      );
  return out;
}

describe('BoundedMap', () => {
  test('never holds more than its entries, least recently used dropped first', () => {
    const m = new BoundedMap<string, number>(3);
    for (const k of ['a', 'b', 'c']) m.set(k, 1);
    assert.equal(m.get('a'), 1); // a is now the most recent
    m.set('d', 1);
    assert.equal(m.size, 3);
    assert.equal(m.get('b'), undefined);
    assert.equal(m.get('a'), 1);
    assert.equal(m.get('c'), 1);
    for (let i = 0; i < 100; i++) m.set(`k${i}`, i);
    assert.equal(m.size, 3);
  });

  test('never holds more than its bytes; a value over the budget is not stored', () => {
    const m = new BoundedMap<string, string>(100, 1000);
    for (let i = 0; i < 50; i++) {
      m.set(`k${i}`, 'v', 90 + i);
      assert.ok(m.bytes <= 1000, `${m.bytes} bytes after ${i + 1} sets`);
    }
    assert.ok(m.size < 50 && m.size > 0);
    m.set('k49', 'replaced', 10);
    assert.equal(m.get('k49'), 'replaced');
    assert.equal(m.set('huge', 'v', 1001), false);
    assert.equal(m.get('huge'), undefined);
    m.clear();
    assert.equal(m.size, 0);
    assert.equal(m.bytes, 0);
  });

  test('ownString and jsonBytes', () => {
    const text = `${'y'.repeat(100_000)}key`;
    assert.equal(ownString(text.slice(100_000)), 'key');
    assert.equal(ownString('\ud800 lone'), '\ud800 lone');
    const at = new Date(0);
    const copy = ownCopy({ s: text.slice(100_000), at, list: [1, 2] });
    assert.deepEqual(copy, { s: 'key', at, list: [1, 2] });
    assert.equal(jsonBytes({ a: 'bc' }), 2 * '{"a":"bc"}'.length);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    assert.equal(jsonBytes(cycle), undefined);
  });
});

describe('the prediction engine', () => {
  test('keeps at most its limit of verdicts', () => {
    const live = new LiveCluster(new FakeCaches({ nodes: [node('n1')] }));
    // The product's limits (MAX_CACHED_VERDICTS, MAX_CACHED_VERDICT_BYTES) with a smaller count, to run fast.
    const engine = new PredictionEngine({ verdicts: 50, verdictBytes: MAX_CACHED_VERDICT_BYTES });
    for (let i = 0; i < 120; i++) predict(engine, live, podText(i));
    assert.equal(engine.cacheStats.entries, 50);
  });

  test('keeps at most its limit of bytes (estimated), however few the verdicts', () => {
    const live = new LiveCluster(new FakeCaches({ nodes: [node('n1')] }));
    const limit = 1024 * 1024;
    const engine = new PredictionEngine({ verdicts: 2000, verdictBytes: limit });
    // 40 KB of annotation per pod: about 80 KB estimated each, so about 12 fit.
    for (let i = 0; i < 60; i++) {
      predict(engine, live, podText(i, { pad: 40_000 }));
      assert.ok(engine.cacheStats.bytes <= limit, `${engine.cacheStats.bytes} bytes`);
    }
    assert.ok(engine.cacheStats.entries > 5 && engine.cacheStats.entries < 20, `${engine.cacheStats.entries} entries`);
    // Still a cache: the last pod is served from it (the cached copy, the same object each time).
    const again = predict(engine, live, podText(59, { pad: 40_000 }));
    assert.equal(predict(engine, live, podText(59, { pad: 40_000 }))[0], again[0]);
  });

  test(`keeps at most ${MAX_CACHED_PROFILES} profile resolutions (one per schedulerName a document names)`, () => {
    const live = new LiveCluster(new FakeCaches({ nodes: [node('n1')] }));
    const engine = new PredictionEngine();
    for (let i = 0; i < MAX_CACHED_PROFILES * 3; i++) predict(engine, live, podText(i, { schedulerName: `s${i}` }));
    assert.equal(engine.cacheStats.profiles, MAX_CACHED_PROFILES);
  });
});

test(`the scheduler-configuration cache keeps at most ${MAX_CACHED_CONFIGS} files`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kf-bounded-configs-'));
  try {
    const uri = pathToFileURL(join(dir, 'app.yaml')).toString();
    for (let i = 0; i < MAX_CACHED_CONFIGS * 2; i++) {
      writeFileSync(
        join(dir, `s${i}.yaml`),
        'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: default-scheduler\n',
      );
      const r = resolveProfile(uri, `# kube-forecast: profile=s${i}.yaml\n`, '');
      assert.deepEqual(r.problems, []);
      assert.ok(cachedConfigCount() <= MAX_CACHED_CONFIGS, `${cachedConfigCount()} files cached`);
    }
    assert.equal(cachedConfigCount(), MAX_CACHED_CONFIGS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`the live cluster remembers at most ${MAX_WORKLOAD_MEMO} workload label sets`, () => {
  const live = new LiveCluster(new FakeCaches({ nodes: [node('n1')] }));
  for (let i = 0; i < MAX_WORKLOAD_MEMO * 3; i++) {
    assert.deepEqual(live.workloadPods('default', { app: `a${i}` }), []);
    assert.ok(live.workloadMemoSize <= MAX_WORKLOAD_MEMO);
  }
  assert.equal(live.workloadMemoSize, MAX_WORKLOAD_MEMO);
});

test(`the scheduler snapshot keeps at most ${OBJECT_LIST_CACHE_LIMIT} (kind, namespace) object lists`, () => {
  const snap = new ClusterSnapshot();
  const lists = (): number => (Reflect.get(Reflect.get(snap, 'others'), 'listCache') as Map<string, unknown>).size;
  for (let i = 0; i < OBJECT_LIST_CACHE_LIMIT * 2 + 10; i++) {
    assert.deepEqual(snap.objects('Service', `ns-${i}`), []);
    assert.ok(lists() <= OBJECT_LIST_CACHE_LIMIT, `${lists()} lists`);
  }
  assert.ok(lists() > 0);
});
