/**
 * slimForCache: what a watch cache keeps of an object (managedFields, last-applied-configuration and
 * big annotations dropped; everything else equal).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIG_ANNOTATION_CHARS, slimForCache, StringInterner } from '@src/cluster/cache-transform';

const pod = (name: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'team-1',
    uid: `uid-${name}`,
    labels: { app: 'web', 'pod-template-hash': 'abc' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Pod"}\n',
      'example.com/big': 'y'.repeat(BIG_ANNOTATION_CHARS + 1),
      'example.com/edge': 'z'.repeat(BIG_ANNOTATION_CHARS),
      'prometheus.io/scrape': 'true',
    },
    managedFields: [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu: '1' } } }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

test('drops managedFields, last-applied-configuration and annotations over the limit; keeps the rest as sent', () => {
  const interner = new StringInterner();
  const slim = slimForCache(pod('a'), interner) as ReturnType<typeof pod>;
  const expected = pod('a');
  const meta = expected['metadata'] as Record<string, unknown>;
  delete meta['managedFields'];
  meta['annotations'] = { 'example.com/edge': 'z'.repeat(BIG_ANNOTATION_CHARS), 'prometheus.io/scrape': 'true' };
  assert.deepEqual(slim, expected);
  assert.equal(Object.keys(slim['metadata'] as object).includes('managedFields'), false);
});

test('an object without metadata or annotations passes unchanged', () => {
  const interner = new StringInterner();
  assert.deepEqual(slimForCache({ kind: 'Status' } as never, interner), { kind: 'Status' });
  const plain = { metadata: { name: 'n' }, spec: { x: ['a', 1, null, true] } };
  assert.deepEqual(slimForCache(structuredClone(plain), interner), plain);
});
