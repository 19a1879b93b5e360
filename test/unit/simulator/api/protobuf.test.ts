/**
 * The protobuf body decoder against hand-encoded messages (field numbers from upstream generated.proto).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- decoded objects are wire JSON, asserted by field path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufBody } from '@src/simulator/api/protobuf';
import { StatusError } from '@src/simulator/store/errors';

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
const bytesField = (num: number, b: Buffer | string): Buffer => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([varint((num << 3) | 2), varint(buf.length), buf]);
};
const intField = (num: number, v: number): Buffer => Buffer.concat([varint(num << 3), varint(v)]);
const mapEntry = (num: number, k: string, v: string): Buffer =>
  bytesField(num, Buffer.concat([bytesField(1, k), bytesField(2, v)]));
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([
    Buffer.from('k8s\0'),
    bytesField(1, Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)])),
    bytesField(2, raw),
  ]);

test('decodes a Deployment: metadata, pointer ints, maps, nested messages and repeated fields', () => {
  const meta = Buffer.concat([bytesField(1, 'web'), mapEntry(11, 'app', 'web'), bytesField(8, Buffer.alloc(0))]);
  const container = Buffer.concat([
    bytesField(1, 'nginx'),
    bytesField(2, 'nginx:1'),
    bytesField(6, intField(3, 80)),
    bytesField(3, 'sh'),
    bytesField(3, '-c'),
    bytesField(5, ''),
  ]);
  const podSpec = Buffer.concat([bytesField(2, container), bytesField(3, '')]);
  const template = Buffer.concat([bytesField(1, mapEntry(11, 'app', 'web')), bytesField(2, podSpec)]);
  const spec = Buffer.concat([intField(1, 0), bytesField(2, mapEntry(1, 'app', 'web')), bytesField(3, template)]);
  const obj = decodeProtobufBody(
    envelope('apps/v1', 'Deployment', Buffer.concat([bytesField(1, meta), bytesField(2, spec)])),
  );
  assert.deepEqual(obj, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1', ports: [{ containerPort: 80 }], command: ['sh', '-c'] }],
        },
      },
    },
  });
});

test('bytes map values become base64 and IntOrString/Quantity become JSON scalars', () => {
  const secret = decodeProtobufBody(
    envelope(
      'v1',
      'Secret',
      Buffer.concat([bytesField(1, bytesField(1, 's')), mapEntry(2, 'pw', 'hi'), bytesField(3, 'Opaque')]),
    ),
  );
  assert.deepEqual(secret['data'], { pw: Buffer.from('hi').toString('base64') });
  const port = Buffer.concat([
    bytesField(1, 'http'),
    intField(3, 80),
    bytesField(4, Buffer.concat([intField(1, 1), bytesField(3, 'web')])),
  ]);
  const svc = decodeProtobufBody(
    envelope('v1', 'Service', Buffer.concat([bytesField(1, bytesField(1, 's')), bytesField(2, bytesField(1, port))])),
  );
  assert.deepEqual((svc['spec'] as any).ports, [{ name: 'http', port: 80, targetPort: 'web' }]);
  const quota = decodeProtobufBody(
    envelope(
      'v1',
      'ResourceQuota',
      Buffer.concat([
        bytesField(1, bytesField(1, 'q')),
        bytesField(2, bytesField(1, Buffer.concat([bytesField(1, 'cpu'), bytesField(2, bytesField(1, '4'))]))),
      ]),
    ),
  );
  assert.deepEqual((quota['spec'] as any).hard, { cpu: '4' });
});

test('unknown kinds are 415, malformed bytes are 400', () => {
  const code = (b: Buffer): number => {
    try {
      decodeProtobufBody(b);
    } catch (e) {
      if (e instanceof StatusError) return e.code;
      throw e;
    }
    return 0;
  };
  assert.equal(code(envelope('example.com/v1', 'Widget', Buffer.alloc(0))), 415);
  assert.equal(code(Buffer.from('nope')), 400);
  assert.equal(code(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x7f])])), 400);
});
