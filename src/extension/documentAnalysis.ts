// SCAFFOLD (infra): minimal compiling stand-in, to be replaced by the "editor" helper's real documentAnalysis.ts.
import * as vscode from 'vscode';
import type { Config } from './config';
import type { DocumentAnalysesApi, DocumentAnalysis } from './services';

export class DocumentAnalyses implements DocumentAnalysesApi {
  private readonly analyzed = new vscode.EventEmitter<{ readonly document: vscode.TextDocument; readonly analysis: DocumentAnalysis }>();
  private readonly closed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidAnalyze = this.analyzed.event;
  readonly onDidClose = this.closed.event;

  constructor(
    readonly config: Config,
    readonly log: vscode.LogOutputChannel,
  ) {}

  get(_uri: vscode.Uri): DocumentAnalysis | undefined {
    return undefined;
  }

  analyze(_document: vscode.TextDocument): Promise<DocumentAnalysis> {
    return Promise.reject(new Error('DocumentAnalyses scaffold: not implemented yet'));
  }

  dispose(): void {
    this.analyzed.dispose();
    this.closed.dispose();
  }
}
