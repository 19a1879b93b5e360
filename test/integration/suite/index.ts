/**
 * Runs the in-host mocha suite: every `*.test.js` next to this module (or under its `suite/` folder
 * when bundled into the top-level entry). Rejects when a test failed, as `@vscode/test-electron` expects.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) =>
      d.isDirectory() ? testFiles(path.join(dir, d.name)) : d.name.endsWith('.test.js') ? [path.join(dir, d.name)] : [],
    );
}

/** Runs the suite; `KF_TEST_GREP` selects tests by full title. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env['KF_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const root = path.basename(__dirname) === 'suite' ? __dirname : path.join(__dirname, 'suite');
  for (const f of testFiles(root).sort()) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
  });
}
