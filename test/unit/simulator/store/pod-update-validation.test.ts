/**
 * Pod updates as ValidatePodUpdate judges them (pkg/apis/core/validation): specs compare as values,
 * whatever order a client wrote their fields in (the Python client's replace sends its own order), and
 * adding or removing a container is refused at spec.containers before anything else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KindRegistry } from '@src/simulator/store/registry';
import { validateUpdate } from '@src/simulator/store/validation';
import { Store } from '@src/simulator/store/store';
import type { KubeObject } from '@src/simulator/store/types';

const pods = new KindRegistry().get('', 'pods')!;
const spec = {
  containers: [
    { name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] },
    { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity'] },
  ],
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
};
const pod = (s: object): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: s,
});

/** The same value with every object's keys in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversed(x)]),
    );
  return v;
}

test('a spec with the same values in another key order is no change', () => {
  assert.deepEqual(validateUpdate(pods, pod(spec), pod(reversed(spec) as object)), []);
});

test('an image change is allowed; another field change is refused at spec', () => {
  const image = structuredClone(spec);
  image.containers[0]!.image = 'nginx:1.28';
  assert.deepEqual(validateUpdate(pods, pod(spec), pod(image)), []);
  const restart = { ...spec, restartPolicy: 'Never' };
  assert.deepEqual(
    validateUpdate(pods, pod(spec), pod(restart)).map((e) => [e.type, e.field]),
    [['FieldValueForbidden', 'spec']],
  );
});

test('removing or adding a container is refused at spec.containers (initContainers likewise)', () => {
  const fewer = { ...spec, containers: [spec.containers[0]] };
  assert.deepEqual(validateUpdate(pods, pod(spec), pod(fewer)), [
    { type: 'FieldValueForbidden', field: 'spec.containers', detail: 'pod updates may not add or remove containers' },
  ]);
  const init = { ...spec, initContainers: [{ name: 'init', image: 'busybox' }] };
  assert.deepEqual(validateUpdate(pods, pod(spec), pod(init)), [
    {
      type: 'FieldValueForbidden',
      field: 'spec.initContainers',
      detail: 'pod updates may not add or remove containers',
    },
  ]);
});

test('a pod restored without its defaults (a snapshot) takes a label change; a spec change is still refused', () => {
  const store = new Store();
  store.restore([
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw', namespace: 'default', uid: 'u-raw', resourceVersion: '1' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
    },
  ]);
  const ref = { group: '', resource: 'pods' };
  const labelled = store.mutate(ref, 'default', 'raw', (d) => {
    d.metadata.labels = { touched: 'yes' };
  });
  assert.deepEqual(labelled.metadata.labels, { touched: 'yes' });
  assert.throws(
    () =>
      store.mutate(ref, 'default', 'raw', (d) => {
        d['spec'].nodeName = 'n2';
      }),
    /pod updates may not change fields other than/,
  );
});
