/**
 * A memory probe to preload into the server under fuzzing (diagnosis only, never in the product):
 *
 *   LSP_FUZZ_NODE_ARGS="-r ./test/lsp-fuzz/memory-probe.cjs --expose-gc" MEMORY_PROBE_OUT=FILE npm run fuzz:lsp -- ...
 *   kill -USR2 <server pid>
 *
 * On SIGUSR2 it notes RSS, runs two full collections when `gc` is exposed, and appends one JSON line
 * to MEMORY_PROBE_OUT: RSS before and after, process.memoryUsage() and the V8 heap spaces (MB). With
 * MEMORY_PROBE_SNAPSHOT=PREFIX it also writes a heap snapshot (slow, and it inflates RSS for good:
 * never measure RSS in a run that takes them; pass a large --hang-ms).
 */
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');

const mb = (n) => Math.round(n / 1e5) / 10;
process.on('SIGUSR2', () => {
  const rssBefore = process.memoryUsage().rss;
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: mb(s.space_size), used: mb(s.space_used_size) }]),
  );
  const line = {
    time: new Date().toISOString(),
    rssBefore: mb(rssBefore),
    rss: mb(m.rss),
    heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    spaces,
  };
  fs.appendFileSync(process.env.MEMORY_PROBE_OUT ?? 'memory-probe.jsonl', `${JSON.stringify(line)}\n`);
  const prefix = process.env.MEMORY_PROBE_SNAPSHOT;
  if (prefix !== undefined) v8.writeHeapSnapshot(`${prefix}-${Date.now()}.heapsnapshot`);
});
