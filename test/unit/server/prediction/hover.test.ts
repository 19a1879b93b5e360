import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultSchedulerProfile, predictOn } from '@src/scheduler';
import { schedulingHover } from '@src/server/prediction/hover';
import { LiveCluster } from '@src/server/prediction/live-cluster';
import { admitPriority, podFromSpec, type PodObject } from '@src/server/prediction/pod-from-spec';
import { parseManifest } from '@src/server/services/manifest';
import { boundPod, FakeCaches, node } from './helpers';

const text = `apiVersion: v1
kind: Pod
metadata: {name: trainer}
spec:
  containers: [{name: c, image: i}]
  tolerations:
    - key: gpu
      operator: Exists
      effect: NoSchedule
  nodeSelector:
    pool: gpu
`;

describe('scheduling hovers', () => {
  const gpu = { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], labels: { pool: 'gpu' } };
  const caches = new FakeCaches({
    nodes: [node('gpu-1', gpu), node('gpu-2', gpu), node('cpu-1', { labels: { pool: 'gpu' } }), node('cpu-2')],
  });
  const live = new LiveCluster(caches);
  const [doc] = parseManifest(text);
  const spec = doc!.podSpecs[0]!;
  const pod = podFromSpec(doc!, spec, 'default');
  const predict = (p: PodObject) =>
    predictOn(p as never, live.snapshot, defaultSchedulerProfile(), { mode: 'all-nodes', detail: 'summary' });
  const hoverOn = (needle: string) => {
    const h = schedulingHover(spec, pod, text.indexOf(needle), predict, (o) => ({ line: 0, character: o }));
    return h === null ? '' : (h.contents as { value: string }).value;
  };
  test('tolerations: opens the tainted nodes', () => {
    const v = hoverOn('tolerations:');
    assert.match(v, /tolerates taints: opens 2 nodes/);
    assert.match(v, /With it: 3\/4 nodes fit/);
    assert.match(v, /taint-and-toleration/);
  });
  test('nodeSelector: excludes the unlabelled node', () => {
    assert.match(hoverOn('nodeSelector:'), /restricts the nodes: excludes 1 node\b/);
  });
  test('inside a toleration, the whole toleration is what is weighed', () => {
    const v = hoverOn('key: gpu');
    assert.match(v, /\*\*spec\.tolerations\[0\]\*\*/);
    assert.match(v, /tolerates taints: opens 2 nodes/);
  });
  test('no hover outside scheduling fields', () => {
    assert.equal(hoverOn('image: i'), '');
  });
  test('without a cluster the hover explains the field only', () => {
    const h = schedulingHover(spec, pod, text.indexOf('nodeSelector'), undefined, (o) => ({ line: 0, character: o }));
    assert.match((h!.contents as { value: string }).value, /Connect a cluster/);
  });

  test('priorityClassName: resolved from the cluster PriorityClass, it lets the pod preempt', () => {
    const t = `apiVersion: v1
kind: Pod
metadata: {name: urgent}
spec:
  priorityClassName: high
  containers: [{name: c, image: i, resources: {requests: {cpu: "3"}}}]
`;
    const c = new FakeCaches({
      nodes: [node('only')],
      pods: [boundPod('low', 'only', '2', 0)],
      other: { priorityclasses: [{ kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 }] },
    });
    const l = new LiveCluster(c);
    const [d] = parseManifest(t);
    const s = d!.podSpecs[0]!;
    const p = podFromSpec(d!, s, 'default');
    const admitted = (x: PodObject): PodObject => admitPriority(x, l.snapshot).pod;
    const h = schedulingHover(
      s,
      p,
      t.indexOf('priorityClassName'),
      (x) =>
        predictOn(admitted(x) as never, l.snapshot, defaultSchedulerProfile(), {
          mode: 'all-nodes',
          detail: 'summary',
        }),
      (o) => ({ line: 0, character: o }),
    );
    const v = (h!.contents as { value: string }).value;
    assert.match(v, /lets the pod preempt lower-priority pods/);
    assert.match(v, /With it: 0\/1 nodes fit, → only by preemption/);
  });

  test('an unknown PriorityClass is an error naming the field', () => {
    const [d] = parseManifest(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  priorityClassName: nope\n  containers: [{name: c, image: i}]\n',
    );
    const r = admitPriority(podFromSpec(d!, d!.podSpecs[0]!, 'default'), live.snapshot);
    assert.equal(r.error?.field, 'spec.priorityClassName');
    assert.match(r.error?.message ?? '', /no PriorityClass with name nope/);
  });
});
