// Shared plumbing for everything that needs a real VS Code offline: the integration runner
// (scripts/testIntegration.mjs), the UI test library (scripts/workbench.ts) and `npm start` (scripts/start.mjs).
//
// code-server 4.139.1 (= VS Code 1.139.1 workbench + Node extension host) and Node 24 live in
// .vscode-test/ (installed by scripts/provision.sh); Chromium is Debian's /usr/bin/chromium driven by
// playwright-core. code-server runs in its own process group (detached = setsid) with a throw-away
// profile, and is killed as a group on stop(), on normal exit, on Ctrl-C and on failures.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS_DIR = process.env.VPCFLOW_TOOLS_DIR
  ? path.resolve(process.env.VPCFLOW_TOOLS_DIR)
  : path.join(ROOT, '.vscode-test');
export const CODE_SERVER = path.join(TOOLS_DIR, 'cs', 'bin', 'code-server');
export const NODE24_BIN = path.join(TOOLS_DIR, 'node24', 'node_modules', 'node', 'bin');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_ID = 'vpcflow.vpc-flow-explorer';

/**
 * User setting that makes code-server run this extension in the browser's web-worker extension host (the `browser`
 * bundle, as on vscode.dev). code-server ignores the `extensionDevelopmentKind=web` payload and would run the
 * development extension in its Node extension host (its log says "activated (node extension host)"), so a browser
 * bundle that throws would go unnoticed by a web test without it.
 */
export const WEB_HOST_SETTINGS = { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } };

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings of every throw-away profile: quiet, deterministic workbench. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  // The web workbench saves edited files after 1 s by default (desktop VS Code does not): a test that edits a
  // fixture and reverts it would find the edit saved to disk whenever the machine is slow enough to take more
  // than a second between the two (seen as "8 flows" in every later suite).
  'files.autoSave': 'off',
};

const log = (...a) => console.error('[code-server]', ...a);

/** Default port of a runner: env VPCFLOW_TEST_PORT wins, then the given default. */
export function testPort(fallback) {
  const p = Number(process.env.VPCFLOW_TEST_PORT ?? fallback);
  if (!Number.isInteger(p) || p <= 0 || p > 65535) throw new Error(`invalid port: ${process.env.VPCFLOW_TEST_PORT}`);
  return p;
}

export function isProvisioned() {
  return fs.existsSync(CODE_SERVER) && fs.existsSync(path.join(NODE24_BIN, 'node')) && fs.existsSync(CHROMIUM);
}

/** Runs scripts/provision.sh when code-server, Node 24 or Chromium is missing. */
export function ensureProvisioned() {
  if (isProvisioned()) return;
  log(`tools missing in ${TOOLS_DIR}: running scripts/provision.sh`);
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'provision.sh')], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error(`scripts/provision.sh failed (exit ${r.status ?? r.signal})`);
  if (!isProvisioned())
    throw new Error(`provisioning finished but ${CODE_SERVER}, Node 24 or ${CHROMIUM} is still missing`);
}

/** Builds dist/ with esbuild (the project's esbuild.mjs). */
export function build({ production = false } = {}) {
  const args = [path.join(ROOT, 'esbuild.mjs'), ...(production ? ['--production'] : [])];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('build failed (node esbuild.mjs)');
}

// ---- process-group bookkeeping: nothing outlives the runner ----
/** Running code-server process groups -> the temp profile dir to remove (or null). */
const groups = new Map();
/** Temp folders (workspace copies, browser profiles) removed on exit, also after Ctrl-C. */
const tempDirs = new Set();
let hooksInstalled = false;
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const [pid, dir] of groups) {
      killGroup(pid, 'SIGKILL');
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      for (const pid of groups.keys()) killGroup(pid, 'SIGTERM');
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** A port the OS reports free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server on 127.0.0.1:port with a fresh profile in a temp dir.
 * @param {object} o
 * @param {number} o.port
 * @param {boolean} [o.anyFreePort] when `port` is busy, use a free one instead of failing (test runners)
 * @param {string} [o.folder] workspace folder opened by default
 * @param {Record<string, unknown>} [o.settings] extra user settings (merged over BASE_SETTINGS)
 * @param {string[]} [o.installExtensions] .vsix files (or ids) to install with --install-extension before start
 * @param {string[]} [o.copyExtensions] built extension folders to install by copying their shipped files
 * @param {boolean} [o.smokeTestDriver=true] enables the ?payload= (extensionDevelopmentPath/extensionTestsPath)
 * @param {boolean} [o.quiet=true] log to a file (printed by dumpLog) instead of the terminal
 * @param {string} [o.runDir] profile dir to use (default: a new temp dir, removed on stop)
 */
export async function startCodeServer(o) {
  ensureProvisioned();
  installExitHooks();
  let port = o.port;
  if (await portAnswers(port)) {
    if (!o.anyFreePort) {
      throw new Error(
        `port ${port} on 127.0.0.1 is already in use; pick another with VPCFLOW_TEST_PORT=<port> (or PORT for npm start)`,
      );
    }
    const busy = port;
    port = await freePort();
    console.error(`[code-server] port ${busy} is busy (another test run?): using ${port}`);
  }
  const ownRunDir = !o.runDir;
  const runDir = o.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vpcflow-cs-'));
  const userDataDir = path.join(runDir, 'ud');
  const extensionsDir = path.join(runDir, 'ext');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...(o.settings ?? {}) }, null, 2),
  );
  const env = {
    ...process.env,
    PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(runDir, 'cfg'),
    XDG_DATA_HOME: path.join(runDir, 'data'),
  };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  for (const ext of o.installExtensions ?? []) {
    const r = spawnSync(CODE_SERVER, [...common, '--install-extension', ext, '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120000,
    });
    if (r.status !== 0) {
      if (ownRunDir) fs.rmSync(runDir, { recursive: true, force: true });
      throw new Error(
        `code-server --install-extension ${ext} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
      );
    }
  }
  for (const dir of o.copyExtensions ?? []) {
    // Installs a built extension folder by copying its shipped files (the extension scanner skips
    // symlinks), as a .vsix would: manifest, dist/, syntaxes/, media/ and docs.
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const target = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    fs.mkdirSync(target, { recursive: true });
    for (const entry of [
      'package.json',
      'dist',
      'syntaxes',
      'media',
      'language-configuration.json',
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
    ]) {
      const from = path.join(dir, entry);
      if (fs.existsSync(from))
        fs.cpSync(from, path.join(target, entry), {
          recursive: true,
          dereference: true,
          filter: (f) => !f.endsWith('.map'),
        });
    }
  }

  const logFile = path.join(runDir, 'code-server.log');
  const out = o.quiet === false ? 'inherit' : fs.openSync(logFile, 'a');
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...common,
    ...(o.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    ...(o.folder ? [path.resolve(o.folder)] : []),
  ];
  const child = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${CODE_SERVER}`);
  groups.set(pid, ownRunDir ? runDir : null);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const url = `http://127.0.0.1:${port}`;
  const server = {
    url,
    port,
    pid,
    runDir,
    userDataDir,
    extensionsDir,
    logFile,
    /** Path of a local file/folder as the workbench sees it (a remote URI). */
    remote: (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`,
    dumpLog(max = 8000) {
      try {
        const text = fs.readFileSync(logFile, 'utf8');
        return text.length > max ? '…' + text.slice(-max) : text;
      } catch {
        return '(no code-server log)';
      }
    },
    async stop() {
      if (groups.has(pid)) {
        groups.delete(pid);
        killGroup(pid, 'SIGTERM');
        for (let i = 0; i < 30 && killGroup(pid, 0); i++) await sleep(100);
        killGroup(pid, 'SIGKILL');
      }
      if (ownRunDir) fs.rmSync(runDir, { recursive: true, force: true });
    },
  };

  // A hang guard: on a loaded machine code-server can take tens of seconds to answer.
  const deadline = Date.now() + 180000;
  for (;;) {
    if (exited) {
      const text = server.dumpLog();
      await server.stop();
      throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${text}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      const text = server.dumpLog();
      await server.stop();
      throw new Error(`code-server did not answer ${url}/healthz within 180 s:\n${text}`);
    }
    await sleep(200);
  }
  return server;
}

/** Workbench URL that opens `folder`, optionally with a development extension and/or extension tests. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, extensionKind } = {}) {
  const q = new URLSearchParams();
  if (folder) q.set('folder', path.resolve(folder));
  const payload = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', server.remote(extensionTestsPath)]);
  if (extensionKind) payload.push(['extensionDevelopmentKind', extensionKind]);
  q.set('payload', JSON.stringify(payload));
  return `${server.url}/?${q.toString()}`;
}

/** Launches headless Debian Chromium through playwright-core with a fresh profile. Never downloads a browser. */
export async function launchChromium({ viewport = { width: 1400, height: 900 } } = {}) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run scripts/provision.sh (installs Debian's chromium)`);
  const { chromium } = await import('playwright-core');
  installExitHooks();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpcflow-chromium-'));
  tempDirs.add(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
      tempDirs.delete(userDataDir);
    },
  };
}

/** Copies a folder (e.g. test/fixtures) into a temp dir so tests may change files freely. */
export function copyToTemp(src, prefix = 'vpcflow-ws-') {
  installExitHooks();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir); // removed on exit at the latest
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

/**
 * Packages the extension into a .vsix with @vscode/vsce (production build first; everything is bundled,
 * so --no-dependencies). The .vsix holds only what .vscodeignore allow-lists. Returns the file path.
 * --no-rewrite-relative-links: the project has no public repository URL yet, so vsce cannot rewrite the README's
 * relative screenshot links (docs/images/, not shipped) and would refuse to package.
 */
export function packageVsix({ out, build: doBuild = true } = {}) {
  if (doBuild) build({ production: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const file = path.resolve(out ?? path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`));
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', file],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status ?? r.signal})`);
  return file;
}
