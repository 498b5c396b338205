// The dashboard's filtered view: the analysis re-run over the records the active filters select (AND across
// filters; the core's FlowAnalyzer with `filters`, whose row membership is the one the counters use), and the first
// page of those records. One run at a time per panel: a new filter change cancels the running one. The last result
// is kept while the source's summary is the same.
import * as vscode from 'vscode';
import { FlowAnalyzer } from '../core/analysis/analyzer';
import type { AnalysisConfigInput } from '../core/analysis/config';
import { DEFAULT_ROW_CONTEXT, type RowContext } from '../core/analysis/rows';
import { filtersKey, type Filter, type RecordsPage } from '../shared/protocol';
import type { AnalysisSummary } from '../shared/summary';
import type { DashboardSource } from './dashboardSources';
import { RecordsPageCollector } from './recordFilter';

export interface FilteredView {
  readonly filters: readonly Filter[];
  /** The summary over the selected records (every table, chart, total and trigger count). */
  readonly summary: AnalysisSummary;
  /** What membership needs beyond the record (the port-scan lines of this analysis), for pages and exports. */
  readonly context: RowContext;
}

/** One pass over the source: the analysis of the records `filters` select. */
export async function filteredView(
  source: DashboardSource,
  filters: readonly Filter[],
  config: AnalysisConfigInput,
  token: vscode.CancellationToken,
  onProgress?: (fraction: number) => void,
): Promise<FilteredView> {
  const analyzer = new FlowAnalyzer(config, { filters });
  if (source.filtered) {
    // A folder: analysed per file and combined, or in one pass over every file for a port-scan row.
    const { summary, portScanLines } = await source.filtered(filters, token, onProgress);
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    return {
      filters,
      summary,
      context: { config: analyzer.config, portScanLines: portScanLines ?? new Set<number>() },
    };
  }
  const stats = await source.scan(analyzer, { token, onProgress });
  if (token.isCancellationRequested || !stats) throw new vscode.CancellationError();
  const summary = analyzer.finish(stats);
  return { filters, summary, context: { config: analyzer.config, portScanLines: analyzer.portScanLines().lines } };
}

/**
 * The first records `view` selects (every record without a view), read until the page is full; the count comes
 * from the view's summary, which counted every selected record.
 */
export async function recordsPage(
  source: DashboardSource,
  whole: AnalysisSummary,
  view: FilteredView | undefined,
  token: vscode.CancellationToken,
): Promise<RecordsPage> {
  const collector = new RecordsPageCollector(view?.filters ?? [], view?.context ?? DEFAULT_ROW_CONTEXT);
  await source.scan(collector, { token, stop: () => collector.full, onFile: (i) => collector.file(i) });
  if (token.isCancellationRequested) throw new vscode.CancellationError();
  const matched = view ? (view.summary.filtered?.matched ?? view.summary.totals.records) : whole.totals.records;
  return { ...collector.page(), matched, scanned: whole.totals.records };
}

export class FilterRunner implements vscode.Disposable {
  private running:
    | {
        readonly key: string;
        readonly base: AnalysisSummary | undefined;
        readonly cts: vscode.CancellationTokenSource;
        readonly done: Promise<FilteredView>;
      }
    | undefined;
  private last: { readonly key: string; readonly base: AnalysisSummary; readonly view: FilteredView } | undefined;

  constructor(
    private readonly source: DashboardSource,
    private readonly config: () => AnalysisConfigInput,
  ) {}

  /** The finished view of `filters` over the current summary, if there is one. */
  cached(filters: readonly Filter[]): FilteredView | undefined {
    const last = this.last;
    const base = this.source.summary();
    return last && base && last.base === base && last.key === filtersKey(filters) ? last.view : undefined;
  }

  /** Cancels the running re-analysis, if any. */
  cancel(): void {
    this.running?.cts.cancel();
    this.running = undefined;
  }

  /**
   * The view of `filters`: the cached one, the one being computed, or a new run (which cancels a run of other
   * filters). Rejects with vscode.CancellationError when cancelled or superseded. `onProgress` reports a new run.
   */
  run(filters: readonly Filter[], onProgress?: (fraction: number) => void): Promise<FilteredView> {
    const cached = this.cached(filters);
    if (cached) return Promise.resolve(cached);
    const key = filtersKey(filters);
    const base = this.source.summary();
    if (this.running?.key === key && this.running.base === base) return this.running.done;
    this.cancel();
    const cts = new vscode.CancellationTokenSource();
    const done = this.analyze(filters, key, cts.token, onProgress).finally(() => {
      cts.dispose();
      if (this.running?.cts === cts) this.running = undefined;
    });
    this.running = { key, base, cts, done };
    return done;
  }

  private async analyze(
    filters: readonly Filter[],
    key: string,
    token: vscode.CancellationToken,
    onProgress?: (fraction: number) => void,
  ): Promise<FilteredView> {
    const base = this.source.summary();
    if (!base) throw new Error('the analysis is still running');
    const view = await filteredView(this.source, filters, this.config(), token, onProgress);
    if (this.source.summary() === base) this.last = { key, base, view };
    return view;
  }

  dispose(): void {
    this.cancel();
  }
}
