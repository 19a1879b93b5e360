/**
 * Custom resources checked against their CRD's schema with kube-apiserver v1.37.2's words (each
 * expected message was taken from the real kube-apiserver answering the same object; see
 * test/clients/python/test_custom_objects.py, which holds both clusters to it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCustomResource } from '@src/simulator/store/crd-validation';
import { invalid } from '@src/simulator/store/errors';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['gpus'],
      properties: {
        gpus: { type: 'integer', minimum: 0, maximum: 8 },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0 },
        image: { type: 'string', minLength: 1, maxLength: 10, pattern: '^[a-z:0-9]+$' },
        mode: { type: 'string', enum: ['a', 'b'] },
        args: { type: 'array', maxItems: 2, items: { type: 'string' } },
        flag: { type: 'boolean' },
        opt: { type: 'string', nullable: true },
        sub: { type: 'object', required: ['x'], properties: { x: { type: 'integer' } } },
        ios: { 'x-kubernetes-int-or-string': true },
      },
    },
  },
};

/** The 422 message kube-apiserver gives for `spec`. */
function message(spec: unknown): string | undefined {
  const obj = { apiVersion: 'ml.example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec };
  const errs = validateCustomResource(schema, obj);
  return errs.length === 0 ? undefined : invalid('ml.example.com', 'Thing', 't', errs).status.message;
}

const prefix = 'Thing.ml.example.com "t" is invalid: ';
const cases: [unknown, string | undefined][] = [
  [{ gpus: 1 }, undefined],
  [{ gpus: -1 }, 'spec.gpus: Invalid value: -1: spec.gpus in body should be greater than or equal to 0'],
  [{ gpus: 9 }, 'spec.gpus: Invalid value: 9: spec.gpus in body should be less than or equal to 8'],
  [{ gpus: 'two' }, 'spec.gpus: Invalid value: "string": spec.gpus in body must be of type integer: "string"'],
  [
    { gpus: 1.5 },
    '[spec.gpus: Invalid value: "number": spec.gpus in body must be of type integer: "number", <nil>: Invalid value: "": Checked value must be of type integer (default format) in spec.gpus]',
  ],
  [{}, 'spec.gpus: Required value'],
  [{ gpus: null }, 'spec.gpus: Required value'],
  [{ gpus: 1, ratio: 0 }, 'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0'],
  [{ gpus: 1, image: '' }, 'spec.image: Invalid value: "": spec.image in body should be at least 1 chars long'],
  [{ gpus: 1, image: 'ABCDEFGHIJKLMNOP' }, 'spec.image: Too long: may not be more than 10 bytes'],
  [{ gpus: 1, image: 'ABC' }, `spec.image: Invalid value: "ABC": spec.image in body should match '^[a-z:0-9]+$'`],
  [{ gpus: 1, mode: 'c' }, 'spec.mode: Unsupported value: "c": supported values: "a", "b"'],
  [{ gpus: 1, args: ['a', 'b', 'c'] }, 'spec.args: Too many: 3: must have at most 2 items'],
  [
    { gpus: 1, args: [1] },
    'spec.args[0]: Invalid value: "integer": spec.args[0] in body must be of type string: "integer"',
  ],
  [{ gpus: 1, flag: 'yes' }, 'spec.flag: Invalid value: "string": spec.flag in body must be of type boolean: "string"'],
  [{ gpus: 1, opt: null }, undefined],
  [{ gpus: 1, sub: {} }, 'spec.sub.x: Required value'],
  [{ gpus: 1, ios: '5%' }, undefined],
  [{ gpus: 1, ios: 5 }, undefined],
  [
    { gpus: 1, ios: true },
    'spec.ios: Invalid value: "boolean": spec.ios in body must be of type integer,string: "boolean"',
  ],
  ['notanobject', 'spec: Invalid value: "string": spec in body must be of type object: "string"'],
];

for (const [spec, want] of cases) {
  test(`spec ${JSON.stringify(spec)}: ${want ?? 'valid'}`, () => {
    assert.equal(message(spec), want === undefined ? undefined : prefix + want);
  });
}

test('a null in a non-nullable field is dropped; a nullable one keeps it', () => {
  const obj: Record<string, unknown> = {
    apiVersion: 'v',
    kind: 'Thing',
    metadata: {},
    spec: { gpus: 1, image: null, opt: null },
  };
  assert.deepEqual(validateCustomResource(schema, obj), []);
  assert.deepEqual(obj['spec'], { gpus: 1, opt: null });
});

test('no schema: nothing to check', () => {
  assert.deepEqual(validateCustomResource(undefined, { spec: { anything: -1 } }), []);
});
