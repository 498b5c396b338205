// Wires the editor features: detection, hover, field labels, emphasis, diagnostics, status bar, format control.
import * as vscode from 'vscode';
import type { Config } from './config';
import { Emphasis } from './decorations';
import { FlowLogDetection } from './detection';
import { FlowDiagnostics } from './diagnostics';
import type { DocumentAnalyses } from './documentAnalysis';
import { FieldLabels } from './fieldLabels';
import { registerFormatControl } from './formatControl';
import { FlowHoverProvider } from './hover';
import { FlowStatusBar } from './statusBar';

/** The editor features of one activation; their events and accessors say what they show. */
export class EditorFeatures implements vscode.Disposable {
  readonly hover: FlowHoverProvider;
  readonly labels: FieldLabels;
  readonly emphasis: Emphasis;
  readonly statusBar: FlowStatusBar;
  private readonly others: vscode.Disposable;

  constructor(
    extensionUri: vscode.Uri,
    readonly analyses: DocumentAnalyses,
    config: Config,
    log: vscode.LogOutputChannel,
  ) {
    const detection = new FlowLogDetection(config, log, analyses);
    this.hover = new FlowHoverProvider(analyses, config);
    this.labels = new FieldLabels(analyses, config);
    this.emphasis = new Emphasis(extensionUri, analyses);
    const diagnostics = new FlowDiagnostics(analyses, config);
    this.statusBar = new FlowStatusBar(analyses);
    this.others = vscode.Disposable.from(detection, diagnostics, registerFormatControl(analyses));
  }

  dispose(): void {
    this.others.dispose();
    this.statusBar.dispose();
    this.emphasis.dispose();
    this.labels.dispose();
    this.hover.dispose();
  }
}
