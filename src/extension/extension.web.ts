// Browser entry (package.json "browser": dist/web/extension.js, the web-worker extension host of vscode.dev and
// code-server): no local disk, so files are read through workspace.fs; nothing here may reach a Node built-in.
import type * as vscode from 'vscode';
import { fflateInflater } from '../core/input/fflate';
import { activateWith } from './activation';
import type { Host } from './services';

function createWebHost(): Host {
  return {
    name: 'web',
    yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
    localFiles: undefined,
    inflater: fflateInflater,
    // No worker threads here: documents are analysed in slices in the extension host (the web worker) itself.
    documentWorker: undefined,
  };
}

export function activate(context: vscode.ExtensionContext): void {
  activateWith(context, createWebHost());
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
