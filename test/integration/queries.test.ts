// "VPC Flow: Copy Query for…" and "VPC Flow: Export Queries…" inside the real extension host: the query on the
// clipboard is written for the log's own field order (a custom header, not the default layout), Export Queries… opens
// one document per engine with the compiler's text, and a trigger hit's hover links to the query (trusted for that one
// command only, with no log text in the trusted part). The clipboard of an extension test run is VS Code's own
// in-memory one, so reading it back is exact.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, WAIT_MS, until, workspaceFile } from './helpers';
import { DEFAULT_ANALYSIS_CONFIG } from '../../src/core/analysis/config';
import { makeFormat } from '../../src/core/format';
import { compileQuery } from '../../src/core/query';
import { exportDocuments } from '../../src/extension/queryDocuments';

/** A custom order: srcaddr and the ports early, action before the counters; no documented layout has it. */
const FIELDS = [
  'version',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'start',
  'end',
  'action',
  'log-status',
  'packets',
  'bytes',
  'account-id',
  'interface-id',
];
const LOG = [
  FIELDS.join(' '),
  '3 198.51.100.7 10.0.1.25 49152 22 6 1418530010 1418530070 REJECT OK 3 180 123456789012 eni-0a1b2c3d4e5f60718',
  '3 10.0.1.25 203.0.113.9 40000 443 6 1418530010 1418530070 ACCEPT OK 10 5000 123456789012 eni-0a1b2c3d4e5f60718',
].join('\n');

/** The format the extension resolves for LOG (from its header). */
const format = makeFormat(FIELDS, { source: 'header' });

/** Runs a command that asks through quick picks or input boxes, accepting the first item (or the empty input) of each. */
async function acceptingPrompts<T>(run: Thenable<T>): Promise<T> {
  let settled = false;
  const result = Promise.resolve(run).finally(() => {
    settled = true;
  });
  await until('the command to finish (its prompts accepted)', async () => {
    if (settled) return true;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return settled;
  });
  return result;
}

async function openLog(): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'vpcflow', content: LOG });
  await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
  return doc;
}

describe('queries', function () {
  this.timeout(4 * WAIT_MS);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
  });

  afterEach(async () => {
    // The untitled documents (the log, the exported queries) are closed unsaved, without a "Save?" dialog.
    for (let open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length; open > 0; open--)
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Copy Query for… on a trigger puts a query naming the log its own field order on the clipboard', async () => {
    await openLog();
    await vscode.env.clipboard.writeText('');
    // As a keybinding would run it: the trigger and engine given, the document the active flow log.
    const text = await vscode.commands.executeCommand<string | undefined>('vpcFlow.copyQuery', {
      kind: 'trigger',
      id: 'ssh-blocked',
      engine: 'insights',
    });
    assert.ok(text, 'the command resolves with the query it copied');
    assert.equal(await vscode.env.clipboard.readText(), text);
    // Logs Insights parses @message in the log's order: srcaddr second, action ninth.
    const parse = `parse @message "${FIELDS.map(() => '*').join(' ')}" as ${FIELDS.map((f) => f.replace(/-/g, '_')).join(', ')}`;
    assert.ok(text.includes(parse), `the query parses the custom order:\n${text}`);
    assert.match(text, /dstport = 22/);
    assert.equal(
      text,
      compileQuery({ engine: 'insights', format, config: DEFAULT_ANALYSIS_CONFIG, trigger: 'ssh-blocked' }),
    );
  });

  it('Copy Query for… writes the DuckDB query over the log file itself when it is on disk', async () => {
    const uri = workspaceFile('custom-v3-tcp-flags.log');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const text = await vscode.commands.executeCommand<string | undefined>('vpcFlow.copyQuery', {
      kind: 'trigger',
      id: 'rdp-blocked',
      engine: 'duckdb',
    });
    assert.ok(text);
    assert.ok(text.includes(`read_csv('${uri.fsPath}'`), `the query reads ${uri.fsPath}:\n${text}`);
    assert.equal(await vscode.env.clipboard.readText(), text);
  });

  it('Copy Query for… asks the engine with a quick pick when none is given', async () => {
    await openLog();
    await vscode.env.clipboard.writeText('');
    // The first engine offered (Athena on a fresh profile, else the one last picked) is accepted.
    const text = await acceptingPrompts(
      vscode.commands.executeCommand<string | undefined>('vpcFlow.copyQuery', { kind: 'table', id: 'talkers' }),
    );
    assert.ok(text);
    assert.equal(await vscode.env.clipboard.readText(), text);
    assert.ok(text.includes(`Log format: ${FIELDS.join(' ')}`), `the query is for the log's format:\n${text}`);
  });

  it('Export Queries… opens one document per engine, in its language, with the compiler text', async () => {
    const log = await openLog();
    // The optional values asked: empty table name and location, "Not partitioned".
    const docs = await acceptingPrompts(
      vscode.commands.executeCommand<vscode.TextDocument[] | undefined>('vpcFlow.exportQueries'),
    );
    assert.ok(docs);
    const expected = exportDocuments({ format, config: DEFAULT_ANALYSIS_CONFIG }, {}).documents;
    assert.equal(docs.length, expected.length);
    assert.ok(docs.length >= 4, 'Athena, Logs Insights, metric filters (CloudFormation, Terraform) and DuckDB');
    const languages = await vscode.languages.getLanguages();
    docs.forEach((doc, i) => {
      const want = expected[i];
      assert.ok(want);
      assert.equal(doc.getText(), want.text, want.title);
      assert.equal(doc.uri.scheme, 'untitled');
      if (want.language === 'terraform' && !languages.includes('terraform'))
        assert.match(doc.languageId, /^(hcl|plaintext)$/, 'Terraform without its extension');
      else assert.equal(doc.languageId, want.language, want.title);
      assert.ok(doc.getText().includes(FIELDS.join(' ')), `${want.title} names the log's field order`);
    });
    assert.deepEqual(
      docs.map((d) => d.languageId).filter((l) => l === 'sql').length,
      2,
      'Athena and DuckDB are SQL documents',
    );
    // Each document is open in an editor tab, the log stays open.
    const open = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.input);
    for (const doc of [log, ...docs])
      assert.ok(
        open.some((input) => input instanceof vscode.TabInputText && input.uri.toString() === doc.uri.toString()),
        doc.uri.toString(),
      );
  });

  it("a trigger hit's hover links to the query of every such hit, trusted for that command only", async () => {
    const doc = await openLog();
    const hovers = await until('a hover on the SSH record', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(1, 3),
      );
      const parts = h.flatMap((x) => x.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string');
      return parts.some((p) => p.value.includes('command:vpcFlow.copyQuery')) ? parts : undefined;
    });
    const links = hovers.filter((p) => p.value.includes('](command:'));
    assert.equal(links.length, 1, 'one markdown holds the links');
    const md = links[0];
    assert.ok(md);
    assert.deepEqual(md.isTrusted, { enabledCommands: ['vpcFlow.copyQuery'] });
    assert.ok(!md.value.includes('198.51.100.7'), 'no log text in the trusted part');
    const m = /\]\(command:vpcFlow\.copyQuery\?([^ )]+)/.exec(md.value);
    assert.ok(m?.[1], md.value);
    const [args] = JSON.parse(decodeURIComponent(m[1])) as [{ kind: string; id: string; uri: string }];
    assert.deepEqual(args, { kind: 'trigger', id: 'ssh-blocked', uri: doc.uri.toString() });
    // The untrusted part (field, value, triggers) is not trusted at all.
    for (const p of hovers) if (p !== md) assert.notEqual(p.isTrusted, true);
    // What the link runs: the query, for this document's format.
    const text = await vscode.commands.executeCommand<string | undefined>('vpcFlow.copyQuery', {
      ...args,
      engine: 'duckdb',
    });
    assert.equal(
      text,
      compileQuery({ engine: 'duckdb', format, config: DEFAULT_ANALYSIS_CONFIG, trigger: 'ssh-blocked' }),
    );
  });
});
