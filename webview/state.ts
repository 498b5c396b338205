// The dashboard's state, in one place: UI state (tab, filters: saved with setState and restored when the webview
// reloads), what the host sent (document, summary, records page, progress) and the actions that change it. Views
// read it and re-render on the changes they listen to; only this module posts messages to the host.
import {
  filtersKey,
  restoreDashboardState,
  type DashboardState,
  type DashboardTab,
  type DocumentInfo,
  type ExportKind,
  type Filter,
  type QueryTargetKind,
  type QueryTargets,
  type RecordsPage,
  type WebviewMessage,
} from '../src/shared/protocol';
import type { AnalysisSummary } from '../src/shared/summary';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: DashboardState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What changed; each view listens to the changes it draws. */
export type Change = 'doc' | 'summary' | 'filters' | 'filtering' | 'records' | 'tab' | 'timing' | 'queries';

/** Dimensions a record has at most one value of: a second filter on one replaces the first (AND would be empty). */
const MULTI_VALUED = new Set<Filter['dimension']>(['trigger', 'mitre']);

export interface RecordsState {
  /** The page for the filters of the shown summary; null until it arrives. */
  page: RecordsPage | null;
  error: string | null;
  pending: boolean;
}

export interface FilteringState {
  /** Fraction of the input read by the running re-analysis (null when unknown). */
  fraction: number | null;
  error: string | null;
}

export class DashboardStore {
  private readonly api = acquireVsCodeApi();
  private readonly listeners: ((change: Change) => void)[] = [];
  private requestId = 0;

  tab: DashboardTab = 'network';
  /** The active filters, in the order they were added (AND across filters). */
  filters: readonly Filter[] = [];
  doc: DocumentInfo | null = null;
  /** The summary on screen, and the filters it was computed for. */
  summary: AnalysisSummary | null = null;
  summaryFilters: readonly Filter[] = [];
  /** A re-analysis for the active filters is running (or failed); null when the summary matches the filters. */
  filtering: FilteringState | null = null;
  records: RecordsState = { page: null, error: null, pending: false };
  timingText = '';
  /** Which triggers and tables have a query (the host sends it on `ready`). */
  queryTargets: QueryTargets = { triggers: [], tables: [] };

  constructor() {
    const restored = restoreDashboardState(this.api.getState());
    if (restored) {
      this.tab = restored.tab;
      this.filters = restored.filters;
    }
  }

  onChange(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  private save(): void {
    if (this.doc)
      this.api.setState({
        uri: this.doc.uri,
        origin: this.doc.origin,
        ...(this.doc.inputs ? { inputs: this.doc.inputs } : {}),
        tab: this.tab,
        filters: this.filters,
      });
  }

  /** True when the summary on screen is that of the active filters. */
  get upToDate(): boolean {
    return this.summary !== null && filtersKey(this.summaryFilters) === filtersKey(this.filters);
  }

  // -- actions from the views ---------------------------------------------------------------------------------

  ready(): void {
    this.post({ type: 'ready', filters: this.filters });
  }

  selectTab(tab: DashboardTab): void {
    this.tab = tab;
    this.save();
    this.emit('tab');
    if (tab === 'records') this.ensureRecords();
  }

  /** Adds a filter (a second value of a single-valued dimension replaces the first); no-op when present. */
  addFilter(filter: Filter): void {
    const same = (f: Filter): boolean =>
      f.dimension === filter.dimension && f.key === filter.key && f.end === filter.end;
    if (this.filters.some(same)) return;
    const kept = MULTI_VALUED.has(filter.dimension)
      ? this.filters
      : this.filters.filter((f) => f.dimension !== filter.dimension);
    this.setFilters([...kept, filter]);
  }

  removeFilter(index: number): void {
    this.setFilters(this.filters.filter((_, i) => i !== index));
  }

  clearFilters(): void {
    this.setFilters([]);
  }

  private setFilters(filters: readonly Filter[]): void {
    this.filters = filters;
    this.save();
    this.filtering = this.upToDate ? null : { fraction: null, error: null };
    this.post({ type: 'setFilters', filters });
    this.emit('filters');
  }

  exportData(kind: ExportKind): void {
    this.post({ type: 'export', kind, filters: this.filters });
  }

  /** Opens a line of the input (with `file`: of that file of a folder analysis). */
  reveal(line: number, file?: number): void {
    this.post(file === undefined ? { type: 'reveal', line } : { type: 'reveal', line, file });
  }

  /** "Copy query" on a trigger or a table: the host asks for the engine and puts the query on the clipboard. */
  copyQuery(kind: QueryTargetKind, id: string): void {
    this.post({ type: 'copyQuery', kind, id });
  }

  /** Asks for the records page of the shown summary's filters unless it is there or on its way. */
  ensureRecords(): void {
    if (!this.summary || !this.upToDate || this.records.page || this.records.pending) return;
    this.requestId++;
    this.records = { page: null, error: null, pending: true };
    this.post({ type: 'requestRecords', requestId: this.requestId, filters: this.filters });
  }

  // -- messages from the host ---------------------------------------------------------------------------------

  setDoc(doc: DocumentInfo): void {
    this.doc = doc;
    this.save();
    this.emit('doc');
  }

  /** A summary for `filters`; one for other filters than the active ones is stale (a newer one is on its way). */
  receiveSummary(doc: DocumentInfo, summary: AnalysisSummary, filters: readonly Filter[]): void {
    if (filtersKey(filters) !== filtersKey(this.filters)) return;
    this.doc = doc;
    this.summary = summary;
    this.summaryFilters = filters;
    this.filtering = null;
    this.requestId++; // a page on its way is that of the previous summary
    this.records = { page: null, error: null, pending: false };
    this.save();
    this.emit('summary');
    if (this.tab === 'records') this.ensureRecords();
  }

  receiveFiltering(filters: readonly Filter[], fraction: number | null, error: string | undefined): void {
    if (filtersKey(filters) !== filtersKey(this.filters)) return;
    this.filtering = { fraction, error: error ?? null };
    this.emit('filtering');
  }

  receiveRecords(requestId: number, page: RecordsPage | null, error: string | undefined): void {
    if (requestId !== this.requestId) return;
    this.records = { page, error: error ?? null, pending: false };
    this.emit('records');
  }

  setQueryTargets(targets: QueryTargets): void {
    this.queryTargets = targets;
    this.emit('queries');
  }

  setTiming(text: string): void {
    this.timingText = text;
    this.emit('timing');
  }
}
