// "VPC Flow: Analyze Folder…": a folder (recursive) or a multi-selection of files and folders, analysed as one
// input: every file's facts (lines, records, unparsed, format, time range) and one combined summary. Files are
// taken in the time order their S3 object names carry (src/core/input/objects.ts). A file that is not a flow log,
// unreadable, or a Parquet file whose columns are not a flow log is skipped with a note; it never stops the rest.
//
// In the Node extension host the host's `analyzeInputs` (the worker pool, src/node/analyzeInputs.ts) analyses the
// files on every core; elsewhere (the browser, remote schemes) the files are read one by one through workspace.fs
// on this thread, each analysed into a part (FlowAnalyzer `part`), and the parts combined (combineParts).
import * as vscode from 'vscode';
import { FlowAnalyzer } from '../core/analysis/analyzer';
import { BatchUndoError, FileBatch } from '../core/analysis/batch';
import type { AnalysisConfig } from '../core/analysis/config';
import { combineParts, type AnalysisPart, type FileInput } from '../core/analysis/merge';
import type { LineSet, RowFilter } from '../core/analysis/rows';
import { orderByObjectTime } from '../core/input/objects';
import { ParquetError } from '../core/input/parquet';
import { notAFlowLog, watchFirstProblem } from '../core/input/verdict';
import { FlowParser } from '../core/parser';
import type { FullParseStats, ParseSink } from '../core/types';
import type { AnalysisSummary } from '../shared/summary';
import { analysisWorkerScript, parseOptionsFor, parserInput, readFlowText } from './analyzeFile';
import type { Services } from './services';
import { errorText } from '../core/text';

/** One file of a folder analysis. */
export interface FolderInput {
  readonly uri: vscode.Uri;
  /** Relative to the workspace folder (or the folder chosen): what the Files table shows. */
  readonly display: string;
  readonly bytes: number;
}

/** Progress of a folder analysis (the worker pool's InputsProgress). */
export interface InputsProgress {
  filesDone: number;
  filesTotal: number;
  lines: number;
  /** Bytes read from disk so far. */
  bytes: number;
}

export interface FolderAnalysis {
  readonly summary: AnalysisSummary;
  readonly inputs: readonly FolderInput[];
  readonly skipped: readonly { path: string; reason: string }[];
  readonly damaged: readonly { path: string; damage: string }[];
  readonly ms: number;
  /** Bytes read from disk. */
  readonly bytes: number;
  /** 1 when the files were read on this thread, 0 when the worker pool read them. */
  readonly workers: number;
}

/** The files under `uris` (folders walked recursively), in the time order their names carry, then by name. */
export async function listFolderInputs(
  uris: readonly vscode.Uri[],
  token?: vscode.CancellationToken,
): Promise<FolderInput[]> {
  const out: FolderInput[] = [];
  const seen = new Set<string>();
  const add = (uri: vscode.Uri, bytes: number): void => {
    const key = uri.toString();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ uri, display: vscode.workspace.asRelativePath(uri, uris.length > 1), bytes });
  };
  /**
   * The files under `dir`, in name order; their sizes asked for all at once (one after the other, a day of 2,880 S3
   * objects waited on 2,880 round trips). A link to a folder is not followed, as in the CLI's walk (no cycles, no
   * folder read twice).
   */
  const walk = async (dir: vscode.Uri): Promise<{ uri: vscode.Uri; bytes: number }[]> => {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const entries = await vscode.workspace.fs.readDirectory(dir);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const found = entries
      .filter(([name]) => !name.startsWith('.')) // hidden files and folders (.git, .DS_Store), as the CLI's walk
      .map(async ([name, type]): Promise<{ uri: vscode.Uri; bytes: number }[]> => {
        const child = vscode.Uri.joinPath(dir, name);
        if (type & vscode.FileType.Directory) return type & vscode.FileType.SymbolicLink ? [] : walk(child);
        if (type & vscode.FileType.File) return [{ uri: child, bytes: (await vscode.workspace.fs.stat(child)).size }];
        return [];
      });
    return (await Promise.all(found)).flat();
  };
  for (const uri of uris) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) for (const f of await walk(uri)) add(f.uri, f.bytes);
    else add(uri, stat.size);
  }
  return orderByObjectTime(out, (i) => i.display);
}

export interface FolderRunOptions {
  readonly token?: vscode.CancellationToken;
  readonly onProgress?: (p: InputsProgress) => void;
  readonly filters?: RowFilter[];
}

/** Analyses the files (in the order given) into one summary with per-file facts. */
export async function analyzeFolderInputs(
  services: Services,
  inputs: readonly FolderInput[],
  options: FolderRunOptions = {},
): Promise<FolderAnalysis> {
  const t0 = Date.now();
  const config = new FlowAnalyzer(services.config.current.analysis).config;
  const pool = services.host.analyzeInputs;
  if (pool && inputs.every((i) => i.uri.scheme === 'file')) {
    const controller = new AbortController();
    const sub = options.token?.onCancellationRequested(() => controller.abort());
    try {
      const result = await pool(
        inputs.map((i) => i.uri.fsPath),
        {
          config,
          format: services.analyses.requestedFormat(inputs[0]?.uri ?? vscode.Uri.file('/')).format,
          filters: options.filters,
          onProgress: options.onProgress,
          signal: controller.signal,
          files: true,
          workerScript: analysisWorkerScript(services),
          sharedThread: true,
        },
      );
      if (result.cancelled || options.token?.isCancellationRequested) throw new vscode.CancellationError();
      // The pool names files as given (absolute paths): the table shows them relative to the workspace.
      const byPath = new Map(inputs.map((i) => [i.uri.fsPath, i.display]));
      const display = (path: string): string => byPath.get(path) ?? path;
      const summary = { ...result.summary };
      if (summary.files) summary.files = summary.files.map((f) => ({ ...f, path: display(f.path) }));
      return {
        summary,
        inputs,
        skipped: result.skipped.map((s) => ({ ...s, path: display(s.path) })),
        damaged: result.damaged.map((d) => ({ ...d, path: display(d.path) })),
        ms: Date.now() - t0,
        bytes: inputs.reduce((n, i) => n + i.bytes, 0),
        workers: 0,
      };
    } finally {
      sub?.dispose();
    }
  }
  return analyzeOneByOne(services, config, inputs, options, t0);
}

/** One thread: each file parsed and analysed into a part, then the parts combined. */
async function analyzeOneByOne(
  services: Services,
  config: AnalysisConfig,
  inputs: readonly FolderInput[],
  { token, onProgress, filters }: FolderRunOptions,
  t0: number,
): Promise<FolderAnalysis> {
  const parts: { part: AnalysisPart; file: number }[] = [];
  const files: FileInput[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const damaged: { path: string; damage: string }[] = [];
  const progress: InputsProgress = { filesDone: 0, filesTotal: inputs.length, lines: 0, bytes: 0 };
  for (const [index, input] of inputs.entries()) {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const analyzer = new FlowAnalyzer(config, { part: true, filters });
    const result = await readCounted(services, input, analyzer, token, progress, onProgress);
    const fact: FileInput = { path: input.display, kind: result.kind, bytes: input.bytes };
    if ('skipped' in result) {
      fact.skipped = result.skipped;
      skipped.push({ path: input.display, reason: result.skipped });
    } else {
      if (result.stats.damage) {
        fact.damage = result.stats.damage;
        damaged.push({ path: input.display, damage: result.stats.damage });
      }
      parts.push({ part: analyzer.part(result.stats), file: index });
    }
    files.push(fact);
    onProgress?.(progress);
  }
  const summary = combineParts(config, parts, files, filters ? { filters } : undefined);
  return { summary, inputs, skipped, damaged, ms: Date.now() - t0, bytes: progress.bytes, workers: 1 };
}

/**
 * One pass over every file in order with one analyzer on this thread (FileBatch), for filters that a split analysis
 * cannot decide (the port-scan rows: whether a record fired depends on the records before it, in any file). Files
 * are skipped by the same rule as in `analyzeFolderInputs`; the summary's hits and unparsed lines name their file
 * (an index into `inputs`), and `portScanLines` is the folder's line set for the records page and exports.
 */
export async function analyzeFolderOnePass(
  services: Services,
  inputs: readonly FolderInput[],
  { token, onProgress, filters }: FolderRunOptions,
): Promise<{ summary: AnalysisSummary; portScanLines: LineSet }> {
  const analyzer = new FlowAnalyzer(services.config.current.analysis, { filters });
  const batch = new FileBatch(analyzer);
  const progress: InputsProgress = { filesDone: 0, filesTotal: inputs.length, lines: 0, bytes: 0 };
  for (const input of inputs) {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const result = await readCounted(services, input, batch, token, progress, onProgress);
    // A skipped file gave no record: it leaves nothing behind, as in analyzeFolderInputs. One that failed after
    // giving records cannot be taken back out of the pass.
    if ('skipped' in result) {
      try {
        batch.endFile(null, true);
      } catch (err) {
        if (!(err instanceof BatchUndoError)) throw err;
        throw new Error(`${input.display} stopped being readable (${result.skipped}) during a pass over every file`);
      }
    } else batch.endFile(result.stats, false);
    onProgress?.(progress);
  }
  return { summary: batch.summary(), portScanLines: batch.portScanLines() };
}

/**
 * readOne of `input` with `progress` kept: bytes told to `onProgress` as they are read, then the file counted done
 * (with its lines, when it was read as a flow log).
 */
async function readCounted(
  services: Services,
  input: FolderInput,
  sink: ParseSink,
  token: vscode.CancellationToken | undefined,
  progress: InputsProgress,
  onProgress: ((p: InputsProgress) => void) | undefined,
): Promise<ReadResult> {
  const before = progress.bytes;
  const result = await readOne(services, input.uri, sink, token, (read) => {
    progress.bytes = before + read;
    onProgress?.(progress);
  });
  progress.bytes = before + input.bytes;
  progress.filesDone++;
  if ('stats' in result) progress.lines += result.stats.lines;
  return result;
}

type ReadResult =
  | { readonly kind: FileInput['kind']; readonly stats: FullParseStats }
  | { readonly kind: FileInput['kind']; readonly skipped: string };

/** Reads one file into `sink`; a file that is no flow log or cannot be read is `skipped` with the reason. */
async function readOne(
  services: Services,
  uri: vscode.Uri,
  sink: ParseSink,
  token: vscode.CancellationToken | undefined,
  onRead: (bytes: number) => void,
): Promise<ReadResult> {
  const parser = new FlowParser(sink, parseOptionsFor(services, uri));
  let kind: FileInput['kind'] = 'plain';
  const watch = watchFirstProblem(sink);
  try {
    try {
      const info = await readFlowText(services.host, uri, parserInput(parser), { token, onProgress: onRead });
      kind = info.kind;
    } catch (err) {
      if (err instanceof vscode.CancellationError) throw err;
      if (err instanceof ParquetError) return { kind: 'parquet', skipped: err.message };
      return { kind, skipped: `unreadable: ${errorText(err)}` };
    }
    const stats = await parser.finish();
    const skipped = notAFlowLog(stats.records, stats.unparsed, stats.damage, watch.first());
    return skipped !== undefined ? { kind, skipped } : { kind, stats };
  } finally {
    watch.stop();
  }
}

/**
 * Streams every file's records into `sink`, one parser per file (lines are numbered within each file). Resolves with
 * the parse figures of all files, or undefined when `stop()` ended the scan early.
 */
export async function scanFolder(
  services: Services,
  inputs: readonly FolderInput[],
  sink: ParseSink,
  options: {
    token: vscode.CancellationToken;
    stop?: () => boolean;
    between?: () => Promise<void>;
    onProgress?: (fraction: number) => void;
    /** Told before each input is read: its index in `inputs`. */
    onFile?: (index: number) => void;
  },
): Promise<FullParseStats | undefined> {
  const total = inputs.reduce((n, i) => n + i.bytes, 0);
  let done = 0;
  let all: FullParseStats | undefined;
  for (const [index, input] of inputs.entries()) {
    options.onFile?.(index);
    const base = done;
    const result = await readOne(services, input.uri, sink, options.token, (read) =>
      options.onProgress?.(total > 0 ? (base + read) / total : 1),
    );
    done += input.bytes;
    if (options.stop?.()) return undefined;
    if ('stats' in result) all = all ? addStats(all, result.stats) : result.stats;
    if (options.between) await options.between();
  }
  return all;
}

function addStats(a: FullParseStats, b: FullParseStats): FullParseStats {
  return {
    ...a,
    lines: a.lines + b.lines,
    records: a.records + b.records,
    headers: a.headers + b.headers,
    blank: a.blank + b.blank,
    unparsed: a.unparsed + b.unparsed,
    envelopeLines: a.envelopeLines + b.envelopeLines,
    noFlowMessages: a.noFlowMessages + b.noFlowMessages,
    flaggedRecords: a.flaggedRecords + b.flaggedRecords,
    envelopeMessages: a.envelopeMessages + b.envelopeMessages,
    messageLines: a.messageLines + b.messageLines,
    formats: [...a.formats, ...b.formats],
    envelopes: [...a.envelopes, ...b.envelopes],
  };
}
