/**
 * Runs every plugin-level scenario of /work/shared/conformance/PodTopologySpread and
 * /work/shared/conformance/InterPodAffinity through the two plugins (full-profile scenarios need
 * the whole framework and are run by `npm run conformance`).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFORMANCE_DIR, loadScenarios, runPluginScenario } from './plugin-harness';

for (const dir of ['PodTopologySpread', 'InterPodAffinity']) {
  describe(`conformance ${dir}`, () => {
    for (const file of readdirSync(`${CONFORMANCE_DIR}/${dir}`).sort()) {
      if (!file.endsWith('.json') || file.startsWith('integration-')) continue;
      describe(file, () => {
        for (const s of loadScenarios(`${CONFORMANCE_DIR}/${dir}/${file}`)) {
          it(s.source?.case ?? s.id, () => {
            assert.deepEqual(runPluginScenario(s), [], s.id);
          });
        }
      });
    }
  });
}
