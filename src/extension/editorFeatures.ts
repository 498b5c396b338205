// SCAFFOLD (infra): minimal compiling stand-in, to be replaced by the "editor" helper's real editorFeatures.ts.
import * as vscode from 'vscode';
import type { Services } from './services';

export function registerEditorFeatures(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('vpcFlow.toggleFieldLabels', () => services.log.info('toggleFieldLabels: scaffold')),
    vscode.commands.registerCommand('vpcFlow.setFormat', () => services.log.info('setFormat: scaffold')),
  );
}
