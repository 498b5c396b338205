// `npm run bench:editor`: the editor benchmark inside the real extension host (code-server, offline).
// Generates a 300,000-line flow log (default format, ~2% REJECT, some SSH/RDP/database probes, NODATA), opens it
// in the workbench with this repository as the development extension, and runs scripts/benchEditor.host.ts there,
// which prints the figures. Before the workbench starts, the same analysis runs alone (scripts/benchEditorAlone.ts,
// three fresh processes): what it costs without VS Code on the cores. Options: --lines N (default 300000),
// --no-build, --without-merge-conflict (see below), --alone (only the analysis alone: no code-server, no Chromium).
// Env: VPCFLOW_TEST_PORT (default 8775); VPCFLOW_BENCH_PROFILE=1 adds the extension host's CPU profile by source.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import {
  ROOT,
  build,
  ensureProvisioned,
  launchChromium,
  startCodeServer,
  testPort,
  workbenchUrl,
} from './codeServer.mjs';

const argv = process.argv.slice(2);
const linesArg = argv.indexOf('--lines');
const LINES = linesArg >= 0 ? Number(argv[linesArg + 1]) : 300_000;
const FILE = `bench-${LINES}.log`;
process.env.VPCFLOW_BENCH_FILE = FILE; // code-server's extension host inherits the environment

/** A realistic default-format log: deterministic, so every run measures the same text. */
function generate(file, lines) {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  const ip = (a) => `${a}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  const ports = [443, 80, 22, 3389, 5432, 53, 123, 8080, 3306, 445];
  const out = fs.openSync(file, 'w');
  let buf = '';
  let t = 1418530010;
  for (let i = 0; i < lines; i++) {
    if (i % 50 === 0) t += 1;
    const r = rnd();
    let line;
    if (r < 0.005) {
      line = `2 123456789010 eni-0a1b2c3d4e5f60718 - - - - - - - ${t} ${t + 60} - NODATA`;
    } else {
      const reject = r < 0.025;
      const dport = reject ? ports[Math.floor(rnd() * ports.length)] : ports[Math.floor(rnd() * 3)];
      const proto = dport === 53 || dport === 123 ? 17 : 6;
      const packets = 1 + Math.floor(rnd() * 200);
      line = `2 123456789010 eni-0a1b2c3d4e5f60718 ${reject ? ip(198) : ip(172)} ${ip(10)} ${1024 + Math.floor(rnd() * 60000)} ${dport} ${proto} ${packets} ${packets * (40 + Math.floor(rnd() * 1400))} ${t} ${t + Math.floor(rnd() * 60)} ${reject ? 'REJECT' : 'ACCEPT'} OK`;
    }
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
}

/** The document worker's analysis of `file` alone (benchEditorAlone.ts), three fresh processes; prints the ranges. */
function benchAlone(script, file) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`benchEditorAlone failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  const range = (xs) => {
    const lo = Math.round(Math.min(...xs));
    const hi = Math.round(Math.max(...xs));
    return lo === hi ? `${lo}` : `${lo}-${hi}`;
  };
  console.log(
    `[bench:editor] the same analysis alone (no VS Code on the cores, 3 fresh processes): read ${range(runs.map((r) => r.readMs))} ms + parse, analyse and per-line facts ${range(runs.map((r) => r.analysisMs))} ms = ${range(runs.map((r) => r.readMs + r.analysisMs))} ms (${runs[0].records.toLocaleString('en-US')} records)`,
  );
}

async function main() {
  if (!argv.includes('--no-build')) build();
  const outDir = path.join(ROOT, 'out', 'bench');
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: {
      index: path.join(ROOT, 'scripts', 'benchEditor.host.ts'),
      alone: path.join(ROOT, 'scripts', 'benchEditorAlone.ts'),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const alone = argv.includes('--alone');
  if (!alone) ensureProvisioned();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'vpcflow-bench-'));
  const file = path.join(workspace, FILE);
  generate(file, LINES);
  console.error(
    `[bench:editor] generated ${LINES.toLocaleString('en-US')} lines, ${(fs.statSync(file).size / 1048576).toFixed(1)} MB: ${file}`,
  );
  benchAlone(path.join(outDir, 'alone.js'), file);
  if (alone) {
    fs.rmSync(workspace, { recursive: true, force: true });
    return;
  }
  let server;
  let browser;
  let exitCode = 1;
  try {
    server = await startCodeServer({
      port: testPort(8775),
      folder: workspace,
      settings: {
        'vpcFlow.autoDetect': true,
        // --without-merge-conflict: VS Code's built-in merge-conflict extension reads the whole text of every
        // document opened or edited (TextDocument.getText, about 0.3-0.5 s for this one), a stall of its own in the
        // same extension host; with its decorations and CodeLens off it does not, and the figures show this
        // extension's share.
        ...(argv.includes('--without-merge-conflict')
          ? { 'merge-conflict.decorators.enabled': false, 'merge-conflict.codeLens.enabled': false }
          : {}),
      },
    });
    browser = await launchChromium();
    const { page } = browser;
    const done = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationLog', (type, args) => {
        const list = Array.isArray(args) ? args : [args];
        if (String(list[0]).includes('[bench:editor]')) console.log(...list);
      });
      void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
      setTimeout(() => resolve(124), 600000).unref();
    });
    await page.goto(
      workbenchUrl(server, {
        folder: workspace,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: path.join(outDir, 'index'),
      }),
    );
    exitCode = await done;
    if (exitCode !== 0) console.error(server.dumpLog());
  } finally {
    await browser?.close();
    await server?.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

await main();
