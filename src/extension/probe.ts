// Test runs only: what the editor features last showed, for the integration tests and `npm run bench:editor`
// (internal command `vpcFlow._editorState`). Created by the entry's activation when the extension host runs
// extension tests; it only listens to the features' events and reads their accessors, and no feature imports it.
// Every fact names the document version it was drawn for, so a test can wait for the facts of the version it
// checks instead of reading a value that an earlier version (or an earlier setting) left behind.
import * as vscode from 'vscode';
import { wasmScannerAvailable } from '../core/wasmScan';
import { InternalCommand } from './commands';
import type { EditorFeatures } from './editorFeatures';
import type { StatusShown } from './statusBar';

export interface DecorationFacts {
  readonly version: number;
  /** Date.now() when the decorations were applied. */
  readonly at: number;
  /** Date.now() when decorations drawn from analysis data (partial or finished) were first applied to the document. */
  readonly firstDataAt: number | undefined;
  /** The analysed lines behind the document's first draw (0: drawn before it had any analysis data). */
  readonly firstLinesDone: number;
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

export interface AnalysisFacts {
  readonly version: number;
  readonly elapsedMs: number;
  /** Of which in the document worker (undefined: analysed in the extension host). */
  readonly workerMs: number | undefined;
  /** Analyses of the document started so far. */
  readonly runs: number;
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

  /** The facts of `document` itself (not of an earlier document under its URI). */
  getFor(document: vscode.TextDocument): T | undefined {
    const entry = this.map.get(document.uri.toString());
    return entry?.document === document ? entry.facts : undefined;
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

/**
 * Whether what `editor` draws is what the probe should report for its document: with the same document in two
 * editors, the active one wins, so a test reads the editor it acts on and not whichever redrew last.
 */
function reportsForDocument(editor: vscode.TextEditor): boolean {
  const active = vscode.window.activeTextEditor;
  return !active || active === editor || active.document !== editor.document;
}

/** Hover provider durations kept (the latest ones). */
const HOVER_TIMES_KEPT = 2000;

export class EditorProbe implements vscode.Disposable {
  private readonly decorations = new PerDocument<DecorationFacts>();
  private readonly labelFacts = new PerDocument<LabelFacts>();
  /** Hover provider durations in ms (the latest 2,000), measured inside the extension host. */
  private readonly hoverTimes: number[] = [];
  private readonly analyses = new PerDocument<AnalysisFacts>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly features: EditorFeatures) {
    this.subscriptions = [
      features.analyses.onDidAnalyzeEditor(({ document, analysis }) =>
        this.analyses.set(document, {
          version: analysis.version,
          elapsedMs: analysis.elapsedMs,
          workerMs: analysis.workerMs,
          runs: features.analyses.runsOf(document),
          records: analysis.summary.totals.records,
        }),
      ),
      features.emphasis.onDidDraw(({ editor, ...facts }) => {
        if (!reportsForDocument(editor)) return;
        const at = Date.now();
        const before = this.decorations.getFor(editor.document);
        const firstDataAt = before?.firstDataAt ?? (facts.linesDone > 0 ? at : undefined);
        const firstLinesDone = before?.firstLinesDone ?? facts.linesDone;
        this.decorations.set(editor.document, { ...facts, at, firstDataAt, firstLinesDone });
      }),
      features.labels.onDidDraw(({ editor, ...facts }) => {
        if (reportsForDocument(editor))
          this.labelFacts.set(editor.document, { ...facts, version: editor.document.version });
      }),
      features.hover.onDidProvideHover((ms) => {
        if (this.hoverTimes.length >= HOVER_TIMES_KEPT) this.hoverTimes.shift();
        this.hoverTimes.push(ms);
      }),
      vscode.commands.registerCommand(InternalCommand.editorState, (uri?: unknown) =>
        this.snapshot(uri instanceof vscode.Uri ? uri.toString() : typeof uri === 'string' ? uri : undefined),
      ),
    ];
  }

  snapshot(uri?: string): unknown {
    const labels = uri ? this.labelFacts.get(uri) : undefined;
    const status: StatusShown = this.features.statusBar.shown;
    return {
      statusText: status.text,
      statusVisible: status.visible,
      status: { text: status.text, visible: status.visible, uri: status.uri, version: status.version },
      decorations: uri ? (this.decorations.get(uri) ?? null) : this.decorations.all(),
      labels: uri
        ? (labels?.count ?? null)
        : Object.fromEntries(Object.entries(this.labelFacts.all()).map(([k, v]) => [k, v.count] as const)),
      labelFirstLine: labels?.firstLine ?? null,
      labelFacts: uri ? (labels ?? null) : this.labelFacts.all(),
      hoverTimes: this.hoverTimes,
      analysis: uri ? (this.analyses.get(uri) ?? null) : this.analyses.all(),
      /** Stretches of analysis work in the extension host of 2 ms or more (the latest 2,000), with when they ended. */
      hostSteps: this.features.analyses.hostWork.since(0),
      /** Where documents are analysed: 'worker' (the Node extension host) or 'extension host' (the browser). */
      analysisEngine: this.features.analyses.engine,
      /** Whether byte input (Analyze File…) is scanned by the WebAssembly scanner in this extension host. */
      wasmScanner: wasmScannerAvailable(),
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
