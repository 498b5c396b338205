// Emphasis: REJECT records tinted, NODATA/SKIPDATA dimmed (visible ranges), actionable-trigger lines with a gutter
// icon and an overview-ruler mark. Three decoration types, created once.
import * as vscode from 'vscode';
import { LineFlag, isComplete, type DocumentAnalyses, type LineData } from './documentAnalysis';
import { Debouncer, visibleLineRanges } from './editorRefresh';

/** Lines decorated beyond the visible ones, so short scrolls need no redraw to look right. */
const MARGIN = 200;
/** Above this many alert lines, ruler marks and icons are drawn near the visible range only. */
const MAX_WHOLE_DOCUMENT_ALERTS = 20_000;

/** What one redraw of an editor put on screen. */
export interface EmphasisDrawn {
  readonly editor: vscode.TextEditor;
  /** The document version of the analysis drawn from (the editor's version when there was none to draw). */
  readonly version: number;
  /** False when drawn from the partial data of a running first analysis. */
  readonly complete: boolean;
  readonly linesDone: number;
  /** REJECT lines tinted and NODATA/SKIPDATA lines dimmed (near the visible ranges). */
  readonly reject: number;
  readonly dimmed: number;
  /** Alert lines marked: the whole document's, or those near the visible ranges above MAX_WHOLE_DOCUMENT_ALERTS. */
  readonly alerts: number;
}

export class Emphasis implements vscode.Disposable {
  private readonly reject: vscode.TextEditorDecorationType;
  private readonly dimmed: vscode.TextEditorDecorationType;
  private readonly alert: vscode.TextEditorDecorationType;
  private readonly debounce = new Debouncer<vscode.TextEditor>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Editor -> the analysis whose whole-document alert marks it carries. */
  private readonly alertsDrawn = new WeakMap<vscode.TextEditor, LineData>();
  private readonly drawn = new vscode.EventEmitter<EmphasisDrawn>();
  /** Fires after every redraw of an editor. */
  readonly onDidDraw = this.drawn.event;

  constructor(
    extensionUri: vscode.Uri,
    private readonly analyses: DocumentAnalyses,
  ) {
    this.reject = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('vpcFlow.rejectBackground'),
      borderColor: new vscode.ThemeColor('vpcFlow.rejectBorder'),
      borderStyle: 'dotted',
      borderWidth: '0 0 1px 0',
    });
    this.dimmed = vscode.window.createTextEditorDecorationType({
      color: new vscode.ThemeColor('vpcFlow.dimmedForeground'),
      fontStyle: 'italic',
    });
    this.alert = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'alert.svg'),
      gutterIconSize: '75%',
      overviewRulerColor: new vscode.ThemeColor('vpcFlow.alertRuler'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
    this.subscriptions.push(
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor, 50)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        // An editor of an analysed document is drawn at once: a timer would wait behind other extensions' work on a
        // newly shown document (VS Code's merge-conflict extension reads the whole text of a new document).
        for (const ed of editors) {
          if (this.analyses.isFlowDocument(ed.document) && this.analyses.lineData(ed.document.uri)) this.update(ed);
          else this.schedule(ed, 0);
        }
      }),
      // A language change reopens the document: redraw (or clear) the editors showing it.
      vscode.workspace.onDidOpenTextDocument((document) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === document) this.schedule(ed, 0);
      }),
      analyses.onDidAnalyzeEditor(({ document }) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === document) this.update(ed);
      }),
      analyses.onDidProgress((document) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === document) this.update(ed);
      }),
    );
    this.refreshAll();
  }

  private refreshAll(): void {
    for (const ed of vscode.window.visibleTextEditors) this.schedule(ed, 0);
  }

  private schedule(editor: vscode.TextEditor, delay: number): void {
    this.debounce.run(editor, delay, () => this.update(editor));
  }

  private update(editor: vscode.TextEditor): void {
    const document = editor.document;
    if (document.isClosed) return;
    const analysis = this.analyses.isFlowDocument(document) ? this.analyses.lineData(document.uri) : undefined;
    if (!analysis) {
      editor.setDecorations(this.reject, []);
      editor.setDecorations(this.dimmed, []);
      editor.setDecorations(this.alert, []);
      this.alertsDrawn.delete(editor);
      this.drawn.fire({
        editor,
        version: document.version,
        complete: true,
        linesDone: 0,
        reject: 0,
        dimmed: 0,
        alerts: 0,
      });
      return;
    }
    const rejectRanges: vscode.Range[] = [];
    const dimRanges: vscode.Range[] = [];
    const nearAlerts: vscode.Range[] = [];
    const windows = visibleLineRanges(editor, MARGIN);
    const flags = analysis.flags;
    for (const [from, to] of windows) {
      for (let l = from; l <= to; l++) {
        const f = flags[l + 1] ?? 0;
        if (!(f & LineFlag.Record)) continue;
        if (f & LineFlag.Reject) rejectRanges.push(new vscode.Range(l, 0, l, 0));
        if (f & LineFlag.NoData) dimRanges.push(document.lineAt(l).range);
        if (f & LineFlag.Alert) nearAlerts.push(new vscode.Range(l, 0, l, 0));
      }
    }
    editor.setDecorations(this.reject, rejectRanges);
    editor.setDecorations(this.dimmed, dimRanges);
    let alertCount = nearAlerts.length;
    if (isComplete(analysis) && analysis.alertLineCount <= MAX_WHOLE_DOCUMENT_ALERTS) {
      // The whole document's marks, so the overview ruler shows every alert; redrawn only per analysis.
      if (this.alertsDrawn.get(editor) !== analysis) {
        const all: vscode.Range[] = [];
        for (const line of analysis.alertLines) all.push(new vscode.Range(line - 1, 0, line - 1, 0));
        editor.setDecorations(this.alert, all);
        this.alertsDrawn.set(editor, analysis);
      }
      alertCount = analysis.alertLineCount;
    } else {
      editor.setDecorations(this.alert, nearAlerts);
      this.alertsDrawn.delete(editor);
    }
    this.drawn.fire({
      editor,
      version: analysis.version,
      complete: analysis.complete,
      linesDone: analysis.linesDone,
      reject: rejectRanges.length,
      dimmed: dimRanges.length,
      alerts: alertCount,
    });
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.reject.dispose();
    this.dimmed.dispose();
    this.alert.dispose();
    this.drawn.dispose();
  }
}
