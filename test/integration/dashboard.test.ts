// The dashboard inside the real extension host (code-server): "Analyze VPC Flow" opens a webview panel of view type
// vpcFlow.dashboard beside the editor; the WebviewPanelSerializer restores a panel from its saved state (the real
// webview loads, asks for data and reports the charts drawn); "Analyze File…" streams a .log.gz from disk.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { WAIT_MS, nextEvent, until, workspaceFile } from './helpers';
import { testServices, type TestServices } from './testServices';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { filteredView, recordsPage } from '../../src/extension/dashboardFilters';
import type { DashboardPanel, RenderReport } from '../../src/extension/dashboardPanel';
import { Dashboards } from '../../src/extension/dashboards';
import { HITS_CSV_COLUMNS, hitsCsv } from '../../src/extension/exports';
import type { Services } from '../../src/extension/services';
import { DASHBOARD_VIEW_TYPE, type DashboardState, type Filter } from '../../src/shared/protocol';

const GZ = '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz';

/** Resolves with the first render report the real webview sends (or the one it already sent). */
function rendered(dashboard: DashboardPanel): Promise<RenderReport> {
  if (dashboard.lastRender) return Promise.resolve(dashboard.lastRender);
  return nextEvent('the webview to report charts drawn', dashboard.onDidRender);
}

/**
 * Resolves once the webview reports charts drawn for `records` records (now or later). The panel may draw more
 * than once for one state (the first summary, then a debounced one after a second analysis event), so a test
 * waits for the drawing of the state it checks, not for "the next drawing".
 */
function renderedWith(dashboard: DashboardPanel, records: number): Promise<RenderReport> {
  if (dashboard.lastRender?.records === records) return Promise.resolve(dashboard.lastRender);
  return nextEvent(`the webview to draw ${records} records`, dashboard.onDidRender, (r) => r.records === records);
}

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(DASHBOARD_VIEW_TYPE));
}

describe('dashboard', function () {
  this.timeout(3 * WAIT_MS);
  let services: Services;
  let dashboards: Dashboards;
  let owned: TestServices | undefined;

  before(async () => {
    owned = await testServices('dashboard test');
    ({ services, dashboards } = owned);
  });

  after(async () => {
    owned?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Analyze VPC Flow" opens a vpcFlow.dashboard webview beside the editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('aws-examples-default.log'));
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('vpcFlow.analyze');
    const tab = await until('a dashboard tab', () => dashboardTabs()[0]);
    assert.equal(tab.label, 'VPC Flow: aws-examples-default.log');
    assert.notEqual(tab.group.viewColumn, editor.viewColumn, 'the panel opens beside the editor, not over it');
    // Running it again reveals the same panel instead of opening a second one: once the command's reveal has
    // reached the tab model (the dashboard is the active tab again), a second panel would have too.
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await until('the editor to be the active tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputText && input.uri.toString() === doc.uri.toString();
    });
    await vscode.commands.executeCommand('vpcFlow.analyze');
    await until('the dashboard to be the active tab again', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputWebview && input.viewType.endsWith(DASHBOARD_VIEW_TYPE);
    });
    assert.equal(dashboardTabs().length, 1);
  });

  it('the serializer restores a panel from its saved state, and the webview draws the document', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = workspaceFile('aws-examples-default.log');
    const expected = analyzeText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    // What VS Code hands the serializer after a reload: a fresh panel of our view type and the webview's state.
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'restoring', vscode.ViewColumn.One, {});
    const state: DashboardState = { uri: uri.toString(), origin: 'editor', tab: 'security', filters: [] };
    await dashboards.deserializeWebviewPanel(panel, state);
    const dashboard = dashboards.find(uri);
    assert.ok(dashboard, 'the restored panel is tracked for its document');
    assert.equal(dashboard.panel, panel);
    assert.equal(panel.title, 'VPC Flow: aws-examples-default.log');
    assert.equal(panel.webview.options.enableScripts, true);
    assert.deepEqual(
      panel.webview.options.localResourceRoots?.map((u) => u.path),
      [vscode.Uri.joinPath(services.context.extensionUri, 'dist').path],
    );
    const html = panel.webview.html;
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[A-Za-z0-9]{32}'/);
    assert.doesNotMatch(html, /unsafe-eval|unsafe-inline|https?:\/\/(?!.*vscode)/);
    assert.match(html, /<script nonce="[A-Za-z0-9]{32}" src="[^"]*dist\/webview\.js"><\/script>/);
    const report = await rendered(dashboard);
    assert.equal(report.records, expected.totals.records);
    assert.ok(report.records > 0);
    // A later analysis of the document (an edit) reaches the same panel.
    const doc = await vscode.workspace.openTextDocument(uri);
    const original = doc.getText();
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.Two);
    const next = renderedWith(dashboard, expected.totals.records + 1);
    await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount, 0), `${doc.lineAt(0).text}\n`));
    assert.equal((await next).records, expected.totals.records + 1, 'the dashboard follows the edit');
    // Back to the file on disk, so no later suite sees the edit: revert acts on the active editor, so make sure
    // it is this one, and wait until the document really is the file again.
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.Two);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until('the edit to be reverted', () => !doc.isDirty && doc.getText() === original);
    dashboard.dispose();
    assert.equal(dashboards.find(uri), undefined, 'a closed panel is no longer tracked');
  });

  it('says so when its document is closed, and keeps the last analysis', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // An untitled document is disposed as soon as its editor closes (a file's may be kept a while by VS Code).
    const text = new TextDecoder().decode(
      await vscode.workspace.fs.readFile(workspaceFile('aws-examples-default.log')),
    );
    const doc = await vscode.workspace.openTextDocument({ language: 'vpcflow', content: text });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const dashboard = await dashboards.openForDocument(doc);
    const first = await rendered(dashboard);
    assert.equal(first.records, analyzeText(text).totals.records);
    assert.equal(dashboard.source.info().closed, false);
    const next = nextEvent(
      'the dashboard to redraw once closed',
      dashboard.onDidRender,
      () => dashboard.source.info().closed,
    );
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await until('the document to be reported closed', () => dashboard.source.info().closed);
    assert.equal((await next).records, first.records, 'the dashboard redraws the last analysis, marked closed');
    dashboard.dispose();
  });

  it('the serializer closes a panel whose state is not valid', async () => {
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'bad state', vscode.ViewColumn.One, {});
    let disposed = false;
    panel.onDidDispose(() => (disposed = true));
    // Let the workbench finish opening the panel before it closes: wait for its tab.
    await until('the panel to have its tab', () =>
      vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'bad state')),
    );
    await dashboards.deserializeWebviewPanel(panel, { uri: 'file:///x.log', origin: 'editor', tab: '<script>' });
    assert.equal(disposed, true);
  });

  it('restores a file analysed from disk: a .log.gz streamed through node:zlib', async () => {
    const uri = workspaceFile(GZ);
    const text = zlib.gunzipSync(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    const expected = analyzeText(text);
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'restoring', vscode.ViewColumn.One, {});
    await dashboards.deserializeWebviewPanel(panel, {
      uri: uri.toString(),
      origin: 'disk',
      tab: 'network',
      filters: [],
    });
    const dashboard = dashboards.find(uri, 'disk');
    assert.ok(dashboard);
    const info = dashboard.source.info();
    assert.equal(info.origin, 'disk');
    assert.match(info.note ?? '', /gzip-compressed/);
    assert.deepEqual(dashboard.source.summary()?.totals, expected.totals);
    assert.equal((await rendered(dashboard)).records, expected.totals.records);
    dashboard.dispose();
  });

  it('a hit of a file analysed from disk opens its line, selected, in the editor', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = workspaceFile('aws-examples-default.log');
    const dashboard = await dashboards.openForFile(uri);
    assert.ok(dashboard);
    const rdp = dashboard.source.summary()?.triggers.find((t) => t.id === 'rdp-blocked')?.hits[0];
    assert.ok(rdp);
    await dashboard.source.reveal(rdp.line);
    const editor = await until('the file in the active editor, its hit line selected', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === uri.toString() && e.selection.start.line === rdp.line - 1 ? e : undefined;
    });
    assert.equal(editor.document.uri.toString(), uri.toString());
    const line = editor.document.lineAt(rdp.line - 1);
    assert.match(line.text, / 3389 /);
    assert.equal(editor.selection.start.line, rdp.line - 1);
    assert.equal(editor.selection.start.character, 0);
    assert.equal(editor.selection.end.line, rdp.line - 1);
    assert.equal(editor.selection.end.character, line.text.length, 'the whole line is selected (column clamped)');
    dashboard.dispose();
  });

  it('exports trigger hits as CSV: with filters, only the hits on the records they select', async () => {
    const uri = workspaceFile('aws-examples-default.log');
    const dashboard = await dashboards.openForFile(uri);
    assert.ok(dashboard);
    const summary = dashboard.source.summary();
    assert.ok(summary);
    const all = hitsCsv(summary);
    assert.equal(all[0], `${HITS_CSV_COLUMNS.join(',')}\r\n`);
    assert.equal(
      all.length - 1,
      summary.triggers.reduce((n, t) => n + t.hits.length, 0),
    );
    const rdpRow = all.find((r) => r.startsWith('rdp-blocked,'));
    assert.ok(rdpRow);
    assert.match(rdpRow, /^rdp-blocked,[^,]*RDP[^,]*,true,T1110,[^,]+,2,172\.31\.9\.69,172\.31\.9\.12,3389,/);
    // Filter "blocked port 3389": the dashboard's summary of that record holds only the hits on line 2.
    const filters: Filter[] = [{ dimension: 'blockedPort', key: '3389', label: 'Blocked port 3389' }];
    const cts = new vscode.CancellationTokenSource();
    const view = await filteredView(dashboard.source, filters, services.config.current.analysis, cts.token);
    assert.equal(view.summary.totals.records, 1);
    assert.deepEqual(view.summary.filtered?.matched, 1);
    const page = await recordsPage(dashboard.source, summary, view, cts.token);
    assert.equal(page.matched, 1);
    assert.deepEqual(
      page.rows.map((r) => r.line),
      [2],
    );
    const filtered = hitsCsv(view.summary);
    assert.ok(filtered.length > 1 && filtered.slice(1).every((r) => /^[a-z-]+,[^\r]*,2,/.test(r)), filtered.join(''));
    dashboard.dispose();
  });

  it('"Analyze File…" given a URI opens a dashboard for the file from disk', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vpcFlow.analyzeFile', workspaceFile(GZ));
    const tab = await until('a dashboard tab for the .gz', () =>
      dashboardTabs().find((t) => t.label.includes('.log.gz')),
    );
    assert.equal(tab.label, `VPC Flow: ${GZ}`);
  });
});
