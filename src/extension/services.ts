// What activate() hands to each feature: the contract between the editor features and the dashboard, and the
// host-specific parts the entry file provides.
import type * as vscode from 'vscode';
import type { Inflater } from '../core/input/inflate';
import type { AsyncBuffer, ParquetOptions } from '../core/input/parquet';
import type { FlowFormat } from '../core/types';
import type { AnalyzeInputsOptions, InputsAnalysis, WholeFileOptions } from '../node/analyzeInputs';
import type { WholeFileResult } from '../node/analyzeTask';
import type { AnalysisSummary } from '../shared/summary';
import type { StreamInfo, StreamOptions } from './analyzeFile';
import type { Config } from './config';

/** The analysis of one document version (produced in the background by DocumentAnalyses). */
export interface DocumentAnalysis {
  readonly uri: vscode.Uri;
  readonly version: number;
  /** The format in force for most records (header, user, default, alphabetical or inferred). */
  readonly format: FlowFormat;
  readonly summary: AnalysisSummary;
}

/** Analyses documents once per version, debounced on edits; the single source for diagnostics, status bar and dashboard. */
export interface DocumentAnalysesApi extends vscode.Disposable {
  /** Fires after a document (re-)analysis completes. */
  readonly onDidAnalyze: vscode.Event<{ readonly document: vscode.TextDocument; readonly analysis: DocumentAnalysis }>;
  /** Fires when a tracked document is closed. */
  readonly onDidClose: vscode.Event<vscode.Uri>;
  /** The latest finished analysis, possibly of an older version. */
  get(uri: vscode.Uri): DocumentAnalysis | undefined;
  /** Analyse now (or return the analysis of the current version). */
  analyze(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentAnalysis>;
  /** The format asked for a document or file: its own choice, else the `vpcFlow.format` setting ('' = auto). */
  requestedFormat(uri: vscode.Uri): { readonly format: string };
}

/** Text written to a file in pieces, with back-pressure. */
export interface TextWriter {
  write(text: string): void;
  /** Resolves when buffered text may be written again (back-pressure). */
  drain(): Promise<void>;
  close(): Promise<void>;
  /** Stops writing and removes the partial file. */
  abort(): Promise<void>;
}

/** Direct access to the local disk (Node only): streams a file instead of reading it whole through workspace.fs. */
export interface LocalFiles {
  /** Opens the file at `path` for writing (created or truncated). */
  openTextWriter(path: string): Promise<TextWriter>;
  /** Streams the bytes of the file at `path`, as they are on disk, to `onChunk` (awaited before the next chunk). */
  stream(
    path: string,
    onChunk: (chunk: Uint8Array) => void | Promise<void>,
    options: StreamOptions,
  ): Promise<StreamInfo>;
  /**
   * Opens the Parquet file at `path` for positional reads (src/node/parquetFile.ts): only its footer and the column
   * chunks of the row group being read are in memory (a file of up to 8 MiB is read in one go), where a file read
   * through workspace.fs is held whole.
   */
  openParquet(path: string): Promise<AsyncBuffer & { close(): Promise<void> }>;
  /** How Parquet pages are decompressed here (Node: node:zlib's gunzip for AWS's GZIP pages). */
  readonly parquetOptions: ParquetOptions;
}

/** A channel to a worker thread (Node `worker_threads`) that runs a bundled entry of dist/. */
export interface WorkerChannel {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The worker stopped (an uncaught error, or it exited): no message will come any more. */
  onExit(listener: (error: Error | undefined) => void): void;
  terminate(): void;
}

/**
 * What differs between the Node extension host and the browser's web-worker one. Built once by the entry file
 * (extension.ts for dist/extension.js, extension.web.ts for dist/web/extension.js) and handed to the features:
 * no feature checks which host it runs in.
 */
export interface Host {
  /** Which entry built this host; for the log only. */
  readonly name: 'node' | 'web';
  /** Lets the extension host serve other work between analysis slices. */
  yieldToEventLoop(): Promise<void>;
  /** The local disk, where there is one (Node); undefined in the browser, where files come through workspace.fs. */
  readonly localFiles: LocalFiles | undefined;
  /**
   * The gzip decompressor the core's one input path takes (src/core/input/inflate.ts): node:zlib in Node
   * (src/node/zlibInflater.ts), the pure-JS fflate in the browser (src/core/input/fflate.ts).
   */
  readonly inflater: Inflater;
  /**
   * Starts the document worker (dist/documentWorker.js: documentWorker.ts), which analyses open documents off the
   * extension host's thread: a Node worker thread in the desktop extension host; undefined in the browser, where
   * documents are analysed in slices in the extension host itself.
   */
  readonly documentWorker: (() => WorkerChannel) | undefined;
  /**
   * The worker pool that analyses many local files on every core (src/node/analyzeInputs.ts), where the host has
   * one (Node); without it, Analyze Folder… reads the files one by one on this thread (analyzeFolder.ts).
   */
  readonly analyzeInputs?: (paths: readonly string[], options: PoolOptions) => Promise<PoolAnalysis>;
  /**
   * Analyses one local file whole on a worker thread (src/node/analyzeInputs.ts analyzeFileInWorker), where the
   * host has workers (Node); without it, Analyze File… reads the file on this thread, in slices (analyzeFile.ts).
   */
  readonly analyzeFile?: (path: string, options: WholeFileOptions) => Promise<WholeFileResult>;
}

/** What Analyze Folder… asks of the worker pool: the options the extension sets, nothing CLI-only (stdin, jobs). */
export type PoolOptions = Pick<
  AnalyzeInputsOptions,
  'config' | 'format' | 'filters' | 'onProgress' | 'signal' | 'files' | 'workerScript' | 'sharedThread'
>;

/** The worker pool's answer. */
export type PoolAnalysis = InputsAnalysis;

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly config: Config;
  readonly analyses: DocumentAnalysesApi;
  readonly log: vscode.LogOutputChannel;
  readonly host: Host;
}
