#!/usr/bin/env node
// Runs every test/unit/**/*.test.ts with node's built-in test runner through tsx.
// Usage: node scripts/run-unit-tests.mjs [--cluster-tests] [path-filter ...]
//   --cluster-tests  only the *.cluster.test.ts files (the tests that talk to a cluster, which
//                    `npm test` runs a second time with KF_TEST_CLUSTER=real; test/clusters/) and the
//                    *.real.test.ts files (tests of the real control plane itself), which run only here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const clusterOnly = args.includes('--cluster-tests');
const filters = args.filter((a) => a !== '--cluster-tests');
const files = walk('test/unit', [])
  .filter((f) => (clusterOnly ? /\.(cluster|real)\.test\.ts$/.test(f) : !f.endsWith('.real.test.ts')))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no unit test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
