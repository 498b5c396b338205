// What the editor features last showed, for tests and the benchmark (internal command `vpcFlow._editorState`).
// Every fact names the document version it was drawn for, so a test can wait for the facts of the version it
// checks instead of reading a value that an earlier version (or an earlier setting) left behind.
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

export interface LabelFacts {
  /** Labels drawn in the editor that updated last. */
  readonly count: number;
  /** The first 0-based line that carries labels (-1: none). */
  readonly firstLine: number;
  /** The `vpcFlow.fieldLabels` mode they were drawn in. */
  readonly mode: string;
  /** The document version when they were drawn. */
  readonly version: number;
  /** The version of the analysis they were drawn from (-1: none, e.g. mode `off` or not a flow log). */
  readonly analysisVersion: number;
}

export interface StatusFacts {
  readonly text: string;
  readonly visible: boolean;
  /** The document of the active editor the status bar describes ('' when hidden). */
  readonly uri: string;
  /** The document version whose analysis the text shows (null while the first analysis runs, or hidden). */
  readonly version: number | null;
}

export interface AnalysisFacts {
  readonly version: number;
  readonly elapsedMs: number;
  readonly records: number;
}

/**
 * Facts per document. A closed document's facts are dropped when read: a document opened again is a new
 * TextDocument whose versions restart at 1, so facts of the old one could otherwise pass for the new one's.
 */
class PerDocument<T> {
  private readonly map = new Map<string, { readonly document: vscode.TextDocument; readonly facts: T }>();

  set(document: vscode.TextDocument, facts: T): void {
    this.map.set(document.uri.toString(), { document, facts });
  }

  get(uri: string): T | undefined {
    const entry = this.map.get(uri);
    if (entry?.document.isClosed) this.map.delete(uri);
    return entry && !entry.document.isClosed ? entry.facts : undefined;
  }

  all(): Record<string, T> {
    const out: Record<string, T> = {};
    for (const uri of [...this.map.keys()]) {
      const facts = this.get(uri);
      if (facts !== undefined) out[uri] = facts;
    }
    return out;
  }
}

export class EditorProbe {
  statusText = '';
  statusVisible = false;
  statusUri = '';
  statusVersion: number | null = null;
  readonly decorations = new PerDocument<DecorationFacts>();
  readonly labelFacts = new PerDocument<LabelFacts>();
  /** Hover provider durations in ms (the latest 2,000), measured inside the extension host. */
  readonly hoverTimes: number[] = [];
  readonly analyses = new PerDocument<AnalysisFacts>();

  analysed(document: vscode.TextDocument, facts: AnalysisFacts): void {
    this.analyses.set(document, facts);
  }

  decorated(document: vscode.TextDocument, facts: Omit<DecorationFacts, 'at'>): void {
    this.decorations.set(document, { ...facts, at: Date.now() });
  }

  hovered(ms: number): void {
    if (this.hoverTimes.length >= 2000) this.hoverTimes.shift();
    this.hoverTimes.push(ms);
  }

  labels(document: vscode.TextDocument, facts: Omit<LabelFacts, 'version'>): void {
    this.labelFacts.set(document, { ...facts, version: document.version });
  }

  status(facts: StatusFacts): void {
    this.statusText = facts.text;
    this.statusVisible = facts.visible;
    this.statusUri = facts.uri;
    this.statusVersion = facts.version;
  }

  snapshot(uri?: string): unknown {
    const labels = uri ? this.labelFacts.get(uri) : undefined;
    return {
      statusText: this.statusText,
      statusVisible: this.statusVisible,
      status: { text: this.statusText, visible: this.statusVisible, uri: this.statusUri, version: this.statusVersion },
      decorations: uri ? (this.decorations.get(uri) ?? null) : this.decorations.all(),
      labels: uri
        ? (labels?.count ?? null)
        : Object.fromEntries(Object.entries(this.labelFacts.all()).map(([k, v]) => [k, v.count] as const)),
      labelFirstLine: labels?.firstLine ?? null,
      labelFacts: uri ? (labels ?? null) : this.labelFacts.all(),
      hoverTimes: this.hoverTimes,
      analysis: uri ? (this.analyses.get(uri) ?? null) : this.analyses.all(),
      /** Whether byte input (Analyze File…) is scanned by the WebAssembly scanner in this extension host. */
      wasmScanner: wasmScannerAvailable(),
    };
  }
}
