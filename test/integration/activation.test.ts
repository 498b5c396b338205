// The extension activates lazily when a flow log is opened, and registers every command it contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, until, workspaceFile } from './helpers';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

describe('activation', () => {
  it('is installed with the manifest of this repository', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded (engines.vscode too new for this VS Code?)`);
    const pkg = ext.packageJSON as { engines: { vscode: string }; activationEvents: string[] };
    assert.ok(!pkg.activationEvents.includes('*'), 'activation must be lazy');
  });

  it('activates once a sample flow log is opened', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('aws-examples-default.log'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await until('the extension to become active', () => ext.isActive);
    assert.match(doc.getText(), /eni-/, 'the sample log opened is the expected fixture');
  });

  it('registers every command contributed in package.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands;
    assert.ok(contributed.length >= 5, 'the manifest contributes the VPC Flow commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    for (const c of contributed) assert.equal(c.category, 'VPC Flow', `${c.command} has category "VPC Flow"`);
  });
});
