// One dashboard webview panel: its lifecycle, the messages to and from the webview, and the active filters (the
// webview owns them as UI state and tells the panel; the panel posts the summary of the records they select).
import * as vscode from 'vscode';
import { DEFAULT_ROW_CONTEXT } from '../core/analysis/rows';
import {
  assertNever,
  filtersKey,
  isWebviewMessage,
  type Filter,
  type HostMessage,
  type RecordsPage,
} from '../shared/protocol';
import type { AnalysisSummary } from '../shared/summary';
import { dashboardHtml, dashboardWebviewOptions } from './dashboardHtml';
import { FilterRunner, filteredView, recordsPage } from './dashboardFilters';
import type { DashboardSource } from './dashboardSources';
import { runExport, type ExportSource } from './exports';
import { copyDashboardQuery } from './queries';
import { dashboardQueryTargets } from './queryDocuments';
import type { Services } from './services';
import { errorText } from '../core/text';

/** Re-render at most this often while the document is being edited. */
const RERENDER_DEBOUNCE_MS = 300;
/** Post the progress of a filtered re-analysis at most every this fraction of the input. */
const PROGRESS_STEP = 0.05;

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
  /** The filters the webview shows (AND across filters; empty = the whole input). */
  private filters: readonly Filter[] = [];
  private readonly runner: FilterRunner;

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
    this.runner = new FilterRunner(source, () => services.config.current.analysis);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
      source.onDidChange(() => this.schedule()),
      source,
      this.runner,
      this.rendered,
    );
    panel.webview.html = dashboardHtml(panel.webview, extensionUri);
  }

  /** The latest render report, if the webview has drawn. */
  get lastRender(): RenderReport | undefined {
    return this.lastReport;
  }

  /** The filters in force (as the webview last reported them). */
  get activeFilters(): readonly Filter[] {
    return this.filters;
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

  private postSummary(summary: AnalysisSummary, filters: readonly Filter[]): void {
    if (this.startedAt !== undefined && this.ready) this.summarySentMs = Date.now() - this.startedAt;
    this.post({ type: 'summary', doc: this.source.info(), summary, filters });
    this.sentSummary = this.ready;
  }

  private sendState(): void {
    const summary = this.source.summary();
    if (!summary) {
      if (this.source.failure) this.post({ type: 'error', message: this.source.failure });
      else this.post({ type: 'loading', doc: this.source.info(), message: `Analyzing ${this.source.name}…` });
      return;
    }
    if (this.filters.length === 0) {
      this.runner.cancel();
      this.postSummary(summary, []);
      return;
    }
    const cached = this.runner.cached(this.filters);
    if (cached) this.postSummary(cached.summary, cached.filters);
    else void this.refilter();
  }

  /** Re-analyses with the current filters (cancelling a run of older ones) and posts the filtered summary. */
  private async refilter(): Promise<void> {
    const filters = this.filters;
    if (!this.ready) return;
    let reported = 0;
    this.post({ type: 'filtering', filters, fraction: 0 });
    try {
      const view = await this.runner.run(filters, (fraction) => {
        if (fraction < reported + PROGRESS_STEP) return;
        reported = fraction;
        this.post({ type: 'filtering', filters, fraction });
      });
      if (filtersKey(filters) === filtersKey(this.filters)) this.postSummary(view.summary, filters);
    } catch (err) {
      if (err instanceof vscode.CancellationError) return;
      const message = `Could not filter the records: ${errorText(err)}`;
      this.services.log.error(`dashboard ${this.source.name}: ${message}`);
      this.post({ type: 'filtering', filters, fraction: null, error: message });
    }
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.services.log.warn('dashboard: dropped a malformed message from the webview');
      return;
    }
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.filters = raw.filters;
        this.post({ type: 'queryTargets', targets: dashboardQueryTargets() });
        this.sendState();
        return;
      case 'setFilters':
        // (The same filters again attach to the run under way or its cached result.)
        this.filters = raw.filters;
        this.sendState();
        return;
      case 'reveal':
        this.source.reveal(raw.line, raw.file).catch((err: unknown) => {
          this.services.log.error(`reveal line ${raw.line}: ${errorText(err)}`);
          void vscode.window.showErrorMessage(`VPC Flow: could not open line ${raw.line}: ${errorText(err)}`);
        });
        return;
      case 'export':
        void runExport(this.exportSource(), raw.kind, raw.filters, this.services);
        return;
      case 'requestRecords':
        void this.sendRecords(raw.requestId, raw.filters);
        return;
      case 'copyQuery':
        // The whole input's format (the same with or without filters).
        void copyDashboardQuery(this.services, { kind: raw.kind, id: raw.id }, this.source.summary(), this.source);
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

  /** What the exports read: the (filtered) summary and the records, from this panel's source. */
  private exportSource(): ExportSource {
    return {
      uri: this.source.uri,
      name: this.source.name,
      scan: (sink, options) => this.source.scan(sink, options),
      view: async (filters, token) => {
        const whole = this.source.summary();
        if (!whole) return undefined;
        if (filters.length === 0) return { summary: whole, context: DEFAULT_ROW_CONTEXT };
        const cached = this.runner.cached(filters);
        if (cached) return cached;
        // Not the filters on screen: an analysis of its own, so the panel's run goes on.
        const cts = new vscode.CancellationTokenSource();
        const linked = token?.onCancellationRequested(() => cts.cancel());
        try {
          return await filteredView(this.source, filters, this.services.config.current.analysis, cts.token);
        } finally {
          linked?.dispose();
          cts.dispose();
        }
      },
    };
  }

  /** A bounded page of the records the filters select (and how many they select). */
  private async sendRecords(requestId: number, filters: readonly Filter[]): Promise<void> {
    this.recordsScan?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.recordsScan = cts;
    const reply = (page: RecordsPage | null, error?: string): void => {
      if (!cts.token.isCancellationRequested) this.post({ type: 'records', requestId, filters, page, error });
    };
    try {
      const whole = this.source.summary();
      if (!whole) return reply(null, 'The analysis is still running.');
      const view = filters.length > 0 ? await this.runner.run(filters) : undefined;
      reply(await recordsPage(this.source, whole, view, cts.token));
    } catch (err) {
      if (err instanceof vscode.CancellationError) return;
      reply(null, `Could not read the records: ${errorText(err)}`);
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
