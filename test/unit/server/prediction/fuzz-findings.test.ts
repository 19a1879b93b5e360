/**
 * What fuzz:lsp found in the prediction code: keys and kinds named like Object.prototype's properties
 * (`__proto__`, `constructor`, `toString`) threw 'Cannot read properties of undefined' ("diagnostics
 * failed"), and the position tree scanned back to the file start for every node of a document
 * without `\n` line breaks (lone CR), which took seconds on 500 KB.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkPodFields, checkWorkloadFields } from '@src/server/prediction/field-check';
import { admitPriority, podFromSpec } from '@src/server/prediction/pod-from-spec';
import { parseYamlTree } from '@src/server/prediction/yaml-tree';
import { parseManifest } from '@src/server/services/manifest';

describe('fuzz:lsp findings in prediction', () => {
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    test(`a pod spec key named ${key} is an unknown field`, () => {
      const text = `apiVersion: v1\nkind: Pod\nspec:\n  ${key}: {constructor: 1, a: 2}\n  containers: [{name: c, ${key}: {x: 1}}]\n`;
      const [doc] = parseManifest(text);
      const problems = checkPodFields(doc!.podSpecs[0]!.template).map((p) => p.field);
      assert.deepEqual(problems, [`spec.${key}`, `spec.containers[0].${key}`]);
    });
  }

  test('a workload kind named constructor has no workload fields to check', () => {
    assert.deepEqual(checkWorkloadFields('constructor', { spec: { a: 1 } }), []);
  });

  test('an alias shared by tolerations and affinity terms is admitted as two separate lists', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers: [{name: c, image: x}]',
      '  affinity:',
      '    podAntiAffinity:',
      '      preferredDuringSchedulingIgnoredDuringExecution: &terms',
      '        - weight: 5',
      '          podAffinityTerm: {labelSelector: {matchLabels: {app: a}}, topologyKey: kubernetes.io/hostname}',
      '  tolerations: *terms',
      '',
    ].join('\n');
    const [doc] = parseManifest(text);
    const pod = podFromSpec(doc!, doc!.podSpecs[0]!, 'default');
    const { pod: admitted } = admitPriority(pod, { objects: () => [] } as never);
    const spec = admitted.spec as { tolerations: unknown[]; affinity: { podAntiAffinity: Record<string, unknown[]> } };
    const terms = spec.affinity.podAntiAffinity['preferredDuringSchedulingIgnoredDuringExecution']!;
    assert.notEqual(spec.tolerations, terms);
    assert.equal(terms.length, 1);
    assert.ok((terms[0] as Record<string, unknown>)['podAffinityTerm'] !== undefined);
  });

  test('lone-CR line breaks: node ends stop at the line break, comment lines are trimmed', () => {
    const r = parseYamlTree('a: 1\r# note\rb:\r  c: 2\r# trailing\r', 0);
    assert.ok(r.ok);
    const entries = r.root!.entries!;
    assert.deepEqual(
      entries.map((e) => [e.key, e.value.start, e.value.end]),
      [
        ['a', 3, 4],
        ['b', 17, 21],
      ],
    );
  });
});
