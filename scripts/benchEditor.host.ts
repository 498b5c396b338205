// The editor benchmark, run INSIDE the real extension host by scripts/benchEditor.mjs (not part of npm test).
// Opens the generated log (300,000 lines by default), and prints: open → first decorations, the background analysis time,
// hover latency p50/p95 (vscode.executeHoverProvider on random tokens), an edit → re-analysis, field labels on
// every visible line, and the extension host's memory.
import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'vpcflow.vpc-flow-explorer';
const FILE = process.env.VPCFLOW_BENCH_FILE ?? 'bench-300000.log';

interface EditorState {
  statusText: string;
  decorations: {
    version: number;
    at: number;
    reject: number;
    dimmed: number;
    alerts: number;
    complete: boolean;
    linesDone: number;
    firstDataAt?: number;
  } | null;
  labels: number | null;
  analysis: { version: number; elapsedMs: number; workerMs?: number; records: number } | null;
  hoverTimes: number[];
  labelFirstLine: number | null;
  hostSteps?: { at: number; ms: number; what: string }[];
}

const say = (s: string): void => console.log(`[bench:editor] ${s}`);
const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 180000,
  everyMs = 5,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The longest time the extension host's event loop was busy at once while it runs: the largest gap between the
 * ticks of a 2 ms timer (this code runs in the extension host's own thread, as every extension's does).
 */
function stallMonitor(): { stop(): number; gcs(): string } {
  let lastTick = performance.now();
  let maxGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - lastTick);
    lastTick = now;
  }, 2);
  // Garbage-collection pauses of the extension host meanwhile (every extension's heap is this one).
  const pauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  return {
    stop: () => {
      clearInterval(ticker);
      gc.disconnect();
      return Math.max(maxGap, performance.now() - lastTick);
    },
    gcs: () =>
      `${pauses.length} garbage collections, longest ${Math.max(0, ...pauses).toFixed(0)} ms, ${pauses.reduce((a, b) => a + b, 0).toFixed(0)} ms in all`,
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/**
 * With VPCFLOW_BENCH_PROFILE=1: a CPU profile of the extension host between start() and stop(), summed by source
 * (this extension's bundles, VS Code, each other extension), to say whose work the stalls are.
 */
function cpuProfile(): { start(): Promise<void>; stop(): Promise<string> } {
  if (!process.env.VPCFLOW_BENCH_PROFILE) return { start: () => Promise.resolve(), stop: () => Promise.resolve('') };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  return {
    start: async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 1000 });
      await post('Profiler.start');
    },
    stop: async () => {
      const { profile } = (await post('Profiler.stop')) as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
      };
      session.disconnect();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      const extensionOf = (url: string): string | undefined =>
        /\/dist\/(extension|documentWorker)\.js|vpc-flow/.test(url)
          ? 'VPC Flow'
          : /extensions\/([^/]+)\//.exec(url)?.[1];
      const bySource = new Map<string, number>();
      const byFunction = new Map<string, number>();
      profile.samples.forEach((id, i) => {
        const n = byId.get(id);
        const ms = (profile.timeDeltas[i] ?? 0) / 1000;
        const url = n?.callFrame.url ?? '';
        // Whose work a sample is: the nearest extension on its stack (VS Code's API code runs on behalf of the
        // extension that called it), else VS Code's own, else the native frame's name.
        let owner: string | undefined;
        for (let at: number | undefined = id; at !== undefined && owner === undefined; at = parent.get(at)) {
          owner = extensionOf(byId.get(at)?.callFrame.url ?? '');
        }
        const source = owner ?? (url ? 'VS Code' : n?.callFrame.functionName || '(native)');
        bySource.set(source, (bySource.get(source) ?? 0) + ms);
        const fn = `${n?.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`;
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
      });
      const top = (m: Map<string, number>, k: number): string =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, k)
          .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
          .join(', ');
      return `CPU by source: ${top(bySource, 8)}; top functions: ${top(byFunction, 12)}`;
    },
  };
}

/** The longest stretch of this extension's own analysis work in the extension host since `since` (Date.now()). */
async function ownLongest(uri: vscode.Uri, since: number): Promise<string> {
  const steps = ((await state(uri)).hostSteps ?? []).filter((s) => s.at >= since);
  if (!steps.length) return 'no step of 2 ms or more';
  const top = steps.reduce((a, b) => (b.ms > a.ms ? b : a));
  return `${top.ms.toFixed(0)} ms (${top.what}; ${steps.length} steps of 2 ms or more)`;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

function state(uri: vscode.Uri): Promise<EditorState> {
  return Promise.resolve(vscode.commands.executeCommand<EditorState>('vpcFlow._editorState', uri.toString()));
}

/** Deterministic pseudo-random numbers (the same hovers on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} not loaded`);
  await ext.activate();
  const uri = vscode.Uri.joinPath(folder.uri, FILE);
  global.gc?.();
  const before = process.memoryUsage();

  // 1. Open → detection switches the language → background analysis → first decorations.
  // When the document reached the extension host (Date.now(), as the probe's times): its first open event.
  let reachedAt: number | undefined;
  let reopenedAt: number | undefined;
  let shownAt: number | undefined;
  const opens = vscode.workspace.onDidOpenTextDocument((d) => {
    if (d.uri.toString() !== uri.toString()) return;
    reachedAt ??= Date.now();
    if (d.languageId === 'vpcflow') reopenedAt ??= Date.now();
  });
  const shows = vscode.window.onDidChangeVisibleTextEditors((editors) => {
    if (editors.some((e) => e.document.uri.toString() === uri.toString())) shownAt ??= Date.now();
  });
  const t0 = performance.now();
  // As a user opens it (a click in the Explorer): the document and its editor reach the extension host together.
  // (openTextDocument first, then showTextDocument, would let other extensions' work on the new document run
  // before the editor exists, and no decoration can be drawn before there is an editor.)
  await vscode.window.showTextDocument(uri);
  const tOpen = performance.now();
  // From here on the document is in the extension host. Detection switches its language, and VS Code then sends
  // the whole document again, as a new one (a stall of VS Code's own, not of the analysis): measured apart.
  const profiler = cpuProfile();
  await profiler.start();
  const detecting = stallMonitor();
  const openedAt = Date.now();
  const doc = await until('the language switch', () =>
    Promise.resolve(
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'vpcflow'),
    ),
  );
  const tDetect = performance.now();
  const detectionStall = detecting.stop();
  const analysing = stallMonitor();
  // Drawn from analysis data (partial or finished): the empty decorations of the document before the language
  // switch (linesDone 0) do not count.
  const first = await until('the first decorations', async () => {
    const d = (await state(uri)).decorations;
    return d && d.linesDone > 0 ? d : undefined;
  });
  const tDecorated = performance.now();
  opens.dispose();
  shows.dispose();
  const full = await until('the decorations of the finished analysis', async () => {
    // Decorations drawn with no analysis (before the language switch) are "complete" too: wait for the analysis.
    const s = await state(uri);
    return s.decorations?.complete && s.analysis ? s.decorations : undefined;
  });
  const analysisStall = analysing.stop();
  const profiled = await profiler.stop();
  if (profiled) say(`extension host CPU profile, document in the extension → finished decorations: ${profiled}`);
  const st = await state(uri);
  say(`document: ${doc.lineCount.toLocaleString('en-US')} lines, ${mb(doc.getText().length * 2)} of UTF-16 text`);
  say(`open (VS Code loads the file and shows it; showTextDocument): ${(tOpen - t0).toFixed(0)} ms`);
  say(`detected as vpcflow after: ${(tDetect - t0).toFixed(0)} ms`);
  const since = (t: number | undefined): string =>
    t !== undefined && reachedAt !== undefined ? `+${t - reachedAt} ms` : '?';
  say(
    `first decorations drawn from analysis data: ${since(first.firstDataAt)} after the document reached the extension host (its open event); its editor reached the extension host at ${since(shownAt)} (VS Code's own time: no decoration can be drawn before there is an editor), and VS Code reported the switch to the vpcflow language at ${since(reopenedAt)} (${first.complete ? 'finished analysis' : `partial analysis, first ${first.linesDone.toLocaleString('en-US')} lines`}: reject ${first.reject}, dimmed ${first.dimmed} near the visible lines; this probe's poll saw them ${(tDecorated - tOpen).toFixed(0)} ms after showTextDocument returned)`,
  );
  say(
    `decorations of the finished analysis: ${since(full.at)} after the document reached the extension host (${full.alerts} alert lines marked in the ruler)`,
  );
  if (process.env.VPCFLOW_BENCH_STEPS && reachedAt !== undefined) {
    // Every step of 2 ms or more of this extension's own work since the document reached the extension.
    for (const step of (st.hostSteps ?? []).filter((x) => x.at >= reachedAt!)) {
      say(`  step at +${step.at - reachedAt} ms: ${step.ms.toFixed(1)} ms ${step.what}`);
    }
  }
  say(
    `background analysis (parse + triggers + summary): ${st.analysis?.elapsedMs ?? NaN} ms for ${(st.analysis?.records ?? 0).toLocaleString('en-US')} records${st.analysis?.workerMs !== undefined ? `, of which ${st.analysis.workerMs} ms in the document worker (request → facts posted)` : ', in the extension host'}`,
  );
  say(
    `longest extension-host stall while analysing (detected as vpcflow → finished decorations): ${analysisStall.toFixed(0)} ms (${analysing.gcs()}; before, while detecting and VS Code reopened the document in the new language: ${detectionStall.toFixed(0)} ms)`,
  );
  say(
    `longest stretch of the analysis's own work in the extension host (reading and sending the text, drawing): ${await ownLongest(uri, openedAt)}`,
  );
  say(`status bar: ${st.statusText}`);

  // 2. Hover latency on random tokens of random lines (analysis cached, as when a user hovers).
  const editor = await vscode.window.showTextDocument(doc);
  const random = rng(42);
  const times: number[] = [];
  let named = 0;
  const N = 300;
  for (let i = 0; i < N; i++) {
    const line = Math.floor(random() * doc.lineCount);
    const text = doc.lineAt(line).text;
    const col = Math.floor(random() * Math.max(1, text.length));
    const h0 = performance.now();
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(line, col),
    );
    times.push(performance.now() - h0);
    if (hovers.length) named++;
  }
  times.sort((a, b) => a - b);
  say(
    `hover latency over ${N} random positions (vscode.executeHoverProvider, round trip): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${percentile(times, 100).toFixed(1)} ms (${named} hovers shown)`,
  );

  const inside = (await state(uri)).hoverTimes.slice(-N).sort((a, b) => a - b);
  say(
    `hover provider time inside the extension host (same hovers): p50 ${percentile(inside, 50).toFixed(2)} ms, p95 ${percentile(inside, 95).toFixed(2)} ms, max ${percentile(inside, 100).toFixed(2)} ms`,
  );

  // 3. Field labels on every visible line, after a jump to the middle of the document.
  const config = vscode.workspace.getConfiguration('vpcFlow');
  await config.update('fieldLabels', 'all', vscode.ConfigurationTarget.Global);
  const middle = Math.floor(doc.lineCount / 2);
  const l0 = performance.now();
  editor.revealRange(new vscode.Range(middle, 0, middle, 0), vscode.TextEditorRevealType.InCenter);
  editor.selection = new vscode.Selection(middle, 0, middle, 0);
  const labelled = await until('labels on the visible lines around the middle', async () => {
    const s = await state(uri);
    return s.labels !== null && s.labels > 100 && s.labelFirstLine !== null && Math.abs(s.labelFirstLine - middle) < 200
      ? s.labels
      : undefined;
  });
  say(
    `labels on every visible line after a jump to line ${middle.toLocaleString('en-US')}: ${(performance.now() - l0).toFixed(0)} ms (${labelled} labels; the 60 ms scroll debounce included)`,
  );
  await config.update('fieldLabels', undefined, vscode.ConfigurationTarget.Global);

  // 4. Typing: an edit is applied at once; the re-analysis follows in the background (debounced 300 ms), in
  // slices: the longest gap between 2 ms timer ticks shows how long the extension host was ever busy at once.
  const version = doc.version;
  const editProfiler = cpuProfile();
  await editProfiler.start();
  const editing = stallMonitor();
  const e0 = performance.now();
  const editedAt = Date.now();
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# bench edit\n'));
  const tEdit = performance.now();
  const re = await until('the re-analysis', async () => {
    const a = (await state(uri)).analysis;
    return a && a.version > version ? a : undefined;
  });
  const maxGap = editing.stop();
  const editProfiled = await editProfiler.stop();
  if (editProfiled) say(`extension host CPU profile, edit → re-analysed: ${editProfiled}`);
  const ownEdit = await ownLongest(uri, editedAt);
  say(
    `edit applied in ${(tEdit - e0).toFixed(0)} ms; re-analysed (300 ms debounce included) after ${(performance.now() - e0).toFixed(0)} ms (analysis ${re.elapsedMs} ms${re.workerMs !== undefined ? `, ${re.workerMs} ms in the worker` : ''}); longest extension-host stall meanwhile: ${maxGap.toFixed(0)} ms (${editing.gcs()}); longest stretch of the analysis's own work meanwhile: ${ownEdit}`,
  );

  global.gc?.();
  const after = process.memoryUsage();
  say(
    `extension host memory: rss ${mb(after.rss)} (before opening: ${mb(before.rss)}), heap used ${mb(after.heapUsed)} (before: ${mb(before.heapUsed)}), external+arrayBuffers ${mb(after.external + after.arrayBuffers)}`,
  );
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}
