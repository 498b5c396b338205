// What both entry files (extension.ts for Node, extension.web.ts for the browser) run on activation: it only wires
// features, each a Disposable owned by context.subscriptions. What differs between hosts comes in as `host`.
import * as vscode from 'vscode';
import { Command } from './commands';
import { Config } from './config';
import { registerDashboard } from './dashboards';
import { DecompressedViews } from './decompressedView';
import { DocumentAnalyses } from './documentAnalysis';
import { EditorFeatures } from './editorFeatures';
import { EditorProbe } from './probe';
import { registerQueries } from './queries';
import type { Host, Services } from './services';
import { StoredState } from './state';

export function activateWith(context: vscode.ExtensionContext, host: Host): void {
  const log = vscode.window.createOutputChannel('VPC Flow', { log: true });
  const config = new Config();
  const analyses = new DocumentAnalyses(config, log, new StoredState(context), host);
  const services: Services = { context, config, analyses, log, host };
  const editor = new EditorFeatures(context.extensionUri, analyses, config, log);
  context.subscriptions.push(
    log,
    config,
    analyses,
    vscode.commands.registerCommand(Command.showLog, () => log.show()),
    editor,
    registerDashboard(services),
    registerQueries(services),
    new DecompressedViews(services),
  );
  // Only when the extension host runs extension tests (the integration suite, bench:editor): the probe they read.
  if (context.extensionMode === vscode.ExtensionMode.Test) context.subscriptions.push(new EditorProbe(editor));
  const { version } = context.extension.packageJSON as { version?: string };
  log.info(`VPC Flow Explorer ${version ?? '?'} activated (${host.name} extension host)`);
}
