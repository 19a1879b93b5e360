/**
 * DeleteOptions sent as protobuf (client-go does when it talks protobuf: helm uninstall deletes its
 * release Secrets so) decode like their JSON: an empty body, and pointer fields whose zero value means
 * something (gracePeriodSeconds 0, orphanDependents false).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufBody } from '@src/simulator/api/protobuf';

/** The k8s protobuf envelope (magic, TypeMeta v1/DeleteOptions, raw) around `raw`. */
function envelope(raw: Buffer): Buffer {
  const str = (field: number, s: string): Buffer =>
    Buffer.concat([Buffer.from([(field << 3) | 2, s.length]), Buffer.from(s)]);
  const typeMeta = Buffer.concat([str(1, 'v1'), str(2, 'DeleteOptions')]);
  return Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    Buffer.from([0x0a, typeMeta.length]),
    typeMeta,
    Buffer.from([0x12, raw.length]),
    raw,
    Buffer.from([0x1a, 0x00, 0x22, 0x00]),
  ]);
}

test("helm uninstall's empty DeleteOptions", () => {
  // The first bytes helm v4.3.2 sent, as the simulator's error quoted them.
  const body = envelope(Buffer.alloc(0));
  assert.equal(body.subarray(0, 30).toString('hex'), '6b3873000a130a027631120d44656c6574654f7074696f6e7312001a0022');
  assert.deepEqual(decodeProtobufBody(body, 'DeleteOptions'), { apiVersion: 'v1', kind: 'DeleteOptions' });
});

test('gracePeriodSeconds 0, orphanDependents false, a policy, preconditions and dryRun survive', () => {
  const raw = Buffer.concat([
    Buffer.from([0x08, 0x00]), // gracePeriodSeconds: 0
    Buffer.from([0x12, 0x05, 0x0a, 0x03]),
    Buffer.from('abc'), // preconditions.uid
    Buffer.from([0x18, 0x00]), // orphanDependents: false
    Buffer.from([0x22, 0x0a]),
    Buffer.from('Foreground'),
    Buffer.from([0x2a, 0x03]),
    Buffer.from('All'),
  ]);
  assert.deepEqual(decodeProtobufBody(envelope(raw), 'DeleteOptions'), {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 0,
    preconditions: { uid: 'abc' },
    orphanDependents: false,
    propagationPolicy: 'Foreground',
    dryRun: ['All'],
  });
});
