// "Analyze VPC Flow": the dashboard webview panel (owned by the "dashboard" helper; being filled in).
import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE } from '../shared/protocol';
import type { Services } from './services';

export function registerDashboard(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('vpcFlow.analyze', () => {
      const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'VPC Flow', vscode.ViewColumn.Beside, {});
      panel.webview.html = '<!DOCTYPE html><html><body>Loading…</body></html>';
      services.log.info('analyze: dashboard opened');
    }),
    vscode.commands.registerCommand('vpcFlow.analyzeFile', () => services.log.info('analyzeFile: not yet')),
  );
}
