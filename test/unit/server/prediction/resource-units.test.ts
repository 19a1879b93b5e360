/** Unit mistakes in container resources: which values are flagged, how, and which values the fixes write. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkQuantity,
  checkResourceUnits,
  MIN_MILLICORES,
  NO_CLUSTER_MIN_CORES,
} from '@src/server/prediction/resource-units';

/** `checkQuantity` as `severity fixes` (preferred fixes starred), or 'ok'. */
function verdict(name: string, v: unknown, maxMilliCpu?: number, kind: 'requests' | 'limits' = 'requests'): string {
  const p = checkQuantity(name, v, kind, maxMilliCpu === undefined ? undefined : { maxMilliCpu });
  if (p === undefined) return 'ok';
  return `${p.severity} ${p.fixes.map((f) => `${f.value}${f.preferred ? '*' : ''}`).join(' ')}`;
}

describe('resource unit mistakes', () => {
  const cases: { name: string; v: unknown; max?: number; want: string }[] = [
    // cpu without a cluster: whole CPUs from NO_CLUSTER_MIN_CORES up are taken for millicores.
    { name: 'cpu', v: 500, want: 'warning 500m*' },
    { name: 'cpu', v: '500', want: 'warning 500m*' },
    { name: 'cpu', v: NO_CLUSTER_MIN_CORES, want: `warning ${NO_CLUSTER_MIN_CORES}m*` },
    { name: 'cpu', v: NO_CLUSTER_MIN_CORES - 1, want: 'ok' },
    { name: 'cpu', v: 4, want: 'ok' },
    { name: 'cpu', v: '500m', want: 'ok' },
    { name: 'cpu', v: 0.5, want: 'ok' },
    { name: 'cpu', v: '1.5', want: 'ok' },
    // cpu with a cluster: more than the largest node allocates (and at least MIN_MILLICORES).
    { name: 'cpu', v: 12, max: 8000, want: 'warning 12m*' },
    { name: 'cpu', v: 8, max: 8000, want: 'ok' },
    { name: 'cpu', v: MIN_MILLICORES - 1, max: 4000, want: 'ok' },
    { name: 'cpu', v: 100, max: 192_000, want: 'ok' },
    { name: 'cpu', v: 500, max: 192_000, want: 'warning 500m*' },
    // memory below 1 MiB: bytes (or millibytes) meant as MiB.
    { name: 'memory', v: 512, want: 'warning 512Mi* 512M' },
    { name: 'memory', v: '256', want: 'warning 256Mi* 256M' },
    { name: 'memory', v: '512m', want: 'warning 512Mi* 512M' },
    { name: 'memory', v: 1048575, want: 'warning 1048575Mi* 1048575M' },
    { name: 'memory', v: 1048576, want: 'ok' },
    { name: 'memory', v: 0, want: 'ok' },
    { name: 'memory', v: '512Mi', want: 'ok' },
    { name: 'memory', v: '1k', want: 'ok' },
    { name: 'ephemeral-storage', v: 512, want: 'ok' },
    // Suffixes kube-apiserver rejects: case, a trailing B, a space.
    { name: 'memory', v: '1g', want: 'error 1Gi* 1G' },
    { name: 'memory', v: '2gi', want: 'error 2Gi*' },
    { name: 'memory', v: '1GB', want: 'error 1Gi* 1G' },
    { name: 'memory', v: '1.5gb', want: 'error 1.5Gi* 1.5G' },
    { name: 'memory', v: '512MiB', want: 'error 512Mi*' },
    { name: 'memory', v: '512mb', want: 'error 512Mi* 512M' },
    { name: 'memory', v: '1 Gi', want: 'error 1Gi*' },
    { name: 'memory', v: '512 m', want: 'error 512Mi* 512M' },
    { name: 'memory', v: '4K', want: 'error 4Ki* 4k' },
    { name: 'ephemeral-storage', v: '10t', want: 'error 10Ti* 10T' },
    { name: 'cpu', v: '500 m', want: 'error 500m*' },
    { name: 'cpu', v: '1g', want: 'ok' },
    { name: 'memory', v: '1x', want: 'ok' },
    { name: 'memory', v: 'lots', want: 'ok' },
    { name: 'memory', v: { a: 1 }, want: 'ok' },
  ];
  for (const c of cases) {
    test(`${c.name}: ${JSON.stringify(c.v)}${c.max !== undefined ? ` (largest node ${c.max}m)` : ''} → ${c.want}`, () => {
      assert.equal(verdict(c.name, c.v, c.max), c.want);
    });
  }

  test('the messages say what the value means today and what the fix means', () => {
    const m = (name: string, v: unknown, max?: number, kind: 'requests' | 'limits' = 'requests'): string =>
      checkQuantity(name, v, kind, max === undefined ? undefined : { maxMilliCpu: max })?.message ?? '';
    assert.equal(
      m('cpu', 500, 8000),
      'cpu: 500 requests 500 whole CPUs; the largest node allocates 8. Did you mean 500m (0.5 CPU)?',
    );
    assert.equal(
      m('cpu', 250, 7910, 'limits'),
      'cpu: 250 limits the container to 250 whole CPUs; the largest node allocates 7.91. Did you mean 250m (0.25 CPU)?',
    );
    assert.equal(
      m('cpu', 1000),
      'cpu: 1000 requests 1000 whole CPUs, more than nodes usually have. Did you mean 1000m (1 CPU)?',
    );
    assert.equal(
      m('memory', 512),
      'memory: 512 requests 512 bytes, far too little for a container. Did you mean 512Mi (512 MiB)?',
    );
    assert.match(m('memory', '512m'), /^memory: 512m requests 0\.512 bytes \(m is milli\)/);
    assert.match(
      m('memory', '1g'),
      /^memory: 1g is not a valid quantity; kube-apiserver rejects it .*Did you mean 1Gi or 1G\?$/,
    );
  });

  test('containers and init containers of a pod template, requests and limits, by field path', () => {
    const problems = checkResourceUnits({
      spec: {
        initContainers: [{ name: 'init', resources: { limits: { cpu: 500 } } }],
        containers: [
          { name: 'ok', resources: { requests: { cpu: '500m', memory: '256Mi' } } },
          { name: 'app', resources: { requests: { memory: 256 }, limits: { memory: '1g' } } },
        ],
      },
    });
    assert.deepEqual(
      problems.map((p) => `${p.field} ${p.severity}`),
      [
        'spec.containers[1].resources.requests.memory warning',
        'spec.containers[1].resources.limits.memory error',
        'spec.initContainers[0].resources.limits.cpu warning',
      ],
    );
    assert.deepEqual(checkResourceUnits({ spec: { containers: 'x' } }), []);
    assert.deepEqual(checkResourceUnits({}), []);
  });
});
