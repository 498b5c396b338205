// The per-line facts the editor features need (flags, format, trigger bits, reasons), collected while the core's
// parser feeds the analyzer. No `vscode` here: the same collector runs in the extension host (the browser build's
// in-thread analysis) and in the document worker (documentWorker.ts, Node). Typed arrays, not one object per line.
import { FlowAnalyzer, recordTriggers } from '../core/analysis/analyzer';
import type { AnalysisConfig } from '../core/analysis/config';
import { recordOfBytes } from '../core/analysis/layout';
import { triggerBit, triggerDef, triggerMasks, TRIGGERS, type TriggerMasks } from '../core/analysis/triggers';
import { requestedFormatOption } from '../core/format';
import { FlowParser } from '../core/parser';
import { firstMetadataWarning, type FieldWarning } from '../core/record';
import type {
  FlowFormat,
  FlowParserOptions,
  FlowRecord,
  FullParseStats,
  FusedRecordSink,
  UnparsedLine,
} from '../core/types';
import { mostRecords, type AnalysisSummary } from '../shared/summary';

/** Per-line flag bits (`LineFacts.flags[line]`, 1-based line). */
export const LineFlag = {
  Record: 1,
  Header: 2,
  Unparsed: 4,
  Reject: 8,
  /** NODATA or SKIPDATA. */
  NoData: 16,
  /** The line fired at least one actionable trigger. */
  Alert: 32,
} as const;

/** Unparsed reasons and flagged values kept per document (the summary's counts stay exact). */
export const UNPARSED_CAP = 10_000;

/** The per-line facts of one document version. Arrays are indexed by 1-based line number (length lineCount + 2). */
export interface LineFacts {
  /** `LineFlag` bits per line. */
  readonly flags: Uint8Array;
  /** Index + 1 into `formats` of the format in force on a record or header line; 0 for other lines. */
  readonly formatIds: Uint16Array;
  readonly formats: readonly FlowFormat[];
  /** The record's offset in its line for envelope records (-1: not verbatim); null when every record is a plain line. */
  readonly offsets: Int32Array | null;
  /** The triggers the line fired, as bits (triggerBit; stateful hits included once complete); null when nothing fired. */
  readonly triggerMasks: TriggerMasks | null;
  /** Unparsed lines with their reasons (capped at UNPARSED_CAP; `summary.totals.unparsedLines` is exact). */
  readonly unparsedReasons: ReadonlyMap<number, string>;
  /**
   * Record lines kept with a best-effort metadata value that fails its check, with the first such value
   * (capped at UNPARSED_CAP; `summary.totals.flaggedRecords` is exact).
   */
  readonly flaggedValues: ReadonlyMap<number, FieldWarning>;
}

/** A finished analysis of one text: the summary, the parse statistics and the per-line facts. */
export interface FinishedFacts extends LineFacts {
  readonly summary: AnalysisSummary;
  readonly stats: FullParseStats;
  /** Sorted lines that fired an actionable trigger. */
  readonly alertLines: Int32Array;
  /** The format in force for most records (undefined when there is no record and no header). */
  readonly mainFormat: FlowFormat | undefined;
}

export class Cancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export function isCancelled(e: unknown): boolean {
  return e instanceof Cancelled;
}

/** What the collector remembers of a format: its id and the positions it reads. */
interface FormatSlot {
  readonly id: number;
  readonly action: number;
  readonly status: number;
}

/**
 * Collects the per-line facts while feeding the analyzer (a ParseSink on the text path, a FusedRecordSink on the
 * byte path, where no FlowRecord is built but for the few lines that need one: REJECT records, whose triggers are
 * evaluated, and records with a flagged metadata value). Readable as partial facts while it runs.
 */
export class LineCollector implements FusedRecordSink, LineFacts {
  readonly flags: Uint8Array;
  readonly formatIds: Uint16Array;
  offsets: Int32Array | null = null;
  triggerMasks: TriggerMasks | null = null;
  readonly formats: FlowFormat[] = [];
  private readonly slots = new Map<FlowFormat, FormatSlot>();
  private lastFormat: FlowFormat | undefined;
  private lastSlot: FormatSlot | undefined;
  readonly unparsedReasons = new Map<number, string>();
  readonly flaggedValues = new Map<number, FieldWarning>();
  private readonly actionableMask: number;
  /** The parser's count of flagged records so far (the byte path learns a record is flagged from it). */
  flaggedSoFar: () => number = () => 0;
  private flaggedSeen = 0;

  constructor(
    readonly lineCount: number,
    readonly analyzer: FlowAnalyzer,
    readonly analysisConfig: AnalysisConfig,
  ) {
    this.flags = new Uint8Array(lineCount + 2);
    this.formatIds = new Uint16Array(lineCount + 2);
    let actionable = 0;
    for (const t of TRIGGERS) if (t.actionable) actionable |= triggerBit(t.id);
    this.actionableMask = actionable;
  }

  private slot(format: FlowFormat): FormatSlot {
    if (format === this.lastFormat && this.lastSlot) return this.lastSlot;
    let slot = this.slots.get(format);
    if (slot === undefined) {
      this.formats.push(format);
      slot = {
        id: this.formats.length,
        action: format.index.get('action') ?? -1,
        status: format.index.get('log-status') ?? -1,
      };
      this.slots.set(format, slot);
    }
    this.lastFormat = format;
    this.lastSlot = slot;
    return slot;
  }

  record(rec: FlowRecord): void {
    this.analyzer.record(rec);
    const line = rec.line;
    if (line < 1 || line > this.lineCount) return;
    const slot = this.slot(rec.format);
    let f = LineFlag.Record;
    if (slot.action >= 0 && tokenEquals(rec, slot.action, 'REJECT')) f |= LineFlag.Reject;
    if (slot.status >= 0 && (tokenEquals(rec, slot.status, 'NODATA') || tokenEquals(rec, slot.status, 'SKIPDATA'))) {
      f |= LineFlag.NoData;
    }
    this.formatIds[line] = slot.id;
    if (this.flaggedValues.size < UNPARSED_CAP) {
      const w = firstMetadataWarning(rec);
      if (w) this.flaggedValues.set(line, w);
    }
    if (rec.offset !== 0) {
      this.offsets ??= new Int32Array(this.lineCount + 2);
      this.offsets[line] = rec.offset;
    }
    // Every trigger needs a REJECT; skip the (allocating) trigger evaluation for the others.
    if (f & LineFlag.Reject) {
      const fired = recordTriggers(rec, this.analysisConfig);
      if (fired.length) f |= this.markTriggers(line, fired);
    }
    this.flags[line] = (this.flags[line] ?? 0) | f;
  }

  /** The byte path: values as the parser read them (action 1/2, log-status 0/3/4); a plain line, offset 0. */
  recordValues(bytes: Uint8Array, spans: Int32Array, vals: Float64Array, line: number, format: FlowFormat): void {
    this.analyzer.recordValues(bytes, spans, vals, line, format);
    // The parser counted the record as flagged (if it is) before handing it over.
    const flagged = this.flaggedSoFar();
    const isFlagged = flagged !== this.flaggedSeen;
    this.flaggedSeen = flagged;
    if (line < 1 || line > this.lineCount) return;
    const slot = this.slot(format);
    let f = LineFlag.Record;
    if (slot.action >= 0 && vals[slot.action] === 2) f |= LineFlag.Reject;
    if (slot.status >= 0) {
      const s = vals[slot.status];
      if (s === 3 || s === 4) f |= LineFlag.NoData;
    }
    this.formatIds[line] = slot.id;
    if (f & LineFlag.Reject || (isFlagged && this.flaggedValues.size < UNPARSED_CAP)) {
      const rec = recordOfBytes(bytes, spans, line, format);
      if (isFlagged && this.flaggedValues.size < UNPARSED_CAP) {
        const w = firstMetadataWarning(rec);
        if (w) this.flaggedValues.set(line, w);
      }
      if (f & LineFlag.Reject) {
        const fired = recordTriggers(rec, this.analysisConfig);
        if (fired.length) f |= this.markTriggers(line, fired);
      }
    }
    this.flags[line] = (this.flags[line] ?? 0) | f;
  }

  /** Sets the trigger bits of a line; returns LineFlag.Alert when one of them is actionable. */
  markTriggers(line: number, fired: readonly { id: string }[]): number {
    this.triggerMasks ??= triggerMasks(this.lineCount + 2);
    let mask = this.triggerMasks[line] ?? 0;
    for (const t of fired) mask |= triggerBit(t.id);
    this.triggerMasks[line] = mask;
    return mask & this.actionableMask ? LineFlag.Alert : 0;
  }

  unparsed(entry: UnparsedLine): void {
    this.analyzer.unparsed(entry);
    const line = entry.line;
    if (line < 1 || line > this.lineCount) return;
    this.flags[line] = (this.flags[line] ?? 0) | LineFlag.Unparsed;
    if (this.unparsedReasons.size < UNPARSED_CAP) this.unparsedReasons.set(line, entry.reason);
  }

  header(line: number, format: FlowFormat): void {
    this.analyzer.header(line, format);
    if (line < 1 || line > this.lineCount) return;
    this.flags[line] = (this.flags[line] ?? 0) | LineFlag.Header;
    this.formatIds[line] = this.slot(format).id;
  }
}

function tokenEquals(rec: FlowRecord, field: number, word: string): boolean {
  const start = rec.spans[field * 2];
  const end = rec.spans[field * 2 + 1];
  if (start === undefined || end === undefined || end - start !== word.length) return false;
  return rec.text.startsWith(word, start);
}

/** The parser of a document analysis: a FlowParser that lets the collector see its count of flagged records. */
class DocumentParser extends FlowParser {
  get flaggedRecords(): number {
    return this.stats.flaggedRecords;
  }
}

/** One document analysis: the parser feeding the collector (and through it the analyzer). */
export class LineAnalysis {
  readonly collector: LineCollector;
  readonly parser: FlowParser;

  /** An analysis of a text of `lineCount` lines in the format the user asked for (`requested`: '' = detect it). */
  static forRequested(lineCount: number, analysisConfig: AnalysisConfig, requested: string): LineAnalysis {
    const format = requestedFormatOption(requested);
    return new LineAnalysis(lineCount, analysisConfig, format === undefined ? {} : { format });
  }

  constructor(lineCount: number, analysisConfig: AnalysisConfig, options: FlowParserOptions) {
    this.collector = new LineCollector(lineCount, new FlowAnalyzer(analysisConfig), analysisConfig);
    const parser = new DocumentParser(this.collector, options);
    this.collector.flaggedSoFar = () => parser.flaggedRecords;
    this.parser = parser;
  }

  /** Ends the parse (synchronous inflater only: a document's text is never gzip) and completes the facts. */
  finish(): FinishedFacts {
    const stats = this.parser.end();
    const summary = this.collector.analyzer.finish(stats);
    const c = this.collector;
    const lineCount = c.lineCount;
    // Stateful triggers (port scans) are only known at the end: mark their hit lines from the summary.
    for (const t of summary.triggers) {
      const def = triggerDef(t.id);
      if (!def?.flags.needsState && !def?.flags.derived) continue;
      for (const hit of t.hits) {
        if (hit.line >= 1 && hit.line <= lineCount) {
          c.flags[hit.line] = (c.flags[hit.line] ?? 0) | c.markTriggers(hit.line, [{ id: t.id }]);
        }
      }
    }
    let alerts = 0;
    for (let line = 1; line <= lineCount; line++) if ((c.flags[line] ?? 0) & LineFlag.Alert) alerts++;
    const alertLines = new Int32Array(alerts);
    for (let line = 1, k = 0; line <= lineCount; line++)
      if ((c.flags[line] ?? 0) & LineFlag.Alert) alertLines[k++] = line;
    return {
      flags: c.flags,
      formatIds: c.formatIds,
      formats: c.formats,
      offsets: c.offsets,
      triggerMasks: c.triggerMasks,
      unparsedReasons: c.unparsedReasons,
      flaggedValues: c.flaggedValues,
      summary,
      stats,
      alertLines,
      mainFormat: mostRecords(stats.formats)?.format ?? c.formats[0],
    };
  }
}
