// `npm run test:electron`: the same integration suite (test/integration/*.test.ts) under desktop VS Code
// through @vscode/test-electron, for people with a desktop and internet access (it downloads VS Code into
// .vscode-test/ on first use; it cannot run offline, use `npm run test:integration` there).
// Env: VSCODE_TEST_VERSION (default: stable), VPCFLOW_TEST_GREP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT, build, copyToTemp } from './codeServer.mjs';
import { compileIntegrationTests } from './testIntegration.mjs';

build();
const extensionTestsPath = await compileIntegrationTests();
const workspace = copyToTemp(path.join(ROOT, 'test', 'fixtures'));
let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? 'stable',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    extensionTestsEnv: process.env.VPCFLOW_TEST_GREP ? { VPCFLOW_TEST_GREP: process.env.VPCFLOW_TEST_GREP } : undefined,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
} catch (err) {
  console.error(`[test:electron] failed: ${err instanceof Error ? err.message : String(err)}`);
  code = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
