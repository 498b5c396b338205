// Consecutive whole files read by one FlowAnalyzer (a FlowParser per file, for its own header and format), so
// that a folder of small S3 objects costs one analyzer, one part and one merge per batch instead of per object.
// PURE: no vscode, no DOM, no Node built-ins.
//
// Lines are numbered across the batch's files (file k's line n is the batch's line n + the lines of the files
// before k), so the analyzer's hits, unparsed lines, MITRE rows and port-scan observations stay in input order, and
// the part carries each file's line count (`fileLines`) for merge.ts's localizePart to give every line back to
// its own file. Each file's facts (lines, records, format, time range) are kept apart.
//
// The same reading serves one pass over a folder (an analyzer not in part mode, for filters on stateful rows such
// as port scans, which a split analysis cannot decide): `summary()` and `portScanLines()` give the lines back to
// their files.
//
// A file that turns out not to count (no record and unparsed lines: not a flow log; a Parquet file of other data;
// unreadable) must leave nothing behind: its unparsed lines are held until its first record, and dropped when it
// is left out. A file cannot be left out once it has given records (the analyzer cannot take them back): endFile
// then throws, and the caller reads the batch's files one by one instead.

import type { AnalysisSummary, FileFacts } from '../../shared/summary';
import type { FlowFormat, FlowRecord, FusedRecordSink, ParseStats, UnparsedLine } from '../types';
import type { FlowAnalyzer } from './analyzer';
import { localizeSummary } from './merge';
import type { AnalysisPart } from './part';
import type { LineSet } from './rows';

/** What a file's facts take from its analysis. */
export type FileCounts = Pick<FileFacts, 'lines' | 'records' | 'unparsedLines' | 'format' | 'timeRange'>;

/** A file with records cannot be left out of a batch (see the module comment). */
export class BatchUndoError extends Error {}

export class FileBatch implements FusedRecordSink {
  /** Lines of the files before the current one. */
  private base = 0;
  /** Records of the current file so far. */
  private records = 0;
  /** Unparsed lines of the current file before its first record (at most the analyzer keeps). */
  private held: UnparsedLine[] = [];
  private firstReason: string | undefined;
  private readonly stats: ParseStats[] = [];
  private readonly lines: number[] = [];

  constructor(private readonly analyzer: FlowAnalyzer) {}

  record(rec: FlowRecord): void {
    if (this.records++ === 0) this.release();
    this.analyzer.record(this.base === 0 ? rec : { ...rec, line: rec.line + this.base });
  }

  recordValues(bytes: Uint8Array, spans: Int32Array, vals: Float64Array, line: number, format: FlowFormat): void {
    if (this.records++ === 0) this.release();
    this.analyzer.recordValues(bytes, spans, vals, line + this.base, format);
  }

  unparsed(entry: UnparsedLine): void {
    this.firstReason ??= entry.reason;
    const e = this.base === 0 ? entry : { ...entry, line: entry.line + this.base };
    if (this.records > 0) this.analyzer.unparsed(e);
    // Past what the analyzer keeps, a held line would only add to a count the part takes from the parser's stats.
    else if (this.held.length < this.analyzer.config.maxUnparsed) this.held.push(e);
  }

  header(line: number, format: FlowFormat): void {
    this.analyzer.header(line + this.base, format);
  }

  private release(): void {
    for (const e of this.held) this.analyzer.unparsed(e);
    this.held = [];
  }

  /** The first unparsed line's reason in the current file. */
  get firstProblem(): string | undefined {
    return this.firstReason;
  }

  /**
   * The end of the current file, with its parser's stats (null: it could not be read at all). `leftOut`: the file
   * does not count; its held lines are dropped. Returns the file's counts, null when it is left out. Throws a
   * BatchUndoError when a file with records is left out.
   */
  endFile(stats: ParseStats | null, leftOut: boolean): FileCounts | null {
    if (leftOut && this.records > 0) throw new BatchUndoError('a file with records cannot be left out of a batch');
    if (leftOut || stats === null) this.held = [];
    else this.release();
    const timeRange = this.analyzer.fileTimeRange();
    const lines = stats?.lines ?? 0;
    this.lines.push(lines);
    this.base += lines;
    this.records = 0;
    this.firstReason = undefined;
    if (leftOut || stats === null) return null;
    this.stats.push(stats);
    return {
      lines: stats.lines,
      records: stats.records,
      unparsedLines: stats.unparsed,
      format: stats.formats.find((f) => f.records > 0)?.format.label ?? null,
      timeRange,
    };
  }

  /** The part of every file ended so far (the analyzer was created with `part: true`). */
  part(): AnalysisPart {
    return { ...this.analyzer.part(this.stats), fileLines: this.lines.slice() };
  }

  /**
   * The summary of every file ended so far, for an analyzer created without `part`: one pass over the files in
   * order, so stateful rows (port scans) are decided as they are read and any filter applies. Hits and unparsed lines
   * name their file (`first` + its place in the batch) and their line in it.
   */
  summary(first = 0): AnalysisSummary {
    return localizeSummary(this.analyzer.finish(this.stats), this.lines, first);
  }

  /**
   * The lines that fired port-scan in that pass, as a folder's line set: told the file (`file(index)`, `first` + its
   * place in the batch), `has` takes a line within it.
   */
  portScanLines(first = 0): LineSet {
    const lines = this.analyzer.portScanLines().lines;
    const starts: number[] = [];
    this.lines.reduce((n, l) => (starts.push(n), n + l), 0);
    let base = 0;
    return {
      has: (line) => lines.has(base + line),
      file: (index) => {
        base = starts[index - first] ?? 0;
      },
    };
  }
}
