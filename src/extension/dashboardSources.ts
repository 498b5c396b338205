// Where a dashboard's records come from: an open editor document (followed live) or a file streamed from disk.
// A source analyses its input, streams the records again on demand (records page, exports, filtered re-analysis)
// and reveals a line. Cancellation is a vscode.CancellationToken; progress a fraction of the input read.
import * as vscode from 'vscode';
import { FlowParser } from '../core/parser';
import type { ParseSink, ParseStats } from '../core/types';
import type { DashboardOrigin, DocumentInfo, Filter } from '../shared/protocol';
import { mostRecords, type AnalysisSummary } from '../shared/summary';
import { splittableFilters } from '../core/analysis/merge';
import type { LineSet, RowFilter } from '../core/analysis/rows';
import { MAX_STATE_INPUTS } from '../shared/protocol';
import { bytesText, DASHBOARD_BYTES, intText } from '../shared/display';
import { analyzeFile, diskNote, parseOptionsFor, scanFile, type FileAnalysis } from './analyzeFile';
import {
  analyzeFolderInputs,
  analyzeFolderOnePass,
  listFolderInputs,
  scanFolder,
  type FolderAnalysis,
  type InputsProgress,
} from './analyzeFolder';
import { Command, type OpenViewOptions } from './commands';
import type { DocumentAnalysis, Services } from './services';
import { errorText } from '../core/text';

const TEXT_CHUNK = 1 << 20;

const yieldNow = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function baseName(uri: vscode.Uri): string {
  const parts = uri.path.split('/');
  return parts[parts.length - 1] || uri.toString();
}

export interface ScanOptions {
  /** Throws vscode.CancellationError once cancelled. */
  readonly token: vscode.CancellationToken;
  /** Awaited after each input chunk (back-pressure for exports). */
  readonly between?: () => Promise<void>;
  /** Stops reading (without error) once this turns true. */
  readonly stop?: () => boolean;
  /** The fraction of the input read so far (0..1). */
  readonly onProgress?: (fraction: number) => void;
  /** Told before each input of a folder is read: its index in the folder's inputs (the summary's `files`). */
  readonly onFile?: (index: number) => void;
}

/** Opens a compressed or Parquet file's read-only decompressed view (decompressedView.ts) at a 1-based line. */
export async function openDecompressedAt(
  uri: vscode.Uri,
  line: number,
  viewColumn: vscode.ViewColumn | undefined,
): Promise<void> {
  await vscode.commands.executeCommand(Command.openDecompressed, uri, {
    line,
    viewColumn: viewColumn ?? vscode.ViewColumn.One,
  } satisfies OpenViewOptions);
}

/**
 * Opens a file from disk at a 1-based line: a compressed or Parquet file (`decompressed`) in its read-only
 * decompressed view, any other in the editor, even above the extension sync limit (the editor clamps the column
 * to the line's end).
 */
async function openFileAt(
  uri: vscode.Uri,
  line: number,
  viewColumn: vscode.ViewColumn | undefined,
  decompressed: boolean,
): Promise<void> {
  if (decompressed) {
    await openDecompressedAt(uri, line, viewColumn);
    return;
  }
  await vscode.commands.executeCommand('vscode.open', uri, {
    viewColumn: viewColumn ?? vscode.ViewColumn.One,
    selection: new vscode.Range(line - 1, 0, line - 1, 1_000_000),
    preview: true,
  } satisfies vscode.TextDocumentShowOptions);
}

/**
 * After a load failed: undefined when it was cancelled (logged), otherwise the failure, logged and shown.
 * `what` names the input in the log.
 */
function loadFailure(services: Services, name: string, what: string, err: unknown): string | undefined {
  if (err instanceof vscode.CancellationError) {
    services.log.info(`analysis of ${what} cancelled`);
    return undefined;
  }
  const failure = `Could not analyze ${name}: ${errorText(err)}`;
  services.log.error(failure);
  void vscode.window.showErrorMessage(`VPC Flow: ${failure}`);
  return failure;
}

/** What a dashboard shows: an open document (live) or a file analysed from disk. */
export interface DashboardSource extends vscode.Disposable {
  readonly origin: DashboardOrigin;
  readonly uri: vscode.Uri;
  readonly name: string;
  /** Fires when the summary or the document state changed. */
  readonly onDidChange: vscode.Event<void>;
  info(): DocumentInfo;
  /** The analysis of the whole input (undefined while it runs, or when it failed). */
  summary(): AnalysisSummary | undefined;
  /** Milliseconds the last analysis took, when this source ran it. */
  readonly analysisMs: number | null;
  /** Why there is no summary (analysis failed). */
  readonly failure: string | undefined;
  /**
   * Streams the records again into `sink`, with the same format as the analysis. Resolves with the parse stats,
   * or undefined when `stop()` ended the scan early.
   */
  scan(sink: ParseSink, options: ScanOptions): Promise<ParseStats | undefined>;
  /** Opens a line of the input (of file `file` of a folder analysis). */
  reveal(line: number, file?: number): Promise<void>;
  /**
   * The analysis of the records `filters` select, when this source computes it itself (a folder: per file, then
   * combined, or one pass over every file for a port-scan row), with the lines that fired port-scan when it knows
   * them; otherwise dashboardFilters.ts re-runs one analyzer over `scan`.
   */
  filtered?(
    filters: readonly Filter[],
    token: vscode.CancellationToken,
    onProgress?: (fraction: number) => void,
  ): Promise<{ summary: AnalysisSummary; portScanLines?: LineSet }>;
}

/** An open document: follows `services.analyses` (debounced by the panel) and its closing. */
export class EditorSource implements DashboardSource {
  readonly origin = 'editor';
  readonly name: string;
  analysisMs: number | null = null;
  failure: string | undefined;
  private analysis: DocumentAnalysis | undefined;
  private closed = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly uri: vscode.Uri,
    private readonly services: Services,
    private readonly column: vscode.ViewColumn | undefined,
  ) {
    this.name = baseName(uri);
    const key = uri.toString();
    this.analysis = services.analyses.get(uri);
    this.subscriptions = [
      this.changed,
      services.analyses.onDidAnalyze(({ document, analysis }) => {
        if (document.uri.toString() !== key) return;
        this.analysis = analysis;
        this.closed = false;
        this.failure = undefined;
        this.changed.fire();
      }),
      services.analyses.onDidClose((closed) => {
        if (closed.toString() !== key) return;
        this.closed = true;
        this.changed.fire();
      }),
    ];
  }

  /** Analyses the document now (returns at once when the current version is already analysed). */
  async load(document?: vscode.TextDocument): Promise<void> {
    const t0 = Date.now();
    try {
      const doc = document ?? (await vscode.workspace.openTextDocument(this.uri));
      const analysis = await this.services.analyses.analyze(doc);
      this.analysisMs = Date.now() - t0;
      this.analysis = analysis;
      this.failure = undefined;
    } catch (err) {
      this.failure = `Could not analyze ${this.name}: ${errorText(err)}`;
      this.services.log.error(this.failure);
    }
    this.changed.fire();
  }

  summary(): AnalysisSummary | undefined {
    return this.analysis?.summary;
  }

  info(): DocumentInfo {
    return {
      uri: this.uri.toString(),
      name: this.name,
      origin: 'editor',
      closed: this.closed,
      formatLabel: this.analysis?.format.label ?? '',
      formatSource: this.analysis?.format.source ?? '',
    };
  }

  private document(): vscode.TextDocument | undefined {
    const key = this.uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
  }

  async scan(sink: ParseSink, { token, between, stop, onProgress }: ScanOptions): Promise<ParseStats | undefined> {
    const doc = this.document();
    let text: string;
    if (doc) text = doc.getText();
    else if (this.uri.scheme === 'untitled') throw new Error('the document was closed, so its records are gone');
    else text = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.uri));
    const format = this.analysis?.format;
    const options = format?.source === 'user' ? { format: format.fields } : parseOptionsFor(this.services, this.uri);
    const parser = new FlowParser(sink, options);
    for (let i = 0; i < text.length; i += TEXT_CHUNK) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      parser.push(text.slice(i, i + TEXT_CHUNK));
      if (stop?.()) return undefined;
      onProgress?.(Math.min(1, (i + TEXT_CHUNK) / text.length));
      if (between) await between();
      else await yieldNow();
    }
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    return parser.end();
  }

  async reveal(line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const index = Math.min(Math.max(line - 1, 0), Math.max(doc.lineCount - 1, 0));
    const range = doc.lineAt(index).range;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? this.column ?? vscode.ViewColumn.One,
      preserveFocus: false,
      selection: range,
    });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/** A file streamed from disk by Analyze File… (or restored after a reload). */
export class DiskSource implements DashboardSource {
  readonly origin = 'disk';
  readonly name: string;
  failure: string | undefined;
  private result: FileAnalysis | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly uri: vscode.Uri,
    private readonly services: Services,
    private readonly column: vscode.ViewColumn | undefined,
  ) {
    this.name = baseName(uri);
  }

  get analysisMs(): number | null {
    return this.result?.ms ?? null;
  }

  /** Streams and analyses the file with a cancellable progress notification; false when cancelled or failed. */
  async load(onProgress?: (fraction: number) => void): Promise<boolean> {
    try {
      this.result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `VPC Flow: analyzing ${this.name}`,
          cancellable: true,
        },
        async (progress, token) => {
          let reported = 0;
          return analyzeFile(this.services, this.uri, token, (read, size) => {
            const pct = size > 0 ? Math.floor((read / size) * 100) : 100;
            if (pct < reported + 2) return;
            progress.report({ increment: pct - reported, message: `${pct}% of ${bytesText(size, DASHBOARD_BYTES)}` });
            reported = pct;
            onProgress?.(pct / 100);
          });
        },
      );
      this.failure = undefined;
      this.services.log.info(
        `analyzed ${this.uri.toString()} from disk: ${this.result.summary.totals.records} records in ${this.result.ms} ms`,
      );
      this.changed.fire();
      return true;
    } catch (err) {
      const failure = loadFailure(this.services, this.name, this.uri.toString(), err);
      if (failure === undefined) return false;
      this.failure = failure;
      this.changed.fire();
      return false;
    }
  }

  summary(): AnalysisSummary | undefined {
    return this.result?.summary;
  }

  info(): DocumentInfo {
    return {
      uri: this.uri.toString(),
      name: this.name,
      origin: 'disk',
      closed: false,
      formatLabel: this.result?.format?.label ?? '',
      formatSource: this.result?.format?.source ?? '',
      sizeBytes: this.result?.size,
      note: this.result ? diskNote(this.result) : undefined,
    };
  }

  async scan(sink: ParseSink, { token, between, stop, onProgress }: ScanOptions): Promise<ParseStats | undefined> {
    const progress = onProgress && ((read: number, size: number) => onProgress(size > 0 ? read / size : 1));
    const { stats } = await scanFile(this.services, this.uri, sink, { token, stop, between, onProgress: progress });
    return stats;
  }

  async reveal(line: number): Promise<void> {
    await openFileAt(this.uri, line, this.column, this.result?.compressed || this.result?.kind === 'parquet');
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The files of a folder or a multi-selection, by Analyze Folder…. */
export class FolderSource implements DashboardSource {
  readonly origin = 'folder';
  readonly name: string;
  readonly uri: vscode.Uri;
  failure: string | undefined;
  private result: FolderAnalysis | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    /** What was selected: folders and files. */
    readonly roots: readonly vscode.Uri[],
    private readonly services: Services,
    private readonly column: vscode.ViewColumn | undefined,
  ) {
    const first = roots[0];
    if (!first) throw new Error('Analyze Folder… needs at least one folder or file');
    this.uri = first;
    this.name = roots.length === 1 ? baseName(first) : `${baseName(first)} and ${roots.length - 1} more`;
  }

  get analysisMs(): number | null {
    return this.result?.ms ?? null;
  }

  get analysis(): FolderAnalysis | undefined {
    return this.result;
  }

  /**
   * Lists and analyses the files with a cancellable progress notification (files done, lines, MB/s); false when
   * cancelled or failed. Skipped files are listed in one warning (and the log); they never stop the rest.
   */
  async load(onProgress?: (message: string) => void): Promise<boolean> {
    try {
      this.result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `VPC Flow: analyzing ${this.name}`,
          cancellable: true,
        },
        async (progress, token) => {
          progress.report({ message: 'listing files…' });
          const inputs = await listFolderInputs(this.roots, token);
          if (inputs.length === 0) throw new Error('there is no file in it');
          const t0 = Date.now();
          let reported = 0;
          let lastAt = 0;
          return analyzeFolderInputs(this.services, inputs, {
            token,
            onProgress: (p) => {
              const now = Date.now();
              if (now - lastAt < 200 && p.filesDone < p.filesTotal) return;
              lastAt = now;
              const mbps = p.bytes / 1048576 / Math.max((now - t0) / 1000, 0.001);
              const message = `${intText(p.filesDone)} of ${intText(p.filesTotal)} files, ${intText(p.lines)} lines, ${mbps.toFixed(1)} MB/s`;
              const pct = p.filesTotal > 0 ? Math.floor((p.filesDone / p.filesTotal) * 100) : 100;
              progress.report({ increment: pct - reported, message });
              reported = pct;
              onProgress?.(`Analyzing ${this.name}… ${message}`);
            },
          });
        },
      );
      this.failure = undefined;
      const r = this.result;
      this.services.log.info(
        `analyzed ${r.inputs.length} files under ${this.roots.map((u) => u.toString()).join(', ')}: ${r.summary.totals.records} records in ${r.ms} ms (${r.workers === 1 ? 'one thread' : 'worker pool'})`,
      );
      for (const s of r.skipped) this.services.log.warn(`skipped ${s.path}: ${s.reason}`);
      for (const d of r.damaged) this.services.log.warn(`damaged ${d.path}: ${d.damage}`);
      if (r.skipped.length > 0) void this.tellSkipped(r);
      this.changed.fire();
      return true;
    } catch (err) {
      const failure = loadFailure(this.services, this.name, this.name, err);
      if (failure === undefined) return false;
      this.failure = failure;
      this.changed.fire();
      return false;
    }
  }

  private async tellSkipped(r: FolderAnalysis): Promise<void> {
    const first = r.skipped[0];
    if (!first) return;
    const more = r.skipped.length > 1 ? ` (and ${r.skipped.length - 1} more; see the Files tab)` : '';
    const choice = await vscode.window.showWarningMessage(
      `VPC Flow: skipped ${r.skipped.length} of ${r.inputs.length} files in ${this.name}: ${first.path}: ${first.reason}${more}. The rest were analyzed.`,
      'Show Log',
    );
    if (choice) this.services.log.show(true);
  }

  summary(): AnalysisSummary | undefined {
    return this.result?.summary;
  }

  info(): DocumentInfo {
    const r = this.result;
    const top = r && mostRecords(r.summary.formats);
    const read = r ? (r.workers === 1 ? 'one file after another' : 'on every core') : '';
    return {
      uri: this.uri.toString(),
      name: this.name,
      origin: 'folder',
      inputs: this.roots.slice(0, MAX_STATE_INPUTS).map((u) => u.toString()),
      closed: false,
      formatLabel: top?.label ?? '',
      formatSource: top?.source ?? '',
      sizeBytes: r?.bytes,
      note: r
        ? `Analyzed ${intText(r.inputs.length)} files from disk, ${read}${r.skipped.length > 0 ? `; ${intText(r.skipped.length)} skipped` : ''}. The Files tab lists each file; clicking a hit opens its file at the line (a .gz or .parquet file in its read-only decompressed view).`
        : undefined,
    };
  }

  async scan(
    sink: ParseSink,
    { token, between, stop, onProgress, onFile }: ScanOptions,
  ): Promise<ParseStats | undefined> {
    const inputs = this.result?.inputs;
    if (!inputs) throw new Error('the analysis is still running');
    return scanFolder(this.services, inputs, sink, { token, between, stop, onProgress, onFile });
  }

  async filtered(
    filters: readonly Filter[],
    token: vscode.CancellationToken,
    onProgress?: (fraction: number) => void,
  ): Promise<{ summary: AnalysisSummary; portScanLines?: LineSet }> {
    const r = this.result;
    if (!r) throw new Error('the analysis is still running');
    const rows: RowFilter[] = filters.map(({ dimension, key, end }) =>
      end === undefined ? { dimension, key } : { dimension, key, end },
    );
    const total = Math.max(r.bytes, 1);
    const options = {
      token,
      filters: rows,
      onProgress: (p: InputsProgress) => onProgress?.(Math.min(1, p.bytes / total)),
    };
    if (!splittableFilters(rows)) {
      // A port-scan row: one pass over every file on this thread (a split analysis cannot decide it); the files'
      // facts are the whole analysis's (the filters do not change them).
      const pass = await analyzeFolderOnePass(this.services, r.inputs, options);
      return { summary: { ...pass.summary, files: r.summary.files }, portScanLines: pass.portScanLines };
    }
    return { summary: (await analyzeFolderInputs(this.services, r.inputs, options)).summary };
  }

  async reveal(line: number, file?: number): Promise<void> {
    const r = this.result;
    const input = file === undefined ? undefined : r?.inputs[file];
    if (!r || !input) {
      void vscode.window.showInformationMessage(`VPC Flow: line ${line}: the hit does not name its file.`);
      return;
    }
    const kind = r.summary.files?.[file ?? -1]?.kind;
    await openFileAt(input.uri, line, this.column, kind === 'gzip' || kind === 'parquet');
  }

  dispose(): void {
    this.changed.dispose();
  }
}
