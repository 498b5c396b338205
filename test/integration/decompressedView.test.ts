// The read-only decompressed view through the extension's own command, in whichever extension host runs the suite
// (Node, or the browser's web worker with `--web`, where gzip is inflated by fflate and Parquet read by hyparquet
// from workspace.fs): a .log.gz and a .parquet of test/fixtures/s3-day open as flow-log text in the vpcflow language.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, WAIT_MS, until, workspaceFile } from './helpers';

const DAY = 's3-day/AWSLogs/123456789010/vpcflowlogs/us-east-1/2014/12/14';
const GZ = `${DAY}/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz`;
const PARQUET = `${DAY}/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0430Z_9f8e7d6c.log.parquet`;
const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** The active editor once it shows a vpcflow-view: document of `name`. */
function viewOf(name: string): Promise<vscode.TextEditor> {
  return until(`the decompressed view of ${name}`, () => {
    const e = vscode.window.activeTextEditor;
    return e?.document.uri.scheme === 'vpcflow-view' && e.document.uri.path.endsWith(`/${name}.vpcflow`)
      ? e
      : undefined;
  });
}

describe('decompressed view', function () {
  this.timeout(3 * WAIT_MS);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a .log.gz opens as its text, at the line asked, in the vpcflow language', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vpcFlow.openDecompressed', workspaceFile(GZ), { line: 3 });
    const editor = await viewOf(GZ.split('/').pop()!);
    const lines = editor.document.getText().split('\n');
    assert.equal(lines[0], HEADER);
    assert.equal(lines.filter((l) => l.startsWith('2 123456789010 ')).length, 7);
    assert.equal(editor.selection.start.line, 2);
    assert.match(editor.document.lineAt(2).text, / 3389 6 .* REJECT OK$/);
    assert.equal(editor.document.languageId, 'vpcflow');
  });

  it('a .parquet opens as a header line and one line per row', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vpcFlow.openDecompressed', workspaceFile(PARQUET));
    const editor = await viewOf(PARQUET.split('/').pop()!);
    const lines = editor.document.getText().split('\n');
    assert.equal(lines[0], HEADER);
    assert.equal(
      lines[1],
      '2 123456789010 eni-1235b8ca123456789 203.0.113.50 172.31.16.21 51515 23 6 2 120 1418530610 1418530670 REJECT OK',
    );
    assert.equal(lines.length, 5, 'three rows and the final line break');
    assert.equal(editor.document.languageId, 'vpcflow');
  });
});
