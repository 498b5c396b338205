// Problems panel: one diagnostic per actionable trigger hit (code = trigger id), one information diagnostic per
// unparsed line (the reason), one warning per flagged metadata value (code = metadata), capped at `vpcFlow.diagnostics.maxCount` with one summary diagnostic for the rest.
import * as vscode from 'vscode';
import { recordTriggers } from '../core/analysis/analyzer';
import { TRIGGERS, mitreText, triggerBit, triggerDef } from '../core/analysis/triggers';
import { fieldValue } from '../core/record';
import type { Config, SeverityName } from './config';
import { LANGUAGE_ID, recordAt, type DocumentAnalyses, type EditorAnalysis } from './documentAnalysis';

export const DIAGNOSTIC_SOURCE = 'VPC Flow';

const SEVERITY: Record<SeverityName, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Triggers reported as diagnostics: the actionable ones except derived ones (mitre-threat), which only restate the
 * MITRE mapping of the trigger behind them (that mapping is already in each diagnostic's message).
 */
const REPORTED = TRIGGERS.filter((t) => t.actionable && !t.flags.derived).map((t) => ({ t, bit: triggerBit(t.id) }));

function popcount(mask: number): number {
  let n = 0;
  for (const { bit } of REPORTED) if (mask & bit) n++;
  return n;
}

/** Alert lines turned into problems between two looks at the clock (see FlowDiagnostics.update). */
const LINES_PER_STEP = 32;
/** Longest stretch of building problems before yielding to the event loop. */
const SLICE_MS = 8;

/**
 * The problems of `analysis`, built a few lines at a time: the generator yields between steps (each alert line
 * re-reads its record to describe it, so thousands of them are tens of milliseconds) and returns the list.
 */
export function* buildDiagnostics(
  document: vscode.TextDocument,
  analysis: EditorAnalysis,
  severityName: SeverityName,
  maxCount: number,
): Generator<void, vscode.Diagnostic[], void> {
  const severity = SEVERITY[severityName];
  const descriptions = new Map<string, string>();
  for (const t of analysis.summary.triggers) {
    if (triggerDef(t.id)?.flags.needsState)
      for (const h of t.hits) descriptions.set(`${t.id}\n${h.line}`, h.description);
  }
  // Exact totals first, so the summary line can say how many were left out.
  let alertTotal = 0;
  const masks = analysis.triggerMasks;
  if (masks) for (const line of analysis.alertLines) alertTotal += popcount(masks[line] ?? 0);
  const unparsedTotal = analysis.summary.totals.unparsedLines;
  const flaggedTotal = analysis.summary.totals.flaggedRecords ?? analysis.flaggedValues.size;
  const total = alertTotal + unparsedTotal + flaggedTotal;
  const budget = total > maxCount ? Math.max(0, maxCount - 1) : total;

  const out: vscode.Diagnostic[] = [];
  if (masks) {
    let step = 0;
    for (const line of analysis.alertLines) {
      if (++step % LINES_PER_STEP === 0) yield;
      if (out.length >= budget) break;
      if (line > document.lineCount) break;
      const mask = masks[line] ?? 0;
      const text = document.lineAt(line - 1).text;
      const found = recordAt(analysis, line, text);
      const range = found
        ? new vscode.Range(line - 1, found.offset, line - 1, found.offset + found.record.text.length)
        : document.lineAt(line - 1).range;
      const fired = found ? recordTriggers(found.record, analysis.analysisConfig) : [];
      for (const { t, bit } of REPORTED) {
        if (!(mask & bit) || out.length >= budget) continue;
        let message = fired.find((f) => f.id === t.id)?.description ?? descriptions.get(`${t.id}\n${line}`);
        if (!message) {
          const r = found?.record;
          message = `${t.label}: ${(r && fieldValue(r, 'srcaddr')) ?? '?'} → ${(r && fieldValue(r, 'dstaddr')) ?? '?'}`;
          if (t.mitre) message += ` (${mitreText(t.mitre)})`;
        }
        const d = new vscode.Diagnostic(range, message, severity);
        d.code = t.id;
        d.source = DIAGNOSTIC_SOURCE;
        out.push(d);
      }
    }
  }
  const unparsed = [...analysis.unparsedReasons].sort((a, b) => a[0] - b[0]);
  for (const [line, reason] of unparsed) {
    if (out.length >= budget) break;
    if (line > document.lineCount) continue;
    const d = new vscode.Diagnostic(
      document.lineAt(line - 1).range,
      `Not a flow record: ${reason}`,
      vscode.DiagnosticSeverity.Information,
    );
    d.code = 'unparsed';
    d.source = DIAGNOSTIC_SOURCE;
    out.push(d);
  }
  // Best-effort metadata values that fail their checks: the flow is kept; a warning on the value itself.
  const flagged = [...analysis.flaggedValues].sort((a, b) => a[0] - b[0]);
  for (const [line, w] of flagged) {
    if (out.length >= budget) break;
    if (line > document.lineCount) continue;
    const found = recordAt(analysis, line, document.lineAt(line - 1).text);
    const range =
      found && found.offset >= 0
        ? new vscode.Range(
            line - 1,
            found.offset + found.record.spans[2 * w.index]!,
            line - 1,
            found.offset + found.record.spans[2 * w.index + 1]!,
          )
        : document.lineAt(line - 1).range;
    const d = new vscode.Diagnostic(
      range,
      `Metadata value flagged: ${w.reason} (metadata is best-effort: the flow is kept, this value is not used)`,
      vscode.DiagnosticSeverity.Warning,
    );
    d.code = 'metadata';
    d.source = DIAGNOSTIC_SOURCE;
    out.push(d);
  }
  if (total > out.length) {
    const left = total - out.length;
    const d = new vscode.Diagnostic(
      new vscode.Range(0, 0, 0, 0),
      `${left.toLocaleString('en-US')} more problem${left === 1 ? '' : 's'} not shown (${alertTotal.toLocaleString('en-US')} trigger hits, ${unparsedTotal.toLocaleString('en-US')} unparsed lines and ${flaggedTotal.toLocaleString('en-US')} flagged metadata values in all; raise vpcFlow.diagnostics.maxCount to see more)`,
      vscode.DiagnosticSeverity.Information,
    );
    d.code = 'truncated';
    d.source = DIAGNOSTIC_SOURCE;
    out.push(d);
  }
  return out;
}

export class FlowDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('vpcflow');
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The latest update per document (URI): an unfinished older one stops. */
  private readonly runs = new Map<string, number>();
  private lastRun = 0;

  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly config: Config,
  ) {
    this.subscriptions.push(
      analyses.onDidAnalyzeEditor(({ document, analysis }) => this.update(document, analysis)),
      analyses.onDidClose((uri) => this.clear(uri)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // A late close of an earlier untitled document under the same URI must not clear the open one's problems.
        const key = d.uri.toString();
        if (!vscode.workspace.textDocuments.some((t) => t !== d && !t.isClosed && t.uri.toString() === key)) {
          this.clear(d.uri);
        }
      }),
      config.onDidChange(() => {
        for (const d of vscode.workspace.textDocuments) {
          const a = this.analyses.get(d.uri);
          if (a) this.update(d, a);
        }
      }),
    );
  }

  /**
   * Sets the problems of `analysis`: built in slices of at most SLICE_MS with the event loop served between them
   * (a document's few problems in one slice, on the next turn), then set in one call. A newer update of the same
   * document, or its closing, abandons an unfinished one.
   */
  private update(document: vscode.TextDocument, analysis: EditorAnalysis): void {
    // A replaced document (its URI reused by a newer one) must not set or clear the newer one's problems.
    if (!this.analyses.isCurrent(document)) return;
    const key = document.uri.toString();
    const run = ++this.lastRun;
    this.runs.set(key, run);
    if (document.isClosed || document.languageId !== LANGUAGE_ID) {
      this.collection.delete(document.uri);
      return;
    }
    const { severity, maxCount } = this.config.current.diagnostics;
    void this.drive(document, key, run, buildDiagnostics(document, analysis, severity, maxCount));
  }

  private async drive(
    document: vscode.TextDocument,
    key: string,
    run: number,
    steps: Generator<void, vscode.Diagnostic[], void>,
  ): Promise<void> {
    // Not in the turn that announced the analysis, which also draws the decorations and the status bar: each of
    // those stretches of work stays short on its own.
    await this.analyses.yieldToEventLoop();
    if (this.runs.get(key) !== run || document.isClosed) return;
    for (;;) {
      const t0 = performance.now();
      let r = steps.next();
      while (!r.done && performance.now() - t0 < SLICE_MS) r = steps.next();
      this.analyses.hostWork.note('problems built', performance.now() - t0);
      if (r.done) {
        this.collection.set(document.uri, r.value);
        return;
      }
      await this.analyses.yieldToEventLoop();
      if (this.runs.get(key) !== run || document.isClosed) return;
    }
  }

  private clear(uri: vscode.Uri): void {
    this.runs.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.runs.clear();
    this.collection.dispose();
  }
}
