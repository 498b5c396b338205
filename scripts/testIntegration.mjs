// `npm run test:integration`: runs the mocha suite test/integration/*.test.ts inside the real
// extension host of code-server (VS Code 1.139), offline.
//
//   build dist/ -> compile the tests to out/test/integration/ -> provision if needed ->
//   start code-server on 127.0.0.1:$VPCFLOW_TEST_PORT (default 8765) with a throw-away profile ->
//   headless Chromium opens a temp copy of test/fixtures with extensionDevelopmentPath=<repo> and
//   extensionTestsPath=out/test/integration/index -> mocha's result is the exit code.
//
// Options: --no-build (reuse dist/), --grep <text> (only matching tests), --web (run the extension in the
// browser's web-worker extension host instead of the Node one). Env: VPCFLOW_TEST_PORT, VPCFLOW_TEST_TIMEOUT_MS
// (whole run, default 900000; a hang guard), VPCFLOW_TEST_WAIT_MS (one wait for a state inside a test, default
// 90000; also a hang guard), VPCFLOW_TEST_VERBOSE=1 (also print code-server's log). The tests wait for states, not
// for time, so these only decide how long a hung run takes to fail.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';
import {
  ROOT,
  build,
  copyToTemp,
  ensureProvisioned,
  launchChromium,
  startCodeServer,
  testPort,
  workbenchUrl,
} from './codeServer.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const verbose = Boolean(process.env.VPCFLOW_TEST_VERBOSE);
/** Workbench chatter forwarded with the test output; hidden unless VPCFLOW_TEST_VERBOSE is set. */
const NOISE =
  /ENOTFOUND|open-vsx|Creation of workbench contribution|authentication provider|Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace|Updating additional builtin|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|marketplace|telemetry/;
const OUT = path.join(ROOT, 'out', 'test', 'integration');

/** Compiles test/integration/*.ts into out/test/integration/*.js (CommonJS, vscode and mocha external). */
export async function compileIntegrationTests() {
  const dir = path.join(ROOT, 'test', 'integration');
  const entryPoints = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
  fs.rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(OUT, 'index');
}

async function main() {
  const t0 = Date.now();
  if (!argv.includes('--no-build')) build();
  const testsIndex = await compileIntegrationTests();
  ensureProvisioned();
  const workspace = copyToTemp(path.join(ROOT, 'test', 'fixtures'));
  const port = testPort(8765);
  const grep = opt('--grep');
  if (grep) process.env.VPCFLOW_TEST_GREP = grep; // the extension host inherits code-server's environment
  let server;
  let browser;
  let exitCode = 1;
  try {
    server = await startCodeServer({
      port,
      anyFreePort: true,
      folder: workspace,
      settings: { 'vpcFlow.autoDetect': true },
    });
    browser = await launchChromium();
    const { page } = browser;
    const done = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationLog', (type, args) => {
        const list = Array.isArray(args) ? args : [args];
        if (!verbose && NOISE.test(String(list[0]))) return;
        const fn = console[type] ?? console.log;
        fn(...list);
      });
      void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
      const ms = Number(process.env.VPCFLOW_TEST_TIMEOUT_MS ?? 900000);
      setTimeout(() => {
        console.error(`TIMEOUT: the extension host did not report a result within ${ms} ms`);
        resolve(124);
      }, ms).unref();
    });
    if (verbose) page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.goto(
      workbenchUrl(server, {
        folder: workspace,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: testsIndex,
        extensionKind: argv.includes('--web') ? 'web' : undefined,
      }),
    );
    exitCode = await done;
    if (exitCode !== 0 && exitCode !== 1) console.error(server.dumpLog());
    else if (verbose) console.error(server.dumpLog());
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    if (server) console.error(server.dumpLog());
    exitCode = 2;
  } finally {
    await browser?.close();
    await server?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  console.error(
    `[test:integration] ${exitCode === 0 ? 'passed' : `FAILED (exit ${exitCode})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  process.exit(exitCode);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
