// "Analyze VPC Flow": the dashboard webview panel beside the editor, following its document live; "Analyze File…"
// for files streamed from disk; the serializer that restores panels after a window reload.
import * as vscode from 'vscode';
import { FlowParser } from '../core/parser';
import type { ParseSink } from '../core/types';
import {
  DASHBOARD_VIEW_TYPE,
  assertNever,
  isDashboardState,
  isWebviewMessage,
  type DocumentInfo,
  type Filter,
  type HostMessage,
} from '../shared/protocol';
import type { AnalysisSummary } from '../shared/summary';
import { analyzeFile, diskNote, parseOptionsFor, scanFile, type FileAnalysis } from './analyzeFile';
import { Command } from './commands';
import { dashboardHtml, dashboardWebviewOptions } from './dashboardHtml';
import { runExport, type ExportSource } from './exports';
import { RecordsPageCollector } from './recordFilter';
import type { DocumentAnalysis, Services } from './services';

/** Re-render at most this often while the document is being edited. */
const RERENDER_DEBOUNCE_MS = 300;
const TEXT_CHUNK = 1 << 20;

const yieldNow = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function baseName(uri: vscode.Uri): string {
  const parts = uri.path.split('/');
  return parts[parts.length - 1] || uri.toString();
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What a dashboard shows: an open document (live) or a file analysed from disk. */
interface DashboardSource extends ExportSource, vscode.Disposable {
  readonly origin: 'editor' | 'disk';
  /** Fires when the summary or the document state changed. */
  readonly onDidChange: vscode.Event<void>;
  info(): DocumentInfo;
  /** Milliseconds the last analysis took, when this source ran it. */
  readonly analysisMs: number | null;
  /** Why there is no summary (analysis failed). */
  readonly failure: string | undefined;
  /** Streams the records again; stops early when `stop()` turns true. */
  scan(
    sink: ParseSink,
    token: vscode.CancellationToken,
    between?: () => Promise<void>,
    stop?: () => boolean,
  ): Promise<void>;
  reveal(line: number): Promise<void>;
}

/** An open document: follows `services.analyses` (debounced by the panel) and its closing. */
class EditorSource implements DashboardSource {
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

  async scan(
    sink: ParseSink,
    token: vscode.CancellationToken,
    between?: () => Promise<void>,
    stop?: () => boolean,
  ): Promise<void> {
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
      if (stop?.()) return;
      if (between) await between();
      else await yieldNow();
    }
    parser.end();
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
class DiskSource implements DashboardSource {
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
            progress.report({ increment: pct - reported, message: `${pct}% of ${(size / 1048576).toFixed(1)} MB` });
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
      if (err instanceof vscode.CancellationError) {
        this.services.log.info(`analysis of ${this.uri.toString()} cancelled`);
        return false;
      }
      this.failure = `Could not analyze ${this.name}: ${errorText(err)}`;
      this.services.log.error(this.failure);
      void vscode.window.showErrorMessage(`VPC Flow: ${this.failure}`);
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

  async scan(
    sink: ParseSink,
    token: vscode.CancellationToken,
    between?: () => Promise<void>,
    stop?: () => boolean,
  ): Promise<void> {
    await scanFile(this.services, this.uri, sink, { token, stop, between });
  }

  async reveal(line: number): Promise<void> {
    if (this.result?.compressed) {
      void vscode.window.showInformationMessage(
        `VPC Flow: line ${line} of ${this.name} (after decompression). A compressed file cannot be shown as text in the editor; decompress it to open the line.`,
      );
      return;
    }
    // The editor can show files above the extension sync limit; it clamps the column to the line's end.
    const range = new vscode.Range(line - 1, 0, line - 1, 1_000_000);
    await vscode.commands.executeCommand('vscode.open', this.uri, {
      viewColumn: this.column ?? vscode.ViewColumn.One,
      selection: range,
      preview: true,
    } satisfies vscode.TextDocumentShowOptions);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface RenderReport {
  /** Milliseconds the webview spent drawing. */
  readonly ms: number;
  /** The record count the overview shows. */
  readonly records: number;
  /** Milliseconds from the command to the charts drawn (first render after a command only). */
  readonly commandToDrawnMs: number | null;
}

/** One dashboard panel. */
export class DashboardPanel implements vscode.Disposable {
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private startedAt: number | undefined;
  private recordsScan: vscode.CancellationTokenSource | undefined;
  private disposed = false;
  private readonly rendered = new vscode.EventEmitter<RenderReport>();
  /** Fires each time the webview reports charts drawn for a summary. */
  readonly onDidRender = this.rendered.event;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private lastReport: RenderReport | undefined;
  /** Milliseconds from the command to the summary posted (for the timing report). */
  private summarySentMs: number | null = null;
  /** A summary reached the webview (later updates are debounced). */
  private sentSummary = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly source: DashboardSource,
    private readonly services: Services,
    startedAt?: number,
  ) {
    this.startedAt = startedAt;
    const extensionUri = services.context.extensionUri;
    panel.webview.options = dashboardWebviewOptions(extensionUri);
    panel.title = `VPC Flow: ${source.name}`;
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      source.onDidChange(() => this.schedule()),
      source,
      this.rendered,
    );
    panel.webview.html = dashboardHtml(panel.webview, extensionUri);
  }

  /** The latest render report, if the webview has drawn. */
  get lastRender(): RenderReport | undefined {
    return this.lastReport;
  }

  /** Brings the panel forward and redraws (timed from `startedAt`). */
  show(startedAt: number): void {
    this.startedAt = startedAt;
    this.panel.reveal(undefined, false);
    this.sendState();
  }

  /** Shows a loading message (e.g. the progress of a file analysis). */
  loading(message: string): void {
    this.post({ type: 'loading', doc: this.source.info(), message });
  }

  private post(message: HostMessage): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private schedule(): void {
    // The first summary goes out at once; later ones (edits) are debounced.
    if (!this.sentSummary && this.source.summary()) {
      this.sendState();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sendState();
    }, RERENDER_DEBOUNCE_MS);
  }

  private sendState(): void {
    const summary = this.source.summary();
    const doc = this.source.info();
    if (summary) {
      if (this.startedAt !== undefined && this.ready) this.summarySentMs = Date.now() - this.startedAt;
      this.post({ type: 'summary', doc, summary });
      this.sentSummary = this.ready;
    } else if (this.source.failure) this.post({ type: 'error', message: this.source.failure });
    else this.post({ type: 'loading', doc, message: `Analyzing ${this.source.name}…` });
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.services.log.warn('dashboard: dropped a malformed message from the webview');
      return;
    }
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.sendState();
        return;
      case 'reveal':
        this.source.reveal(raw.line).catch((err: unknown) => {
          this.services.log.error(`reveal line ${raw.line}: ${errorText(err)}`);
          void vscode.window.showErrorMessage(`VPC Flow: could not open line ${raw.line}: ${errorText(err)}`);
        });
        return;
      case 'export':
        void runExport(this.source, raw.kind, raw.filter, this.services.log);
        return;
      case 'requestRecords':
        void this.sendRecords(raw.requestId, raw.filter);
        return;
      case 'rendered': {
        const commandToDrawnMs = this.startedAt === undefined ? null : Date.now() - this.startedAt;
        this.startedAt = undefined;
        const report: RenderReport = { ms: raw.ms, records: raw.records, commandToDrawnMs };
        this.lastReport = report;
        if (commandToDrawnMs !== null) {
          const analysisMs = this.source.analysisMs;
          this.services.log.info(
            `dashboard ${this.source.name}: charts drawn ${commandToDrawnMs} ms after the command (analysis ${analysisMs ?? '?'} ms, summary sent after ${this.summarySentMs ?? '?'} ms, drawing ${Math.round(raw.ms)} ms, ${raw.records} records)`,
          );
          this.post({ type: 'timing', commandToDrawnMs, analysisMs, summarySentMs: this.summarySentMs });
        }
        this.rendered.fire(report);
        return;
      }
      default:
        assertNever(raw);
    }
  }

  /** A bounded page of the records matching `filter`, plus which trigger-hit lines match, computed by re-parsing. */
  private async sendRecords(requestId: number, filter: Filter | null): Promise<void> {
    this.recordsScan?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.recordsScan = cts;
    const summary = this.source.summary();
    if (!summary) {
      this.post({ type: 'records', requestId, filter, page: null, error: 'The analysis is still running.' });
      return;
    }
    const hitLines = new Set<number>();
    for (const t of summary.triggers) for (const h of t.hits) hitLines.add(h.line);
    const collector = new RecordsPageCollector(filter, hitLines);
    try {
      // Without a filter every record matches, so the first page is enough: counts come from the summary.
      const stop = filter ? undefined : () => collector.full;
      await this.source.scan(collector, cts.token, undefined, stop);
      let page = collector.page();
      if (!filter)
        page = { ...page, matched: summary.totals.records, scanned: summary.totals.records, hitLines: [...hitLines] };
      if (!cts.token.isCancellationRequested) this.post({ type: 'records', requestId, filter, page });
    } catch (err) {
      if (err instanceof vscode.CancellationError) return;
      this.post({
        type: 'records',
        requestId,
        filter,
        page: null,
        error: `Could not read the records: ${errorText(err)}`,
      });
    } finally {
      cts.dispose();
      if (this.recordsScan === cts) this.recordsScan = undefined;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.recordsScan?.cancel();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    for (const d of this.subscriptions) d.dispose();
    this.panel.dispose();
  }
}

/** Argument shapes the command receives: a URI (editor title / context menu), a document, or nothing. */
function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && 'uri' in arg && arg.uri instanceof vscode.Uri) return arg.uri;
  return undefined;
}

/** Owns the open dashboards (one per document or file) and restores them after a reload. */
export class Dashboards implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, DashboardPanel>();

  constructor(private readonly services: Services) {}

  private static key(origin: 'editor' | 'disk', uri: vscode.Uri): string {
    return `${origin}:${uri.toString()}`;
  }

  /** The open dashboard of a document or file, if any. */
  find(uri: vscode.Uri, origin: 'editor' | 'disk' = 'editor'): DashboardPanel | undefined {
    return this.panels.get(Dashboards.key(origin, uri));
  }

  private track(key: string, dashboard: DashboardPanel): DashboardPanel {
    this.panels.set(key, dashboard);
    dashboard.onDidDispose(() => {
      if (this.panels.get(key) === dashboard) this.panels.delete(key);
    });
    return dashboard;
  }

  private createPanel(name: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      `VPC Flow: ${name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { ...dashboardWebviewOptions(this.services.context.extensionUri), enableFindWidget: true },
    );
  }

  /** "Analyze VPC Flow": the dashboard of an open document. */
  async openForDocument(
    document: vscode.TextDocument,
    startedAt = Date.now(),
    panel?: vscode.WebviewPanel,
  ): Promise<DashboardPanel> {
    const key = Dashboards.key('editor', document.uri);
    const existing = this.panels.get(key);
    if (existing && !panel) {
      existing.show(startedAt);
      return existing;
    }
    existing?.dispose();
    const column = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn;
    const source = new EditorSource(document.uri, this.services, column);
    const dashboard = this.track(
      key,
      new DashboardPanel(panel ?? this.createPanel(source.name), source, this.services, startedAt),
    );
    await source.load(document);
    return dashboard;
  }

  /** "Analyze File…": the dashboard of a file streamed from disk. Undefined when cancelled. */
  async openForFile(
    uri: vscode.Uri,
    startedAt = Date.now(),
    panel?: vscode.WebviewPanel,
  ): Promise<DashboardPanel | undefined> {
    const key = Dashboards.key('disk', uri);
    this.panels.get(key)?.dispose(); // the file may have changed on disk: analyse it again
    const column = vscode.window.activeTextEditor?.viewColumn;
    const source = new DiskSource(uri, this.services, column);
    const dashboard = this.track(
      key,
      new DashboardPanel(panel ?? this.createPanel(source.name), source, this.services, startedAt),
    );
    const ok = await source.load((fraction) =>
      dashboard.loading(`Analyzing ${source.name}… ${Math.round(fraction * 100)}%`),
    );
    if (!ok && !source.failure) {
      dashboard.dispose();
      return undefined;
    }
    return dashboard;
  }

  /** The `vpcFlow.analyze` command. */
  async analyzeCommand(arg?: unknown): Promise<DashboardPanel | undefined> {
    const startedAt = Date.now();
    let uri = uriFromArg(arg);
    let document: vscode.TextDocument | undefined;
    if (!uri) {
      document = vscode.window.activeTextEditor?.document;
      if (!document) {
        // A file too large for extensions is open in the editor but has no TextDocument: take its tab.
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        if (input instanceof vscode.TabInputText) uri = input.uri;
        // The dashboard itself (or another webview) has focus: take the visible flow log.
        else
          document = (
            vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'vpcflow') ??
            vscode.window.visibleTextEditors[0]
          )?.document;
      }
    }
    if (!document && uri) {
      const key = uri.toString();
      document =
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ??
        (await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch((err: unknown) => {
          this.services.log.info(`${key} cannot be opened as a document (${errorText(err)}); analyzing it from disk`);
          return undefined;
        }));
      if (!document) return this.openForFile(uri, startedAt);
    }
    if (!document) {
      const choice = await vscode.window.showInformationMessage(
        'VPC Flow: open a flow log in the editor to analyze it, or analyze a file from disk.',
        'Analyze File…',
      );
      if (choice) await vscode.commands.executeCommand(Command.analyzeFile);
      return undefined;
    }
    return this.openForDocument(document, startedAt);
  }

  /** The `vpcFlow.analyzeFile` command: an open dialog unless a URI is given. */
  async analyzeFileCommand(arg?: unknown): Promise<DashboardPanel | undefined> {
    let uri = uriFromArg(arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Analyze a VPC flow log file',
        openLabel: 'Analyze',
        canSelectMany: false,
        filters: { 'Flow logs': ['log', 'gz', 'txt', 'json', 'vpcflow'], 'All files': ['*'] },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    return this.openForFile(uri, Date.now());
  }

  /** Restores a panel after a window reload; the state holds only UI state and the document URI. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isDashboardState(state)) {
      this.services.log.warn('dashboard: nothing to restore (no valid state); closing the panel');
      panel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(state.uri, true);
    if (state.origin === 'disk') {
      await this.openForFile(uri, Date.now(), panel);
      return;
    }
    let document: vscode.TextDocument | undefined;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (err) {
      this.services.log.info(`restore: ${uri.toString()} cannot be opened as a document (${errorText(err)})`);
    }
    if (document) await this.openForDocument(document, Date.now(), panel);
    else if (uri.scheme !== 'untitled') await this.openForFile(uri, Date.now(), panel);
    else panel.dispose();
  }

  dispose(): void {
    for (const d of [...this.panels.values()]) d.dispose();
    this.panels.clear();
  }
}

export function registerDashboard(services: Services): vscode.Disposable {
  const dashboards = new Dashboards(services);
  const report = (what: string) => (err: unknown) => {
    services.log.error(`${what}: ${errorText(err)}`);
    void vscode.window.showErrorMessage(`VPC Flow: ${what} failed: ${errorText(err)}`);
  };
  return vscode.Disposable.from(
    dashboards,
    vscode.commands.registerCommand(Command.analyze, (arg?: unknown) =>
      dashboards.analyzeCommand(arg).then(() => undefined, report('Analyze VPC Flow')),
    ),
    vscode.commands.registerCommand(Command.analyzeFile, (arg?: unknown) =>
      dashboards.analyzeFileCommand(arg).then(() => undefined, report('Analyze File')),
    ),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, dashboards),
  );
}
