/**
 * Replays the cases on which the model once disagreed with the real kube-scheduler v1.37.2
 * (test/fixtures/scheduler-oracle, recorded with the real scheduler's answer by
 * `npm run fuzz:scheduler -- --record-regressions`): the model must now give exactly that answer.
 * Runs without Go; the live comparison is `npm run fuzz:scheduler`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { modelAnswer, type Answer, type Scenario } from '@src/scheduler/conformance/answer';
import { diffAnswers } from '@src/scheduler/conformance/diff';

const DIR = path.resolve(__dirname, '../../../fixtures/scheduler-oracle');
const files = fs.existsSync(DIR)
  ? fs
      .readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

test('the recorded regression cases are there (a replay of zero cases proves nothing)', () => {
  assert.ok(fs.existsSync(DIR), `${DIR} is missing: the regression cases of npm run fuzz:scheduler live there`);
  assert.ok(files.length >= 10, `only ${files.length} fixtures in ${DIR}`);
});

for (const f of files) {
  const fixture = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as {
    name: string;
    why: string;
    scenario: Scenario;
    real: Answer;
  };
  test(`${fixture.name}: ${fixture.why}`, () => {
    const model = modelAnswer(fixture.scenario, { kubernetesVersion: 'v1.37.2' });
    assert.deepEqual(diffAnswers(model, fixture.real), []);
  });
}
