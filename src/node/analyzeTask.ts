// One unit of a many-input analysis: a whole file (plain, gzip, Parquet), a byte range of a large plain file, or
// a stream (stdin), parsed and analysed into an AnalysisPart that merge.ts combines with the others. Runs in an
// analysis worker (analysisWorker.ts) or in the calling thread (stdin, one job). Node only.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { FlowAnalyzer } from '../core/analysis/analyzer';
import { FileBatch, type FileCounts } from '../core/analysis/batch';
import type { AnalysisConfig } from '../core/analysis/config';
import { combineParts, type AnalysisPart } from '../core/analysis/merge';
import type { RowFilter } from '../core/analysis/rows';
import { makeFormat } from '../core/format';
import { FlowParser, type FullParseStats } from '../core/parser';
import type { FlowFormat, FlowParserOptions, FormatSource, ParseSink } from '../core/types';
import { inputKind, SNIFF_BYTES, type InputKind } from '../core/input/inflate';
import { bytesBuffer, ParquetError, parseParquet, type AsyncBuffer } from '../core/input/parquet';
import { notAFlowLog, watchFirstProblem } from '../core/input/verdict';
import type { AnalysisSummary } from '../shared/summary';
import { fileChunks } from './fileChunks';
import { fileBuffer, NODE_PARQUET } from './parquetFile';
import { wholeInputInflater, zlibInflater } from './zlibInflater';
import { errorText } from '../core/text';

/** What every task of one analysis shares (sent once to each worker). */
export interface AnalysisSetup {
  config: AnalysisConfig;
  filters?: RowFilter[];
  /** The user's format for header-less input (`--format`). */
  format?: string;
}

/** A FlowFormat as plain data (it crosses threads; makeFormat rebuilds it). */
export interface FormatSpec {
  fields: string[];
  source: FormatSource;
  confidence: number;
  label: string;
  notes: string[];
  ambiguous: boolean;
}

export interface AnalysisTask {
  path: string;
  /** What the file's first bytes say it is. */
  kind: 'plain' | 'gzip' | 'parquet';
  /** A byte range of a plain file, [start, end), both at line starts (absent: the whole file). */
  start?: number;
  end?: number;
  /** The format in force where the range starts (ranges after the first): see PartParser. */
  preset?: FormatSpec;
  /** Hits still wanted per trigger (see AnalyzerOptions.hitRoom). */
  hitRoom?: number[];
}

export interface TaskProgress {
  /** Input bytes read (compressed bytes for gzip). */
  bytes: number;
  lines: number;
  /** Files read so far (a batch). */
  files?: number;
}

export interface TaskResult {
  part: AnalysisPart;
  lines: number;
  records: number;
  unparsed: number;
  /** The first unparsed line's reason (what a file that is no flow log is reported with). */
  firstProblem?: string;
  /** The format in force when the part ended (checked against the next range's preset). */
  endFormat: FormatSpec | null;
  /** The part ended inside a JSON document (a split there is not one pass: the file is read whole again). */
  jsonOpen: boolean;
  /** Truncated or corrupt gzip, or a damaged Parquet file: what decoded was analysed. */
  damage?: string;
  /** Why the file was not analysed (a Parquet file that is not a flow log): nothing of it counts. */
  skipped?: string;
}

export const INFLATER = zlibInflater(zlib);
/** For an input held whole in memory: a gzip one is inflated in one call (see WholeGunzip). */
const WHOLE_INFLATER = wholeInputInflater(zlib);

export function formatSpec(f: FlowFormat | undefined): FormatSpec | null {
  if (!f) return null;
  return {
    fields: [...f.fields],
    source: f.source,
    confidence: f.confidence,
    label: f.label,
    notes: [...f.notes],
    ambiguous: f.ambiguous,
  };
}

export function sameFormat(a: FormatSpec | null | undefined, b: FormatSpec | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return (
    a.source === b.source &&
    a.confidence === b.confidence &&
    a.label === b.label &&
    a.ambiguous === b.ambiguous &&
    a.fields.join(' ') === b.fields.join(' ') &&
    a.notes.join('\n') === b.notes.join('\n')
  );
}

/**
 * A FlowParser for one part of a file: a range after the first starts with the format in force at its start
 * (resolved once from the file's start, header or inference, and checked afterwards against where the previous
 * range ended), and says what it ended with.
 */
export class PartParser extends FlowParser {
  constructor(sink: ParseSink, options: FlowParserOptions, preset?: FormatSpec) {
    super(sink, options);
    if (preset) {
      this.setFormat(makeFormat(preset.fields, preset));
      this.sample = null;
    }
  }

  get linesRead(): number {
    return this.stats.lines;
  }

  get jsonOpen(): boolean {
    return this.json.active;
  }
}

/**
 * The format in force at the end of `head` (a file's first bytes, cut after a line end), as a range starting
 * there is given it; `json`: the file holds JSON envelopes (it is then read whole, never split).
 */
export function probeFormat(
  head: Uint8Array,
  format: string | undefined,
): { format: FormatSpec | null; json: boolean } {
  const parser = new PartParser({ record() {}, unparsed() {} }, { format, inflater: INFLATER });
  parser.push(head);
  const jsonOpen = parser.jsonOpen;
  const stats = parser.end();
  return {
    format: formatSpec(parser.currentFormat),
    json: jsonOpen || stats.envelopeLines + stats.envelopeMessages + stats.messageLines > 0,
  };
}

const CHUNK = 1 << 20;
/** Compressed bytes handed to the parser at a time (as the CLI's readInput). */
const GZIP_PIECE = 64 * 1024;
const PROGRESS_EVERY = 8 << 20;

function result(
  analyzer: FlowAnalyzer,
  parser: PartParser,
  stats: FullParseStats,
  jsonOpen: boolean,
  first?: string,
): TaskResult {
  return {
    part: analyzer.part(stats),
    lines: stats.lines,
    records: stats.records,
    unparsed: stats.unparsed,
    firstProblem: first,
    endFormat: formatSpec(parser.currentFormat),
    jsonOpen,
    ...(stats.damage !== undefined ? { damage: stats.damage } : {}),
  };
}

/** An analyzer that remembers the first unparsed reason. */
function analyzerFor(
  setup: AnalysisSetup,
  hitRoom?: readonly number[],
): { analyzer: FlowAnalyzer; first: () => string | undefined } {
  const analyzer = new FlowAnalyzer(setup.config, { filters: setup.filters, part: true, hitRoom });
  return { analyzer, first: watchFirstProblem(analyzer).first };
}

/** Analyses a stream of bytes (stdin, or any source read whole). */
export async function analyzeStream(
  source: AsyncIterable<Uint8Array | string>,
  setup: AnalysisSetup,
  onProgress?: (p: TaskProgress) => void,
  hitRoom?: readonly number[],
): Promise<TaskResult> {
  const { analyzer, first } = analyzerFor(setup, hitRoom);
  const parser = new PartParser(analyzer, { format: setup.format, inflater: INFLATER });
  let bytes = 0;
  let told = 0;
  for await (const c of source) {
    const chunk = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    for (let at = 0; at < chunk.length; at += GZIP_PIECE) await parser.write(chunk.subarray(at, at + GZIP_PIECE));
    bytes += chunk.length;
    if (onProgress && bytes - told >= PROGRESS_EVERY) {
      told = bytes;
      onProgress({ bytes, lines: parser.linesRead });
    }
  }
  const jsonOpen = parser.jsonOpen;
  const stats = await parser.finish();
  return result(analyzer, parser, stats, jsonOpen, first());
}

/**
 * Runs one task (see AnalysisTask). Rejects when the file cannot be read. `sharedThread`: the calling thread serves
 * others (a Parquet file's rows then pause after every piece; the other reads pause on their own I/O).
 */
export async function runTask(
  task: AnalysisTask,
  setup: AnalysisSetup,
  onProgress?: (p: TaskProgress) => void,
  sharedThread = false,
): Promise<TaskResult> {
  if (task.kind === 'gzip') {
    return analyzeStream(fileChunks(task.path), setup, onProgress, task.hitRoom);
  }
  if (task.kind === 'parquet') return analyzeParquet(task, setup, onProgress, sharedThread);
  const { analyzer, first } = analyzerFor(setup, task.hitRoom);
  const parser = new PartParser(analyzer, { format: setup.format, inflater: INFLATER }, task.preset);
  const start = task.start ?? 0;
  let read = 0;
  let told = 0;
  for await (const chunk of fileChunks(task.path, start, task.end ?? Infinity)) {
    parser.push(chunk);
    read += chunk.length;
    if (onProgress && read - told >= PROGRESS_EVERY) {
      told = read;
      onProgress({ bytes: told, lines: parser.linesRead });
    }
  }
  const jsonOpen = parser.jsonOpen;
  const stats = await parser.finish();
  return result(analyzer, parser, stats, jsonOpen, first());
}

/**
 * A Parquet file, page by page (src/core/input/parquet.ts), its flow-log text fed to the parser as UTF-8 bytes
 * (the fused byte path), GZIP pages inflated by node:zlib. A file whose columns are not a flow log is skipped;
 * a damaged one counts what was read before the damage.
 */
async function analyzeParquet(
  task: AnalysisTask,
  setup: AnalysisSetup,
  onProgress: ((p: TaskProgress) => void) | undefined,
  sharedThread: boolean,
): Promise<TaskResult> {
  const { analyzer, first } = analyzerFor(setup, task.hitRoom);
  const parser = new PartParser(analyzer, { format: setup.format, inflater: INFLATER });
  const file = await fileBuffer(task.path);
  let skipped: string | undefined;
  try {
    skipped = await feedParquet(parser, file, onProgress, sharedThread);
  } finally {
    await file.close();
  }
  const stats = await parser.finish();
  const r = result(analyzer, parser, stats, false, first());
  return skipped !== undefined ? { ...r, skipped } : r;
}

/** Feeds a Parquet file's rows to `parser` as flow-log text. Returns why it is skipped (not a flow log), if it is. */
async function feedParquet(
  parser: PartParser,
  file: AsyncBuffer,
  onProgress?: (p: TaskProgress) => void,
  sharedThread = false,
): Promise<string | undefined> {
  let told = 0;
  try {
    await parseParquet(
      file,
      {
        write: (bytes) => {
          parser.push(bytes);
          const lines = parser.linesRead;
          if (onProgress && lines - told >= 100_000) {
            told = lines;
            onProgress({ bytes: 0, lines });
          }
          return sharedThread ? turn() : undefined;
        },
        addHeaderNotes: (notes) => parser.addHeaderNotes(notes),
        damaged: (damage, reason) => parser.damaged(damage, reason),
      },
      NODE_PARQUET,
    );
  } catch (err) {
    if (!(err instanceof ParquetError)) throw err;
    return err.message;
  }
  return undefined;
}

/** A file system error as a short reason. */
export function fsReason(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return errorText(err);
}

/** The next turn of the event loop (what else waits on the thread runs first). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Small whole files read by one analyzer, in order (FileBatch): see runBatch. */
export interface BatchTask {
  batch: string[];
  /** Hits still wanted per trigger (see AnalyzerOptions.hitRoom). */
  hitRoom?: number[];
}

/** What became of one file of a batch. */
export interface BatchFile {
  kind: InputKind;
  /** Its facts; null when it is left out (`skipped`). */
  counts: FileCounts | null;
  /** Truncated or corrupt gzip, or a damaged Parquet file: what decoded was analysed. */
  damage?: string;
  /** Why it was left out: unreadable, not a flow log, a Parquet file of other data. */
  skipped?: string;
}

export interface BatchResult {
  part: AnalysisPart;
  files: BatchFile[];
}

/**
 * Reads the files of `task.batch` (each small enough to read whole) one after the other into one analyzer, each
 * with its own parser, and returns one part for all of them with each file's facts. A file is skipped as
 * analyzeInputs skips one read alone (unreadable, not a flow log, a Parquet file of other data) and leaves
 * nothing in the part. Rejects (with a BatchUndoError when a file with records would have to be skipped) when the
 * files must be read one by one instead. `sharedThread`: the calling thread serves others (the extension host):
 * gzip is streamed, and the work pauses after every piece read.
 */
export async function runBatch(
  task: BatchTask,
  setup: AnalysisSetup,
  onProgress?: (p: TaskProgress) => void,
  sharedThread = false,
): Promise<BatchResult> {
  const analyzer = new FlowAnalyzer(setup.config, { filters: setup.filters, part: true, hitRoom: task.hitRoom });
  const batch = new FileBatch(analyzer);
  const files: BatchFile[] = [];
  let bytes = 0;
  let lines = 0;
  let told = 0;
  for (const path of task.batch) {
    let data: Buffer;
    try {
      // Read in one synchronous call: on a worker's own thread nothing else waits, and the asynchronous reads' open,
      // stat, read and close round trips cost more than the analysis of a small S3 object.
      data = fs.readFileSync(path);
    } catch (err) {
      batch.endFile(null, true);
      files.push({ kind: 'plain', counts: null, skipped: `unreadable: ${fsReason(err)}` });
      continue;
    }
    const kind = inputKind(data.subarray(0, SNIFF_BYTES));
    // On a thread others wait for, gzip is streamed and the work pauses after every piece, as runTask reads.
    const parser = new PartParser(batch, { format: setup.format, inflater: sharedThread ? INFLATER : WHOLE_INFLATER });
    let skipped: string | undefined;
    if (kind === 'parquet') skipped = await feedParquet(parser, bytesBuffer(data), undefined, sharedThread);
    else {
      const piece = sharedThread && kind === 'gzip' ? GZIP_PIECE : CHUNK;
      for (let at = 0; at < data.length; at += piece) {
        await parser.write(data.subarray(at, at + piece));
        if (sharedThread) await turn();
      }
    }
    const stats = await parser.finish();
    skipped ??= notAFlowLog(stats.records, stats.unparsed, stats.damage, batch.firstProblem);
    const counts = batch.endFile(stats, skipped !== undefined);
    files.push({
      kind,
      counts,
      ...(skipped !== undefined ? { skipped } : stats.damage !== undefined ? { damage: stats.damage } : {}),
    });
    bytes += data.length;
    lines += stats.lines;
    if (onProgress && (bytes - told >= PROGRESS_EVERY || files.length % 16 === 0)) {
      told = bytes;
      onProgress({ bytes, lines, files: files.length });
    }
  }
  return { part: batch.part(), files };
}

/**
 * What an analysis worker is asked: a task of a many-input analysis (a file or a range of one, or a batch of small
 * files), or one file whole (`whole`: its path).
 */
export type WorkerTask = AnalysisTask | BatchTask | { whole: string };
export type WorkerResult = TaskResult | BatchResult | WholeFileResult;

/** One file analysed whole in a worker (Analyze File… in the Node extension host): the summary one pass gives. */
export interface WholeFileResult {
  summary: AnalysisSummary;
  /** What the file's first bytes say it is. */
  kind: InputKind;
  /** Bytes on disk. */
  bytes: number;
}

/**
 * Analyses the file at `path` as one input: one part, combined alone, which is exactly what one pass
 * (FlowAnalyzer.finish) gives. Rejects when the file cannot be read, and with the reason when it is a Parquet file
 * whose columns are not a flow log (as reading it in the extension host would).
 */
export async function analyzeWholeFile(
  path: string,
  setup: AnalysisSetup,
  onProgress?: (p: TaskProgress) => void,
): Promise<WholeFileResult> {
  const fd = await fs.promises.open(path, 'r');
  let head: Buffer;
  let bytes: number;
  try {
    bytes = (await fd.stat()).size;
    head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fd.read(head, 0, SNIFF_BYTES, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
  const kind = inputKind(head);
  const r = await runTask({ path, kind }, setup, onProgress);
  if (r.skipped !== undefined) throw new Error(r.skipped);
  return { summary: combineParts(setup.config, [{ part: r.part, file: 0 }], undefined), kind, bytes };
}
