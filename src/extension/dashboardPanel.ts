// SCAFFOLD (infra): minimal compiling stand-in, to be replaced by the "dashboard" helper's real dashboardPanel.ts.
import * as vscode from 'vscode';
import type { Services } from './services';

export function registerDashboard(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('vpcFlow.analyze', () => services.log.info('analyze: scaffold')),
    vscode.commands.registerCommand('vpcFlow.analyzeFile', () => services.log.info('analyzeFile: scaffold')),
  );
}
