// Entry point: wires features only. Each feature returns a Disposable.
import * as vscode from 'vscode';
import { Config } from './config';
import { DocumentAnalyses } from './documentAnalysis';
import { registerEditorFeatures } from './editorFeatures';
import { registerDashboard } from './dashboards';
import type { Services } from './services';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('VPC Flow', { log: true });
  const config = new Config();
  const analyses = new DocumentAnalyses(config, log);
  const services: Services = { context, config, analyses, log };
  context.subscriptions.push(
    log,
    config,
    analyses,
    vscode.commands.registerCommand('vpcFlow.showLog', () => log.show()),
    registerEditorFeatures(services),
    registerDashboard(services),
  );
  const { version } = context.extension.packageJSON as { version?: string };
  log.info(`VPC Flow Explorer ${version ?? '?'} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
