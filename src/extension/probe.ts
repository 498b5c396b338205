// What the editor features last showed, for tests and the benchmark (internal command `vpcFlow._editorState`).
import type * as vscode from 'vscode';
import { wasmScannerAvailable } from '../core/wasmScan';

export interface DecorationFacts {
  readonly version: number;
  /** Date.now() when the decorations were applied. */
  readonly at: number;
  readonly reject: number;
  readonly dimmed: number;
  readonly alerts: number;
  /** False when drawn from the partial data of a running first analysis. */
  readonly complete: boolean;
  readonly linesDone: number;
}

export class EditorProbe {
  statusText = '';
  statusVisible = false;
  readonly decorations = new Map<string, DecorationFacts>();
  readonly labelCounts = new Map<string, number>();
  /** The first 0-based line that carries labels, per document. */
  readonly labelFirstLines = new Map<string, number>();
  /** Hover provider durations in ms (the latest 2,000), measured inside the extension host. */
  readonly hoverTimes: number[] = [];
  readonly analyses = new Map<string, { version: number; elapsedMs: number; records: number }>();

  analysed(document: vscode.TextDocument, facts: { version: number; elapsedMs: number; records: number }): void {
    this.analyses.set(document.uri.toString(), facts);
  }

  decorated(document: vscode.TextDocument, facts: Omit<DecorationFacts, 'at'>): void {
    this.decorations.set(document.uri.toString(), { ...facts, at: Date.now() });
  }

  hovered(ms: number): void {
    if (this.hoverTimes.length >= 2000) this.hoverTimes.shift();
    this.hoverTimes.push(ms);
  }

  labels(document: vscode.TextDocument, count: number, firstLine: number): void {
    this.labelCounts.set(document.uri.toString(), count);
    this.labelFirstLines.set(document.uri.toString(), firstLine);
  }

  snapshot(uri?: string): unknown {
    return {
      statusText: this.statusText,
      statusVisible: this.statusVisible,
      decorations: uri ? (this.decorations.get(uri) ?? null) : Object.fromEntries(this.decorations),
      labels: uri ? (this.labelCounts.get(uri) ?? null) : Object.fromEntries(this.labelCounts),
      labelFirstLine: uri ? (this.labelFirstLines.get(uri) ?? null) : null,
      hoverTimes: this.hoverTimes,
      analysis: uri ? (this.analyses.get(uri) ?? null) : Object.fromEntries(this.analyses),
      /** Whether byte input (Analyze File…) is scanned by the WebAssembly scanner in this extension host. */
      wasmScanner: wasmScannerAvailable(),
    };
  }
}
