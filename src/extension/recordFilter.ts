// Which records a dashboard filter selects, and the records page the webview shows. Pure (no vscode import), so
// plain-Node tests can run it; it lives here because only the host applies it.
import { fieldRaw, fieldValue } from '../core/record';
import type { FlowRecord, ParseSink, UnparsedLine } from '../core/types';
import type { Filter, RecordRow, RecordsPage } from '../shared/protocol';
import { RECORDS_PAGE_LIMIT } from '../shared/protocol';

function startWithin(rec: FlowRecord, from: number, to: number): boolean {
  const start = Number(fieldValue(rec, 'start'));
  return Number.isFinite(start) && start >= from && start < to;
}

const isReject = (rec: FlowRecord): boolean => fieldValue(rec, 'action') === 'REJECT';

/** Field equality; the key `-` (a table row for "no value") matches an absent or `-` field. */
function eq(rec: FlowRecord, field: string, key: string): boolean {
  const v = fieldValue(rec, field);
  return key === '-' ? v === undefined : v === key;
}

/** The filter rule for each dimension; the keys are those of the summary's top tables (raw log values). */
export function recordMatches(rec: FlowRecord, filter: Filter | null): boolean {
  if (!filter) return true;
  const key = filter.key;
  switch (filter.dimension) {
    case 'protocol':
      return eq(rec, 'protocol', key);
    case 'dstport':
      return eq(rec, 'dstport', key);
    case 'talker': // top talkers rank source addresses
      return eq(rec, 'srcaddr', key);
    case 'conversation': {
      const [a, b] = splitConversation(key);
      const src = fieldValue(rec, 'srcaddr');
      const dst = fieldValue(rec, 'dstaddr');
      return (src === a && dst === b) || (src === b && dst === a);
    }
    case 'region':
      return eq(rec, 'region', key);
    case 'az':
      return eq(rec, 'az-id', key);
    case 'vpc':
      return eq(rec, 'vpc-id', key);
    case 'interface':
      return eq(rec, 'interface-id', key);
    case 'flowDirection':
      return eq(rec, 'flow-direction', key);
    case 'trafficPath':
      return eq(rec, 'traffic-path', key);
    case 'blockedSource':
      return isReject(rec) && eq(rec, 'srcaddr', key);
    case 'blockedPort':
      return isReject(rec) && eq(rec, 'dstport', key);
    case 'time':
      return startWithin(rec, Number(key), filter.end ?? Number.POSITIVE_INFINITY);
    case 'rejectedTime':
      return isReject(rec) && startWithin(rec, Number(key), filter.end ?? Number.POSITIVE_INFINITY);
    case 'action':
      return eq(rec, 'action', key);
    case 'trigger':
    case 'mitre':
      return false; // interim: the core's recordInRows decides these
  }
}

/** A conversation key holds two addresses: "a|b", "a <-> b", "a → b" or "a - b". */
export function splitConversation(key: string): [string, string] {
  const m = /^\s*(\S+?)\s*(?:\||<->|↔|→|->|\s-\s|\s)\s*(\S+)\s*$/u.exec(key);
  return m ? [m[1] ?? '', m[2] ?? ''] : [key, key];
}

/** AND across filters (temporary: replaced by the core's recordInRows). */
export function recordInFilters(rec: FlowRecord, filters: readonly Filter[], _ctx?: unknown): boolean {
  for (const f of filters) if (!recordMatches(rec, f)) return false;
  return true;
}

/** A ParseSink that counts the records the filters select and keeps the first `limit` of them (all fields, raw). */
export class RecordsPageCollector implements ParseSink {
  private readonly columns: string[] = [];
  private readonly columnIndex = new Map<string, number>();
  private readonly kept: { line: number; rec: FlowRecord }[] = [];
  private matched = 0;
  private scanned = 0;

  constructor(
    private readonly filters: readonly Filter[],
    private readonly ctx: unknown,
    private readonly limit = RECORDS_PAGE_LIMIT,
  ) {}

  record(rec: FlowRecord): void {
    this.scanned++;
    if (this.filters.length > 0 && !recordInFilters(rec, this.filters, this.ctx)) return;
    this.matched++;
    if (this.kept.length < this.limit) {
      this.kept.push({ line: rec.line, rec });
      for (const name of rec.format.fields) {
        if (!this.columnIndex.has(name)) {
          this.columnIndex.set(name, this.columns.length);
          this.columns.push(name);
        }
      }
    }
  }

  /** The page is full (enough when every record matches). */
  get full(): boolean {
    return this.kept.length >= this.limit;
  }

  unparsed(_entry: UnparsedLine): void {
    // Unparsed lines are listed from the summary; they match no filter.
  }

  page(): RecordsPage {
    const rows: RecordRow[] = this.kept.map(({ line, rec }) => {
      const values = this.columns.map((name) => {
        const i = rec.format.index.get(name);
        return i === undefined ? '' : fieldRaw(rec, i);
      });
      return { line, values };
    });
    return { columns: [...this.columns], rows, matched: this.matched, scanned: this.scanned, limit: this.limit };
  }
}
