// Switches .log/.txt/.json, untitled and AWS Toolkit CloudWatch (aws-cwl) documents whose first lines are flow
// records, a flow-log header or a CloudWatch/Firehose envelope to the `vpcflow` language. Never takes over other
// logs, and never switches back a document the user moved away from `vpcflow`.
import * as vscode from 'vscode';
import { detectFlowLog } from '../core/detect';
import type { Config } from './config';
import { LANGUAGE_ID, type DocumentAnalyses } from './documentAnalysis';
import { Debouncer } from './editorRefresh';

const SAMPLE_LINES = 50;
const CANDIDATE_LANGUAGES: ReadonlySet<string> = new Set(['log', 'plaintext', 'json', 'jsonc']);
const CANDIDATE_EXTENSIONS = /\.(log|txt|json)$/i;

/** The first lines of a document, enough for the core's detector. */
export function sampleOf(document: vscode.TextDocument): string {
  const end = Math.min(document.lineCount, SAMPLE_LINES);
  return document.getText(new vscode.Range(0, 0, end, 0));
}

export function isCandidate(document: vscode.TextDocument): boolean {
  if (!CANDIDATE_LANGUAGES.has(document.languageId)) return false;
  const scheme = document.uri.scheme;
  if (scheme === 'aws-cwl') return true;
  if (scheme === 'untitled') return true;
  if (scheme === 'output' || scheme === 'vscode-settings' || scheme === 'git') return false;
  return CANDIDATE_EXTENSIONS.test(document.uri.path);
}

export class FlowLogDetection implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** URIs the user moved away from vpcflow: never switched again in this session. */
  private readonly optedOut = new Set<string>();
  /**
   * vpcflow documents being closed. The extension host reports a language change as a close and an open of the
   * same TextDocument object in one go, while a document really closed and opened again is a new object: so a
   * reopen of the very object just closed, before the next microtask, is a language change (whatever the time
   * between them on a busy machine), and a reopen after a real close is not.
   */
  private readonly closing = new Map<string, vscode.TextDocument>();
  private readonly debounce = new Debouncer<string>();
  /** URIs this session switched, so an immediate reopen by our own switch is not mistaken for the user's. */
  private readonly switching = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly log: vscode.LogOutputChannel,
    private readonly analyses: Pick<DocumentAnalyses, 'switching'>,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.languageId !== LANGUAGE_ID) return;
        const key = d.uri.toString();
        this.closing.set(key, d);
        queueMicrotask(() => {
          if (this.closing.get(key) === d) this.closing.delete(key);
        });
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // An untitled document gets its text after it opens (paste): look again once the typing settles.
        if (
          e.document.uri.scheme === 'untitled' &&
          e.contentChanges.length &&
          e.document.lineCount <= SAMPLE_LINES * 4
        ) {
          this.debounce.run(e.document.uri.toString(), 400, () => void this.check(e.document));
        }
      }),
      config.onDidChange(() => {
        if (this.config.current.autoDetect) for (const d of vscode.workspace.textDocuments) void this.check(d);
      }),
    );
    for (const d of vscode.workspace.textDocuments) void this.check(d);
  }

  private onOpen(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const closed = this.closing.get(key);
    this.closing.delete(key);
    if (document.languageId === LANGUAGE_ID) return;
    if (closed === document && !this.switching.has(key)) {
      // The user (or another extension) changed the language away from vpcflow: respect it.
      this.optedOut.add(key);
      this.log.info(`${key}: language changed to ${document.languageId} by the user; not detecting it again`);
      return;
    }
    void this.check(document);
  }

  /** Switches the document when it is a candidate and its first lines are a flow log. Returns true if switched. */
  async check(document: vscode.TextDocument): Promise<boolean> {
    if (!this.config.current.autoDetect || document.isClosed) return false;
    const key = document.uri.toString();
    if (this.optedOut.has(key) || !isCandidate(document)) return false;
    const sample = sampleOf(document);
    if (sample.trim() === '') return false;
    const found = detectFlowLog(sample);
    if (!found) return false;
    this.switching.add(key);
    // The analysis starts now, while VS Code switches the language.
    const switched = this.analyses.switching(document);
    let ok = false;
    try {
      await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
      this.log.info(`${key}: detected a VPC flow log (${found.kind}, confidence ${found.confidence.toFixed(2)})`);
      ok = true;
      return true;
    } catch (e) {
      this.log.warn(`${key}: could not switch to vpcflow: ${String(e)}`);
      return false;
    } finally {
      this.switching.delete(key);
      switched(ok);
    }
  }

  dispose(): void {
    this.debounce.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
