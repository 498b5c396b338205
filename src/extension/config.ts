// SCAFFOLD (infra): minimal compiling stand-in, to be replaced by the "editor" helper's real config.ts.
import * as vscode from 'vscode';

export interface ConfigSnapshot {
  readonly autoDetect: boolean;
}

export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ConfigSnapshot>();
  readonly onDidChange = this.emitter.event;
  current: ConfigSnapshot = { autoDetect: true };

  dispose(): void {
    this.emitter.dispose();
  }
}
