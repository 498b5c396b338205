// The dashboard manager: which panel shows which document or file, the commands that reveal or create one, and the
// WebviewPanelSerializer that restores panels after a window reload (from the webview's saved UI state).
import * as vscode from 'vscode';
import { DASHBOARD_VIEW_TYPE, restoreDashboardState, type DashboardOrigin } from '../shared/protocol';
import { Command } from './commands';
import { dashboardWebviewOptions } from './dashboardHtml';
import { DashboardPanel } from './dashboardPanel';
import { DiskSource, EditorSource, FolderSource } from './dashboardSources';
import type { Services } from './services';
import { errorText } from '../core/text';

/** Argument shapes the command receives: a URI (editor title / context menu), a document, or nothing. */
function uriFromArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg !== null && 'uri' in arg && arg.uri instanceof vscode.Uri) return arg.uri;
  return undefined;
}

/** Owns the open dashboards (one per document or file) and restores them after a reload. */
export class Dashboards implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, DashboardPanel>();

  constructor(private readonly services: Services) {}

  private static key(origin: DashboardOrigin, uri: vscode.Uri | readonly vscode.Uri[]): string {
    const uris = uri instanceof vscode.Uri ? [uri.toString()] : uri.map((u) => u.toString()).sort();
    return `${origin}:${uris.join('\n')}`;
  }

  /** The open dashboard of a document, file or folder (or the same multi-selection), if any. */
  find(uri: vscode.Uri | readonly vscode.Uri[], origin: DashboardOrigin = 'editor'): DashboardPanel | undefined {
    return this.panels.get(Dashboards.key(origin, uri));
  }

  private track(key: string, dashboard: DashboardPanel): DashboardPanel {
    this.panels.set(key, dashboard);
    dashboard.onDidDispose(() => {
      if (this.panels.get(key) === dashboard) this.panels.delete(key);
    });
    return dashboard;
  }

  private createPanel(name: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      `VPC Flow: ${name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { ...dashboardWebviewOptions(this.services.context.extensionUri), enableFindWidget: true },
    );
  }

  /** "Analyze VPC Flow": the dashboard of an open document. */
  async openForDocument(
    document: vscode.TextDocument,
    startedAt = Date.now(),
    panel?: vscode.WebviewPanel,
  ): Promise<DashboardPanel> {
    const key = Dashboards.key('editor', document.uri);
    const existing = this.panels.get(key);
    if (existing && !panel) {
      existing.show(startedAt);
      return existing;
    }
    existing?.dispose();
    const column = vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn;
    const source = new EditorSource(document.uri, this.services, column);
    const dashboard = this.track(
      key,
      new DashboardPanel(panel ?? this.createPanel(source.name), source, this.services, startedAt),
    );
    await source.load(document);
    return dashboard;
  }

  /** "Analyze File…": the dashboard of a file streamed from disk. Undefined when cancelled. */
  async openForFile(
    uri: vscode.Uri,
    startedAt = Date.now(),
    panel?: vscode.WebviewPanel,
  ): Promise<DashboardPanel | undefined> {
    const key = Dashboards.key('disk', uri);
    this.panels.get(key)?.dispose(); // the file may have changed on disk: analyse it again
    const column = vscode.window.activeTextEditor?.viewColumn;
    const source = new DiskSource(uri, this.services, column);
    const dashboard = this.track(
      key,
      new DashboardPanel(panel ?? this.createPanel(source.name), source, this.services, startedAt),
    );
    const ok = await source.load((fraction) =>
      dashboard.loading(`Analyzing ${source.name}… ${Math.round(fraction * 100)}%`),
    );
    if (!ok && !source.failure) {
      dashboard.dispose();
      return undefined;
    }
    return dashboard;
  }

  /** "Analyze Folder…": the dashboard of the files under `uris` (folders walked). Undefined when cancelled. */
  async openForFolder(
    uris: readonly vscode.Uri[],
    startedAt = Date.now(),
    panel?: vscode.WebviewPanel,
  ): Promise<DashboardPanel | undefined> {
    const key = Dashboards.key('folder', uris);
    this.panels.get(key)?.dispose(); // the files may have changed on disk: analyse them again
    const source = new FolderSource(uris, this.services, vscode.window.activeTextEditor?.viewColumn);
    const dashboard = this.track(
      key,
      new DashboardPanel(panel ?? this.createPanel(source.name), source, this.services, startedAt),
    );
    const ok = await source.load((message) => dashboard.loading(message));
    if (!ok && !source.failure) {
      dashboard.dispose();
      return undefined;
    }
    return dashboard;
  }

  /**
   * The `vpcFlow.analyzeFolder` command: from the Explorer (the clicked item and the selection), or a folder
   * picker (folders and files, several allowed).
   */
  async analyzeFolderCommand(arg?: unknown, selection?: unknown): Promise<DashboardPanel | undefined> {
    let uris: vscode.Uri[] = [];
    if (Array.isArray(selection)) uris = selection.filter((u): u is vscode.Uri => u instanceof vscode.Uri);
    const clicked = uriFromArg(arg);
    if (uris.length === 0 && clicked) uris = [clicked];
    if (uris.length === 0) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Analyze a folder of VPC flow logs (S3 objects: .log, .log.gz, .parquet)',
        openLabel: 'Analyze',
        canSelectFolders: true,
        canSelectFiles: true,
        canSelectMany: true,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      uris = picked ?? [];
    }
    if (uris.length === 0) return undefined;
    return this.openForFolder(uris, Date.now());
  }

  /** The `vpcFlow.analyze` command. */
  async analyzeCommand(arg?: unknown): Promise<DashboardPanel | undefined> {
    const startedAt = Date.now();
    let uri = uriFromArg(arg);
    let document: vscode.TextDocument | undefined;
    if (!uri) {
      document = vscode.window.activeTextEditor?.document;
      if (!document) {
        // A file too large for extensions is open in the editor but has no TextDocument: take its tab.
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        if (input instanceof vscode.TabInputText) uri = input.uri;
        // The dashboard itself (or another webview) has focus: take the visible flow log.
        else
          document = (
            vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'vpcflow') ??
            vscode.window.visibleTextEditors[0]
          )?.document;
      }
    }
    if (!document && uri) {
      const key = uri.toString();
      document =
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ??
        (await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch((err: unknown) => {
          this.services.log.info(`${key} cannot be opened as a document (${errorText(err)}); analyzing it from disk`);
          return undefined;
        }));
      if (!document) return this.openForFile(uri, startedAt);
    }
    if (!document) {
      const choice = await vscode.window.showInformationMessage(
        'VPC Flow: open a flow log in the editor to analyze it, or analyze a file from disk.',
        'Analyze File…',
      );
      if (choice) await vscode.commands.executeCommand(Command.analyzeFile);
      return undefined;
    }
    return this.openForDocument(document, startedAt);
  }

  /** The `vpcFlow.analyzeFile` command: an open dialog unless a URI is given. */
  async analyzeFileCommand(arg?: unknown): Promise<DashboardPanel | undefined> {
    let uri = uriFromArg(arg);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Analyze a VPC flow log file',
        openLabel: 'Analyze',
        canSelectMany: false,
        filters: { 'Flow logs': ['log', 'gz', 'parquet', 'txt', 'json', 'vpcflow'], 'All files': ['*'] },
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    return this.openForFile(uri, Date.now());
  }

  /** Restores a panel after a window reload; the state holds only UI state and the document URI. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = restoreDashboardState(state);
    if (!restored) {
      this.services.log.warn('dashboard: nothing to restore (no valid state); closing the panel');
      panel.dispose();
      return;
    }
    const uri = vscode.Uri.parse(restored.uri, true);
    if (restored.origin === 'folder') {
      const inputs = (restored.inputs ?? [restored.uri]).map((u) => vscode.Uri.parse(u, true));
      await this.openForFolder(inputs, Date.now(), panel);
      return;
    }
    if (restored.origin === 'disk') {
      await this.openForFile(uri, Date.now(), panel);
      return;
    }
    let document: vscode.TextDocument | undefined;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (err) {
      this.services.log.info(`restore: ${uri.toString()} cannot be opened as a document (${errorText(err)})`);
    }
    if (document) await this.openForDocument(document, Date.now(), panel);
    else if (uri.scheme !== 'untitled') await this.openForFile(uri, Date.now(), panel);
    else panel.dispose();
  }

  dispose(): void {
    for (const d of [...this.panels.values()]) d.dispose();
    this.panels.clear();
  }
}

export function registerDashboard(services: Services): vscode.Disposable {
  const dashboards = new Dashboards(services);
  const report = (what: string) => (err: unknown) => {
    services.log.error(`${what}: ${errorText(err)}`);
    void vscode.window.showErrorMessage(`VPC Flow: ${what} failed: ${errorText(err)}`);
  };
  return vscode.Disposable.from(
    dashboards,
    vscode.commands.registerCommand(Command.analyze, (arg?: unknown) =>
      dashboards.analyzeCommand(arg).then(() => undefined, report('Analyze VPC Flow')),
    ),
    vscode.commands.registerCommand(Command.analyzeFile, (arg?: unknown) =>
      dashboards.analyzeFileCommand(arg).then(() => undefined, report('Analyze File')),
    ),
    vscode.commands.registerCommand(Command.analyzeFolder, (arg?: unknown, selection?: unknown) =>
      dashboards.analyzeFolderCommand(arg, selection).then(() => undefined, report('Analyze Folder')),
    ),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, dashboards),
  );
}
