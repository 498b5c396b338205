// Status bar for a flow-log editor: "VPC Flow: 12,345 flows · 3 alerts · default v2". Click = Analyze VPC Flow.
import * as vscode from 'vscode';
import { LANGUAGE_ID, formatLabel, type DocumentAnalyses, type EditorAnalysis } from './documentAnalysis';
import type { EditorProbe } from './probe';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function statusText(analysis: EditorAnalysis): string {
  const t = analysis.summary.totals;
  return `VPC Flow: ${plural(t.records, 'flow')} · ${plural(t.alerts, 'alert')} · ${formatLabel(analysis)}`;
}

export class FlowStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('vpcFlow.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly probe: EditorProbe,
  ) {
    this.item.name = 'VPC Flow';
    this.item.command = 'vpcFlow.analyze';
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

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== LANGUAGE_ID) {
      this.item.hide();
      this.probe.statusText = '';
      this.probe.statusVisible = false;
      return;
    }
    const analysis = this.analyses.get(document.uri);
    if (!analysis) {
      this.item.text = 'VPC Flow: $(sync~spin) analysing…';
      this.item.tooltip = 'Analysing this flow log in the background';
    } else {
      this.item.text = statusText(analysis);
      const t = analysis.summary.totals;
      const tip = new vscode.MarkdownString();
      tip.appendText(
        `${t.records.toLocaleString('en-US')} records (${t.accepted.toLocaleString('en-US')} accepted, ${t.rejected.toLocaleString('en-US')} rejected, ${(t.noData + t.skipData).toLocaleString('en-US')} NODATA/SKIPDATA), ${t.unparsedLines.toLocaleString('en-US')} unparsed lines.\n\n`,
      );
      tip.appendText(`Format: ${analysis.format.label} (source: ${analysis.format.source}`);
      tip.appendText(
        analysis.formatOrigin === 'auto'
          ? ', detected)'
          : analysis.formatOrigin === 'document'
            ? ', set for this file)'
            : ', from settings)',
      );
      for (const note of analysis.format.notes) tip.appendText(`\n\n${note}`);
      tip.appendMarkdown('\n\nClick to open the dashboard; run "VPC Flow: Set Log Format…" to change the format.');
      this.item.tooltip = tip;
    }
    this.item.show();
    this.probe.statusText = this.item.text;
    this.probe.statusVisible = true;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
