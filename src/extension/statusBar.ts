// Status bar for a flow-log editor: "VPC Flow: 12,345 flows · 3 alerts · default v2". Click = Analyze VPC Flow.
import * as vscode from 'vscode';
import { countText as plural } from '../shared/display';
import { Command } from './commands';
import { LANGUAGE_ID, formatLabel, type DocumentAnalyses, type EditorAnalysis } from './documentAnalysis';

export function statusText(analysis: EditorAnalysis): string {
  const t = analysis.summary.totals;
  return `VPC Flow: ${plural(t.records, 'flow')} · ${plural(t.alerts, 'alert')} · ${formatLabel(analysis)}`;
}

/** What the status bar shows. */
export interface StatusShown {
  readonly text: string;
  readonly visible: boolean;
  /** The document of the active editor the status bar describes ('' when hidden). */
  readonly uri: string;
  /** The document version whose analysis the text shows (null while the first analysis runs, or hidden). */
  readonly version: number | null;
}

const HIDDEN: StatusShown = { text: '', visible: false, uri: '', version: null };

export class FlowStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('vpcFlow.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private current: StatusShown = HIDDEN;

  constructor(private readonly analyses: DocumentAnalyses) {
    this.item.name = 'VPC Flow';
    this.item.command = Command.analyze;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      analyses.onDidAnalyzeEditor(({ document }) => {
        if (vscode.window.activeTextEditor?.document === document) this.update();
      }),
      analyses.onDidClose(() => this.update()),
      vscode.workspace.onDidOpenTextDocument(() => this.update()),
    );
    this.update();
  }

  /** What the status bar shows now. The analysis shown may be of an earlier version while the current one is re-analysed. */
  get shown(): StatusShown {
    return this.current;
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== LANGUAGE_ID) {
      this.item.hide();
      this.current = HIDDEN;
      return;
    }
    const analysis = this.analyses.get(document.uri);
    if (!analysis) {
      this.item.text = 'VPC Flow: $(sync~spin) analysing…';
      this.item.tooltip = 'Analysing this flow log in the background';
    } else {
      this.item.text = statusText(analysis);
      const t = analysis.summary.totals;
      const n = (x: number): string => x.toLocaleString('en-US');
      const origin =
        analysis.formatOrigin === 'auto'
          ? 'detected'
          : analysis.formatOrigin === 'document'
            ? 'set for this file'
            : 'from the vpcFlow.format setting';
      // A plain-string tooltip: nothing in it is ever rendered as markdown.
      this.item.tooltip = [
        `${n(t.records)} records (${n(t.accepted)} accepted, ${n(t.rejected)} rejected, ${n(t.noData + t.skipData)} NODATA/SKIPDATA), ${n(t.unparsedLines)} unparsed lines`,
        `${n(t.alerts)} records fired an actionable trigger`,
        `Format: ${analysis.format.label} (${origin})`,
        ...analysis.format.notes,
        'Click to open the dashboard; "VPC Flow: Set Log Format…" changes the format.',
      ].join('\n');
    }
    this.item.show();
    this.current = {
      text: this.item.text,
      visible: true,
      uri: document.uri.toString(),
      version: analysis ? analysis.version : null,
    };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
