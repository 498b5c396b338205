// Dim `name:` labels before each token: on the lines under the cursors (default), on every visible line, or off.
import * as vscode from 'vscode';
import { Command } from './commands';
import { FIELD_LABEL_MODES, type Config, type FieldLabelsMode } from './config';
import { recordAt, type DocumentAnalyses } from './documentAnalysis';
import { Debouncer, visibleLineRanges } from './editorRefresh';

/** Most lines labelled at once in `all` mode (a screen or two). */
const MAX_LABELLED_LINES = 400;

/** What one redraw of an editor's labels put on screen. */
export interface LabelsDrawn {
  readonly editor: vscode.TextEditor;
  /** Labels drawn. */
  readonly count: number;
  /** The first 0-based line that carries labels (-1: none). */
  readonly firstLine: number;
  /** The `vpcFlow.fieldLabels` mode they were drawn in. */
  readonly mode: FieldLabelsMode;
  /** The version of the analysis they were drawn from (-1: none, e.g. mode `off` or not a flow log). */
  readonly analysisVersion: number;
}

export class FieldLabels implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    before: {
      color: new vscode.ThemeColor('vpcFlow.fieldLabelForeground'),
      fontStyle: 'italic',
      margin: '0 0.2em 0 0',
    },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly debounce = new Debouncer<vscode.TextEditor>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Editors that currently carry labels, so switching to `off` clears them. */
  private readonly labelled = new Set<vscode.TextEditor>();
  private readonly drawn = new vscode.EventEmitter<LabelsDrawn>();
  /** Fires after every redraw (or clearing) of an editor's labels. */
  readonly onDidDraw = this.drawn.event;

  constructor(
    private readonly analyses: DocumentAnalyses,
    private readonly config: Config,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.mode === 'cursorLine') this.schedule(e.textEditor, 30);
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => {
        if (this.mode === 'all') this.schedule(e.textEditor, 60);
      }),
      vscode.workspace.onDidOpenTextDocument((document) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === document) this.schedule(ed, 0);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const ed of this.labelled) if (!editors.includes(ed)) this.labelled.delete(ed);
        // An editor of an analysed document is labelled at once (see Emphasis).
        for (const ed of editors) {
          if (this.analyses.isFlowDocument(ed.document) && this.analyses.lineData(ed.document.uri)) this.update(ed);
          else this.schedule(ed, 0);
        }
      }),
      analyses.onDidAnalyzeEditor(({ document }) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === document) this.schedule(ed, 0);
      }),
      analyses.onDidProgress((document) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === document) this.schedule(ed, 0);
      }),
      config.onDidChange(() => this.refreshAll()),
      vscode.commands.registerCommand(Command.toggleFieldLabels, () => this.toggle()),
    );
    this.refreshAll();
  }

  private get mode(): FieldLabelsMode {
    return this.config.current.fieldLabels;
  }

  /** Cycles cursorLine → all → off → cursorLine and writes the (global) setting. */
  async toggle(): Promise<FieldLabelsMode> {
    const i = FIELD_LABEL_MODES.indexOf(this.mode);
    const next = FIELD_LABEL_MODES[(i + 1) % FIELD_LABEL_MODES.length] ?? 'cursorLine';
    await vscode.workspace.getConfiguration('vpcFlow').update('fieldLabels', next, vscode.ConfigurationTarget.Global);
    void vscode.window.setStatusBarMessage(`VPC Flow field labels: ${next}`, 2500);
    return next;
  }

  private refreshAll(): void {
    for (const ed of vscode.window.visibleTextEditors) this.schedule(ed, 0);
    for (const ed of this.labelled) if (!vscode.window.visibleTextEditors.includes(ed)) this.labelled.delete(ed);
  }

  private schedule(editor: vscode.TextEditor, delay: number): void {
    this.debounce.run(editor, delay, () => this.update(editor));
  }

  private update(editor: vscode.TextEditor): void {
    const document = editor.document;
    if (document.isClosed) return;
    const mode = this.mode;
    const analysis = this.analyses.isFlowDocument(document) ? this.analyses.lineData(document.uri) : undefined;
    if (mode === 'off' || !analysis) {
      // Always clear: after a language change the editor object may be new while the labels are still drawn.
      this.labelled.delete(editor);
      editor.setDecorations(this.type, []);
      this.drawn.fire({ editor, count: 0, firstLine: -1, mode, analysisVersion: analysis?.version ?? -1 });
      return;
    }
    const lines = new Set<number>();
    if (mode === 'cursorLine') {
      for (const sel of editor.selections) lines.add(sel.active.line);
    } else {
      for (const [from, to] of visibleLineRanges(editor, 5)) {
        for (let l = from; l <= to && lines.size < MAX_LABELLED_LINES; l++) lines.add(l);
      }
    }
    const options: vscode.DecorationOptions[] = [];
    for (const l of lines) {
      if (l >= document.lineCount) continue;
      const text = document.lineAt(l).text;
      const found = recordAt(analysis, l + 1, text);
      if (!found) continue;
      const { record, offset } = found;
      const fields = record.format.fields;
      for (let i = 0; i < fields.length; i++) {
        const s = record.spans[i * 2] ?? 0;
        const e = record.spans[i * 2 + 1] ?? 0;
        if (e <= s) continue;
        const pos = new vscode.Position(l, offset + s);
        options.push({
          range: new vscode.Range(pos, pos),
          renderOptions: { before: { contentText: `${fields[i] ?? '?'}:` } },
        });
      }
    }
    editor.setDecorations(this.type, options);
    this.labelled.add(editor);
    this.drawn.fire({
      editor,
      count: options.length,
      firstLine: options[0]?.range.start.line ?? -1,
      mode,
      analysisVersion: analysis.version,
    });
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.type.dispose();
    this.drawn.dispose();
  }
}
