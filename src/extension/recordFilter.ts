// Which records a dashboard filter selects, and the records page the webview shows. Pure (no vscode import), so
// plain-Node tests can run it; it lives here because only the host applies it.
import { DEFAULT_ROW_CONTEXT, recordInRows, type RowContext } from '../core/analysis/rows';
import { fieldRaw } from '../core/record';
import type { FlowRecord, ParseSink, UnparsedLine } from '../core/types';
import type { Filter, RecordRow, RecordsPage } from '../shared/protocol';
import { RECORDS_PAGE_LIMIT } from '../shared/protocol';

/**
 * The dashboard filter: the records the row counts (src/core/analysis/rows.ts, the same definition as the
 * analyzer's counters). `ctx` supplies the trigger ports and the port-scan lines of the analysis.
 */
export function recordMatches(rec: FlowRecord, filter: Filter | null, ctx: RowContext = DEFAULT_ROW_CONTEXT): boolean {
  return recordInRows(rec, filter ? [filter] : [], ctx);
}

/** A conversation key holds two addresses: "a|b", "a <-> b", "a → b" or "a - b". */
export function splitConversation(key: string): [string, string] {
  const m = /^\s*(\S+?)\s*(?:\||<->|↔|→|->|\s-\s|\s)\s*(\S+)\s*$/u.exec(key);
  return m ? [m[1] ?? '', m[2] ?? ''] : [key, key];
}

/**
 * A ParseSink that counts the records the filters select (AND) and keeps the first `limit` of them (all fields, raw).
 * `ctx` is that of the analysis the filters come from (its port-scan lines).
 */
export class RecordsPageCollector implements ParseSink {
  private readonly columns: string[] = [];
  private readonly columnIndex = new Map<string, number>();
  private readonly kept: { line: number; file: number | undefined; rec: FlowRecord }[] = [];
  private matched = 0;
  private scanned = 0;
  private currentFile: number | undefined;

  constructor(
    private readonly filters: readonly Filter[],
    private readonly ctx: RowContext = DEFAULT_ROW_CONTEXT,
    private readonly limit = RECORDS_PAGE_LIMIT,
  ) {}

  record(rec: FlowRecord): void {
    this.scanned++;
    if (!recordInRows(rec, this.filters, this.ctx)) return;
    this.matched++;
    if (this.kept.length < this.limit) {
      this.kept.push({ line: rec.line, file: this.currentFile, rec });
      for (const name of rec.format.fields) {
        if (!this.columnIndex.has(name)) {
          this.columnIndex.set(name, this.columns.length);
          this.columns.push(name);
        }
      }
    }
  }

  /** The records that follow are in file `index` of a folder analysis (ScanOptions.onFile). */
  file(index: number): void {
    this.currentFile = index;
    this.ctx.portScanLines.file?.(index);
  }

  /** The page is full (enough when every record matches). */
  get full(): boolean {
    return this.kept.length >= this.limit;
  }

  unparsed(_entry: UnparsedLine): void {
    // Unparsed lines are listed from the summary; they match no filter.
  }

  page(): RecordsPage {
    const rows: RecordRow[] = this.kept.map(({ line, file, rec }) => {
      const values = this.columns.map((name) => {
        const i = rec.format.index.get(name);
        return i === undefined ? '' : fieldRaw(rec, i);
      });
      return file === undefined ? { line, values } : { line, file, values };
    });
    return { columns: [...this.columns], rows, matched: this.matched, scanned: this.scanned, limit: this.limit };
  }
}
