// The standard extension-tests entry point: the extension host (code-server through
// scripts/testIntegration.mjs, or desktop VS Code through @vscode/test-electron) loads this
// compiled module and awaits run(). It runs every compiled *.test.js beside it with mocha (BDD).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // A hang guard per test, not a synchronisation: tests wait for states, and a loaded machine is slow.
    timeout: Number(process.env.VPCFLOW_TEST_TIMEOUT_MS ?? 120000),
    reporter: 'spec',
  });
  const grep = process.env.VPCFLOW_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
