// `npm run test:integration`: runs the mocha suite test/integration/*.test.ts inside the real
// extension host of code-server (VS Code 1.139), offline.
//
//   build dist/ -> compile the tests to out/test/integration/ -> provision if needed ->
//   start code-server on 127.0.0.1:$VPCFLOW_TEST_PORT (default 8765) with a throw-away profile ->
//   headless Chromium opens a temp copy of test/fixtures with extensionDevelopmentPath=<repo> and
//   extensionTestsPath=out/test/integration/index -> mocha's result is the exit code.
//
// Options: --no-build (reuse dist/), --grep <text> (only matching tests), --web (run the extension, its `browser`
// bundle, in the browser's web-worker extension host instead of the Node one, through the user setting
// WEB_HOST_SETTINGS; the suites that need no Node built-in run there too, compiled as one browser bundle). A full
// default run also checks that the "VPC Flow" log says "activated (node extension host)".
// Env: VPCFLOW_TEST_PORT, VPCFLOW_TEST_TIMEOUT_MS (whole run, default 900000; a hang guard), VPCFLOW_TEST_WAIT_MS
// (one wait for a state inside a test, default 90000; also a hang guard), VPCFLOW_TEST_VERBOSE=1 (also print
// code-server's log). The tests wait for states, not for time, so these only decide how long a hung run takes to fail.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';
import {
  EXTENSION_ID,
  ROOT,
  WEB_HOST_SETTINGS,
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
/** The --web bundle has its own folder, so a web and a default run can go at the same time. */
const OUT_WEB = path.join(ROOT, 'out', 'test', 'integration-web');

/** Compiles test/integration/*.ts into out/test/integration/*.js (CommonJS, vscode and mocha external). */
export async function compileIntegrationTests({ web = false } = {}) {
  const dir = path.join(ROOT, 'test', 'integration');
  const entryPoints = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
  if (web) return compileWebIntegrationTests(dir);
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

/**
 * node:assert/strict for the web-worker extension host (no Node built-ins there): the assertions the suites use,
 * with the same strict semantics for what they compare (primitives, arrays, plain objects).
 */
const WEB_ASSERT = `
class AssertionError extends Error {}
const fail = (message, fallback) => { throw message instanceof Error ? message : new AssertionError(message ?? fallback); };
const show = (v) => { try { return JSON.stringify(v); } catch { return String(v); } };
const deep = (a, b) => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Map || a instanceof Set) return deep([...a], [...b]);
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deep(a[k], b[k]));
};
export function ok(v, message) { if (!v) fail(message, 'expected a truthy value, got ' + show(v)); }
export function equal(a, b, message) { if (!Object.is(a, b)) fail(message, show(a) + ' !== ' + show(b)); }
export function notEqual(a, b, message) { if (Object.is(a, b)) fail(message, show(a) + ' === ' + show(b)); }
export function deepEqual(a, b, message) { if (!deep(a, b)) fail(message, show(a) + ' is not deeply equal to ' + show(b)); }
export function notDeepEqual(a, b, message) { if (deep(a, b)) fail(message, show(a) + ' is deeply equal to ' + show(b)); }
export function match(s, re, message) { if (!re.test(s)) fail(message, show(s) + ' does not match ' + re); }
export function doesNotMatch(s, re, message) { if (re.test(s)) fail(message, show(s) + ' matches ' + re); }
export async function rejects(p, message) {
  try { await (typeof p === 'function' ? p() : p); } catch { return; }
  fail(typeof message === 'string' ? message : undefined, 'expected a rejection');
}
export function throws(f, message) {
  try { f(); } catch { return; }
  fail(typeof message === 'string' ? message : undefined, 'expected an exception');
}
export { equal as strictEqual, deepEqual as deepStrictEqual, notEqual as notStrictEqual, AssertionError };
export default ok;
`;

/**
 * The suite for the web-worker extension host (`--web`): one browser bundle, out/test/integration/index.js, with
 * mocha's browser build and every test file that needs no Node built-in other than node:assert (the rest, e.g. the
 * dashboard suite that gzips through node:zlib, test the Node host only and are named on the console).
 */
async function compileWebIntegrationTests(dir) {
  const tests = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
  const nodeOnly = tests.filter((f) =>
    /from 'node:(?!assert\/strict')|from '[^']*(nodeHost|\/cli\/)/.test(fs.readFileSync(path.join(dir, f), 'utf8')),
  );
  if (nodeOnly.length)
    console.error(`[test:integration] --web: not in the web host (Node-only): ${nodeOnly.join(', ')}`);
  fs.rmSync(OUT_WEB, { recursive: true, force: true });
  const contents = `
import 'mocha/mocha.js';
export function run() {
  const mocha = globalThis.mocha;
  // The suites run in the extension host of the extension under test: a web worker, or this mode proves nothing.
  if (typeof WorkerGlobalScope === 'undefined') return Promise.reject(new Error('--web: not in the web-worker extension host'));
  mocha.setup({ ui: 'bdd', reporter: 'spec', color: false, timeout: ${Number(process.env.VPCFLOW_TEST_TIMEOUT_MS ?? 120000)} });
  ${process.env.VPCFLOW_TEST_GREP ? `mocha.grep(${JSON.stringify(process.env.VPCFLOW_TEST_GREP)});` : ''}
  ${tests
    .filter((f) => !nodeOnly.includes(f))
    .map((f) => `require(${JSON.stringify(`./${f}`)});`)
    .join('\n  ')}
  return new Promise((resolve, reject) =>
    mocha.run((failures) => (failures > 0 ? reject(new Error(failures + ' integration test(s) failed')) : resolve())),
  );
}`;
  await esbuild.build({
    stdin: { contents, resolveDir: dir, sourcefile: 'index.web.js', loader: 'js' },
    outfile: path.join(OUT_WEB, 'index.js'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    sourcemap: 'inline',
    external: ['vscode'],
    define: {
      'process.env.VPCFLOW_TEST_WAIT_MS': JSON.stringify(process.env.VPCFLOW_TEST_WAIT_MS ?? '90000'),
    },
    plugins: [
      {
        name: 'web-assert',
        setup(b) {
          b.onResolve({ filter: /^node:assert(\/strict)?$/ }, () => ({ path: 'assert', namespace: 'web-assert' }));
          b.onLoad({ filter: /.*/, namespace: 'web-assert' }, () => ({ contents: WEB_ASSERT, loader: 'js' }));
          // mocha's browser build is a UMD script: hide the bundle's module/exports from it, or it replaces this
          // module's exports (run) with itself; it then sets globalThis.mocha.
          b.onLoad({ filter: /[\\/]mocha[\\/]mocha\.js$/ }, (args) => ({
            contents: `(function (exports, module, define) {\n${fs.readFileSync(args.path, 'utf8')}\n}).call(globalThis);`,
            loader: 'js',
          }));
        },
      },
    ],
    logLevel: 'warning',
  });
  return path.join(OUT_WEB, 'index');
}

/**
 * Whether the extension's "VPC Flow" log (written by the Node extension host under the profile's logs/) says it
 * activated there: the Node entry, not the browser bundle, is what the default run tests.
 */
export function nodeHostLogged(server) {
  const logs = path.join(server.userDataDir, 'logs');
  const files = fs.existsSync(logs)
    ? fs
        .readdirSync(logs)
        .flatMap((session) =>
          fs.existsSync(path.join(logs, session))
            ? fs
                .readdirSync(path.join(logs, session))
                .map((host) => path.join(logs, session, host, EXTENSION_ID, 'VPC Flow.log'))
            : [],
        )
        .filter((f) => fs.existsSync(f))
    : [];
  if (files.some((f) => fs.readFileSync(f, 'utf8').includes('activated (node extension host)'))) return true;
  console.error(
    `[test:integration] the "VPC Flow" log does not say "activated (node extension host)" (${files.length ? files.join(', ') : 'no log under ' + logs})`,
  );
  return false;
}

async function main() {
  const t0 = Date.now();
  if (!argv.includes('--no-build')) build();
  const web = argv.includes('--web');
  const grep = opt('--grep');
  // The Node extension host inherits code-server's environment; the web suite is compiled with it.
  if (grep) process.env.VPCFLOW_TEST_GREP = grep;
  const testsIndex = await compileIntegrationTests({ web });
  ensureProvisioned();
  const workspace = copyToTemp(path.join(ROOT, 'test', 'fixtures'));
  const port = testPort(8765);
  let server;
  let browser;
  let exitCode = 1;
  try {
    server = await startCodeServer({
      port,
      anyFreePort: true,
      folder: workspace,
      // code-server ignores the extensionDevelopmentKind=web payload: this setting is what puts the extension in
      // the browser's web-worker extension host (the suites then load there too, as the browser bundle above).
      settings: { 'vpcFlow.autoDetect': true, ...(web ? WEB_HOST_SETTINGS : {}) },
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
        extensionKind: web ? 'web' : undefined,
      }),
      // A hang guard, not playwright's 30 s default: a loaded machine serves the workbench page slowly.
      { timeout: 180000 },
    );
    exitCode = await done;
    if (exitCode === 0 && !web && !grep && !nodeHostLogged(server)) exitCode = 1;
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
