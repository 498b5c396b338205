// Analyses `vpcflow` documents in the background (debounced, cancelled when stale, cached per version) and keeps,
// per line, the compact facts the editor features need (typed arrays, not one object per record). Where the Host has a
// document worker (the Node extension host), the analysis runs there, off the extension host's thread
// (documentWorkerClient.ts); otherwise (the browser) it runs here, in time slices (lineFacts.ts collects the facts).
import * as vscode from 'vscode';
import type { AnalysisConfig } from '../core/analysis/config';
import { triggersInMask, type TriggerDef, type TriggerMasks } from '../core/analysis/triggers';
import { DEFAULT_V2 } from '../core/format';
import { parseRecordLine, type FieldWarning } from '../core/record';
import type { FlowFormat, FlowRecord, ParseStats } from '../core/types';
import type { Config } from './config';
import { DocumentWorkerClient, WorkerFailed, type WorkerPartial } from './documentWorkerClient';
import {
  Cancelled,
  isCancelled,
  LineAnalysis,
  LineFlag,
  type FinishedFacts,
  type LineCollector,
  type LineFacts,
} from './lineFacts';
import type { DocumentAnalysesApi, DocumentAnalysis, Host } from './services';
import type { StoredState } from './state';

export { isCancelled, LineFlag };

export const LANGUAGE_ID = 'vpcflow';

/** Where the format the user asked for came from. */
export type FormatOrigin = 'document' | 'setting' | 'auto';

/**
 * What the editor features need per line, for one document version. Arrays are indexed by 1-based line number and
 * may be shorter than lineCount + 2 while an analysis runs: read them with `?? 0`.
 */
export interface LineData extends LineFacts {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly lineCount: number;
  readonly analysisConfig: AnalysisConfig;
  /** Lines fed to the analysis so far (`lineCount` once complete); records may lag while the format is inferred. */
  readonly linesDone: number;
  /** False while the background analysis is still running (the data then covers the first `linesDone` lines). */
  readonly complete: boolean;
}

/** The finished analysis plus the per-line data. */
export interface EditorAnalysis extends DocumentAnalysis, LineData {
  /** Sorted lines that fired an actionable trigger. */
  readonly alertLines: Int32Array;
  /** How many lines fired an actionable trigger. */
  readonly alertLineCount: number;
  readonly formatOrigin: FormatOrigin;
  /** The format the user asked for ('' = auto, 'default', 'alphabetical' or a format string). */
  readonly requestedFormat: string;
  readonly stats: ParseStats;
  readonly elapsedMs: number;
  /** Of which in the document worker, from its request to the facts posted (undefined: analysed here). */
  readonly workerMs: number | undefined;
  readonly complete: true;
}

/** True for a finished analysis (false for the partial data of a running one). */
export function isComplete(data: LineData): data is EditorAnalysis {
  return data.complete;
}

/** Lines read and parsed between two clock checks (in-thread analysis). */
const LINES_PER_BATCH = 2000;
/** Longest stretch of analysis work before yielding to the event loop (in-thread analysis). */
const SLICE_MS = 15;
/** A first analysis reports partial per-line data every this many lines (in-thread analysis). */
const PROGRESS_LINES = 50_000;
const DEBOUNCE_MS = 300;
/** Lines of a newly opened document analysed in the extension host at once, for its first screen. */
const FIRST_SCREEN_LINES = 500;
/** At most this much text for the first screen (500 flow records are about 60 KB). */
const FIRST_SCREEN_CHARS = 256 * 1024;

/** A synchronous stretch of analysis work in the extension host (no other work could run meanwhile). */
export interface HostStep {
  /** Date.now() when it ended. */
  readonly at: number;
  readonly ms: number;
  readonly what: string;
}

/** The longest recent stretches of analysis work in the extension host (read by the test probe and bench:editor). */
export class HostWork {
  private readonly kept: HostStep[] = [];

  note(what: string, ms: number): void {
    if (ms < 2) return;
    if (this.kept.length >= 2000) this.kept.shift();
    this.kept.push({ at: Date.now(), ms, what });
  }

  /** The steps that ended at or after `since` (Date.now()). */
  since(since: number): HostStep[] {
    return this.kept.filter((s) => s.at >= since);
  }
}

/** The partial data of a running first analysis, for one document version. */
class PartialData implements LineData {
  flags: Uint8Array = new Uint8Array(0);
  formatIds: Uint16Array = new Uint16Array(0);
  formats: readonly FlowFormat[] = [];
  offsets: Int32Array | null = null;
  triggerMasks: TriggerMasks | null = null;
  unparsedReasons: ReadonlyMap<number, string> = new Map();
  flaggedValues: ReadonlyMap<number, FieldWarning> = new Map();
  linesDone = 0;
  readonly complete = false;

  constructor(
    readonly uri: vscode.Uri,
    readonly version: number,
    readonly lineCount: number,
    readonly analysisConfig: AnalysisConfig,
    /** The first screen analysed in the extension host at open (see DocumentAnalyses.firstScreen). */
    readonly firstScreen = false,
  ) {}

  /** The facts so far: what the worker sent, or the in-thread collector's own arrays (still being written). */
  take(p: WorkerPartial | LineCollector, linesDone: number): void {
    this.flags = p.flags;
    this.formatIds = p.formatIds;
    this.formats = p.formats;
    this.offsets = p.offsets;
    this.triggerMasks = p.triggerMasks;
    this.unparsedReasons = p.unparsedReasons;
    this.flaggedValues = p.flaggedValues;
    this.linesDone = linesDone;
  }
}

/** The triggers whose bits are set in `mask`. */
export function triggersOf(mask: number): TriggerDef[] {
  return triggersInMask(mask);
}

/** The record on `line` (1-based) of an analysed document, re-parsed alone with the format in force there. */
export interface LineRecord {
  readonly record: FlowRecord;
  /** Offset of `record.text` in the editor line. */
  readonly offset: number;
}

/** Re-parses one line of an analysed document with the format in force at that line (never the whole document). */
export function recordAt(analysis: LineData, line: number, lineText: string): LineRecord | undefined {
  if (line < 1 || line > analysis.lineCount) return undefined;
  const flags = analysis.flags[line] ?? 0;
  if (!(flags & LineFlag.Record)) return undefined;
  const format = analysis.formats[(analysis.formatIds[line] ?? 0) - 1];
  if (!format) return undefined;
  const offset = analysis.offsets ? (analysis.offsets[line] ?? 0) : 0;
  if (offset < 0 || offset > lineText.length) return undefined;
  let end = lineText.length;
  if (offset > 0 && lineText[offset - 1] === '"') {
    const close = lineText.indexOf('"', offset);
    if (close >= 0) end = close;
  }
  const parsed = parseRecordLine(lineText.slice(offset, end), format, line);
  if (!('spans' in parsed)) return undefined;
  return { record: parsed, offset };
}

type AnalyzedEvent = { readonly document: vscode.TextDocument; readonly analysis: DocumentAnalysis };

interface Pending {
  /** The document analysed (an earlier one under the same URI, an untitled one reused, is another). */
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly key: string;
  readonly promise: Promise<EditorAnalysis>;
  readonly cts: vscode.CancellationTokenSource;
}

export class DocumentAnalyses implements DocumentAnalysesApi {
  private readonly analyzed = new vscode.EventEmitter<AnalyzedEvent>();
  private readonly analyzedEditor = new vscode.EventEmitter<{
    readonly document: vscode.TextDocument;
    readonly analysis: EditorAnalysis;
  }>();
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  private readonly progress = new vscode.EventEmitter<vscode.TextDocument>();
  /** Analyses still running for documents that have no finished analysis yet (their partial per-line data). */
  private readonly partials = new Map<string, PartialData>();
  private readonly cache = new Map<string, EditorAnalysis>();
  /**
   * The document each URI's state belongs to. A closed untitled document's URI (untitled:Untitled-1) is given to the
   * next new one, at the same version 1, and its close event may arrive after the new one opened: the state is
   * matched to the document object, never to the URI and version alone.
   */
  private readonly owners = new Map<string, vscode.TextDocument>();
  private readonly pending = new Map<string, Pending>();
  /** Analyses started per document (read by the test probe). */
  private readonly runs = new WeakMap<vscode.TextDocument, number>();
  /** Documents that detection is switching to the vpcflow language (see switching). */
  private readonly becoming = new WeakSet<vscode.TextDocument>();
  /** Documents replaced under their URI by a newer one (see adopt): never analysed again. */
  private readonly superseded = new WeakSet<vscode.TextDocument>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly reportedFormatErrors = new Map<string, string>();
  private analysisKey: string;
  /** How long the analysis work in the extension host ran at once. */
  readonly hostWork = new HostWork();
  /** The document worker (Node); undefined: documents are analysed here, in slices (the browser). */
  private readonly worker: DocumentWorkerClient | undefined;
  readonly onDidAnalyze = this.analyzed.event;
  /** Same as onDidAnalyze, with the per-line data. */
  readonly onDidAnalyzeEditor = this.analyzedEditor.event;
  readonly onDidClose = this.closed.event;
  /** Fires while a first analysis runs, once its partial per-line data covers more lines (see `lineData`). */
  readonly onDidProgress = this.progress.event;

  constructor(
    readonly config: Config,
    readonly log: vscode.LogOutputChannel,
    /** Where per-document format choices are remembered (the extension's workspace state). */
    private readonly state: StoredState,
    /**
     * Lets the extension host breathe between slices (setImmediate in Node, a macrotask in the web worker), and
     * starts the document worker where there is one.
     */
    private readonly host: Pick<Host, 'yieldToEventLoop' | 'documentWorker'>,
  ) {
    config.attachLog(log);
    this.worker = host.documentWorker
      ? new DocumentWorkerClient(host.documentWorker, host, log, this.hostWork, (d) => this.becoming.has(d))
      : undefined;
    this.analysisKey = JSON.stringify(config.current.analysis);
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.adopt(d);
        if (this.startedBeforeOpen(d)) return;
        this.schedule(d, 0);
        this.firstScreen(d);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // The close that a language change to vpcflow reports (the same document opens again next).
        if (this.becoming.has(d)) return;
        // A late close of an earlier document under the same URI says nothing about the one open now.
        const owner = this.owners.get(d.uri.toString());
        if (owner === undefined || owner === d) this.forget(d.uri);
      }),
      config.onDidChange((snapshot) => {
        // Only the trigger settings change an analysis (labels, hover or diagnostics settings do not).
        const key = JSON.stringify(snapshot.analysis);
        if (key !== this.analysisKey) {
          this.analysisKey = key;
          this.reanalyzeAll();
        }
      }),
      config.onDidChangeFormat(() => this.reanalyzeAll()),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Where documents are analysed: in the document worker (Node), or in the extension host itself (the browser). */
  get engine(): 'worker' | 'extension host' {
    return this.worker?.available ? 'worker' : 'extension host';
  }

  /** The per-document format override ('' when none). */
  formatOverride(uri: vscode.Uri): string {
    return this.state.get('formatOverrides')[uri.toString()] ?? '';
  }

  /** Remembers (or clears, with '' or 'auto') the format of one document and re-analyses it at once. */
  async setFormatOverride(document: vscode.TextDocument, format: string): Promise<EditorAnalysis> {
    const all = { ...this.state.get('formatOverrides') };
    const value = format.trim();
    if (value === '' || value === 'auto') delete all[document.uri.toString()];
    else all[document.uri.toString()] = value;
    await this.state.update('formatOverrides', all);
    this.invalidate(document.uri);
    return this.analyze(document);
  }

  /** The format asked for a document and where that request came from. */
  requestedFormat(uri: vscode.Uri): { format: string; origin: FormatOrigin } {
    const override = this.formatOverride(uri);
    if (override) return { format: override, origin: 'document' };
    const setting = this.config.formatFor(uri);
    if (setting && setting !== 'auto') return { format: setting, origin: 'setting' };
    return { format: '', origin: 'auto' };
  }

  get(uri: vscode.Uri): EditorAnalysis | undefined {
    return this.cache.get(uri.toString());
  }

  /**
   * The per-line data to draw with: the latest finished analysis, or, before the first one finishes, the partial
   * data of the running one (so decorations and labels appear after the first slice of a big document).
   */
  lineData(uri: vscode.Uri): LineData | undefined {
    const key = uri.toString();
    return this.cache.get(key) ?? this.partials.get(key);
  }

  analyze(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<EditorAnalysis> {
    // A document that another one replaced under its URI (an untitled name reused while its close is still on the
    // way) is never analysed again: it would take the URI's state back from the open one.
    if (this.superseded.has(document)) return Promise.reject(new Cancelled());
    this.adopt(document);
    const key = document.uri.toString();
    const requested = this.requestedFormat(document.uri);
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.requestedFormat === requested.format) {
      return Promise.resolve(cached);
    }
    const running = this.pending.get(key);
    if (
      running &&
      running.document === document &&
      running.version === document.version &&
      running.key === requested.format &&
      !running.cts.token.isCancellationRequested
    ) {
      return token ? raceCancellation(running.promise, token) : running.promise;
    }
    running?.cts.cancel();
    const cts = new vscode.CancellationTokenSource();
    const promise = this.run(document, requested.format, requested.origin, cts.token).finally(() => {
      if (this.pending.get(key)?.cts === cts) this.pending.delete(key);
      cts.dispose();
    });
    this.pending.set(key, { document, version: document.version, key: requested.format, promise, cts });
    return token ? raceCancellation(promise, token) : promise;
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== LANGUAGE_ID || this.superseded.has(document)) return;
    this.worker?.warm();
    const key = document.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.pending.get(key)?.cts.cancel();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed) return;
        this.analyze(document).catch((e: unknown) => {
          if (!(e instanceof Cancelled)) this.log.error(`analysis of ${document.uri.toString()} failed: ${String(e)}`);
        });
      }, delay),
    );
  }

  /** How many analyses of `document` were started (cached results and analyses joined while running not counted). */
  runsOf(document: vscode.TextDocument): number {
    return this.runs.get(document) ?? 0;
  }

  /** A vpcflow document, or one that detection is switching to vpcflow (the editor features draw for both). */
  isFlowDocument(document: vscode.TextDocument): boolean {
    return document.languageId === LANGUAGE_ID || this.becoming.has(document);
  }

  /**
   * Detection found that `document` is a flow log and is switching it to the vpcflow language: its first screen is
   * analysed and drawn now and its analysis starts, without waiting for VS Code to report the language change (half
   * a second on a large log, behind other extensions' work on the new document). Call the returned function once
   * the switch is done or failed.
   */
  switching(document: vscode.TextDocument): (switched: boolean) => void {
    if (this.superseded.has(document) || document.isClosed) return () => undefined;
    this.becoming.add(document);
    this.adopt(document);
    this.worker?.warm();
    this.firstScreen(document);
    this.analyze(document).catch((e: unknown) => {
      if (!(e instanceof Cancelled)) this.log.error(`analysis of ${document.uri.toString()} failed: ${String(e)}`);
    });
    return (switched) => {
      this.becoming.delete(document);
      if (!switched && document.languageId !== LANGUAGE_ID && this.owners.get(document.uri.toString()) === document)
        this.forget(document.uri);
    };
  }

  /**
   * A document that opens (as vpcflow) while its analysis, started when detection switched it, runs or has just
   * finished: nothing to start again. A finished one is announced again, now that the document is a vpcflow one.
   */
  private startedBeforeOpen(document: vscode.TextDocument): boolean {
    if (document.languageId !== LANGUAGE_ID) return false;
    const key = document.uri.toString();
    const running = this.pending.get(key);
    if (running) {
      return (
        running.document === document &&
        running.version === document.version &&
        !running.cts.token.isCancellationRequested
      );
    }
    const cached = this.cache.get(key);
    if (
      !cached ||
      this.owners.get(key) !== document ||
      cached.version !== document.version ||
      cached.requestedFormat !== this.requestedFormat(document.uri).format
    )
      return false;
    this.announce(document, cached);
    return true;
  }

  /**
   * The facts of a newly opened document's first lines, analysed here at once (a few milliseconds), so that its first
   * screen is drawn in the open event itself: before the worker's first facts, which would come after whatever
   * other extensions do with the new document (VS Code's merge-conflict extension reads the whole text, a stall of
   * half a second on a large log). Replaced by the running analysis's own partial data as soon as it has some.
   */
  private firstScreen(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!this.isFlowDocument(document) || this.cache.has(key) || this.partials.has(key)) return;
    if (startsLikeParquet(document)) return;
    // Only when the first lines are what is on screen (an editor restored further down waits for the analysis).
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document === document && (ed.visibleRanges[0]?.start.line ?? 0) >= FIRST_SCREEN_LINES) return;
    }
    const t0 = performance.now();
    const lines = Math.min(document.lineCount - 1, FIRST_SCREEN_LINES);
    // Whole lines only, and not a long JSON line's worth (that waits for the worker).
    if (lines < 1 || document.offsetAt(new vscode.Position(lines, 0)) > FIRST_SCREEN_CHARS) return;
    const analysisConfig = this.config.current.analysis;
    const run = LineAnalysis.forRequested(
      document.lineCount,
      analysisConfig,
      this.requestedFormat(document.uri).format,
    );
    // Whole lines, each with its line break: no line is cut.
    run.parser.push(document.getText(new vscode.Range(0, 0, lines, 0)));
    const partial = new PartialData(document.uri, document.version, document.lineCount, analysisConfig, true);
    partial.take(run.collector, lines);
    this.partials.set(key, partial);
    this.progress.fire(document);
    this.hostWork.note('first screen analysed and drawn', performance.now() - t0);
  }

  private invalidate(uri: vscode.Uri): void {
    const key = uri.toString();
    this.pending.get(key)?.cts.cancel();
    this.cache.delete(key);
  }

  private reanalyzeAll(): void {
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId !== LANGUAGE_ID) continue;
      this.invalidate(d.uri);
      this.schedule(d, 0);
    }
  }

  /** Makes `document` the owner of its URI's state, dropping the state of an earlier document with that URI. */
  private adopt(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const owner = this.owners.get(key);
    if (owner === document) return;
    if (owner !== undefined) {
      this.superseded.add(owner);
      this.forget(document.uri);
    }
    this.owners.set(key, document);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.owners.delete(key);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.pending.get(key)?.cts.cancel();
    this.partials.delete(key);
    this.reportedFormatErrors.delete(key);
    if (this.cache.delete(key)) this.closed.fire(uri);
  }

  private async run(
    document: vscode.TextDocument,
    requested: string,
    origin: FormatOrigin,
    token: vscode.CancellationToken,
  ): Promise<EditorAnalysis> {
    const started = Date.now();
    this.runs.set(document, (this.runs.get(document) ?? 0) + 1);
    const version = document.version;
    const lineCount = document.lineCount;
    const analysisConfig = this.config.current.analysis;
    const key = document.uri.toString();
    const firstRun = !this.cache.has(key);
    // A first analysis shows its partial data once it has some (lineData() has nothing to draw before).
    const partial = firstRun ? new PartialData(document.uri, version, lineCount, analysisConfig) : undefined;
    let shown = false;
    const progress = partial
      ? (p: WorkerPartial | LineCollector, linesDone: number): void => {
          if (token.isCancellationRequested || (shown && this.partials.get(key) !== partial)) return;
          const t0 = performance.now();
          shown = true;
          this.partials.set(key, partial);
          partial.take(p, linesDone);
          this.progress.fire(document);
          this.hostWork.note('partial data drawn', performance.now() - t0);
        }
      : undefined;
    let facts: FinishedFacts | undefined;
    let workerMs: number | undefined;
    try {
      const worker = this.worker?.available && !startsLikeParquet(document) ? this.worker : undefined;
      if (worker) {
        try {
          const done = await worker.analyze(
            document,
            { format: requested, config: analysisConfig, progress: firstRun },
            token,
            progress && ((p) => progress(p, p.linesDone)),
          );
          facts = done;
          workerMs = done.workerMs;
        } catch (e) {
          if (!(e instanceof WorkerFailed)) throw e;
          this.log.warn(`analysing ${key} in the extension host: ${e.message}`);
        }
      }
      facts ??= await this.analyzeHere(document, requested, analysisConfig, token, progress);
    } finally {
      const shownNow = this.partials.get(key);
      if (shownNow === partial || shownNow?.firstScreen) this.partials.delete(key);
    }
    // A document opened since under the same URI (an untitled name reused) owns it now: this one's analysis is stale.
    if (
      token.isCancellationRequested ||
      document.isClosed ||
      document.version !== version ||
      this.owners.get(key) !== document
    )
      throw new Cancelled();
    const t0 = performance.now();
    const stats = facts.stats;
    if (stats.formatError && requested) {
      const why = `VPC Flow: the format ${origin === 'document' ? 'set for this file' : 'in vpcFlow.format'} is not valid (${stats.formatError}); detecting the format instead.`;
      if (this.reportedFormatErrors.get(key) !== why) {
        this.reportedFormatErrors.set(key, why);
        this.log.warn(why);
        void vscode.window.showWarningMessage(why);
      }
    }
    const analysis: EditorAnalysis = {
      uri: document.uri,
      version,
      format: facts.mainFormat ?? DEFAULT_V2,
      summary: facts.summary,
      lineCount,
      flags: facts.flags,
      formatIds: facts.formatIds,
      formats: facts.formats,
      offsets: facts.offsets,
      triggerMasks: facts.triggerMasks,
      unparsedReasons: facts.unparsedReasons,
      flaggedValues: facts.flaggedValues,
      analysisConfig,
      linesDone: lineCount,
      complete: true,
      alertLines: facts.alertLines,
      alertLineCount: facts.alertLines.length,
      formatOrigin: origin,
      requestedFormat: requested,
      stats,
      elapsedMs: Date.now() - started,
      workerMs,
    };
    this.cache.set(key, analysis);
    this.log.debug(
      `analysed ${key} v${version}${this.worker?.available ? ' (worker)' : ''}: ${stats.records} records, ${analysis.summary.totals.alerts} alerts, ${analysis.elapsedMs} ms${workerMs !== undefined ? ` (${workerMs} ms in the worker)` : ''}`,
    );
    this.announce(document, analysis);
    this.hostWork.note('finished analysis shown (diagnostics, decorations, status bar)', performance.now() - t0);
    return analysis;
  }

  /**
   * The analysis in the extension host itself (the browser; or when the worker failed): the parser is fed line by
   * line in time slices (no copy of the whole text), yielding between slices so the extension host keeps serving
   * typing, hovers and other extensions. Lines are read only while the version is unchanged (checked after every
   * yield), so every slice belongs to the same version.
   */
  private async analyzeHere(
    document: vscode.TextDocument,
    requested: string,
    analysisConfig: AnalysisConfig,
    token: vscode.CancellationToken,
    progress: ((collector: LineCollector, linesDone: number) => void) | undefined,
  ): Promise<FinishedFacts> {
    const version = document.version;
    const lineCount = document.lineCount;
    const run = LineAnalysis.forRequested(lineCount, analysisConfig, requested);
    const stale = (): boolean => token.isCancellationRequested || document.isClosed || document.version !== version;
    let line = 0;
    let reported = 0;
    while (line < lineCount) {
      const sliceStart = performance.now();
      const parts: string[] = [];
      while (line < lineCount) {
        const batchEnd = Math.min(lineCount, line + LINES_PER_BATCH);
        parts.length = 0;
        for (; line < batchEnd; line++) parts.push(document.lineAt(line).text);
        run.parser.push(line < lineCount ? parts.join('\n') + '\n' : parts.join('\n'));
        if (performance.now() - sliceStart > SLICE_MS) break;
      }
      this.hostWork.note('in-thread analysis slice', performance.now() - sliceStart);
      if (line < lineCount) {
        // A first analysis shows its progress: after the first slice, then every PROGRESS_LINES lines.
        if (progress && (reported === 0 || line - reported >= PROGRESS_LINES)) {
          reported = line;
          progress(run.collector, line);
        }
        await this.host.yieldToEventLoop();
        if (stale()) throw new Cancelled();
      }
    }
    return run.finish();
  }

  /** Tells the features (problems, decorations, status bar, dashboards) that `analysis` of `document` is ready. */
  private announce(document: vscode.TextDocument, analysis: EditorAnalysis): void {
    this.analyzed.fire({ document, analysis });
    this.analyzedEditor.fire({ document, analysis });
  }

  /**
   * False for a document another one replaced under its URI (an untitled name reused while its close is still on
   * the way): what it says is not about the URI's document any more.
   */
  isCurrent(document: vscode.TextDocument): boolean {
    return !this.superseded.has(document);
  }

  /** Lets the extension host serve other work before the caller goes on (a slice of work ends). */
  yieldToEventLoop(): Promise<void> {
    return this.host.yieldToEventLoop();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const p of this.pending.values()) p.cts.cancel();
    for (const s of this.subscriptions) s.dispose();
    this.worker?.dispose();
    this.analyzed.dispose();
    this.analyzedEditor.dispose();
    this.closed.dispose();
    this.progress.dispose();
  }
}

function raceCancellation<T>(promise: Promise<T>, token: vscode.CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new Cancelled());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(new Cancelled());
    });
    promise.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A text that starts like an Apache Parquet file: the byte path would read it as Parquet, the text path as lines. */
function startsLikeParquet(document: vscode.TextDocument): boolean {
  return document.lineCount > 0 && document.lineAt(0).text.startsWith('PAR1');
}

/** A short label for the format in force and where it came from, e.g. "default v2" or "custom (13 fields) · this file". */
export function formatLabel(analysis: EditorAnalysis): string {
  const f = analysis.format;
  if (f.source === 'user')
    return `${f.label} (${analysis.formatOrigin === 'document' ? 'set for this file' : 'from settings'})`;
  return f.label;
}
