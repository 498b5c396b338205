// "VPC Flow: Analyze File…": streams a flow-log file (plain, gzip or Parquet) from disk through the core parser and analyzer.
// VS Code does not hand documents over 50 MB to extensions, and a .log.gz is bytes to the editor: this path serves
// both. The file's bytes go to the parser as they are: the core tells gzip apart and decompresses it with the host's
// inflater (node:zlib in Node, fflate in the browser). Local files stream through the host's `localFiles` (Node:
// node:fs, see nodeHost.ts); everything else (the browser, remote schemes) is read through workspace.fs.readFile.
// A Parquet file is read at positions from the local disk (else whole) and its rows go to the parser as flow-log
// text (src/core/input/parquet.ts).
import * as vscode from 'vscode';
import { FlowAnalyzer } from '../core/analysis/analyzer';
import { requestedFormatOption } from '../core/format';
import { bytesText, DASHBOARD_BYTES } from '../shared/display';
import { FlowParser, type FlowParserOptions } from '../core/parser';
import { inputKind, type InputKind } from '../core/input/inflate';
import { bytesBuffer, parseParquet, type AsyncBuffer, type ParquetOptions } from '../core/input/parquet';
import type { FlowFormat, ParseSink, ParseStats } from '../core/types';
import { mostRecords, type AnalysisSummary } from '../shared/summary';
import { summaryFormat } from './queryDocuments';
import type { Host, Services } from './services';

/** VS Code does not synchronise documents above this size with extensions. */
export const EXTENSION_SYNC_LIMIT_BYTES = 50 * 1024 * 1024;
export const CHUNK_BYTES = 1 << 20;

export interface StreamInfo {
  /** Bytes on disk. */
  readonly size: number;
  readonly compressed: boolean;
}

export interface FileAnalysis extends StreamInfo {
  readonly kind: InputKind;
  readonly summary: AnalysisSummary;
  /** The format of most records. */
  readonly format: FlowFormat | undefined;
  readonly ms: number;
}

/** Reports bytes read from disk (compressed bytes for a .gz). */
export type ProgressFn = (bytesRead: number, size: number) => void;

const yieldNow = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The parse options for a file: the format asked for it (its own choice, else the setting), the host's inflater. */
export function parseOptionsFor(services: Services, uri: vscode.Uri): FlowParserOptions {
  return {
    format: requestedFormatOption(services.analyses.requestedFormat(uri).format),
    inflater: services.host.inflater,
  };
}

export interface StreamOptions {
  /** Throws vscode.CancellationError once cancelled. */
  readonly token?: vscode.CancellationToken;
  readonly onProgress?: ProgressFn;
  /** Stops reading (without error) once this turns true. */
  readonly stop?: () => boolean;
  /** Awaited after each chunk before the next is read (back-pressure for exports). */
  readonly between?: () => Promise<void>;
}

/** Streams the bytes of a file, as they are on disk, to `onChunk` (awaited before the next chunk is read). */
export async function streamFile(
  host: Host,
  uri: vscode.Uri,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  options: StreamOptions = {},
): Promise<StreamInfo> {
  if (host.localFiles && uri.scheme === 'file') return host.localFiles.stream(uri.fsPath, onChunk, options);
  return streamWithWorkspaceFs(uri, onChunk, options);
}

async function streamWithWorkspaceFs(
  uri: vscode.Uri,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  { token, onProgress, stop, between }: StreamOptions,
): Promise<StreamInfo> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const size = bytes.length;
  const compressed = inputKind(bytes) === 'gzip';
  for (let offset = 0; offset < size; offset += CHUNK_BYTES) {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const end = Math.min(size, offset + CHUNK_BYTES);
    await onChunk(bytes.subarray(offset, end));
    onProgress?.(end, size);
    if (stop?.()) break;
    await (between ? between() : yieldNow());
  }
  return { size, compressed };
}

/** Where a flow-log input goes: its bytes as on disk (plain or gzip), or, for Parquet, the file to read. */
export interface FlowInputSink {
  /** The first bytes of the input (what it is: plain, gzip or Parquet), before any `bytes` or `parquet`. */
  first?(head: Uint8Array): void;
  /** Bytes of a plain or gzip input, as they are on disk (awaited before the next chunk). */
  bytes(chunk: Uint8Array): void | Promise<void>;
  /**
   * A Parquet input (its footer comes last, so it is read at positions, not streamed): read it with
   * src/core/input/parquet.ts and `options` (the host's decompressors).
   */
  parquet(file: AsyncBuffer, options: ParquetOptions | undefined): Promise<void>;
  /** Stops reading (without error) once this turns true. */
  stop?(): boolean;
}

/**
 * Reads a flow-log input: plain and gzip files stream their bytes (the core decompresses them). A Parquet file is
 * read at positions where the host has the local disk (Node, a `file:` URI: one row group in memory at a time);
 * otherwise it is read into memory (workspace.fs has no positional reads) and handed over whole.
 */
export async function readFlowText(
  host: Host,
  uri: vscode.Uri,
  sink: FlowInputSink,
  options: StreamOptions = {},
): Promise<StreamInfo & { readonly kind: InputKind }> {
  let kind: InputKind | undefined;
  const local = host.localFiles && uri.scheme === 'file' ? host.localFiles : undefined;
  /** A local Parquet file: the stream stops after its first chunk, and the file is read at positions. */
  let atPositions = false;
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  const stopped = (): boolean => (options.stop?.() ?? false) || (sink.stop?.() ?? false);
  const info = await streamFile(
    host,
    uri,
    (chunk) => {
      if (kind === undefined) {
        kind = inputKind(chunk);
        sink.first?.(chunk);
        if (kind === 'parquet' && local) {
          atPositions = true;
          return;
        }
      }
      if (kind !== 'parquet') return sink.bytes(chunk);
      held.push(chunk.slice());
      heldBytes += chunk.length;
    },
    { ...options, stop: () => atPositions || stopped() },
  );
  if (kind === 'parquet' && !stopped()) {
    if (options.token?.isCancellationRequested) throw new vscode.CancellationError();
    if (local && atPositions) {
      const file = await local.openParquet(uri.fsPath);
      try {
        await sink.parquet(file, local.parquetOptions);
      } finally {
        await file.close();
      }
    } else {
      const whole = new Uint8Array(heldBytes);
      let offset = 0;
      for (const c of held) {
        whole.set(c, offset);
        offset += c.length;
      }
      held.length = 0;
      await sink.parquet(bytesBuffer(whole), undefined);
    }
  }
  return { ...info, kind: kind ?? 'plain' };
}

/** The FlowInputSink of a parser: bytes as they are, a Parquet file's rows as its text (parseParquet). */
export function parserInput(parser: FlowParser): FlowInputSink {
  return {
    bytes: (chunk) => parser.write(chunk),
    parquet: (file, options) => parseParquet(file, parser, options),
  };
}

/** Streams a file through a FlowParser into `sink` (re-reading the file from disk); no stats when stopped early. */
export async function scanFile(
  services: Services,
  uri: vscode.Uri,
  sink: ParseSink,
  options: StreamOptions = {},
): Promise<StreamInfo & { readonly stats: ParseStats | undefined }> {
  const parser = new FlowParser(sink, parseOptionsFor(services, uri));
  const info = await readFlowText(services.host, uri, parserInput(parser), options);
  const stats = options.stop?.() ? undefined : await parser.finish();
  return { ...info, stats };
}

/** The extension's analysis worker script (dist/analysisWorker.js), for the host's workers. */
export function analysisWorkerScript(services: Services): string {
  return vscode.Uri.joinPath(services.context.extensionUri, 'dist', 'analysisWorker.js').fsPath;
}

/**
 * Analyses a file from disk with the user's trigger settings: on a worker thread where the host has one (a local
 * file in the Node extension host), else here, streamed in chunks between which the host serves other work.
 */
export async function analyzeFile(
  services: Services,
  uri: vscode.Uri,
  token?: vscode.CancellationToken,
  onProgress?: ProgressFn,
): Promise<FileAnalysis> {
  const t0 = Date.now();
  const inWorker = services.host.analyzeFile;
  if (inWorker && uri.scheme === 'file') {
    const size = (await vscode.workspace.fs.stat(uri)).size;
    const controller = new AbortController();
    const sub = token?.onCancellationRequested(() => controller.abort());
    try {
      const r = await inWorker(uri.fsPath, {
        config: new FlowAnalyzer(services.config.current.analysis).config,
        format: requestedFormatOption(services.analyses.requestedFormat(uri).format),
        onProgress: (p) => onProgress?.(p.bytes, size),
        signal: controller.signal,
        workerScript: analysisWorkerScript(services),
      });
      return {
        size: r.bytes,
        compressed: r.kind === 'gzip',
        kind: r.kind,
        summary: r.summary,
        format: summaryFormat(r.summary),
        ms: Date.now() - t0,
      };
    } catch (e) {
      if (token?.isCancellationRequested) throw new vscode.CancellationError();
      throw e;
    } finally {
      sub?.dispose();
    }
  }
  const analyzer = new FlowAnalyzer(services.config.current.analysis);
  const parser = new FlowParser(analyzer, parseOptionsFor(services, uri));
  const info = await readFlowText(services.host, uri, parserInput(parser), { token, onProgress });
  const stats = await parser.finish();
  const summary = analyzer.finish(stats);
  return { ...info, summary, format: mostRecords(stats.formats)?.format, ms: Date.now() - t0 };
}

/** Why the editor features are off for a file analysed from disk, in the user's words. */
export function diskNote(info: StreamInfo & { readonly kind?: InputKind }): string {
  if (info.kind === 'parquet')
    return 'Analyzed from disk: this is an Apache Parquet file, read as flow-log text (a header line, then one line per row). Clicking a hit opens that line in the read-only decompressed view.';
  if (info.compressed)
    return 'Analyzed from disk: this file is gzip-compressed, so the editor sees bytes, not lines. Clicking a hit opens that line in the read-only decompressed view, where hovers, field labels and diagnostics work.';
  if (info.size > EXTENSION_SYNC_LIMIT_BYTES)
    return `Analyzed from disk: VS Code does not pass files over 50 MB to extensions (this one is ${bytesText(info.size, DASHBOARD_BYTES)}), so hovers, field labels and diagnostics are off for it. Clicking a hit still opens its line.`;
  return 'Analyzed from disk. Open the file in the editor for hovers, field labels and diagnostics, and a dashboard that follows edits.';
}
