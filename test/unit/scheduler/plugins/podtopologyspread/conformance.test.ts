/**
 * Runs every plugin-level scenario of /work/shared/conformance/PodTopologySpread and
 * /work/shared/conformance/InterPodAffinity through the conformance runner (full-profile
 * scenarios need every default plugin and are run by `npm run conformance`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runScenario, type Scenario } from '../../../../../src/scheduler/conformance/runner';

const CONFORMANCE_DIR = '/work/shared/conformance';

function loadScenarios(file: string): Scenario[] {
  return JSON.parse(readFileSync(file, 'utf8')) as Scenario[];
}

for (const dir of ['PodTopologySpread', 'InterPodAffinity']) {
  describe(`conformance ${dir}`, () => {
    for (const file of readdirSync(`${CONFORMANCE_DIR}/${dir}`).sort()) {
      if (!file.endsWith('.json') || file.startsWith('integration-')) continue;
      describe(file, () => {
        for (const s of loadScenarios(`${CONFORMANCE_DIR}/${dir}/${file}`)) {
          it(s.source?.case ?? s.id, () => {
            assert.deepEqual(runScenario(s).failures, [], s.id);
          });
        }
      });
    }
  });
}
