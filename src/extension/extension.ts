// Node entry (package.json "main": dist/extension.js): the Node host, then the shared wiring.
import type * as vscode from 'vscode';
import { activateWith } from './activation';
import { createNodeHost } from './nodeHost';

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, createNodeHost());
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
