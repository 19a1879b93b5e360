/**
 * The front door of the conformance tooling (the model's second and last entry point, beside
 * src/scheduler/index.ts): answers upstream's own scheduler assertions and fuzz scenarios with the
 * model, for `scripts/conformance.ts` and the scheduler oracle (test/scheduler-oracle). Kept apart from
 * the model's front door so that the language server and the simulated cluster never bundle it; the
 * model never imports it.
 *
 * Contract: `runScenario` checks one corpus scenario and never throws; `modelAnswer` is the model's
 * answer in the oracle's shape; `diffAnswers` lists where the model and the real scheduler disagree.
 */
export { modelAnswer, type Answer, type Scenario } from './answer';
export { diffAnswers } from './diff';
export { runScenario, type ScenarioResult } from './runner';
