// Row membership: which records each clickable dashboard row counts (a table row, a chart bar or slice, a time
// bucket, a MITRE row, a trigger), declared once per dimension. PURE: no vscode, no DOM, no Node built-ins.
//
// A dimension declares the section it counts in (the Network tab counts ACCEPT records only, the Security tab
// and the triggers REJECT records only, the action chart both) and how a record's key is read: the same
// normalisations the analyzer's counters apply (layout.ts: protocol numbers, a dstport only for protocols that
// carry ports, times in seconds with milliseconds divided down and start falling back to end, IPv4 addresses in
// canonical dotted form, conversations as "a ↔ b" in the table's order, `-` rows where a table has them).
// The declarations are data in src/shared/dimensions.ts (the webview reads them too); `recordInRows` is the dashboard's filter; `FlowAnalyzer` (with `filters`) recomputes every table over the
// records it selects.

import type { FlowRecord } from '../types';
import {
  ROW_DIMENSIONS,
  type FilterDimension,
  type RowDimension,
  type RowFilter,
  type RowKey,
} from '../../shared/dimensions';
import { DEFAULT_ANALYSIS_CONFIG, type AnalysisConfig } from './config';
import { firedTriggerIds } from './evaluate';
import {
  ACCEPTED,
  countedPort,
  ipv4Text,
  layoutOf,
  readIPv4,
  readUint,
  REJECTED,
  seconds,
  statusOf,
  type Layout,
} from './layout';

export {
  FILTER_DIMENSIONS,
  ROW_DIMENSIONS,
  isTimeDimension,
  type FilterDimension,
  type RowDimension,
  type RowFilter,
  type RowKey,
  type RowSection,
} from '../../shared/dimensions';

/** Lines (1-based) that fired port-scan; a Set, or anything with `has`. */
export interface LineSet {
  has(line: number): boolean;
  /**
   * A folder's lines: the records that follow are in file `index` (their lines are within it). Sinks that are told
   * the file (ScanOptions.onFile) tell their context's line set too.
   */
  file?(index: number): void;
}

/** What membership needs beyond the record. */
export interface RowContext {
  /** The resolved analysis configuration (trigger ports). */
  readonly config: AnalysisConfig;
  /** The lines that fired port-scan in the unfiltered analysis (port-scan depends on the records around). */
  readonly portScanLines: LineSet;
}

/** The default configuration and no port-scan lines. */
export const DEFAULT_ROW_CONTEXT: RowContext = Object.freeze({
  config: DEFAULT_ANALYSIS_CONFIG,
  portScanLines: new Set<number>(),
});

/** True when every filter's row counts the record (AND); no filters: every record. */
export function recordInRows(rec: FlowRecord, filters: readonly RowFilter[], ctx: RowContext): boolean {
  if (filters.length === 0) return true;
  const l = layoutOf(rec.format);
  const status = statusOf(rec, l);
  for (const f of filters) {
    const d = ROW_DIMENSIONS[f.dimension] as RowDimension | undefined;
    if (d === undefined) return false;
    if (d.section === 'accepted' ? status !== ACCEPTED : d.section === 'rejected' ? status !== REJECTED : false)
      return false;
    if (!keyMatches(rec, l, status, d.key, f, ctx)) return false;
  }
  return true;
}

/**
 * The key of `rec` for a single-valued dimension (every kind but time, trigger and mitre), or null when the
 * record is in no row of it. The section is not checked here.
 */
export function rowKeyOf(rec: FlowRecord, dimension: FilterDimension): string | null {
  const l = layoutOf(rec.format);
  return singleKey(rec, l, statusOf(rec, l), ROW_DIMENSIONS[dimension].key);
}

function num(rec: FlowRecord, i: number): number {
  return i < 0 ? -1 : readUint(rec.text, rec.spans[2 * i]!, rec.spans[2 * i + 1]!);
}

/** The text of field i, or null when the format lacks it or it is empty or `-`. */
function text(rec: FlowRecord, i: number): string | null {
  if (i < 0) return null;
  const s = rec.spans[2 * i]!;
  const e = rec.spans[2 * i + 1]!;
  if (e <= s || (e - s === 1 && rec.text.charCodeAt(s) === 45)) return null;
  return rec.text.slice(s, e);
}

/** An address as the tables key it: IPv4 canonical, anything else as written. */
function address(rec: FlowRecord, i: number): { text: string; v4: number } | null {
  const t = text(rec, i);
  if (t === null) return null;
  const v4 = readIPv4(rec.text, rec.spans[2 * i]!, rec.spans[2 * i + 1]!);
  return { text: v4 >= 0 ? ipv4Text(v4) : t, v4 };
}

/** The record's time in seconds: start, else end; -1 when neither. */
export function recordTime(rec: FlowRecord, l: Layout = layoutOf(rec.format)): number {
  const start = seconds(num(rec, l.start));
  if (start >= 0) return start;
  return seconds(num(rec, l.end));
}

const TEXT_FIELD: Readonly<Record<string, keyof Layout>> = {
  region: 'region',
  'az-id': 'az',
  'vpc-id': 'vpc',
  'interface-id': 'iface',
  'flow-direction': 'direction',
};

function singleKey(rec: FlowRecord, l: Layout, status: number, k: RowKey): string | null {
  switch (k.kind) {
    case 'number': {
      const n = num(rec, l.protocol);
      return n >= 0 && n <= k.max ? String(n) : null;
    }
    case 'port': {
      const p = countedPort(num(rec, l.dstport), num(rec, l.protocol));
      return p >= 0 ? String(p) : null;
    }
    case 'address':
      return address(rec, l.srcaddr)?.text ?? null;
    case 'pair': {
      const a = address(rec, l.srcaddr);
      const b = address(rec, l.dstaddr);
      if (a === null || b === null) return null;
      if (a.v4 >= 0 && b.v4 >= 0) return a.v4 <= b.v4 ? `${a.text} ↔ ${b.text}` : `${b.text} ↔ ${a.text}`;
      // Text order (as compareSpans): the raw texts, since either one is not IPv4.
      const at = text(rec, l.srcaddr) as string;
      const bt = text(rec, l.dstaddr) as string;
      return at <= bt ? `${at} ↔ ${bt}` : `${bt} ↔ ${at}`;
    }
    case 'text':
      return text(rec, l[TEXT_FIELD[k.field] as keyof Layout]);
    case 'code': {
      if (l.path < 0) return null;
      const p = num(rec, l.path);
      return p >= 0 && p < 256 ? String(p) : '-';
    }
    case 'action':
      return status === ACCEPTED ? 'ACCEPT' : status === REJECTED ? 'REJECT' : null;
    case 'time':
    case 'trigger':
    case 'mitre':
      return null;
  }
}

function keyMatches(rec: FlowRecord, l: Layout, status: number, k: RowKey, f: RowFilter, ctx: RowContext): boolean {
  switch (k.kind) {
    case 'time': {
      const t = recordTime(rec, l);
      return t >= 0 && t >= Number(f.key) && t < (f.end ?? Number.POSITIVE_INFINITY);
    }
    case 'trigger':
      return firedTriggerIds(rec, ctx.config, ctx.portScanLines.has(rec.line)).some((d) => d.id === f.key);
    case 'mitre':
      return firedTriggerIds(rec, ctx.config, ctx.portScanLines.has(rec.line)).some(
        (d) => d.mitre?.technique === f.key,
      );
    default:
      return singleKey(rec, l, status, k) === f.key;
  }
}
