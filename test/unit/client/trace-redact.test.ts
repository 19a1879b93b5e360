/** The protocol trace keeps no document text and no revealed Secret value (issue 13, item 5). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactTrace } from '@src/client/util/trace-redact';

const SECRET = 'kfleakAbCdEfGhIjKlMnOpQr';

test('a Reveal answer is traced as its length, not its value; a refusal says so', () => {
  const ok = redactTrace(
    `[Trace - 20:00:00] Received response 'kube/resourceText - (7)' in 2ms.\nResult: {\n    "ok": true,\n    "value": "${SECRET}"\n}`,
  );
  assert.ok(!ok.includes(SECRET), ok);
  assert.match(
    ok,
    /^\[Trace - 20:00:00\] Received response 'kube\/resourceText - \(7\)' in 2ms\.\nResult: <not traced: a text of \d+ characters/,
  );
  const no = redactTrace(
    `Received response 'kube/resourceText - (8)' in 1ms.\nResult: {\n    "ok": false,\n    "reason": "x"\n}`,
  );
  assert.match(no, /a refusal/);
  // The request itself (node id and view) stays traced.
  const req = `Sending request 'kube/resourceText - (7)'.\nParams: {\n    "nodeId": "ns/a/secrets/b/key/c",\n    "view": "secretValue"\n}`;
  assert.equal(redactTrace(req), req);
});

test('document text in didOpen and didChange is traced as its length, escapes included', () => {
  const text = `apiVersion: v1\\nkind: Secret\\ndata:\\n  k: \\"${Buffer.from(SECRET).toString('base64')}\\"\\n`;
  const open = redactTrace(
    `Sending notification 'textDocument/didOpen'.\nParams: {\n    "textDocument": {\n        "uri": "file:///s.yaml",\n        "languageId": "yaml",\n        "version": 1,\n        "text": "${text}"\n    }\n}`,
  );
  assert.ok(!open.includes(Buffer.from(SECRET).toString('base64')), open);
  assert.match(open, /"text": "<document text not traced: \d+ characters>"/);
  assert.match(open, /"uri": "file:\/\/\/s.yaml"/);
  const change = redactTrace(
    `Sending notification 'textDocument/didChange'.\nParams: {\n    "contentChanges": [\n        {\n            "range": {},\n            "text": "${SECRET}"\n        },\n        {\n            "text": "b"\n        }\n    ]\n}`,
  );
  assert.ok(!change.includes(SECRET), change);
  assert.equal(change.match(/not traced/g)?.length, 2);
});

test('lines without data, and other messages, are unchanged', () => {
  assert.equal(redactTrace("Sending request 'kube/treeChildren - (3)'."), "Sending request 'kube/treeChildren - (3)'.");
  const other = `Received response 'kube/treeChildren - (3)' in 1ms.\nResult: [\n    {\n        "id": "x"\n    }\n]`;
  assert.equal(redactTrace(other), other);
});

test('the JSON trace format loses document text and revealed values too', () => {
  const b64 = Buffer.from(SECRET).toString('base64');
  const open = redactTrace(
    JSON.stringify({
      isLSPMessage: true,
      type: 'send-notification',
      message: {
        method: 'textDocument/didOpen',
        params: { textDocument: { uri: 'file:///s.yaml', text: `data:\n  k: "${b64}"\n` } },
      },
    }),
  );
  assert.ok(!open.includes(b64), open);
  assert.match(open, /file:\/\/\/s\.yaml/);
  const answer = redactTrace(
    JSON.stringify({
      isLSPMessage: true,
      type: 'receive-response',
      message: { id: 7, result: { ok: true, value: SECRET } },
    }),
  );
  assert.ok(!answer.includes(SECRET), answer);
  assert.match(answer, /"id":7/);
});
