// The dashboard's filtered view: the analysis re-run over the records the active filters select (AND across
// filters), plus the first page of those records, in one pass over the source. One run at a time per panel: a new
// filter change cancels the running one. The last result is kept while the source's summary is the same.
import * as vscode from 'vscode';
import { FlowAnalyzer } from '../core/analysis/analyzer';
import type { AnalysisConfigInput } from '../core/analysis/config';
import type { FlowRecord, ParseSink, UnparsedLine } from '../core/types';
import { filtersKey, type Filter, type RecordsPage } from '../shared/protocol';
import type { AnalysisSummary } from '../shared/summary';
import type { DashboardSource } from './dashboardSources';
import { RecordsPageCollector, recordInFilters } from './recordFilter';

export interface FilteredView {
  readonly filters: readonly Filter[];
  /** The summary over the selected records (triggers evaluated as in the whole input). */
  readonly summary: AnalysisSummary;
  /** The first records of the selection. */
  readonly page: RecordsPage;
}

/** Feeds each record to the filtered analyzer, then to the records page (which reads what the analyzer decided). */
class Tee implements ParseSink {
  constructor(
    private readonly analyzer: FlowAnalyzer,
    private readonly page: RecordsPageCollector,
    private readonly filters: readonly Filter[],
  ) {}
  header(line: number, format: Parameters<NonNullable<ParseSink['header']>>[1]): void {
    this.analyzer.header(line, format);
  }
  record(rec: FlowRecord): void {
    if (recordInFilters(rec, this.filters)) this.analyzer.record(rec); // (interim, until the core filters)
    this.page.record(rec);
  }
  unparsed(entry: UnparsedLine): void {
    this.analyzer.unparsed(entry);
  }
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

/** One pass over the source: the analysis of the records `filters` select, and the first page of them. */
export async function filteredView(
  source: DashboardSource,
  filters: readonly Filter[],
  config: AnalysisConfigInput,
  token: vscode.CancellationToken,
  onProgress?: (fraction: number) => void,
): Promise<FilteredView> {
  const analyzer = new FlowAnalyzer(config);
  const page = new RecordsPageCollector(filters, undefined);
  const stats = await source.scan(new Tee(analyzer, page, filters), { token, onProgress });
  if (token.isCancellationRequested) throw new vscode.CancellationError();
  return { filters, summary: analyzer.finish(stats), page: page.page() };
}
