/**
 * HTTP edges real clients hit: `pods/log` with the Accept headers clients send, and request bodies
 * framed with `Transfer-Encoding: chunked` (also together with Content-Length, which Go's net/http
 * accepts) on every verb, within the body size limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { bindPod } from '@src/simulator/api/binding';
import type { Simulator } from '@src/simulator/api/server';
import { call, pod, withSim } from '@test/unit/simulator/helpers';

test('pods/log answers text/plain, */* and application/json; other types are 406', async () => {
  await withSim({}, async (sim) => {
    const base = '/api/v1/namespaces/default/pods';
    assert.equal((await call(sim, 'POST', base, { body: pod('p') })).status, 201);
    assert.equal((await call(sim, 'POST', '/api/v1/nodes', { body: { metadata: { name: 'n1' } } })).status, 201);
    bindPod(sim.store, 'default', 'p', 'n1');
    sim.store.mutate(
      { group: '', resource: 'pods' },
      'default',
      'p',
      (d) => {
        d['status'] = { phase: 'Running' };
      },
      { subresource: 'status' },
    );
    for (const accept of ['text/plain', '*/*', 'application/json', 'text/plain, */*']) {
      const r = await call(sim, 'GET', `${base}/p/log`, { headers: { Accept: accept } });
      assert.equal(r.status, 200, `${accept}: ${r.text}`);
      assert.match(String(r.headers['content-type']), /^text\/plain/, accept);
      assert.match(r.text, /running on node n1/, accept);
    }
    const bad = await call(sim, 'GET', `${base}/p/log`, { headers: { Accept: 'image/png' } });
    assert.equal(bad.status, 406);
    const plainGet = await call(sim, 'GET', `${base}/p`, { headers: { Accept: 'text/plain' } });
    assert.equal(plainGet.status, 406, 'text/plain stays unacceptable for objects');
  });
});

/** Sends one raw HTTP/1.1 request whose body is chunked (in pieces); returns status and body. */
function rawChunked(
  sim: Simulator,
  method: string,
  path: string,
  pieces: string[],
  extraHeaders = '',
  ctype = 'application/json',
): Promise<{ status: number; body: string }> {
  const u = new URL(sim.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), '127.0.0.1', () => {
      s.write(
        `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${sim.adminToken}\r\n` +
          `Content-Type: ${ctype}\r\nAccept: application/json\r\n${extraHeaders}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
      );
      for (const p of pieces) s.write(`${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`);
      s.write('0\r\n\r\n');
    });
    let out = '';
    s.on('data', (d) => (out += String(d)));
    s.on('error', reject);
    s.on('end', () => {
      const status = Number(out.split(' ')[1]);
      resolve({ status, body: out.slice(out.indexOf('\r\n\r\n') + 4) });
    });
  });
}

test('chunked request bodies work on every verb, with or without Content-Length', async () => {
  await withSim({}, async (sim) => {
    const base = '/api/v1/namespaces/default/configmaps';
    const cm = (name: string, v: string): string =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: v } });
    const post = await rawChunked(sim, 'POST', base, [cm('a', '1').slice(0, 10), cm('a', '1').slice(10)]);
    assert.equal(post.status, 201, post.body);
    const put = await rawChunked(sim, 'PUT', `${base}/a`, [cm('a', '2')]);
    assert.equal(put.status, 200, put.body);
    const patch = await rawChunked(
      sim,
      'PATCH',
      `${base}/a`,
      ['{"data":', '{"k":"3"}}'],
      '',
      'application/merge-patch+json',
    );
    assert.equal(patch.status, 200, patch.body);
    assert.equal(JSON.parse(patch.body).data.k, '3');
    const delBody = '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}';
    // Content-Length beside chunked framing: the chunked framing wins, as in Go's net/http.
    const del = await rawChunked(
      sim,
      'DELETE',
      `${base}/a`,
      [delBody.slice(0, 20), delBody.slice(20)],
      `Content-Length: ${delBody.length}\r\n`,
    );
    assert.equal(del.status, 200, del.body);
    assert.equal(JSON.parse(del.body).status, 'Success');
    assert.equal((await call(sim, 'GET', `${base}/a`)).status, 404);
    assert.equal((await rawChunked(sim, 'POST', base, [cm('b', '1')])).status, 201);
    const delColl = await rawChunked(sim, 'DELETE', base, ['{"propagationPolicy":"Background"}']);
    assert.equal(delColl.status, 200, delColl.body);
    assert.equal((await call(sim, 'GET', base)).json.items.length, 0);
    const badOpts = await rawChunked(sim, 'DELETE', `${base}/x`, ['{"propagationPolicy":"Sideways"}']);
    assert.equal(badOpts.status, 422, 'a bad DeleteOptions body is read and rejected with an Invalid Status');
    assert.match(badOpts.body, /propagationPolicy/);
  });
});

test('a chunked body over the size limit is 413 even when Content-Length claims less', async () => {
  await withSim({ maxBodyBytes: 1024 }, async (sim) => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { k: 'x'.repeat(2000) } });
    const r = await rawChunked(
      sim,
      'POST',
      '/api/v1/namespaces/default/configmaps',
      [big.slice(0, 500), big.slice(500)],
      'Content-Length: 10\r\n',
    );
    assert.equal(r.status, 413, r.body);
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/big')).status, 404);
  });
});
