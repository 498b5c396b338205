// Wires the editor features: detection, hover, field labels, emphasis, diagnostics, status bar, format control.
import * as vscode from 'vscode';
import { Emphasis } from './decorations';
import { FlowLogDetection } from './detection';
import { FlowDiagnostics } from './diagnostics';
import { DocumentAnalyses } from './documentAnalysis';
import { FieldLabels } from './fieldLabels';
import { registerFormatControl } from './formatControl';
import { registerHover } from './hover';
import { EditorProbe } from './probe';
import type { Services } from './services';
import { FlowStatusBar } from './statusBar';

export function registerEditorFeatures(services: Services): vscode.Disposable {
  const { context, config, analyses, log } = services;
  if (!(analyses instanceof DocumentAnalyses)) {
    throw new Error('registerEditorFeatures needs the DocumentAnalyses service');
  }
  analyses.useState(context.workspaceState);
  const probe = new EditorProbe();
  return vscode.Disposable.from(
    new FlowLogDetection(config, log),
    registerHover(analyses, config, probe),
    new FieldLabels(analyses, config, probe),
    new Emphasis(context.extensionUri, analyses, probe),
    new FlowDiagnostics(analyses, config),
    new FlowStatusBar(analyses, probe),
    registerFormatControl(analyses),
    analyses.onDidAnalyzeEditor(({ document, analysis }) =>
      probe.analysed(document, {
        version: analysis.version,
        elapsedMs: analysis.elapsedMs,
        records: analysis.summary.totals.records,
      }),
    ),
    // Internal (not in the palette): what the editor features last showed, for tests and the benchmark.
    vscode.commands.registerCommand('vpcFlow._editorState', (uri?: unknown) =>
      probe.snapshot(uri instanceof vscode.Uri ? uri.toString() : typeof uri === 'string' ? uri : undefined),
    ),
  );
}
