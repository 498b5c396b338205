// A second, test-owned set of the extension's services over the same classes the extension wires in activate(), for
// the suites that drive the dashboards directly (dashboard.test.ts, folder.test.ts): their own output channel, an
// in-memory stored state, the Node host (worker pool and document worker) and a Dashboards manager.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';
import { MemoryMemento } from './memoryMemento';
import { Config } from '../../src/extension/config';
import { Dashboards } from '../../src/extension/dashboards';
import { DocumentAnalyses } from '../../src/extension/documentAnalysis';
import { createNodeHost } from '../../src/extension/nodeHost';
import type { Services } from '../../src/extension/services';
import { StoredState } from '../../src/extension/state';

export interface TestServices extends vscode.Disposable {
  readonly services: Services;
  readonly dashboards: Dashboards;
}

/** Activates the extension (for its URI) and builds the services; dispose them after the suite. */
export async function testServices(name: string): Promise<TestServices> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  await ext.activate();
  const log = vscode.window.createOutputChannel(`VPC Flow (${name})`, { log: true });
  const config = new Config();
  const host = createNodeHost();
  const state = new StoredState({ workspaceState: new MemoryMemento(), globalState: new MemoryMemento() });
  const analyses = new DocumentAnalyses(config, log, state, host);
  const context = { extensionUri: ext.extensionUri } as vscode.ExtensionContext;
  const services: Services = { context, config, analyses, log, host };
  const dashboards = new Dashboards(services);
  const own: vscode.Disposable[] = [dashboards, analyses, config, log];
  return {
    services,
    dashboards,
    dispose: (): void => {
      for (const d of own) d.dispose();
    },
  };
}
