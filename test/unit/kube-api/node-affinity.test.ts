/**
 * `getRequiredNodeAffinity` (framework/node-affinity-match.ts), which PodTopologySpread's
 * nodeAffinityPolicy: Honor uses: nodeSelector AND required node affinity, with upstream's
 * handling of empty terms, matchFields, Gt/Lt and unparsable terms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeSelectorTerm, Pod } from '@src/kube-api/types';
import { getRequiredNodeAffinity, parseInt64 } from '@src/kube-api/node-affinity';
import { makeNode } from '@test/builders/node';

function podWith(nodeSelector: Record<string, string> | undefined, terms: NodeSelectorTerm[] | undefined): Pod {
  return {
    metadata: { name: 'p' },
    spec: {
      ...(nodeSelector ? { nodeSelector } : {}),
      ...(terms
        ? {
            affinity: {
              nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
            },
          }
        : {}),
    },
  };
}

const nodeA = makeNode('a', { labels: { zone: 'z1', gpu: '4', disk: 'ssd' } });
const nodeB = makeNode('b', { labels: { zone: 'z2', gpu: '1' } });

describe('getRequiredNodeAffinity', () => {
  const cases: { name: string; pod: Pod; want: [boolean, boolean] }[] = [
    { name: 'no selector and no affinity matches every node', pod: podWith(undefined, undefined), want: [true, true] },
    { name: 'an empty nodeSelector map matches every node', pod: podWith({}, undefined), want: [true, true] },
    {
      name: 'nodeSelector pairs must all be equal',
      pod: podWith({ zone: 'z1', disk: 'ssd' }, undefined),
      want: [true, false],
    },
    {
      name: 'terms are ORed, expressions within a term ANDed',
      pod: podWith(undefined, [
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] },
        {
          matchExpressions: [
            { key: 'disk', operator: 'Exists' },
            { key: 'zone', operator: 'NotIn', values: ['z2'] },
          ],
        },
      ]),
      want: [true, true],
    },
    {
      name: 'nodeSelector AND affinity',
      pod: podWith({ zone: 'z1' }, [{ matchExpressions: [{ key: 'gpu', operator: 'Lt', values: ['2'] }] }]),
      want: [false, false],
    },
    {
      name: 'Gt compares integers',
      pod: podWith(undefined, [{ matchExpressions: [{ key: 'gpu', operator: 'Gt', values: ['2'] }] }]),
      want: [true, false],
    },
    {
      name: 'a Gt value that is not an integer makes the term unparsable',
      pod: podWith(undefined, [{ matchExpressions: [{ key: 'gpu', operator: 'Gt', values: ['two'] }] }]),
      want: [false, false],
    },
    {
      name: 'only empty terms match nothing',
      pod: podWith(undefined, [{}, { matchExpressions: [] }]),
      want: [false, false],
    },
    { name: 'no terms match nothing', pod: podWith(undefined, []), want: [false, false] },
    {
      name: 'matchFields on metadata.name',
      pod: podWith(undefined, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }]),
      want: [false, true],
    },
    {
      name: 'a field requirement with two values is unparsable',
      pod: podWith(undefined, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }]),
      want: [false, false],
    },
    {
      name: 'an unknown operator makes only its term fail',
      pod: podWith(undefined, [
        { matchExpressions: [{ key: 'zone', operator: 'Like', values: ['z'] }] },
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] },
      ]),
      want: [false, true],
    },
    {
      name: 'an invalid label value makes the term unparsable',
      pod: podWith(undefined, [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['{{bad}}'] }] }]),
      want: [false, false],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = getRequiredNodeAffinity(c.pod);
      assert.deepEqual([r.match(nodeA), r.match(nodeB)], c.want);
    });
  }

  it('parses int64 like strconv.ParseInt(s, 10, 64)', () => {
    assert.equal(parseInt64('+7'), 7n);
    assert.equal(parseInt64('-9223372036854775808'), -9223372036854775808n);
    assert.equal(parseInt64('9223372036854775808'), undefined);
    assert.equal(parseInt64('1_000'), undefined);
    assert.equal(parseInt64(''), undefined);
  });
});
