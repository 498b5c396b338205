// The dashboard's message protocol, typed once for both sides: the extension host (src/extension/dashboardPanel.ts)
// and the webview (webview/main.ts). PURE: no vscode, no DOM, no Node built-ins.
//
// Handshake: the webview posts `ready` with its filters (on every load: the webview is reloaded when it is hidden and
// shown again, since it does not retain its context, and restores its UI state first); the host answers with
// `loading` and/or `summary`. Filters are UI state the webview owns: it posts `setFilters` when they change, and the
// host answers with `filtering` (progress) and then the `summary` of the records they select. The webview receives
// aggregates (the AnalysisSummary) and bounded pages of records, never the records in bulk.
import type { AnalysisSummary } from './summary';
import { FILTER_DIMENSIONS, isTimeDimension, type FilterDimension, type RowFilter } from './dimensions';

export { FILTER_DIMENSIONS, type FilterDimension, type RowFilter };

export const DASHBOARD_VIEW_TYPE = 'vpcFlow.dashboard';

export const DASHBOARD_TABS = ['network', 'security', 'triggers', 'records', 'files'] as const;
export type DashboardTab = (typeof DASHBOARD_TABS)[number];

/** Largest records page the host sends in one `records` message. */
export const RECORDS_PAGE_LIMIT = 200;

/** Most filters a dashboard combines (a guard on what the webview sends, not a limit a user meets). */
export const MAX_FILTERS = 32;

/**
 * What a click on a bar, slice or table row filters by: a row of the summary (the dimensions and which records
 * each row counts are declared once in src/shared/dimensions.ts and evaluated by rows.ts), with the text
 * its chip shows, e.g. "Destination port 22 (ssh)".
 */
export type Filter = RowFilter & { readonly label: string };

export const EXPORT_KINDS = ['summary-json', 'hits-csv', 'records-csv'] as const;

/** What a "Copy query" button names: a trigger (its id) or a dashboard table (its card id, e.g. 'talkers'). */
export const QUERY_TARGET_KINDS = ['trigger', 'table'] as const;
export type QueryTargetKind = (typeof QUERY_TARGET_KINDS)[number];
/** The shape of a trigger or table id (checked on arrival; the host then looks it up in the compiler's targets). */
const QUERY_TARGET_ID = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** What has a query ("Query…" buttons): trigger ids, and dashboard tables by the row dimension of their card. */
export interface QueryTargets {
  readonly triggers: readonly string[];
  readonly tables: readonly { readonly dimension: FilterDimension; readonly id: string }[];
}
export type ExportKind = (typeof EXPORT_KINDS)[number];

export type DashboardOrigin = 'editor' | 'disk' | 'folder';

/** Most URIs a folder dashboard's state keeps (a larger multi-selection is not restored after a reload). */
export const MAX_STATE_INPUTS = 256;

/** The document (or file from disk) a dashboard shows. */
export interface DocumentInfo {
  /** The document URI, as a string. */
  readonly uri: string;
  /** File name for the title. */
  readonly name: string;
  /**
   * `editor`: an open document the dashboard follows live; `disk`: a file streamed from disk by Analyze File…;
   * `folder`: the files of a folder or a multi-selection, by Analyze Folder… (`inputs` holds what was selected).
   */
  readonly origin: DashboardOrigin;
  /** What Analyze Folder… was given (URIs of folders and files), for a folder analysis. */
  readonly inputs?: readonly string[];
  /** The document was closed (or the file can no longer be read); the dashboard shows the last analysis. */
  readonly closed: boolean;
  /** Format label of most records, e.g. "default v2", "header (21 fields)". */
  readonly formatLabel: string;
  /** Where that format came from: header, user, default, alphabetical or inferred. */
  readonly formatSource: string;
  /** Size in bytes (files from disk). */
  readonly sizeBytes?: number;
  /** Why the editor features are off (files from disk), shown as a note. */
  readonly note?: string;
}

/** One record of a records page: its line and the values of `RecordsPage.columns` (raw log text: untrusted). */
export interface RecordRow {
  readonly line: number;
  /** The file of a folder analysis the record is in (an index into the summary's `files`). */
  readonly file?: number;
  readonly values: readonly string[];
}

export interface RecordsPage {
  readonly columns: readonly string[];
  readonly rows: readonly RecordRow[];
  /** Records that match the filters in the whole input (exact). */
  readonly matched: number;
  /** Records scanned. */
  readonly scanned: number;
  /** Largest page size; `rows.length < matched` when more matched. */
  readonly limit: number;
}

// ---------------------------------------------------------------------------------------------------------------
// host -> webview

export type HostMessage =
  | { readonly type: 'loading'; readonly doc: DocumentInfo; readonly message: string }
  | {
      readonly type: 'summary';
      readonly doc: DocumentInfo;
      /** The analysis of the records `filters` select (the whole input when `filters` is empty). */
      readonly summary: AnalysisSummary;
      readonly filters: readonly Filter[];
    }
  | {
      /** A re-analysis for `filters` is running (`fraction` of the input read), or failed (`error`). */
      readonly type: 'filtering';
      readonly filters: readonly Filter[];
      readonly fraction: number | null;
      readonly error?: string;
    }
  | { readonly type: 'document'; readonly doc: DocumentInfo }
  /** Which triggers and tables have a query (sent on `ready`): they get a "Query…" button. */
  | { readonly type: 'queryTargets'; readonly targets: QueryTargets }
  | {
      readonly type: 'records';
      readonly requestId: number;
      readonly filters: readonly Filter[];
      readonly page: RecordsPage | null;
      /** Why there is no page (e.g. the document was closed and cannot be read again). */
      readonly error?: string;
    }
  | {
      /** The host's measurement: milliseconds from the command to the webview reporting charts drawn. */
      readonly type: 'timing';
      readonly commandToDrawnMs: number;
      readonly analysisMs: number | null;
      /** Milliseconds from the command to the summary posted to the webview. */
      readonly summarySentMs: number | null;
    }
  | { readonly type: 'error'; readonly message: string };

// ---------------------------------------------------------------------------------------------------------------
// webview -> host (checked at run time by isWebviewMessage: the webview renders untrusted log text)

export type WebviewMessage =
  /** Loaded (again): `filters` are those of its restored state. */
  | { readonly type: 'ready'; readonly filters: readonly Filter[] }
  /** The user changed the filters (AND across filters; empty = none). */
  | { readonly type: 'setFilters'; readonly filters: readonly Filter[] }
  /** Open a line: of the dashboard's input, or, with `file`, of that file of a folder analysis (index into files). */
  | { readonly type: 'reveal'; readonly line: number; readonly file?: number }
  | { readonly type: 'export'; readonly kind: ExportKind; readonly filters: readonly Filter[] }
  | { readonly type: 'requestRecords'; readonly requestId: number; readonly filters: readonly Filter[] }
  /** "Copy query" on a trigger row or a table card: the host asks for the engine and copies the compiled query. */
  | { readonly type: 'copyQuery'; readonly kind: QueryTargetKind; readonly id: string }
  | {
      /** Charts drawn for the summary it received; `ms` = time spent rendering in the webview. */
      readonly type: 'rendered';
      readonly ms: number;
      /** The overview numbers as shown, so tests can compare them with the summary. */
      readonly records: number;
    };

/** State the webview keeps with `vscode.setState`: UI state and the document URI, never data. */
export interface DashboardState {
  readonly uri: string;
  readonly origin: DashboardOrigin;
  /** A folder analysis: what was selected. */
  readonly inputs?: readonly string[];
  readonly tab: DashboardTab;
  readonly filters: readonly Filter[];
}

const MAX_TEXT = 4096;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isOneOf<T extends string>(values: readonly T[], x: unknown): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isText(x: unknown): x is string {
  return typeof x === 'string' && x.length <= MAX_TEXT;
}

/** A filter as it may arrive from the webview (or from restored state). */
export function isFilter(x: unknown): x is Filter {
  if (!isRecord(x)) return false;
  if (!isOneOf(FILTER_DIMENSIONS, x.dimension) || !isText(x.key) || x.key.length === 0 || !isText(x.label))
    return false;
  if (isTimeDimension(x.dimension)) {
    if (!/^\d{1,15}$/.test(x.key)) return false;
    return typeof x.end === 'number' && Number.isFinite(x.end) && x.end > Number(x.key);
  }
  return x.end === undefined;
}

/** A list of filters as it may arrive from the webview (or from restored state). */
export function isFilters(x: unknown): x is readonly Filter[] {
  return Array.isArray(x) && x.length <= MAX_FILTERS && x.every(isFilter);
}

/** One string per set of filters (in order), to tell whether two messages speak of the same filters. */
export function filtersKey(filters: readonly Filter[]): string {
  return JSON.stringify(filters.map((f) => [f.dimension, f.key, f.end ?? null]));
}

/** The run-time guard for every message from the webview: anything else is dropped by the host. */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isRecord(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'ready':
    case 'setFilters':
      return isFilters(x.filters);
    case 'reveal':
      return isCount(x.line) && x.line >= 1 && (x.file === undefined || isCount(x.file));
    case 'export':
      return isOneOf(EXPORT_KINDS, x.kind) && isFilters(x.filters);
    case 'requestRecords':
      return isCount(x.requestId) && isFilters(x.filters);
    case 'copyQuery':
      return isOneOf(QUERY_TARGET_KINDS, x.kind) && typeof x.id === 'string' && QUERY_TARGET_ID.test(x.id);
    case 'rendered':
      return typeof x.ms === 'number' && Number.isFinite(x.ms) && x.ms >= 0 && isCount(x.records);
    default:
      return false;
  }
}

/** Restored webview state (from a previous session: treat as untrusted input). */
export function isDashboardState(x: unknown): x is DashboardState {
  return (
    isRecord(x) &&
    typeof x.uri === 'string' &&
    x.uri.length > 0 &&
    x.uri.length <= MAX_TEXT &&
    (x.origin === 'editor' || x.origin === 'disk' || x.origin === 'folder') &&
    (x.inputs === undefined ||
      (Array.isArray(x.inputs) && x.inputs.length <= MAX_STATE_INPUTS && x.inputs.every(isText))) &&
    isOneOf(DASHBOARD_TABS, x.tab) &&
    isFilters(x.filters)
  );
}

/**
 * The dashboard state to restore, or undefined when there is none. The state of a version before combinable filters
 * (one `filter`, or null) becomes a list of at most one filter.
 */
export function restoreDashboardState(x: unknown): DashboardState | undefined {
  if (isDashboardState(x)) return x;
  if (!isRecord(x) || x.filters !== undefined) return undefined;
  const old = x.filter;
  if (old !== undefined && old !== null && !isFilter(old)) return undefined;
  const upgraded = { uri: x.uri, origin: x.origin, tab: x.tab, filters: old ? [old] : [] };
  return isDashboardState(upgraded) ? upgraded : undefined;
}

/** Exhaustiveness check for switches over the unions above. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
