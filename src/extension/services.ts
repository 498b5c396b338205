// What activate() hands to each feature. The contract between the editor features and the dashboard.
import type * as vscode from 'vscode';
import type { Inflater } from '../core/input/inflate';
import type { FlowFormat } from '../core/types';
import type { AnalysisSummary } from '../shared/summary';
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

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly config: Config;
  readonly analyses: DocumentAnalysesApi;
  readonly log: vscode.LogOutputChannel;
  /**
   * The decompressor for files read from disk (gzip): node:zlib in the Node entry; the web entry passes the pure-JS
   * fflateInflater (src/core/input/fflate.ts). Undefined: the parser's default, fflateInflater.
   */
  readonly inflater?: Inflater;
}
