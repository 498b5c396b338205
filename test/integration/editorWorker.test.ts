// The document's analysis off the extension host's thread: in the Node extension host a worker thread holds each
// document's text and gets its edits as updates; whatever the edits, the problems and marks shown are those of the
// text in the editor (the browser's web-worker extension host analyses in-thread and must show the same).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, WAIT_MS, until, workspaceFile } from './helpers';

interface WorkerState {
  analysis: { version: number } | null;
  decorations: { version: number; complete: boolean; reject: number } | null;
  analysisEngine: string;
}

function editorState(uri: vscode.Uri): Promise<WorkerState> {
  return Promise.resolve(vscode.commands.executeCommand<WorkerState>('vpcFlow._editorState', uri.toString()));
}

const flow = (i: number, dstport: number, action: 'ACCEPT' | 'REJECT'): string =>
  `2 123456789010 eni-1235b8ca123456789 203.0.113.${i % 250} 172.31.16.21 ${40000 + i} ${dstport} 6 20 4249 ${1418530010 + i} ${1418530070 + i} ${action} OK`;

/** Waits for the analysis of the document's current version. */
async function analysed(doc: vscode.TextDocument): Promise<void> {
  await until(
    `the analysis of ${doc.uri.toString()} v${doc.version}`,
    async () => (await editorState(doc.uri)).analysis?.version === doc.version,
    WAIT_MS,
    async () => (await editorState(doc.uri)).analysis,
  );
}

/** The 1-based lines that carry a problem with `code`. */
function problemLines(doc: vscode.TextDocument, code: string): number[] {
  return vscode.languages
    .getDiagnostics(doc.uri)
    .filter((d) => d.code === code)
    .map((d) => d.range.start.line + 1)
    .sort((a, b) => a - b);
}

/** What the problems must be, read from the text itself: RDP rejects, and lines that are not records. */
function expected(doc: vscode.TextDocument): { rdp: number[]; unparsed: number[] } {
  const rdp: number[] = [];
  const unparsed: number[] = [];
  for (let l = 0; l < doc.lineCount; l++) {
    const text = doc.lineAt(l).text;
    if (/ 3389 6 .* REJECT OK$/.test(text)) rdp.push(l + 1);
    else if (text.startsWith('garbage')) unparsed.push(l + 1);
  }
  return { rdp, unparsed };
}

/** The problems shown and the first lines, for a failure's message. */
function shown(doc: vscode.TextDocument): string {
  const problems = vscode.languages
    .getDiagnostics(doc.uri)
    .map((d) => `${typeof d.code === 'object' ? d.code.value : (d.code ?? '')}@${d.range.start.line + 1}`);
  return JSON.stringify({
    problems: problems.slice(0, 20),
    lines: doc.lineCount,
    first: doc.lineAt(Math.min(7, doc.lineCount - 1)).text,
  });
}

function assertProblemsFollowText(doc: vscode.TextDocument, what: string): void {
  const want = expected(doc);
  assert.deepEqual(problemLines(doc, 'rdp-blocked'), want.rdp, `${what}: RDP problems on the lines that hold them`);
  assert.deepEqual(problemLines(doc, 'unparsed'), want.unparsed, `${what}: unparsed lines`);
}

describe('editor: the analysis follows edits (document worker)', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('shows the problems of the edited text after inserts, deletes, multi-cursor edits and undo', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(flow(i, i % 500 === 7 ? 3389 : 443, i % 500 === 7 ? 'REJECT' : 'ACCEPT'));
    // A file of its own (an untitled document's URI is reused, and its late close could be taken for this one's).
    const uri = workspaceFile('editor-worker.log');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\n') + '\n'));
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'vpcflow');
    const editor = await vscode.window.showTextDocument(doc);
    await analysed(doc);
    // The Node extension host analyses in the document worker; the browser's, in-thread.
    const inBrowser = 'WorkerGlobalScope' in globalThis;
    assert.equal((await editorState(doc.uri)).analysisEngine, inBrowser ? 'extension host' : 'worker');
    assertProblemsFollowText(doc, 'as opened');
    assert.equal(problemLines(doc, 'rdp-blocked').length, 6, shown(doc));

    // An RDP reject inserted near the top: every later problem moves down one line.
    await editor.edit((b) => b.insert(new vscode.Position(2, 0), flow(9001, 3389, 'REJECT') + '\n'));
    await analysed(doc);
    assertProblemsFollowText(doc, 'after an insert');

    // Two lines deleted, and one record made malformed, in separate edits.
    await editor.edit((b) => b.delete(new vscode.Range(0, 0, 2, 0)));
    await editor.edit((b) => b.replace(doc.lineAt(100).range, 'garbage instead of a record'));
    await analysed(doc);
    assertProblemsFollowText(doc, 'after deletes and a replacement');

    // One edit with several changes (as multi-cursor typing sends), far apart and in a line's middle.
    await editor.edit((b) => {
      b.insert(new vscode.Position(10, 0), 'garbage one\n');
      b.replace(
        new vscode.Range(2000, 0, 2001, 0),
        flow(9002, 3389, 'REJECT') + '\n' + flow(9003, 3389, 'REJECT') + '\n',
      );
      b.insert(new vscode.Position(1500, 1), ' ');
    });
    await analysed(doc);
    assertProblemsFollowText(doc, 'after a multi-change edit');

    // Undo everything: the text, and so the problems, are those of the opened document again.
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('undo');
    await analysed(doc);
    assert.equal(doc.getText(), lines.join('\n') + '\n', 'undone');
    assertProblemsFollowText(doc, 'after undo');
    assert.equal(problemLines(doc, 'rdp-blocked').length, 6, shown(doc));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
