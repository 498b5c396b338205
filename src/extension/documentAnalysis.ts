// Analyses `vpcflow` documents in the background (debounced, chunked, cancelled when stale, cached per version)
// and keeps, per line, the compact facts the editor features need (typed arrays, not one object per record).
import * as vscode from 'vscode';
import { FlowAnalyzer, recordTriggers } from '../core/analysis/analyzer';
import type { AnalysisConfig } from '../core/analysis/config';
import {
  triggerBit,
  triggerDef,
  triggerMasks,
  triggersInMask,
  TRIGGERS,
  type TriggerDef,
  type TriggerMasks,
} from '../core/analysis/triggers';
import { DEFAULT_V2, requestedFormatOption } from '../core/format';
import { FlowParser } from '../core/parser';
import { firstMetadataWarning, parseRecordLine, type FieldWarning } from '../core/record';
import type { FlowFormat, FlowRecord, ParseSink, ParseStats, UnparsedLine } from '../core/types';
import type { Config } from './config';
import type { DocumentAnalysesApi, DocumentAnalysis, Host } from './services';
import type { StoredState } from './state';

export const LANGUAGE_ID = 'vpcflow';

/** Per-line flag bits (`EditorAnalysis.flags[line]`, 1-based line). */
export const LineFlag = {
  Record: 1,
  Header: 2,
  Unparsed: 4,
  Reject: 8,
  /** NODATA or SKIPDATA. */
  NoData: 16,
  /** The line fired at least one actionable trigger. */
  Alert: 32,
} as const;

/** Where the format the user asked for came from. */
export type FormatOrigin = 'document' | 'setting' | 'auto';

/** What the editor features need per line, for one document version. Arrays are indexed by 1-based line number. */
export interface LineData {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly lineCount: number;
  /** `LineFlag` bits per line. */
  readonly flags: Uint8Array;
  /** Index + 1 into `formats` of the format in force on a record or header line; 0 for other lines. */
  readonly formatIds: Uint16Array;
  readonly formats: readonly FlowFormat[];
  /** The record's offset in its line for envelope records (-1: not verbatim); null when every record is a plain line. */
  readonly offsets: Int32Array | null;
  /** The triggers the line fired, as bits (triggerBit; stateful hits included once complete); null when nothing fired. */
  readonly triggerMasks: TriggerMasks | null;
  /** Unparsed lines with their reasons (capped at UNPARSED_CAP; `summary.totals.unparsedLines` is exact). */
  readonly unparsedReasons: ReadonlyMap<number, string>;
  /**
   * Record lines kept with a best-effort metadata value that fails its check, with the first such value
   * (capped at UNPARSED_CAP; `summary.totals.flaggedRecords` is exact).
   */
  readonly flaggedValues: ReadonlyMap<number, FieldWarning>;
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
  readonly complete: true;
}

/** True for a finished analysis (false for the partial data of a running one). */
export function isComplete(data: LineData): data is EditorAnalysis {
  return data.complete;
}

const UNPARSED_CAP = 10_000;
/** Lines read and parsed between two clock checks. */
const LINES_PER_BATCH = 2000;
/** Longest stretch of analysis work before yielding to the event loop. */
const SLICE_MS = 15;
/** A first analysis reports partial per-line data every this many lines. */
const PROGRESS_LINES = 50_000;
const DEBOUNCE_MS = 300;

class Cancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

/** Collects the per-line facts while feeding the analyzer; readable as partial LineData while it runs. */
class LineCollector implements ParseSink, LineData {
  readonly flags: Uint8Array;
  linesDone = 0;
  readonly complete = false;
  readonly formatIds: Uint16Array;
  offsets: Int32Array | null = null;
  triggerMasks: TriggerMasks | null = null;
  readonly formats: FlowFormat[] = [];
  private readonly formatIndex = new Map<FlowFormat, number>();
  readonly unparsedReasons = new Map<number, string>();
  readonly flaggedValues = new Map<number, FieldWarning>();
  private readonly actionableMask: number;

  constructor(
    readonly uri: vscode.Uri,
    readonly version: number,
    readonly lineCount: number,
    private readonly analyzer: FlowAnalyzer,
    readonly analysisConfig: AnalysisConfig,
  ) {
    this.flags = new Uint8Array(lineCount + 2);
    this.formatIds = new Uint16Array(lineCount + 2);
    let actionable = 0;
    for (const t of TRIGGERS) if (t.actionable) actionable |= triggerBit(t.id);
    this.actionableMask = actionable;
  }

  private formatId(format: FlowFormat): number {
    let id = this.formatIndex.get(format);
    if (id === undefined) {
      this.formats.push(format);
      id = this.formats.length;
      this.formatIndex.set(format, id);
    }
    return id;
  }

  record(rec: FlowRecord): void {
    this.analyzer.record(rec);
    const line = rec.line;
    if (line < 1 || line > this.lineCount) return;
    let f = LineFlag.Record;
    const action = rec.format.index.get('action');
    if (action !== undefined && tokenEquals(rec, action, 'REJECT')) f |= LineFlag.Reject;
    const status = rec.format.index.get('log-status');
    if (status !== undefined && (tokenEquals(rec, status, 'NODATA') || tokenEquals(rec, status, 'SKIPDATA'))) {
      f |= LineFlag.NoData;
    }
    this.formatIds[line] = this.formatId(rec.format);
    if (this.flaggedValues.size < UNPARSED_CAP) {
      const w = firstMetadataWarning(rec);
      if (w) this.flaggedValues.set(line, w);
    }
    if (rec.offset !== 0) {
      this.offsets ??= new Int32Array(this.lineCount + 2);
      this.offsets[line] = rec.offset;
    }
    // Every trigger needs a REJECT; skip the (allocating) trigger evaluation for the others.
    if (f & LineFlag.Reject) {
      const fired = recordTriggers(rec, this.analysisConfig);
      if (fired.length) f |= this.markTriggers(line, fired);
    }
    this.flags[line] = (this.flags[line] ?? 0) | f;
  }

  /** Sets the trigger bits of a line; returns LineFlag.Alert when one of them is actionable. */
  markTriggers(line: number, fired: readonly { id: string }[]): number {
    this.triggerMasks ??= triggerMasks(this.lineCount + 2);
    let mask = this.triggerMasks[line] ?? 0;
    for (const t of fired) mask |= triggerBit(t.id);
    this.triggerMasks[line] = mask;
    return mask & this.actionableMask ? LineFlag.Alert : 0;
  }

  unparsed(entry: UnparsedLine): void {
    this.analyzer.unparsed(entry);
    const line = entry.line;
    if (line < 1 || line > this.lineCount) return;
    this.flags[line] = (this.flags[line] ?? 0) | LineFlag.Unparsed;
    if (this.unparsedReasons.size < UNPARSED_CAP) this.unparsedReasons.set(line, entry.reason);
  }

  header(line: number, format: FlowFormat): void {
    this.analyzer.header?.(line, format);
    if (line < 1 || line > this.lineCount) return;
    this.flags[line] = (this.flags[line] ?? 0) | LineFlag.Header;
    this.formatIds[line] = this.formatId(format);
  }
}

function tokenEquals(rec: FlowRecord, field: number, word: string): boolean {
  const start = rec.spans[field * 2];
  const end = rec.spans[field * 2 + 1];
  if (start === undefined || end === undefined || end - start !== word.length) return false;
  return rec.text.startsWith(word, start);
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
  private readonly partials = new Map<string, LineCollector>();
  private readonly cache = new Map<string, EditorAnalysis>();
  /**
   * The document each URI's state belongs to. A closed untitled document's URI (untitled:Untitled-1) is given to the
   * next new one, at the same version 1, and its close event may arrive after the new one opened: the state is
   * matched to the document object, never to the URI and version alone.
   */
  private readonly owners = new Map<string, vscode.TextDocument>();
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly reportedFormatErrors = new Map<string, string>();
  private analysisKey: string;
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
    /** Lets the extension host breathe between slices (setImmediate in Node, a macrotask in the web worker). */
    private readonly host: Pick<Host, 'yieldToEventLoop'>,
  ) {
    config.attachLog(log);
    this.analysisKey = JSON.stringify(config.current.analysis);
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.adopt(d);
        this.schedule(d, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
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
    this.adopt(document);
    const key = document.uri.toString();
    const requested = this.requestedFormat(document.uri);
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version && cached.requestedFormat === requested.format) {
      return Promise.resolve(cached);
    }
    const running = this.pending.get(key);
    if (running && running.version === document.version && running.key === requested.format) {
      return token ? raceCancellation(running.promise, token) : running.promise;
    }
    running?.cts.cancel();
    const cts = new vscode.CancellationTokenSource();
    const promise = this.run(document, requested.format, requested.origin, cts.token).finally(() => {
      if (this.pending.get(key)?.cts === cts) this.pending.delete(key);
      cts.dispose();
    });
    this.pending.set(key, { version: document.version, key: requested.format, promise, cts });
    return token ? raceCancellation(promise, token) : promise;
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (document.languageId !== LANGUAGE_ID) return;
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
    if (owner !== undefined) this.forget(document.uri);
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
    const version = document.version;
    const lineCount = document.lineCount;
    const analysisConfig = this.config.current.analysis;
    const analyzer = new FlowAnalyzer(analysisConfig);
    const collector = new LineCollector(document.uri, version, lineCount, analyzer, analysisConfig);
    const key = document.uri.toString();
    const firstRun = !this.cache.has(key);
    if (firstRun) this.partials.set(key, collector);
    const format = requestedFormatOption(requested);
    const parser = new FlowParser(collector, format === undefined ? {} : { format });
    const stale = (): boolean => token.isCancellationRequested || document.isClosed || document.version !== version;
    // Feed the parser line by line in time slices (no copy of the whole text), yielding between slices so the
    // extension host keeps serving typing, hovers and other extensions. Lines are read only while the version is
    // unchanged (checked after every yield), so every slice belongs to the same version.
    let line = 0;
    let reported = 0;
    try {
      while (line < lineCount) {
        const sliceStart = performance.now();
        const parts: string[] = [];
        while (line < lineCount) {
          const batchEnd = Math.min(lineCount, line + LINES_PER_BATCH);
          parts.length = 0;
          for (; line < batchEnd; line++) parts.push(document.lineAt(line).text);
          parser.push(line < lineCount ? parts.join('\n') + '\n' : parts.join('\n'));
          collector.linesDone = line;
          if (performance.now() - sliceStart > SLICE_MS) break;
        }
        if (line < lineCount) {
          // A first analysis shows its progress: after the first slice, then every PROGRESS_LINES lines.
          if (firstRun && (reported === 0 || line - reported >= PROGRESS_LINES)) {
            reported = line;
            this.progress.fire(document);
          }
          await this.host.yieldToEventLoop();
          if (stale()) throw new Cancelled();
        }
      }
    } finally {
      if (this.partials.get(key) === collector) this.partials.delete(key);
    }
    const stats = parser.end();
    const summary = analyzer.finish(stats);
    if (stale()) throw new Cancelled();
    if (stats.formatError && requested) {
      const why = `VPC Flow: the format ${origin === 'document' ? 'set for this file' : 'in vpcFlow.format'} is not valid (${stats.formatError}); detecting the format instead.`;
      if (this.reportedFormatErrors.get(document.uri.toString()) !== why) {
        this.reportedFormatErrors.set(document.uri.toString(), why);
        this.log.warn(why);
        void vscode.window.showWarningMessage(why);
      }
    }

    // Stateful triggers (port scans) are only known at the end: mark their hit lines from the summary.
    for (const t of summary.triggers) {
      const def = triggerDef(t.id);
      if (!def?.flags.needsState && !def?.flags.derived) continue;
      for (const hit of t.hits) {
        if (hit.line >= 1 && hit.line <= lineCount) {
          collector.flags[hit.line] =
            (collector.flags[hit.line] ?? 0) | collector.markTriggers(hit.line, [{ id: t.id }]);
        }
      }
    }
    const alerts: number[] = [];
    for (let line = 1; line <= lineCount; line++) if ((collector.flags[line] ?? 0) & LineFlag.Alert) alerts.push(line);

    const mainFormat = dominantFormat(stats) ?? collector.formats[0] ?? DEFAULT_V2;
    const analysis: EditorAnalysis = {
      uri: document.uri,
      version,
      format: mainFormat,
      summary,
      lineCount,
      flags: collector.flags,
      formatIds: collector.formatIds,
      formats: collector.formats,
      offsets: collector.offsets,
      triggerMasks: collector.triggerMasks,
      unparsedReasons: collector.unparsedReasons,
      flaggedValues: collector.flaggedValues,
      analysisConfig,
      linesDone: lineCount,
      complete: true,
      alertLines: Int32Array.from(alerts),
      alertLineCount: alerts.length,
      formatOrigin: origin,
      requestedFormat: requested,
      stats,
      elapsedMs: Date.now() - started,
    };
    this.cache.set(document.uri.toString(), analysis);
    this.log.debug(
      `analysed ${document.uri.toString()} v${version}: ${stats.records} records, ${summary.totals.alerts} alerts, ${analysis.elapsedMs} ms`,
    );
    this.analyzed.fire({ document, analysis });
    this.analyzedEditor.fire({ document, analysis });
    return analysis;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const p of this.pending.values()) p.cts.cancel();
    for (const s of this.subscriptions) s.dispose();
    this.analyzed.dispose();
    this.analyzedEditor.dispose();
    this.closed.dispose();
    this.progress.dispose();
  }
}

function dominantFormat(stats: ParseStats): FlowFormat | undefined {
  let best: { format: FlowFormat; records: number } | undefined;
  for (const f of stats.formats) if (!best || f.records > best.records) best = f;
  return best?.format;
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

export function isCancelled(e: unknown): boolean {
  return e instanceof Cancelled;
}

/** A short label for the format in force and where it came from, e.g. "default v2" or "custom (13 fields) · this file". */
export function formatLabel(analysis: EditorAnalysis): string {
  const f = analysis.format;
  if (f.source === 'user')
    return `${f.label} (${analysis.formatOrigin === 'document' ? 'set for this file' : 'from settings'})`;
  return f.label;
}
