/** The suite's entry module for the harness (`out/test/integration/index.js`); see README.md. */
export { run } from './suite/index';
